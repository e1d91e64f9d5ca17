# journal
# Het privédagboek: reflecties die op dit apparaat blijven.

journal-heading = Dagboek
journal-private-notice = Privé: je dagboek blijft op dit apparaat. Het wordt nooit naar je partner gestuurd.
# $partner: de naam van de partner, of "je partner".
journal-private-detail = Wat je hier schrijft, staat in een apart bestand en komt nooit in de notities die je met { $partner } deelt.
journal-search = Zoeken
journal-search-hint = woorden uit je reflecties
journal-empty = Nog geen reflecties.
journal-no-match = Geen reflectie gevonden.

## Waar een reflectie over gaat (de keuzelijst, en na "over").
journal-about = Over
journal-about-nothing = niets in het bijzonder
journal-about-a-session = een sessie
# $date: de dag van de sessie, of journal-unknown-day.
journal-about-session = de sessie van { $date }
journal-unknown-day = een onbekende dag
journal-about-an-action = een actie
# $what: de woorden van de actie, zoals de partners ze schreven.
journal-about-action = “{ $what }”
# $what: een van de journal-about-…-teksten.
journal-entry-about = over { $what }

## Schrijven en bewerken. $n: de plaats van de reflectie in de lijst.
journal-new = Nieuwe reflectie
journal-new-hint = Wat viel je op? Wat wil je onthouden?
journal-save = Privé opslaan
# $shortcut: de sneltoets, zoals het systeem die schrijft.
journal-save-hover = Alleen op dit apparaat opslaan ({ $shortcut })
journal-edit-label = Reflectie bewerken
journal-save-changes = Wijzigingen opslaan
journal-cancel = Annuleren
journal-edit = Bewerken
journal-edit-name = Reflectie { $n } bewerken
journal-really-delete = Echt verwijderen
journal-really-delete-name = Reflectie { $n } echt verwijderen
journal-keep = Bewaren
journal-delete = Verwijderen
journal-delete-name = Reflectie { $n } verwijderen
