# De opdrachtregel: wat `cocoach` voor een mens afdrukt (id's, uitnodigingen en JSON
# blijven zoals ze zijn), en de export naar Markdown.

## Een gegevensmap openen. $dir: een pad.
cli-no-home = kan geen thuismap vinden voor de standaardgegevensmap; geef --data-dir op
cli-no-data = geen cocoach-gegevens in { $dir }: maak een partnerschap met `cocoach init`, of geef de juiste --data-dir op
cli-not-saved = de wijziging is niet opgeslagen
# $reason: de eigen woorden van de database.
cli-compaction-failed = waarschuwing: opgeslagen, maar het opruimen van de database is mislukt (dat wordt later opnieuw geprobeerd): { $reason }
# $path: het bestand dat met --output is opgegeven.
cli-cannot-write = kan { $path } niet schrijven

## De antwoorden van de opdrachten.
cli-created = partnerschap { $id } aangemaakt in { $dir }
cli-device-key = de sleutel van je apparaat: { $key }
cli-reflection-saved = reflectie { $id } alleen op dit apparaat opgeslagen
cli-journal-private = (privé: dit dagboek blijft op dit apparaat)
# Tussen vierkante haken achter een dagboekregel. $id: de id van een sessie of actie.
cli-journal-session = sessie { $id }
cli-journal-action = actie { $id }
cli-no-conflicts = geen conflicten
cli-no-such-conflict = er is geen conflict met nummer { $number }
cli-choices-from-one = de keuzes beginnen bij 1
cli-compacted = { $n ->
    [one] { $n } wijziging samengevoegd tot een momentopname van { $bytes } bytes in { $ms } ms
   *[other] { $n } wijzigingen samengevoegd tot een momentopname van { $bytes } bytes in { $ms } ms
}

## `cocoach status`. $slot: A of B; $you: het teken "(jij)" of niets; $key: een korte sleutel.
cli-status-partnership = partnerschap { $id }
cli-status-you = (jij)
cli-status-rejoin = Dit apparaat is geen van beide partners: het is hersteld uit een back-up zonder apparaatsleutel. Om weer te synchroniseren: vraag je partner `cocoach invite --rejoin` uit te voeren en gebruik die uitnodiging hier met `cocoach rejoin`.
cli-status-not-joined = nog niet aangesloten
cli-status-partner = partner { $slot }: { $name }{ $you } [{ $key }]
# $agreement: hoe de handtekeningen staan (de agreement-…-berichten).
cli-status-contract = contract: { $agreement }
cli-status-counts = sessies: { $sessions }  acties: { $actions } ({ $open } open)
cli-status-conflicts = conflicten: { $n } (zie `cocoach conflicts`)
# $when: een datum en tijd.
cli-status-last-exchange = partner { $name } [{ $key }]: laatste uitwisseling { $when }
cli-status-never-exchanged = partner { $name } [{ $key }]: nog nooit iets uitgewisseld
cli-status-addresses = laatst bekende adressen: { $list }
cli-status-partner-has-all = je partner heeft al je wijzigingen
cli-status-not-acknowledged = { $n ->
    [one] { $n } van je wijzigingen is nog niet bevestigd door je partner
   *[other] { $n } van je wijzigingen zijn nog niet bevestigd door je partner
}
cli-status-not-synced = nog niet gesynchroniseerd
cli-status-stored = { $n ->
    [one] opgeslagen in { $file } ({ $n } niet samengevoegde wijziging)
   *[other] opgeslagen in { $file } ({ $n } niet samengevoegde wijzigingen)
}

## `cocoach contract`. De veldnamen voor de dubbele punten zijn die van `contract set` en blijven Engels.
cli-contract-ground-rules = spelregels:
cli-contract-off-limits = niet bespreekbaar voor { $name }: { $topic }
# $field: wat er getypt is, tussen aanhalingstekens; $names: de velden, met komma's.
cli-unknown-field = onbekend contractveld { $field }; kies uit: { $names }
cli-rules-from-one = de regels zijn genummerd vanaf 1

