# Het contractscherm: elke afspraak, de handtekeningen, en waarden die los van elkaar verschillend zijn ingesteld.
contract-heading = Ons contract
contract-intro = Hoe jullie gaan samenwerken. Maak de afspraken in jullie eerste gesprek en onderteken dan allebei. Je kunt ze altijd wijzigen; na een wijziging moeten jullie allebei opnieuw ondertekenen.

## Ondertekenen.
contract-sign = Contract ondertekenen
contract-sign-hover = Legt met de sleutel van je apparaat vast dat je akkoord gaat met deze afspraken zoals ze nu zijn
contract-sign-why-partner = Je partner moet zich eerst aansluiten
contract-sign-why-conflicts = Kies eerst hieronder wat jullie verschillend hebben ingesteld
contract-sign-why-signed = Je hebt deze versie ondertekend
contract-you = Jij
# $who: "Jij" (contract-you) of de naam van de partner; $state: hoe diens handtekening ervoor staat.
contract-signature-line = { $who }: { $state }

## De afspraken: namen en de hints in lege velden.
contract-frequency = Hoe vaak
contract-frequency-none = nog niet besloten
contract-frequency-other = anders…
# De drie frequenties die het document kent (het bewaart ze in het Engels: weekly, fortnightly, monthly).
contract-frequency-weekly = wekelijks
contract-frequency-fortnightly = om de twee weken
contract-frequency-monthly = maandelijks
# Komt in het contract te staan als "anders…" wordt gekozen, om aan te passen.
contract-frequency-other-start = om de paar weken
contract-frequency-other-hint = bijv. elke derde dinsdag
contract-place = Waar we afspreken
contract-place-hint = een café, een videogesprek…
contract-minutes = Duur van een sessie (minuten)
contract-term-start = Periode begint
contract-term-end = Periode eindigt
contract-date-hint = JJJJ-MM-DD
contract-sessions = Aantal sessies
contract-sessions-hint = bijv. 6
contract-coaches-first = Wie coacht eerst
contract-turns = Beurten
contract-turns-alternate = elke sessie wisselen wie eerst coacht
contract-turns-same = altijd dezelfde volgorde
contract-question-style = Vraagstijl
contract-question-style-hint = bijv. alleen open vragen, geen advies tenzij erom gevraagd

## Spelregels en onderwerpen buiten bespreking.
contract-rules = Spelregels
contract-remove = Verwijderen
# $n: het nummer van de regel.
contract-rule-remove = Spelregel { $n } verwijderen
contract-rule-new = Nieuwe spelregel
contract-rule-new-hint = bijv. We beginnen en eindigen op tijd
contract-rule-add = Spelregel toevoegen
contract-off-limits = Onderwerpen buiten bespreking
contract-off-limits-intro = Onderwerpen waarop een partner niet gecoacht wil worden. Ieder van jullie kan er een toevoegen.
contract-off-limits-you = jou
# $topic: het onderwerp zoals geschreven; $who: "jou" (contract-off-limits-you) of de naam van de partner.
contract-off-limits-item = • { $topic } (voor { $who })
contract-off-limits-remove = { $topic } verwijderen uit de onderwerpen buiten bespreking
contract-off-limits-new = Voor mij buiten bespreking
contract-off-limits-new-hint = bijv. mijn gezondheid
contract-off-limits-add = Onderwerp toevoegen

## Afspraken die los van elkaar verschillend zijn ingesteld. $name: de afspraak (contract-term-…), $value: een van de waarden.
contract-conflicts = Dit hebben jullie los van elkaar verschillend ingesteld — kies er een:
contract-conflict-term = { $name }:
contract-conflict-empty = (leeg)
contract-conflict-keep = “{ $value }” houden
contract-conflict-keep-for = “{ $value }” houden voor { $name }
contract-conflict-use = “{ $value }” gebruiken voor { $name }
# De waarden van de beurten zoals het document ze bewaart.
contract-conflict-turns-alternate = om en om
contract-conflict-turns-same = steeds dezelfde
contract-term-frequency = hoe vaak
contract-term-place = waar
contract-term-minutes = duur van een sessie (minuten)
contract-term-term-start = periode begint
contract-term-term-end = periode eindigt
contract-term-sessions = aantal sessies
contract-term-coaches-first = wie coacht eerst
contract-term-turns = beurten
contract-term-question-style = vraagstijl
# $n: het nummer van de regel.
contract-term-ground-rule = spelregel { $n }

## Wat mislukte, in "Niet gelukt om { $what }".
edit-change-contract = het contract te wijzigen
edit-change-ground-rule = een spelregel te wijzigen
edit-remove-ground-rule = een spelregel te verwijderen
edit-add-ground-rule = een spelregel toe te voegen
edit-remove-off-limits = een onderwerp buiten bespreking te verwijderen
edit-add-off-limits = een onderwerp buiten bespreking toe te voegen
edit-settle-contract-term = een keuze te maken voor een afspraak
