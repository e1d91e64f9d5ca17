# calendar
# De agenda-export (`cocoach export --format ics`) en het tijdstip uit het contract.

## Het tijdstip van de sessies, een afspraak in het contract (venster, `cocoach contract show`, de Markdown-export).
calendar-meeting-time = Tijdstip
calendar-meeting-time-hint = UU:MM, leeg: in overleg
# In een zin, zoals "tijdstip is verschillend ingesteld"; kleine letters.
calendar-term-meeting-time = tijdstip
calendar-by-agreement = in overleg
# $value: een tijd zoals 19:00, of calendar-by-agreement.
calendar-export-meeting-time = Tijdstip: { $value }

## Wat het agendabestand bevat. $a, $b: de namen van de partners.
calendar-name = cocoach: { $a } & { $b }
calendar-meeting-summary = Co-coaching: { $a } & { $b }
# $minutes: de duur van een sessie uit het contract.
calendar-meeting-description = Co-coachingsessie van { $minutes } minuten.
calendar-meeting-description-all-day = Co-coachingsessie van { $minutes } minuten; het tijdstip spreken jullie af.
# $what: de actie zoals geschreven; $owner: van wie de actie is.
calendar-action-summary = Actie: { $what } ({ $owner })

## Waarom het bestand geen sessies bevat (op standaardfout; de acties staan er wel in).
calendar-no-rhythm = Geen sessies in de agenda: stel in dat jullie wekelijks, om de twee weken of maandelijks afspreken.
calendar-no-start = Geen sessies in de agenda: vul in wanneer de periode begint (of houd een eerste sessie), dan heeft de reeks een eerste datum.
calendar-no-meetings = Geen sessies in de agenda: de periode eindigt voordat hij begint, of heeft geen sessies.
# $date: de laatste geplande sessie.
calendar-term-over = Geen sessies in de agenda: de periode is voorbij (de laatste sessie was op { $date }).
calendar-floating = Je tijdzone heeft geen naam die een agenda kent: de sessies staan erin in plaatselijke tijd, en een agenda leest die als de tijd van zijn eigen zone.