## Sessies, acties, geschiedenis.
cli-undated = zonder datum
cli-coaches-first = { $name } coacht eerst
cli-closed = (afgesloten)
# De stand van een actie, tussen vierkante haken in `action list`.
cli-action-open = open
cli-action-done = gedaan
cli-action-dropped = geschrapt
cli-due = deadline { $date }
cli-overdue = (te laat)
# $prefix: wat er getypt is, tussen aanhalingstekens.
cli-ambiguous-hash = { $n ->
    [one] { $prefix } past bij { $n } wijziging; geef een begin van een hash dat uniek is
   *[other] { $prefix } past bij { $n } wijzigingen; geef een begin van een hash dat uniek is
}
cli-unknown-device = onbekend apparaat

## Uitnodigen, meedoen, synchroniseren.
cli-no-runtime = kan de netwerkruntime niet starten
cli-no-event-stream = geen stroom van gebeurtenissen
cli-node-stopped = de node is gestopt
cli-verification-code = verificatiecode: { $code }
cli-your-partner = je partner
# $who: de naam van de partner, of cli-your-partner. Het antwoord is j of ja (y en yes mogen ook).
cli-same-code = Toont het scherm van { $who } dezelfde code? [j/N]
cli-invite-no-partnership = hier is nog geen partnerschap: maak er een met `cocoach init --name NAAM`
cli-invite-full = dit partnerschap heeft al twee partners (partner { $key })
cli-invite-give = Geef deze uitnodiging aan je partner (15 minuten geldig). Wachten tot je partner meedoet…
cli-paired = gekoppeld met { $name }
cli-pairing-failed = koppelen mislukt: { $reason }
cli-invite-expired = de uitnodiging is verlopen voordat je partner meedeed
cli-join-stdin = kon de uitnodiging niet van de standaardinvoer lezen
cli-join-name = geef je naam op met --name, zoals je partner die te zien krijgt
cli-join-failed = meedoen is niet gelukt
cli-rejoin-failed = dit apparaat opnieuw koppelen is niet gelukt
cli-join-rejoin-invite = deze uitnodiging koppelt een apparaat opnieuw dat uit een back-up zonder sleutel is hersteld: gebruik haar met `cocoach rejoin`
cli-rejoin-not-a-rejoin-invite = deze uitnodiging is voor een nieuwe partner, niet om opnieuw te koppelen: vraag je partner `cocoach invite --rejoin` uit te voeren
cli-invite-rejoin-no-partner = er is nog geen partner gekoppeld, dus niets om opnieuw te koppelen: gebruik `cocoach invite`
cli-invite-rejoin-give = Geef deze uitnodiging om opnieuw te koppelen aan je partner (15 minuten geldig); die voert er `cocoach rejoin` mee uit op het herstelde apparaat. Wachten…
cli-sync-no-partnership = hier is nog geen partnerschap: maak er een met `cocoach init` of doe mee met dat van je partner
cli-syncing-once = synchroniseren met je partner…
cli-syncing = synchroniseren met je partner (Ctrl-C om te stoppen)…
cli-no-answer-yet = nog geen antwoord
cli-connected = verbonden
cli-disconnected = verbinding verbroken: { $reason }
cli-received = de wijzigingen van je partner zijn ontvangen en opgeslagen
cli-in-sync = gesynchroniseerd
# $secs: seconden, met één decimaal.
cli-unreachable = partner niet bereikbaar ({ $reason }); nieuwe poging over { $secs } s
cli-refused = een apparaat dat niet je partner is, is geweigerd ({ $alpn })
cli-error = fout: { $error }
cli-tampered = waarschuwing: de laatste wijzigingen van je partner zijn geweigerd: ze zouden { $what } herschrijven, wat geen enkele wijziging mag; er is niets van bewaard
cli-sync-not-in-sync = verbonden, maar niet gesynchroniseerd binnen { $secs } s
cli-sync-unreachable = kon je partner niet bereiken binnen { $secs } s ({ $reason })

