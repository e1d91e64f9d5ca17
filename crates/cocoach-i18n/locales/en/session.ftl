# session
# The session runner: two timed halves, GROW with the coach's question deck, closing with actions.

session-heading = Session
# Put in place of a partner's name when it is the person at this device.
session-you = you
# $a, $b: partners' names.
session-names-and = { $a } and { $b }

## Starting a session. $first, $second: who coaches first and second (a name, or session-you);
## $first_is_you: "yes" when the person at this device coaches first ("you coach", not "you coaches").
session-none-running = No session is running.
session-next = Next: { $first_is_you ->
        [yes] you coach
       *[other] { $first } coaches
    } first, then { $second } — { $minutes ->
        [one] { $minutes } minute each.
       *[other] { $minutes } minutes each.
    }
# $place: where the contract says you meet.
session-next-at = Next: { $first_is_you ->
        [yes] you coach
       *[other] { $first } coaches
    } first, then { $second } — { $minutes ->
        [one] { $minutes } minute each, at { $place }.
       *[other] { $minutes } minutes each, at { $place }.
    }
session-turns-alternate = Your contract says you take turns coaching first.
session-turns-same = Your contract says the same partner always coaches first.
session-start = Start today's session
# $shortcut: the keyboard shortcut.
session-start-hover = Start ({ $shortcut })
edit-start-session = start a session

## The session in progress. $date: its date.
session-of = Session of { $date }
session-of-at = Session of { $date } at { $place }
session-reflect = Write a private reflection on this session
session-reflect-hover = Opens your journal, which stays on this device
session-half-first = First half: { $coachee } coached by { $coach }
session-half-second = Second half: { $coachee } coached by { $coach }

## The timer. $name: the coachee of the half; $minutes: the half's length.
session-time-left = left of { $name }'s { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}
session-timer-pause = Pause timer
session-timer-resume = Resume timer
session-timer-start = Start timer
session-swap-time = Time to swap: { $coach } now coaches { $coachee }.
session-swap = Swap roles
session-time-up = Time is up: agree on actions, then close the session.

## One half. $name: a partner's name.
session-you-coach = You are coaching { $name }. Ask, listen, don't advise.
session-coaching-you = { $name } is coaching you.
# $style: the question style agreed in the contract (the partners' own words).
session-agreed-style = You agreed: { $style }
# $topics: the coachee's off-limits topics (their own words), separated by commas.
session-off-limits = Off limits for { $name }: { $topics }
session-grow = GROW
session-stage-review = Review
session-stage-goal = Goal
session-stage-reality = Reality
session-stage-options = Options
session-stage-will = Will
session-another-question = Another question
# $stage: a stage's name (session-stage-…).
session-another-question-for = Another { $stage } question
session-stage-notes = { $stage } notes
session-option-hint = an option
session-option-remove = Remove
session-option-remove-name = Remove option { $n }
session-what-else = What else?
session-what-else-hover = Add another option ({ $shortcut })
edit-add-option = add an option
edit-remove-option = remove an option
session-declined-button = Topic declined
session-declined-button-hover = The coachee would rather not talk about this. Only the moment is noted, never the topic.
edit-mark-declined = mark a topic declined
session-declined = { $n ->
    [one] { $name } declined { $n } topic in this half; nothing about it is written down.
   *[other] { $name } declined { $n } topics in this half; nothing about them is written down.
}
session-other-notes = Other notes

## Reviewing last time's actions.
session-review-heading = First, last time's actions
session-review-none = { $name } has no open actions to review.
session-review-by = (by { $date })
session-review-done = Done
session-review-partly = Partly
session-review-not-yet = Not yet
# $what: the action (the partner's own words); $outcome: one of the three words above.
session-review-name = Review “{ $what }”: { $outcome }
edit-review-action = review an action
session-review-notes = What went well? What got in the way?
session-celebrate = Done! Celebrate it in a line:
session-celebrate-hint = e.g. I finally sent the email

## The actions committed to in this session.
session-new-actions = { $name }'s actions from this session
session-by = by { $date }
session-action = Action
session-action-hint = one concrete step
session-add-for = Add for { $name }

