# calendar
# The calendar export (`cocoach export --format ics`) and the contract's meeting time.

## The meeting time, a contract term (window, `cocoach contract show`, the Markdown export).
calendar-meeting-time = Meeting time
calendar-meeting-time-hint = HH:MM, empty: by agreement
# In a sentence, as in "meeting time was set differently"; lower case.
calendar-term-meeting-time = meeting time
calendar-by-agreement = by agreement
# $value: a time such as 19:00, or calendar-by-agreement.
calendar-export-meeting-time = Meeting time: { $value }

## What the calendar file holds. $a, $b: the partners' names.
calendar-name = cocoach: { $a } & { $b }
calendar-meeting-summary = Co-coaching: { $a } & { $b }
# $minutes: the session length from the contract.
calendar-meeting-description = Co-coaching session of { $minutes } minutes.
calendar-meeting-description-all-day = Co-coaching session of { $minutes } minutes; the time is by agreement.
# $what: the action as written; $owner: whose action it is.
calendar-action-summary = Action: { $what } ({ $owner })

## Why the file has no meetings (printed on standard error; the actions are still written).
calendar-no-rhythm = No meetings in the calendar: set how often you meet to weekly, fortnightly or monthly.
calendar-no-start = No meetings in the calendar: set when the term starts (or hold a first session), so the series has a first date.
calendar-no-meetings = No meetings in the calendar: the term ends before it starts, or has no sessions.
# $date: the last planned meeting.
calendar-term-over = No meetings in the calendar: the term is over (the last meeting was on { $date }).
calendar-floating = Your time zone has no name a calendar knows: the meetings are written in local time, which a calendar reads as its own zone's.
