# Words used all over the app: dates, counts, buttons.

## Dates. $day, $year are numbers, $month the month's name.
date-long = { $day } { $month } { $year }
date-weekday = { $weekday } { $date }
month = { $n ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
}
# $n: 1 = Monday … 7 = Sunday
weekday = { $n ->
    [1] Monday
    [2] Tuesday
    [3] Wednesday
    [4] Thursday
    [5] Friday
    [6] Saturday
   *[7] Sunday
}
n-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}

## The window's frame.
screen-session = Session
screen-journal = Journal
screen-history = History
screen-contract = Contract
screen-actions = Actions
screen-partner = Partner
nav-go-to = Go to { $screen }
nav-theme = Theme (follows your system unless you pick one)
nav-language = Language
theme-system = System
theme-dark = Dark
theme-light = Light
dismiss = Dismiss
opening = Opening your partnership…
start-failed-title = cocoach could not open your data
start-failed-body = Nothing was changed. A copy of any damaged file is kept in the `damaged` folder of your data directory; see the user guide.
your-partner = your partner
# $what: what the user did, from the edit-… messages; $reason: why it failed.
notice-could-not = Could not { $what }: { $reason }
notice-tampered = Refused your partner's latest changes: they would rewrite { $what }, which no change may do. Nothing of them was kept. A buggy or tampered copy of cocoach on your partner's device sent them; ask your partner to update or reinstall it.
edit-save-typing = save your typing

## What the node was asked to do, for "Could not …" (ids named by the node).
edit-create-partnership = create the partnership
edit-delete-reflection = delete the reflection
edit-make-invite = make an invite
edit-read-history = read the history
edit-read-journal = read your journal
edit-save-reflection = save the reflection
edit-show-as-it-was = show the document as it was
edit-sign-contract = sign the contract
edit-open-journal = open your journal
edit-write-sync-file = write the sync file
edit-import-sync-file = import the sync file
screen-files = Files
cancel = Cancel

## What refused changes from the partner's device would have rewritten (the $what of
## notice-tampered, status-refused-hover and cli-tampered).
tampered-partnership-id = the partnership's id
tampered-key-a = partner A's device key
tampered-key-b = partner B's device key
tampered-partner-key = the partner's device key
tampered-structure = the record of who the partners are
tampered-unknown-author = the record of who wrote what (a change by a device that is not one of you two)
tampered-unsigned = the record of who wrote what (a change without its author's signature)
tampered-bad-signature = the record of who wrote what (a change signed by someone other than its author)
tampered-too-many = the record of who wrote what (more signatures than any message carries)

## Errors the user can meet and act on, named by the node by id (shown after
## "Could not …:", "Pairing failed:", "Joining failed:" or "cocoach:").
err-not-a-partnership = this is not a cocoach partnership document
err-not-a-member = this device is not one of the two partners of this partnership
err-partner-missing = your partner has not joined yet: the contract can only be signed by both
err-unresolved-conflicts = the contract has terms set differently by each of you: pick one value for each first
err-session-needs-actions = a session closes with at least one action with a deadline for each partner, or a reason to skip
err-bad-invite = this invite is not a cocoach invite, or it was copied incompletely or altered
err-invite-expired = this invite has expired: ask your partner for a new one
err-invite-expired-host = the invite expired: make a new one
err-invite-used = this invite was already used: ask your partner for a new one
err-invite-mismatch = this invite does not match: it was altered or is from another invite
err-invite-for-rejoin = this invite is for re-pairing a device restored from a backup without its key, not for joining
err-invite-not-for-rejoin = this invite is for a new partner, not for re-pairing: ask your partner for a re-pairing invite
err-invite-too-many-attempts = too many failed attempts to use this invite: it is closed; make a new one
err-broken-commitment = the other device broke its pairing commitment: pairing refused
err-no-partnership = this device has no partnership yet: create one or join one
err-already-paired = this device already holds a partnership with a partner
err-no-partner = no partner yet: invite your partner first
err-wrong-partnership = the partnership received does not match the invite
err-nothing-to-rejoin = this device is one of the partners already: there is nothing to re-pair
err-name-required = please enter your name

## Fields set differently while apart, where they are shown (conflicts.rs).
# $field: one of the conflict-field-… names.
conflict-set-differently = You two set { $field } differently while apart — pick one:
conflict-field-name = the name of { $name }
conflict-field-session-date = this session's date
conflict-field-session-place = this session's place
conflict-field-session-minutes = this session's length
conflict-field-session-coached-first = who coaches first in this session
conflict-field-session-skip-reason = the reason this session closed without actions
# $what: the action.
conflict-field-review = how “{ $what }” went
conflict-field-action-owner = whose action “{ $what }” is
conflict-field-action-deadline = the deadline of “{ $what }”
conflict-field-action-status = the state of “{ $what }” (open, done or dropped)
conflict-field-action-done-on = the day “{ $what }” was done
conflict-field-action-session = the session “{ $what }” came from
conflict-status-open = open
conflict-status-done = done
conflict-status-dropped = dropped
conflict-session-of = the session of { $date }
edit-settle-conflict = settle what you set differently
