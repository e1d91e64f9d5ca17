# Het scherm Bestanden: exporteren, back-up en herstel, het synchronisatiebestand.
files-heading = Bestanden
files-no-desk = Vanuit dit venster kunnen geen bestanden worden geschreven (gebruik de opdrachtregel van cocoach).
files-path = Bestand:
files-path-hint = een pad, of Kiezen…
files-choose = Kiezen…
files-choose-hint = Kies het bestand in het bestandsvenster van je bureaublad
files-working = Bezig…
files-export = Exporteren
files-filter-markdown = Markdown
files-filter-calendar = Agenda (iCalendar)
files-filter-backup = cocoach-back-up
files-filter-sync = cocoach-synchronisatiebestand

files-markdown-title = Het partnerschap als document
files-markdown-body = Het contract, de aantekeningen van elke sessie en alle acties, als Markdown, in de taal van het venster. Je privédagboek staat er niet in.
files-markdown-written = Het partnerschap is geschreven naar { $path }.
files-calendar-title = Agenda
files-calendar-body = De geplande afspraken (uit het ritme en de looptijd van het contract) en de deadline van elke open actie, voor je agenda-app. Opnieuw importeren werkt de afspraken bij in plaats van ze dubbel toe te voegen.
files-calendar-written = De agenda is geschreven naar { $path }.
files-cannot-write = Kon { $path } niet schrijven: { $reason }

files-backup-title = Back-up
files-backup-body = Eén bestand met het partnerschap, veilig te maken terwijl je werkt. Bewaar het ergens anders dan op deze computer.
files-backup-journal = Mijn privédagboek meenemen
files-backup-key = De geheime sleutel van dit apparaat meenemen
files-backup-key-hint = Dan is een computer die uit de back-up wordt hersteld dit apparaat, en synchroniseert hij met je partner zoals voorheen. Wie het bestand heeft, kan zich als dit apparaat voordoen: houd het privé.
files-backup-make = Back-up maken

files-restore-title = Een back-up terugzetten
files-restore-body = Een partnerschap uit een back-upbestand, voor een nieuwe computer of na verlies. De back-up wordt eerst helemaal gelezen en gecontroleerd voordat er iets verandert.
files-restore-check = Back-up controleren
files-restore-checked = Een goede back-up van partnerschap { $id }, gemaakt op { $when }. Hij bevat: { $parts }.
files-restore-do = Deze back-up terugzetten
files-restore-confirm = Dit vervangt het partnerschap op dit apparaat door dat uit de back-up. Wat hier nu staat, wordt bewaard in een map replaced-… in de gegevensmap; er wordt niets verwijderd. Het venster maakt opnieuw verbinding als het klaar is.
files-restore-replace = Vervangen en terugzetten
files-restore-stopping = Bezig met terugzetten: het partnerschap is gesloten terwijl de bestanden worden vervangen…

files-sync-title = Synchronisatiebestand
files-sync-body = Als jullie computers elkaar niet kunnen bereiken, neem je je wijzigingen mee in een bestand (een USB-stick, e-mail): je partner importeert het op het eigen scherm Bestanden. Een bestand voor een ander partnerschap, of een bestand dat onderweg is veranderd, wordt geweigerd.
files-sync-all = Alles, niet alleen wat je partner nog niet heeft
files-sync-write = Synchronisatiebestand schrijven
files-sync-import = Synchronisatiebestand importeren
files-sync-wrote-all = { $n ->
    [one] { $n } wijziging (het hele partnerschap) geschreven naar { $path }. Geef het aan je partner.
   *[other] { $n } wijzigingen (het hele partnerschap) geschreven naar { $path }. Geef het aan je partner.
}
files-sync-wrote = { $n ->
    [one] { $n } wijziging die je partner nog niet heeft, geschreven naar { $path }. Geef het aan je partner.
   *[other] { $n } wijzigingen die je partner nog niet heeft, geschreven naar { $path }. Geef het aan je partner.
}
files-sync-wrote-nothing = Je partner heeft al je wijzigingen (sinds jullie laatste synchronisatie), dus { $path } bevat niets nieuws. Vink “Alles” aan om het hele partnerschap te schrijven.

## Resultaten van een back-up en een herstel vanuit het venster.
files-backup-written = Back-up geschreven naar { $file } ({ $kb } KB). Hij bevat: { $parts }.
files-backup-note-journal = Hij bevat je privédagboek: bewaar hem waar alleen jij kunt lezen.
files-backup-note-key = Hij bevat de geheime sleutel van dit apparaat: wie het bestand heeft, kan zich als dit apparaat voordoen. Houd het privé, en gebruik een teruggezette kopie nooit naast dit apparaat.
files-backup-note-no-key = Zonder de sleutel van dit apparaat kan een computer die hiermee wordt teruggezet alles lezen en exporteren, maar niet met je partner synchroniseren.
files-backup-no-journal-yet = Er is nog geen dagboek op dit apparaat, dus de back-up bevat er geen.
files-restored = Partnerschap { $id } teruggezet uit de back-up van { $when }. Hij bevat: { $parts }.
files-restored-replaced = Wat hier stond, is bewaard in { $dir }.
files-restored-not-partner = De sleutel van dit apparaat is niet die waarmee de back-up is gemaakt: je kunt hier alles lezen en exporteren, maar je wijzigingen bereiken je partner niet (zie “Back-up en terugzetten” in de handleiding).
files-restore-crashed = Het terugzetten stopte onverwacht (het logboek zegt waarom). Er is niets verwijderd: als de bestanden hier zijn verplaatst, staan ze in een map replaced-… in de gegevensmap.
