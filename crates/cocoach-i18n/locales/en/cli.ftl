# The command line: what `cocoach` prints for a person (ids, invites and JSON stay
# as they are), and the Markdown export.

## Opening a data directory. $dir: a path.
cli-no-home = cannot find a home directory for the default data directory; pass --data-dir
cli-no-data = no cocoach data in { $dir }: create a partnership with `cocoach init`, or give the right --data-dir
cli-not-saved = the edit was not saved
# $reason: the database's own words.
cli-compaction-failed = warning: saved, but tidying up the database failed (it will be retried): { $reason }
# $path: the file named with --output.
cli-cannot-write = cannot write { $path }

## The commands' answers.
cli-created = created partnership { $id } in { $dir }
cli-device-key = your device key: { $key }
cli-reflection-saved = reflection { $id } saved on this device only
cli-journal-private = (private: this journal stays on this device)
# Inside square brackets after a journal entry. $id: a session's or action's id.
cli-journal-session = session { $id }
cli-journal-action = action { $id }
cli-no-conflicts = no conflicts
cli-no-such-conflict = there is no conflict number { $number }
cli-choices-from-one = choices start at 1
cli-compacted = { $n ->
    [one] folded { $n } change into a { $bytes }-byte snapshot in { $ms } ms
   *[other] folded { $n } changes into a { $bytes }-byte snapshot in { $ms } ms
}

## `cocoach status`. $slot: A or B; $you: the "(you)" mark or nothing; $key: a short key.
cli-status-partnership = partnership { $id }
cli-status-you = (you)
cli-status-rejoin = This device is not one of the two partners: it was restored from a backup without its device key. To sync again, ask your partner to run `cocoach invite --rejoin` and use that invite here with `cocoach rejoin`.
cli-status-not-joined = not joined yet
cli-status-partner = partner { $slot }: { $name }{ $you } [{ $key }]
# $agreement: where the signatures stand (agreement-… messages).
cli-status-contract = contract: { $agreement }
cli-status-counts = sessions: { $sessions }  actions: { $actions } ({ $open } open)
cli-status-conflicts = conflicts: { $n } (see `cocoach conflicts`)
# $when: a date and time.
cli-status-last-exchange = partner { $name } [{ $key }]: last exchange { $when }
cli-status-never-exchanged = partner { $name } [{ $key }]: last exchange never
cli-status-addresses = last known addresses: { $list }
cli-status-partner-has-all = your partner has all your changes
cli-status-not-acknowledged = { $n } of your changes not yet acknowledged by your partner
cli-status-not-synced = not synced yet
cli-status-stored = { $n ->
    [one] stored in { $file } ({ $n } unfolded change)
   *[other] stored in { $file } ({ $n } unfolded changes)
}

## `cocoach contract`. The field names before the colons are the ones `contract set` takes, and stay as they are.
cli-contract-ground-rules = ground rules:
cli-contract-off-limits = off limits for { $name }: { $topic }
# $field: what was typed, quoted; $names: the fields, comma-separated.
cli-unknown-field = unknown contract field { $field }; one of: { $names }
cli-rules-from-one = rules are numbered from 1

## Sessions, actions, history.
cli-undated = undated
cli-coaches-first = { $name } coaches first
cli-closed = (closed)
# An action's state, in square brackets in `action list`.
cli-action-open = open
cli-action-done = done
cli-action-dropped = dropped
cli-due = due { $date }
cli-overdue = (overdue)
# $prefix: what was typed, quoted.
cli-ambiguous-hash = { $n ->
    [one] { $prefix } matches { $n } change; give a unique hash prefix
   *[other] { $prefix } matches { $n } changes; give a unique hash prefix
}
cli-unknown-device = unknown device