## Closing the session.
session-close-heading = Close the session
session-close-ready = Each of you has an action with a deadline.
session-close = Close session
edit-close-session = close the session
# $who: the partners still without an action (names).
session-close-missing-yours = Still without an action with a deadline: { $who }. Add one in your half, or say why you skip it.
session-close-missing-theirs = Still without an action with a deadline: { $who }. Add one in { $name }'s half, or say why you skip it.
session-close-missing-each = Still without an action with a deadline: { $who }. Add one in each half, or say why you skip it.
session-skip-reason = Reason to close without
session-skip-reason-hint = e.g. we only agreed the contract today
session-close-without = Close without actions
session-close-without-disabled = Write the reason first

## Earlier sessions.
session-past-heading = Earlier sessions ({ $n })
session-past-undated = undated
# $date: the session's date; $name: who coached first; $n: actions agreed.
session-past-title = { $n ->
    [one] { $date } — { $name } coached first, { $n } action
   *[other] { $date } — { $name } coached first, { $n } actions
}
session-past-skipped = Closed without actions: { $reason }
session-coached-by = { $coachee } coached by { $coach }
session-past-review = Review
session-past-notes = Notes
session-past-option = Option { $n }: { $text }
session-past-declined = Declined topics: { $n }

## The coach's question deck, four per GROW stage.
session-deck-goal-1 = What would you like to walk away with from this conversation?
session-deck-goal-2 = If this goes really well, what will be different a month from now?
session-deck-goal-3 = Which part of your career change matters most to you today?
session-deck-goal-4 = How will you know you have moved forward?
session-deck-reality-1 = Where are you with this right now, in one sentence?
session-deck-reality-2 = What have you already tried, and what happened?
session-deck-reality-3 = Who else is involved, and what do they make of it?
session-deck-reality-4 = From 1 to 10, how close are you? Why that number and not a lower one?
session-deck-options-1 = What could you do? Nothing is too small or too wild.
session-deck-options-2 = What would you try if you knew you could not fail?
session-deck-options-3 = What would someone you admire do in your place?
session-deck-options-4 = Who could help you with this?
session-deck-will-1 = Which of these will you do, and by when?
session-deck-will-2 = What might get in the way, and what will you do then?
session-deck-will-3 = From 1 to 10, how committed are you? What would make it a 10?
session-deck-will-4 = How will I know you have done it?
session-deck-will-5 = What is the smallest step you could take, this week?
session-deck-will-6 = How will you know you are on track?
session-deck-will-7 = How will you feel when it is done?
session-deck-goal-5 = Imagine it is six months from now and it went well: where are you?
session-deck-goal-6 = Where do you want to take your career?
session-deck-reality-5 = What is going well, and what less well?
session-deck-reality-6 = What skills, knowledge and resources do you already have?
session-deck-options-5 = What else?
session-deck-options-6 = If there were no limitations — money, time, permission — what would you do?
session-deck-options-7 = How could you find out more?
session-deck-review-1 = Did it happen? What exactly did you do?
session-deck-review-2 = What went well?
session-deck-review-3 = What got in the way?
session-deck-review-4 = What could you do differently next time?
session-deck-review-5 = What did it teach you about yourself?

## Your own questions in the deck (shared with your partner).
session-deck-by = added by { $name }
session-deck-add = Add a question…
# $stage: a stage's name.
session-deck-add-label = Your own { $stage } question
# $style: the kind of questions the contract says you like.
session-deck-add-hint = in the style you agreed: { $style }
session-deck-add-hint-plain = a question your partner may ask you
session-deck-add-for = Add a { $stage } question to the deck
session-deck-add-save = Add to the deck
session-deck-add-cancel = Cancel
session-deck-remove = Remove from the deck

