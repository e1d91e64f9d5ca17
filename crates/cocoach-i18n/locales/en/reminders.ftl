# reminders
# Desktop reminders (`cocoach remind`, and the window while it runs).

## A notification: a title and a line. $what: the action as written; $date: a date.
remind-due-tomorrow-title = Due tomorrow
remind-due-tomorrow-body = Your action “{ $what }” is due tomorrow, { $date }.
remind-overdue-title = Past its deadline
remind-overdue-body = Your action “{ $what }” was due on { $date }. Done, dropped, or a new date?
remind-meeting-title = Co-coaching today
# $partner: the partner's name; $date: today, with its weekday; $place: where you meet.
remind-meeting-body = You and { $partner } meet today, { $date }.
remind-meeting-body-place = You and { $partner } meet today, { $date }, at { $place }.
# $partner: the partner's name.
remind-celebration-title = { $partner } did it!
# $celebration: the partner's celebration line.
remind-celebration-body = “{ $what }” is done: { $celebration }

## When no notification can be shown: the command line prints it, the window shows it.
remind-fallback = Reminder: { $title } — { $body }

## `cocoach remind` (these lines only on a terminal, so cron stays quiet).
remind-none = No reminders due now.
# $from, $to: times of day, 24-hour clock.
remind-quiet-now = It is quiet hours until { $to }: reminders wait until then.
remind-quiet-set = Quiet hours are now { $from }–{ $to }: reminders wait until they end.
remind-quiet-off = No quiet hours: reminders come at any time.
# $value: what was typed.
remind-quiet-invalid = “{ $value }” is not a time range like 22:00-07:00 (or “off”).
remind-window-open = cocoach is open on this data directory: the window sends the reminders itself.
remind-no-partnership = No partnership here yet: nothing to remind you of.