## `cocoach demo`. Ana en Bo zijn de namen van de demopartners.
cli-demo-cannot-remove = kan de oude demo in { $dir } niet verwijderen
cli-demo-half-set-up = de demo in { $dir } is maar half klaargezet; voer `cocoach demo --reset` uit om opnieuw te beginnen
cli-demo-pairing = De twee demopartners worden via loopback gekoppeld…
cli-demo-data = Demogegevens: { $ana } en { $bo }
cli-demo-open = de demo is al geopend
cli-demo-title = cocoach-demo — Ana en Bo
cli-demo-ana = Demo: de computer van Ana
cli-demo-bo = Demo: de computer van Bo
# $step: een van de cli-demo-step-…-berichten.
cli-demo-stopped = de demo-node stopte tijdens { $step }
cli-demo-failed = tijdens { $step }: { $reason }
cli-demo-timed-out = time-out tijdens { $step }
cli-demo-step-creating = het aanmaken van het partnerschap van Ana
cli-demo-step-inviting = het uitnodigen
cli-demo-step-joining = het meedoen
cli-demo-step-pairing = het koppelen
cli-demo-step-saving = het opslaan
cli-demo-no-invite = geen uitnodiging
cli-demo-codes-differ = de twee demopartners zagen verschillende codes

## De export naar Markdown. Datums blijven JJJJ-MM-DD; "—" staat voor een lege afspraak.
export-title = Co-coachingpartnerschap: { $a } & { $b }
export-id = Id van het partnerschap: `{ $id }`
export-contract = Contract
# $a, $b: de naam en handtekening van elke partner.
export-status = Status: **{ $agreement }** ({ $a }; { $b })
export-how-often = Hoe vaak: { $value }
export-weekly = wekelijks
export-fortnightly = om de twee weken
export-monthly = maandelijks
export-where = Waar: { $value }
export-session-length = Duur van een sessie: { $value }
export-minutes = { $n ->
    [one] { $n } minuut
   *[other] { $n } minuten
}
export-term = Looptijd: { $value }
export-term-from = vanaf { $date }
export-term-until = tot { $date }
export-term-sessions = { $n ->
    [one] { $n } sessie
   *[other] { $n } sessies
}
export-coaches-first = Coacht eerst: { $name } ({ $turns })
export-turns-alternate = daarna om en om
export-turns-same = elke keer
export-question-style = Vraagstijl: { $value }
export-ground-rules = Spelregels:
export-off-limits = Niet bespreekbaar:
export-first-meeting = eerste gesprek (kennismaking)
export-sessions = Sessies
export-no-sessions = Nog geen sessies.
export-undated = zonder datum
export-session = Sessie { $date } (`{ $id }`)
# $planned: de geplande duur, of "—".
export-session-facts = Waar: { $place } · Gepland: { $planned } · { $name } coacht eerst
export-min = { $n } min
export-closed = afgesloten
export-skip-reason = Afgesloten zonder acties voor allebei: { $reason }
export-coached-by = { $coachee } gecoacht door { $coach }
export-review = Terugblik
export-reviewed = Teruggeblikt op "{ $what }": { $outcome }
export-outcome-done = gedaan
export-outcome-partly = deels
export-outcome-not-done = niet gedaan
export-goal = Doel
export-reality = Realiteit
export-options = Opties
export-will = Wil
export-notes = Notities
export-declined = Een onderwerp { $n } keer afgewezen.
export-actions = Acties
export-no-actions = Nog geen acties.
export-due = deadline { $date }
export-done = gedaan op { $date }
export-dropped = geschrapt
export-obstacles = Obstakels: { $list }
export-celebrated = Gevierd: { $text }

## The question deck.
cli-deck-not-found = Geen vraag in de stapel heeft het id { $id } (zie `cocoach deck list`).
cli-deck-ambiguous = Meerdere vragen in de stapel beginnen met { $id }: geef meer van het id.
cli-next-coach = Volgens de regel van het contract coacht { $name } eerst.
