# Het actiescherm: die van mij en van mijn partner, afronden met een viering, voortgang.
actions-heading = Acties
actions-intro = Waar jullie je allebei aan hebben verbonden. Als je er een afrondt, vragen we wat er goed ging: vier het.
actions-mine = Van mij
# $name: de naam van de partner.
actions-theirs = Van { $name }
actions-none-open = Geen open acties.

## Een nieuwe actie: wat, wanneer, voor wie.
actions-new = Nieuwe actie
actions-new-hint = bijv. Jana mailen over het UX-team
actions-add = Actie toevoegen
actions-for-me = voor mij
actions-for-partner = voor { $name }
# Voor het veld met de deadline.
actions-by = uiterlijk
actions-add-disabled = Vul in wat, en een datum als JJJJ-MM-DD
actions-date-format = datum als JJJJ-MM-DD

## Een open actie. $what: de actie zoals geschreven.
# $due: hoe snel (due-…), $date: de deadline.
actions-due-on = { $due } ({ $date })
actions-done-button = Klaar…
actions-mark-done = “{ $what }” afronden
actions-edit = Bewerken
actions-edit-name = “{ $what }” bewerken
actions-really-drop = Echt schrappen
actions-really-drop-name = “{ $what }” echt schrappen
actions-keep = Toch houden
actions-drop = Schrappen
actions-drop-name = “{ $what }” schrappen
actions-drop-hover = Niet meer de moeite waard: van de lijst met open acties halen
# $obstacles: de genoteerde obstakels, gescheiden door komma's.
actions-in-the-way = Obstakels: { $obstacles }

## Afronden.
actions-celebrate-label = Goed gedaan! Wat ging er goed? Een regel om het te vieren:
actions-celebrate-hint = bijv. Ze zei ja tegen een kop koffie!
actions-celebrate-done = Vieren en afronden
actions-cancel = Annuleren

## Een actie bewerken.
actions-what = Wat
actions-deadline = Deadline
actions-set-deadline = Deadline instellen
actions-deadline-disabled = Een datum als JJJJ-MM-DD, of leeg voor geen deadline
actions-obstacles-question = Wat zat er in de weg?
# $obstacle: een van de veelvoorkomende obstakels; $what: de actie.
actions-obstacle-name = Obstakel “{ $obstacle }” bij “{ $what }”
actions-obstacle-other = Iets anders dat in de weg zit
actions-obstacle-hint = in een paar woorden
actions-note-it = Noteren
actions-close = Sluiten

## Afgerond en voortgang.
actions-done-heading = Afgerond ({ $n })
actions-done-you = jij
# $who: "jij" (actions-done-you) of de naam van de partner; $date: wanneer het is afgerond.
actions-done-line = { $what } — { $who }, { $date }
# $text: de viering zoals geschreven.
actions-celebration = “{ $text }”
actions-progress = Voortgang
# $month: de naam van de maand, $year: een getal.
actions-progress-month = { $month } { $year }
actions-progress-done = { $n } afgerond
actions-sessions-held-of = Gehouden sessies: { $held } (volgens het ritme in het contract { $expected } tot nu toe)
actions-sessions-held = Gehouden sessies: { $held }

## Wat mislukte, in "Niet gelukt om { $what }".
edit-add-action = een actie toe te voegen
edit-add-question = een vraag aan de stapel toe te voegen
edit-remove-question = een vraag uit de stapel te halen
edit-drop-action = een actie te schrappen
edit-mark-action-done = een actie af te ronden
edit-change-deadline = een deadline te wijzigen
edit-note-obstacle = een obstakel te noteren

## Patterns across actions.
actions-patterns = Wat steeds in de weg zit
actions-patterns-none = Nog geen obstakels genoemd. Als een actie niet lukt, laat het noemen van wat in de weg zat hier het patroon zien.
actions-pattern-obstacle = { $obstacle } × { $n }, sinds { $month } { $year }
actions-pattern-obstacle-undated = { $obstacle } × { $n }
actions-done-rate = Welke acties lukken — { $rates }
actions-done-rate-week = binnen een week na afspreken: { $done } van { $settled }
actions-done-rate-month = binnen een maand: { $done } van { $settled }
actions-done-rate-longer = verder weg: { $done } van { $settled }
