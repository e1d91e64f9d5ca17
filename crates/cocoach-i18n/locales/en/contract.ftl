# The contract screen: every term, the signatures, and values set differently while apart.
contract-heading = Our contract
contract-intro = How you will work together. Agree the terms in your first conversation, then both sign. Change them any time; a change needs both signatures again.

## Signing.
contract-sign = Sign the contract
contract-sign-hover = Records with your device's key that you agree to these terms as they are now
contract-sign-why-partner = Your partner needs to join first
contract-sign-why-conflicts = Settle the terms set differently below first
contract-sign-why-signed = You have signed this version
contract-you = You
# $who: "You" (contract-you) or the partner's name; $state: where their signature stands.
contract-signature-line = { $who }: { $state }

## The terms: labels and the hints inside empty fields.
contract-frequency = How often
contract-frequency-none = not decided
contract-frequency-other = other…
# The three frequencies the document knows (it stores them in English: weekly, fortnightly, monthly).
contract-frequency-weekly = weekly
contract-frequency-fortnightly = fortnightly
contract-frequency-monthly = monthly
# Written into the contract when "other…" is picked, for the partners to change.
contract-frequency-other-start = every few weeks
contract-frequency-other-hint = e.g. every third Tuesday
contract-place = Where we meet
contract-place-hint = a café, a video call…
contract-minutes = Session length (minutes)
contract-term-start = Term starts
contract-term-end = Term ends
contract-date-hint = YYYY-MM-DD
contract-sessions = Number of sessions
contract-sessions-hint = e.g. 6
contract-coaches-first = Who coaches first
contract-turns = Turns
contract-turns-alternate = swap who coaches first each session
contract-turns-same = always the same order
contract-question-style = Question style
contract-question-style-hint = e.g. open questions only, no advice unless asked

## Ground rules and off-limits topics.
contract-rules = Ground rules
contract-remove = Remove
# $n: the rule's number.
contract-rule-remove = Remove ground rule { $n }
contract-rule-new = New rule
contract-rule-new-hint = e.g. We start and end on time
contract-rule-add = Add rule
contract-off-limits = Off-limits topics
contract-off-limits-intro = Topics a partner does not want to be coached on. Either of you may add one.
contract-off-limits-you = you
# $topic: the topic as written; $who: "you" (contract-off-limits-you) or the partner's name.
contract-off-limits-item = • { $topic } (for { $who })
contract-off-limits-remove = Remove the off-limits topic { $topic }
contract-off-limits-new = Off limits for me
contract-off-limits-new-hint = e.g. my health
contract-off-limits-add = Add topic

## Terms set differently while apart. $name: the term (contract-term-…), $value: one value.
contract-conflicts = You two set these differently while apart — pick one:
contract-conflict-term = { $name }:
contract-conflict-empty = (empty)
contract-conflict-keep = Keep “{ $value }”
contract-conflict-keep-for = Keep “{ $value }” for { $name }
contract-conflict-use = Use “{ $value }” for { $name }
# The values of the turns as the document stores them.
contract-conflict-turns-alternate = alternate
contract-conflict-turns-same = same
contract-term-frequency = how often
contract-term-place = where
contract-term-minutes = session length (minutes)
contract-term-term-start = term starts
contract-term-term-end = term ends
contract-term-sessions = number of sessions
contract-term-coaches-first = who coaches first
contract-term-turns = turns
contract-term-question-style = question style
# $n: the rule's number.
contract-term-ground-rule = ground rule { $n }

## What failed, in "Could not { $what }".
edit-change-contract = change the contract
edit-change-ground-rule = change a ground rule
edit-remove-ground-rule = remove a ground rule
edit-add-ground-rule = add a ground rule
edit-remove-off-limits = remove an off-limits topic
edit-add-off-limits = add an off-limits topic
edit-settle-contract-term = settle a contract term
