# The actions screen: mine and my partner's, marking done with a celebration, progress.
actions-heading = Actions
actions-intro = What each of you committed to. Marking one done asks what went well: celebrate it.
actions-mine = Mine
# $name: the partner's name.
actions-theirs = { $name }'s
actions-none-open = No open actions.

## A new action: what, by when, for whom.
actions-new = New action
actions-new-hint = e.g. Email Jana about the UX team
actions-add = Add action
actions-for-me = for me
actions-for-partner = for { $name }
# Before the deadline's field.
actions-by = by
actions-add-disabled = Say what, and a date as YYYY-MM-DD
actions-date-format = date as YYYY-MM-DD

## An open action. $what: the action as written.
# $due: how soon (due-…), $date: the deadline.
actions-due-on = { $due } ({ $date })
actions-done-button = Done…
actions-mark-done = Mark “{ $what }” done
actions-edit = Edit
actions-edit-name = Edit “{ $what }”
actions-really-drop = Really drop
actions-really-drop-name = Really drop “{ $what }”
actions-keep = Keep it
actions-drop = Drop
actions-drop-name = Drop “{ $what }”
actions-drop-hover = No longer worth doing: remove it from the open list
# $obstacles: the obstacles noted, separated by commas.
actions-in-the-way = In the way: { $obstacles }

## Marking done.
actions-celebrate-label = Well done! What went well? A line to celebrate it:
actions-celebrate-hint = e.g. She said yes to a coffee!
actions-celebrate-done = Celebrate and mark done
actions-cancel = Cancel

## Editing an action.
actions-what = What
actions-deadline = Deadline
actions-set-deadline = Set deadline
actions-deadline-disabled = A date as YYYY-MM-DD, or empty for none
actions-obstacles-question = What got in the way?
# $obstacle: one of the common obstacles; $what: the action.
actions-obstacle-name = Obstacle “{ $obstacle }” for “{ $what }”
actions-obstacle-other = Something else in the way
actions-obstacle-hint = in a few words
actions-note-it = Note it
actions-close = Close

## Done and progress.
actions-done-heading = Done ({ $n })
actions-done-you = you
# $who: "you" (actions-done-you) or the partner's name; $date: when it was done.
actions-done-line = { $what } — { $who }, { $date }
# $text: the celebration as written.
actions-celebration = “{ $text }”
actions-progress = Progress
# $month: the month's name, $year: a number.
actions-progress-month = { $month } { $year }
actions-progress-done = { $n } done
actions-sessions-held-of = Sessions held: { $held } (by its rhythm the contract plans { $expected } by now)
actions-sessions-held = Sessions held: { $held }

## What failed, in "Could not { $what }".
edit-add-action = add an action
edit-add-question = add a question to the deck
edit-remove-question = remove a question from the deck
edit-drop-action = drop an action
edit-mark-action-done = mark an action done
edit-change-deadline = change a deadline
edit-note-obstacle = note an obstacle

## Patterns across actions.
actions-patterns = What keeps getting in the way
actions-patterns-none = No obstacles named yet. When an action falls short, naming what got in the way shows the pattern here.
# $obstacle: as written; $n: on how many actions; $month $year: since when.
actions-pattern-obstacle = { $obstacle } × { $n }, since { $month } { $year }
actions-pattern-obstacle-undated = { $obstacle } × { $n }
# $rates: the parts below, joined.
actions-done-rate = Which actions get done — { $rates }
actions-done-rate-week = due within a week of setting: { $done } of { $settled }
actions-done-rate-month = within a month: { $done } of { $settled }
actions-done-rate-longer = further ahead: { $done } of { $settled }