## Invite, join, sync.
cli-no-runtime = cannot start the network runtime
cli-no-event-stream = no event stream
cli-node-stopped = the node stopped
cli-verification-code = verification code: { $code }
cli-your-partner = your partner
# $who: the partner's name, or cli-your-partner. The answer is y or yes.
cli-same-code = Does { $who }'s screen show the same code? [y/N]
cli-invite-no-partnership = no partnership here yet: create one with `cocoach init --name NAME`
cli-invite-full = this partnership already has both partners (partner { $key })
cli-invite-give = Give this invite to your partner (valid for 15 minutes). Waiting for them to join…
cli-paired = paired with { $name }
cli-pairing-failed = pairing failed: { $reason }
cli-invite-expired = the invite expired before your partner joined
cli-join-stdin = could not read the invite from standard input
cli-join-name = give your name with --name, as your partner will see it
cli-join-failed = could not join
cli-rejoin-failed = could not re-pair this device
cli-join-rejoin-invite = this invite re-pairs a device restored from a backup without its key: use it with `cocoach rejoin`
cli-rejoin-not-a-rejoin-invite = this invite is for a new partner, not for re-pairing: ask your partner to run `cocoach invite --rejoin`
cli-invite-rejoin-no-partner = no partner is paired yet, so there is nothing to re-pair: use `cocoach invite`
cli-invite-rejoin-give = Give this re-pairing invite to your partner (valid for 15 minutes); they run `cocoach rejoin` with it on their restored device. Waiting…
cli-sync-no-partnership = no partnership here yet: create one with `cocoach init` or join one
cli-syncing-once = syncing with your partner…
cli-syncing = syncing with your partner (Ctrl-C to stop)…
cli-no-answer-yet = no answer yet
cli-connected = connected
cli-disconnected = disconnected: { $reason }
cli-received = received and saved your partner's changes
cli-in-sync = in sync
# $secs: seconds, with one decimal.
cli-unreachable = partner not reachable ({ $reason }); retrying in { $secs } s
cli-refused = turned away a device that is not your partner ({ $alpn })
cli-error = error: { $error }
cli-tampered = warning: refused your partner's latest changes: they would rewrite { $what }, which no change may do; nothing of them was kept
cli-sync-not-in-sync = connected, but not in sync within { $secs } s
cli-sync-unreachable = could not reach your partner within { $secs } s ({ $reason })

## `cocoach demo`. Ana and Bo are the demo partners' names.
cli-demo-cannot-remove = cannot remove the old demo in { $dir }
cli-demo-half-set-up = the demo in { $dir } is half set up; run `cocoach demo --reset` to start it again
cli-demo-pairing = Pairing the two demo partners over loopback…
cli-demo-data = Demo data: { $ana } and { $bo }
cli-demo-open = the demo is already open
cli-demo-title = cocoach demo — Ana and Bo
cli-demo-ana = Demo: Ana's computer
cli-demo-bo = Demo: Bo's computer
# $step: one of the cli-demo-step-… messages.
cli-demo-stopped = the demo node stopped while { $step }
cli-demo-failed = while { $step }: { $reason }
cli-demo-timed-out = timed out while { $step }
cli-demo-step-creating = creating Ana's partnership
cli-demo-step-inviting = inviting
cli-demo-step-joining = joining
cli-demo-step-pairing = pairing
cli-demo-step-saving = saving
cli-demo-no-invite = no invite
cli-demo-codes-differ = the two demo partners saw different codes

## The Markdown export. Dates stay YYYY-MM-DD; "—" marks an empty term.
export-title = Co-coaching partnership: { $a } & { $b }
export-id = Partnership id: `{ $id }`
export-contract = Contract
# $a, $b: each partner's name and signature.
export-status = Status: **{ $agreement }** ({ $a }; { $b })
export-how-often = How often: { $value }
export-weekly = weekly
export-fortnightly = fortnightly
export-monthly = monthly
export-where = Where: { $value }
export-session-length = Session length: { $value }
export-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}
export-term = Term: { $value }
export-term-from = from { $date }
export-term-until = until { $date }
export-term-sessions = { $n ->
    [one] { $n } session
   *[other] { $n } sessions
}
export-coaches-first = Coaches first: { $name } ({ $turns })
export-turns-alternate = then alternating
export-turns-same = every time
export-question-style = Question style: { $value }
export-ground-rules = Ground rules:
export-off-limits = Off limits:
export-first-meeting = first meeting (getting to know each other)
export-sessions = Sessions
export-no-sessions = No sessions yet.
export-undated = undated
export-session = Session { $date } (`{ $id }`)
# $planned: the planned length, or "—".
export-session-facts = Where: { $place } · Planned: { $planned } · { $name } coaches first
export-min = { $n } min
export-closed = closed
export-skip-reason = Closed without actions for both: { $reason }
export-coached-by = { $coachee } coached by { $coach }
export-review = Review
export-reviewed = Reviewed "{ $what }": { $outcome }
export-outcome-done = done
export-outcome-partly = partly
export-outcome-not-done = not done
export-goal = Goal
export-reality = Reality
export-options = Options
export-will = Will
export-notes = Notes
export-declined = { $n ->
    [one] Declined a topic { $n } time.
   *[other] Declined a topic { $n } times.
}
export-actions = Actions
export-no-actions = No actions yet.
export-due = due { $date }
export-done = done { $date }
export-dropped = dropped
export-obstacles = Obstacles: { $list }
export-celebrated = Celebrated: { $text }

## The question deck.
cli-deck-not-found = No question of the deck has the id { $id } (see `cocoach deck list`).
cli-deck-ambiguous = Several questions of the deck start with { $id }: give more of the id.
cli-next-coach = By the contract's rule, { $name } coaches first.
