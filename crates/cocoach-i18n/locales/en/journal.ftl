# journal
# The private journal: reflections that stay on this device.

journal-heading = Journal
journal-private-notice = Private: your journal stays on this device. It is never sent to your partner.
# $partner: the partner's name, or "your partner".
journal-private-detail = What you write here is kept in a separate file and never goes into the notes you share with { $partner }.
journal-search = Search
journal-search-hint = words from your reflections
journal-empty = No reflections yet.
journal-no-match = No reflection matches.

## What a reflection is about (the picker, and after "about").
journal-about = About
journal-about-nothing = nothing in particular
journal-about-a-session = a session
# $date: the session's day, or journal-unknown-day.
journal-about-session = the session of { $date }
journal-unknown-day = an unknown day
journal-about-an-action = an action
# $what: the action's words, as the partners wrote them.
journal-about-action = “{ $what }”
# $what: one of the journal-about-… texts.
journal-entry-about = about { $what }

## Writing and editing. $n: the reflection's place in the list.
journal-new = New reflection
journal-new-hint = What did you notice? What do you want to remember?
journal-save = Save privately
# $shortcut: the keyboard shortcut, as the system writes it.
journal-save-hover = Save on this device only ({ $shortcut })
journal-edit-label = Edit reflection
journal-save-changes = Save changes
journal-cancel = Cancel
journal-edit = Edit
journal-edit-name = Edit reflection { $n }
journal-really-delete = Really delete
journal-really-delete-name = Really delete reflection { $n }
journal-keep = Keep
journal-delete = Delete
journal-delete-name = Delete reflection { $n }
