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
