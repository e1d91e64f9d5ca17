# The sync file: changes carried to the partner by file.
syncfile-wrote-all = { $n ->
    [one] Wrote { $n } change (the whole partnership) to { $path }. Give it to your partner: they import it with “cocoach sync-file import”.
   *[other] Wrote { $n } changes (the whole partnership) to { $path }. Give it to your partner: they import it with “cocoach sync-file import”.
}
syncfile-wrote = { $n ->
    [one] Wrote { $n } change your partner has not received yet to { $path }.
   *[other] Wrote { $n } changes your partner has not received yet to { $path }.
}
syncfile-wrote-nothing-new = Your partner already has all your changes (as of your last sync); { $path } carries nothing new. Use --all to write everything.
syncfile-not-a-file = This is not a cocoach sync file.
syncfile-newer = This sync file was written by a newer cocoach (format { $version }); please update cocoach.
syncfile-truncated = This sync file is incomplete: it ends after { $found } of its { $expected } bytes. Was it copied in full?
syncfile-damaged = This sync file is damaged: its contents do not match its checksum. Ask your partner for a new one.
syncfile-wrong-partnership = This sync file is for another partnership. Nothing was changed.
syncfile-refused = This sync file was refused, and nothing of the refused part was kept: { $reason }
syncfile-cannot-read = Cannot read { $path }
syncfile-too-large = { $path } is too large to be a sync file.
syncfile-no-partner = No partner yet: pair with your partner first (a sync file only carries changes between two paired devices).
syncfile-nothing-new = Nothing new in { $path }: this device already had every change in it.
syncfile-imported = { $n ->
    [one] Imported { $n } new change from { $path }.
   *[other] Imported { $n } new changes from { $path }.
}
