# reminders
# Herinneringen op het bureaublad (`cocoach remind`, en het venster zolang het open is).

## Een melding: een titel en een regel. $what: de actie zoals geschreven; $date: een datum.
remind-due-tomorrow-title = Morgen is de deadline
remind-due-tomorrow-body = Je actie ‘{ $what }’ moet morgen af zijn, { $date }.
remind-overdue-title = Deadline verstreken
remind-overdue-body = Je actie ‘{ $what }’ moest op { $date } af zijn. Gedaan, geschrapt of een nieuwe datum?
remind-meeting-title = Vandaag co-coaching
# $partner: de naam van de partner; $date: vandaag, met de dag van de week; $place: waar jullie afspreken.
remind-meeting-body = Jij en { $partner } zien elkaar vandaag, { $date }.
remind-meeting-body-place = Jij en { $partner } zien elkaar vandaag, { $date }, in { $place }.
# $partner: de naam van de partner.
remind-celebration-title = { $partner } heeft het gedaan!
# $celebration: de regel waarmee de partner het viert.
remind-celebration-body = ‘{ $what }’ is af: { $celebration }

## Als er geen melding kan verschijnen: de opdrachtregel drukt hem af, het venster toont hem.
remind-fallback = Herinnering: { $title } — { $body }

## `cocoach remind` (deze regels alleen in een terminal, zodat cron stil blijft).
remind-none = Nu geen herinneringen.
# $from, $to: tijdstippen, 24-uursklok.
remind-quiet-now = Het is stille tijd tot { $to }: de herinneringen wachten tot dan.
remind-quiet-set = Stille tijd is nu van { $from } tot { $to }: herinneringen wachten tot die voorbij is.
remind-quiet-off = Geen stille tijd: herinneringen komen op elk moment.
# $value: wat er getypt is.
remind-quiet-invalid = ‘{ $value }’ is geen tijdvak zoals 22:00-07:00 (of ‘off’).
remind-window-open = cocoach is open op deze gegevensmap: het venster stuurt de herinneringen zelf.
remind-no-partnership = Hier is nog geen partnerschap: nergens aan te herinneren.
