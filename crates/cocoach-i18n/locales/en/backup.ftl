# backup
# `cocoach backup FILE` and `cocoach restore FILE`. $file: the backup's path;
# $dir: a data directory or folder.

## Backup.
# $bytes: the backup's size.
backup-written = backup written to { $file } ({ $bytes } bytes)
# $parts: a list of backup-part-… messages, joined with commas.
backup-holds = it holds: { $parts }
backup-part-partnership = the partnership
backup-part-journal = your private journal
backup-part-device-key = this device's secret key
backup-no-journal-yet = there is no journal on this device yet, so the backup holds none
backup-note-journal = it holds your private journal: keep it where only you can read it
backup-note-device-key = it holds this device's secret key: whoever has this file can act as this device in your partnership. Keep it private, and never run the restored copy beside this device
backup-note-no-device-key = without this device's key (--with-device-key), a device restored from it can read and export everything, and its changes reach your partner once the two of you pair again (`cocoach invite --rejoin` on your partner's device, `cocoach rejoin` on the restored one)
backup-target-exists = { $file } exists and is not a cocoach backup, so it was not overwritten; choose another name
backup-not-written = the backup was not written

## Restore.
# $id: the partnership's id; $when: when the backup was made (date and time).
backup-restored = restored partnership { $id } into { $dir } (backup made { $when })
backup-restored-holds = from the backup: { $parts }
backup-replaced-kept = the files that were there are kept in { $dir }
backup-journal-kept = your journal on this device is kept as it was (the backup holds none)
# $key: this device's key.
backup-needs-pairing = this device's key ({ $key }) is not the one the backup was made with, so syncing needs a new pairing that keeps everything: ask your partner to run `cocoach invite --rejoin` and use that invite here with `cocoach rejoin`. Until then, read and export, but do not edit here
backup-would-replace = { $dir } already holds a partnership. Restoring replaces it: what is there now is moved to a replaced-… folder inside it, nothing is deleted. Run the same command with --yes to do so
backup-newer = { $file } was made by a newer cocoach; update cocoach to restore it. Nothing was changed
backup-refused = nothing was changed: the backup cannot be restored