## The recap shown when a session closes (on both devices, for a few hours).
session-recap-title = Session closed — well done, both of you.
# $name: the partner; the lines under it are their new actions.
session-recap-will = { $name } will:
# $what: the action; $date: its deadline.
session-recap-action = { $what } — by { $date }
session-recap-action-undated = { $what }
session-recap-none = no action this time
# $reason: why the session closed without actions, as written.
session-recap-skipped = Closed without actions: { $reason }
session-recap-celebrated = Celebrated:
# $name: whose action; $what: the action; $text: the celebration line.
session-recap-celebration = { $name }: { $what } — “{ $text }”
session-recap-celebration-plain = { $name }: { $what }, done
session-recap-dismiss = Dismiss the recap

## Before a session starts: the next meeting by the rhythm, the date, who coaches first.
# $date: a weekday and date; $time: "08:00".
session-next-meeting = Next meeting by your contract's rhythm: { $date }.
session-next-meeting-at = Next meeting by your contract's rhythm: { $date } at { $time }.
session-next-meeting-today = Today is a meeting day by your contract's rhythm.
session-next-meeting-today-at = Today is a meeting day by your contract's rhythm, at { $time }.
session-next-meeting-none = Your contract plans no meeting days: you meet by agreement.
session-start-date = Date of this session
session-start-date-bad = Write the date as YYYY-MM-DD.
session-start-coach = Coaching first:
# $name: a partner; read by screen readers for the choice.
session-start-coach-name = { $name } coaches first
# $name: who the contract's rule would have coach first.
session-start-coach-changed = You chose otherwise than the contract's rule ({ $name } would coach first).
session-start-on = Start the session of { $date }
session-start-date-hover = Today unless you agreed another day (YYYY-MM-DD).

## The first meeting: getting to know each other (session/first.rs).
first-offer-title = Start with a getting-to-know meeting
first-offer-body = Your first meeting is not two coaching halves: each of you tells where you are in your career, what you want to change and how you like to work and be coached. See whether it clicks — trust matters more than anything — and agree your contract in it.
first-start = Start the first meeting
first-start-later = Start a getting-to-know meeting instead
first-start-later-hover = The first meeting's shape, again: when you start anew, or to get to know each other better.
# $name: whose turn it is to tell.
first-half-tab = { $name } tells
first-intro = Getting to know each other
# $name: the partner listening.
first-you-tell = Your turn to tell; { $name } listens and asks.
first-they-tell = { $name } tells; you listen and ask.
first-listen = Listen more than you speak, ask open questions, and give no advice.
first-situation = Where you are
first-situation-prompt = Where are you in your career now? What is going well, and what not?
first-wishes = What you want to change
first-wishes-prompt = What do you want to change, and what would make this partnership worth it for you?
first-style = How you like to work
first-style-prompt = How do you like to work and to be coached? What helps you, and what does not? Anything off limits?
# $what: one of the three headings above.
first-notes = Notes: { $what }
first-click = Does it click? Then agree your contract.
first-click-body = Agree together how often and where you meet, for how long, for which term, who coaches first and your ground rules — then both sign it.
first-to-contract = Go to the contract
first-signed = Your contract is agreed: you can close this meeting without actions.
first-close-needs = A first meeting closes once you both signed the contract — or add an action each, or say why you close without.
session-unsigned = Your contract is not signed by both of you yet: agree it on the Contract screen.
edit-start-first-meeting = start the first meeting

## Near the end of the contract's term: the review (session screen).
# $date: the term's end date.
term-ending-on = Your term ends on { $date }: time to look back together.
term-ending = Your term is nearly over: one session left. Time to look back together.
term-look-back = What the term held, and what changed:
term-held-of = Sessions held: { $held } of { $planned } planned.
term-held = Sessions held: { $held }.
term-actions = Actions set in the term: { $done } done, { $dropped } dropped, { $open } still open.
# $list: "obstacle × n", the three named most often.
term-obstacles = What got in the way most: { $list }.
term-goal-then-now = { $name }'s goal then: “{ $then }” — now: “{ $now }”.
term-goal-same = { $name }'s goal: “{ $goal }”.
term-goal-none = { $name } named no goal in the term's sessions.
term-next = Then decide together: renew (a new term), adjust the terms, or close — change the contract and both sign it again.
term-to-contract = Go to the contract
