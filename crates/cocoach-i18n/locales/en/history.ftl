# history
# History: who changed what and when, and the shared document as it was.

history-heading = History
history-intro = Every change to what you share, by whom and when. Pick one to see everything as it was right after it.
history-refresh = Refresh
history-reading = Reading the history…
history-count = { $n ->
    [one] { $n } change
   *[other] { $n } changes
}
# Who a change is credited to when its signatures credit no one.
history-no-one-verified = no one verified
# One line of the history. $who: a partner's name; $what: a history-change-… text.
history-line = { $who }: { $what }
# A run of $n changes of the same kind by the same partner.
history-line-repeated = { $n ->
    [one] { $who }: { $what } ({ $n } time)
   *[other] { $who }: { $what } ({ $n } times)
}
# $time: the date and time of the change.
history-as-it-was = As it was
history-as-it-was-at = As it was at { $time }
history-back = Back to the history
history-then-title = As it was at { $time } (read only)
# $then_sessions, $now_sessions: history-n-sessions; $then_actions, $now_actions: history-n-actions.
history-then-and-now = Then: { $then_sessions } and { $then_actions }; now: { $now_sessions } and { $now_actions }.
history-n-sessions = { $n ->
    [one] { $n } session
   *[other] { $n } sessions
}
history-n-actions = { $n ->
    [one] { $n } action
   *[other] { $n } actions
}

## What to know about a change's signatures.
history-note-migrated = made before signing began; signed by its author since
history-note-vouched = made before signing began; vouched for by this device
history-note-unverified = not signed by its author: credited to no one

## What a change did (the document keeps these words in English).
history-change-create = create the partnership
history-change-partner-joined = partner joined
history-change-rename-partner = rename partner
history-change-edit-contract = edit the contract
history-change-sign-contract = sign the contract
history-change-start-session = start a session
history-change-edit-session = edit a session
history-change-edit-session-notes = edit session notes
history-change-close-session = close a session
history-change-add-option = add an option
history-change-remove-option = remove an option
history-change-decline-topic = decline a topic
history-change-review-action = review an action
history-change-add-action = add an action
history-change-edit-action = edit an action
history-change-complete-action = complete an action
history-change-action-status = change an action's status
history-change-celebrate-action = celebrate an action
history-change-note-obstacle = note an obstacle
history-change-remove-obstacle = remove an obstacle
history-change-resolve-conflict = resolve a conflict
history-change-several = several edits
history-change-edit = edit
