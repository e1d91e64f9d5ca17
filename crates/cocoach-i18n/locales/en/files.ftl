# The Files screen: exports, backup and restore, the sync file. $path: a file's path.
files-heading = Files
files-no-desk = Files cannot be written from this window (use the cocoach command line).
files-path = File:
files-path-hint = a path, or Choose…
files-choose = Choose…
files-choose-hint = Pick the file in your desktop's file dialog
files-working = Working…
files-export = Export
files-filter-markdown = Markdown
files-filter-calendar = Calendar (iCalendar)
files-filter-backup = cocoach backup
files-filter-sync = cocoach sync file

files-markdown-title = The partnership as a document
files-markdown-body = The contract, every session's notes and all actions, as Markdown, in the window's language. Your private journal is not in it.
files-markdown-written = Wrote the partnership to { $path }.
files-calendar-title = Calendar
files-calendar-body = The planned meetings (from the contract's rhythm and term) and every open action's deadline, for your calendar app. Importing it again updates the events instead of adding them twice.
files-calendar-written = Wrote the calendar to { $path }.
files-cannot-write = Could not write { $path }: { $reason }

files-backup-title = Backup
files-backup-body = One file holding the partnership, safe to make while you work. Keep it somewhere else than this computer.
files-backup-journal = Include my private journal
files-backup-key = Include this device's secret key
files-backup-key-hint = Then a computer restored from the backup is this device and syncs with your partner as before. Whoever has the file can act as this device: keep it private.
files-backup-make = Make backup

files-restore-title = Restore a backup
files-restore-body = A partnership from a backup file, for a new computer or after a loss. The backup is read and checked whole before anything is changed.
files-restore-check = Check backup
# $when: when the backup was made; $id: the partnership's id; $parts: what it holds.
files-restore-checked = A good backup of partnership { $id }, made { $when }. It holds: { $parts }.
files-restore-do = Restore this backup
files-restore-confirm = This replaces the partnership on this device with the backup's. What is here now is kept in a replaced-… folder of the data directory; nothing is deleted. The window reconnects when it is done.
files-restore-replace = Replace and restore
files-restore-stopping = Restoring: the partnership is closed while its files are replaced…

files-sync-title = Sync file
files-sync-body = When your two computers cannot reach each other, carry your changes by file (a USB stick, e-mail): your partner imports it on their Files screen. A file for another partnership, or one changed on the way, is refused.
files-sync-all = Everything, not only what your partner has not received
files-sync-write = Write sync file
files-sync-import = Import sync file
files-sync-wrote-all = { $n ->
    [one] Wrote { $n } change (the whole partnership) to { $path }. Give it to your partner.
   *[other] Wrote { $n } changes (the whole partnership) to { $path }. Give it to your partner.
}
files-sync-wrote = { $n ->
    [one] Wrote { $n } change your partner has not received yet to { $path }. Give it to your partner.
   *[other] Wrote { $n } changes your partner has not received yet to { $path }. Give it to your partner.
}
files-sync-wrote-nothing = Your partner already has all your changes (as of your last sync), so { $path } carries nothing new. Tick “Everything” to write the whole partnership.

## Results of a backup and a restore made from the window.
# $file: the backup; $kb: its size in KB; $parts: what it holds.
files-backup-written = Backup written to { $file } ({ $kb } KB). It holds: { $parts }.
files-backup-note-journal = It holds your private journal: keep it where only you can read it.
files-backup-note-key = It holds this device's secret key: whoever has the file can act as this device. Keep it private, and never use a restored copy beside this device.
files-backup-note-no-key = Without this device's key, a computer restored from it can read and export everything, but cannot sync with your partner.
files-backup-no-journal-yet = There is no journal on this device yet, so the backup holds none.
# $id: the partnership; $when: when the backup was made.
files-restored = Restored partnership { $id } from the backup made { $when }. It holds: { $parts }.
files-restored-replaced = What was here is kept in { $dir }.
files-restored-not-partner = This device's key is not the one the backup was made with: you can read and export everything here, but your changes cannot reach your partner (see “Backup and restore” in the user guide).
files-restore-crashed = The restore stopped unexpectedly (the log says why). Nothing was deleted: if the files here were moved, they are in a replaced-… folder of the data directory.
