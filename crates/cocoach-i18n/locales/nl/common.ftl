# Woorden die overal in de app voorkomen: datums, aantallen, knoppen.

## Datums. $day, $year zijn getallen, $month de naam van de maand.
date-long = { $day } { $month } { $year }
date-weekday = { $weekday } { $date }
month = { $n ->
    [1] januari
    [2] februari
    [3] maart
    [4] april
    [5] mei
    [6] juni
    [7] juli
    [8] augustus
    [9] september
    [10] oktober
    [11] november
   *[12] december
}
# $n: 1 = maandag … 7 = zondag
weekday = { $n ->
    [1] maandag
    [2] dinsdag
    [3] woensdag
    [4] donderdag
    [5] vrijdag
    [6] zaterdag
   *[7] zondag
}
n-days = { $n ->
    [one] { $n } dag
   *[other] { $n } dagen
}

## Het kader van het venster.
screen-session = Sessie
screen-journal = Dagboek
screen-history = Geschiedenis
screen-contract = Contract
screen-actions = Acties
screen-partner = Partner
nav-go-to = Ga naar { $screen }
nav-theme = Thema (volgt je systeem tenzij je er een kiest)
nav-language = Taal
theme-system = Systeem
theme-dark = Donker
theme-light = Licht
dismiss = Sluiten
opening = Je partnerschap wordt geopend…
start-failed-title = cocoach kon je gegevens niet openen
start-failed-body = Er is niets veranderd. Van elk beschadigd bestand staat een kopie in de map `damaged` van je gegevensmap; zie de gebruikershandleiding.
your-partner = je partner
# $what: wat de gebruiker deed, uit de edit-…-berichten; $reason: waarom het mislukte.
notice-could-not = Niet gelukt om { $what }: { $reason }
notice-tampered = De laatste wijzigingen van je partner zijn geweigerd: ze zouden { $what } herschrijven, wat geen enkele wijziging mag. Er is niets van bewaard. Een kapotte of aangepaste versie van cocoach op het apparaat van je partner heeft ze gestuurd; vraag je partner die bij te werken of opnieuw te installeren.
edit-save-typing = je tekst op te slaan

## Wat de node moest doen, voor "Niet gelukt om …" (ids uit de node).
edit-create-partnership = het partnerschap aan te maken
edit-delete-reflection = de reflectie te verwijderen
edit-make-invite = een uitnodiging te maken
edit-read-history = de geschiedenis te lezen
edit-read-journal = je dagboek te lezen
edit-save-reflection = de reflectie op te slaan
edit-show-as-it-was = het document te tonen zoals het was
edit-sign-contract = het contract te ondertekenen
edit-open-journal = je dagboek te openen
edit-write-sync-file = het synchronisatiebestand te schrijven
edit-import-sync-file = het synchronisatiebestand te importeren
screen-files = Bestanden
cancel = Annuleren

## Wat geweigerde wijzigingen van het apparaat van de partner zouden herschrijven (de
## $what van notice-tampered, status-refused-hover en cli-tampered).
tampered-partnership-id = de id van het partnerschap
tampered-key-a = de apparaatsleutel van partner A
tampered-key-b = de apparaatsleutel van partner B
tampered-partner-key = de apparaatsleutel van je partner
tampered-structure = het overzicht van wie de partners zijn
tampered-unknown-author = het overzicht van wie wat schreef (een wijziging van een apparaat dat niet van jullie tweeën is)
tampered-unsigned = het overzicht van wie wat schreef (een wijziging zonder de handtekening van de schrijver)
tampered-bad-signature = het overzicht van wie wat schreef (een wijziging ondertekend door een ander dan de schrijver)
tampered-too-many = het overzicht van wie wat schreef (meer handtekeningen dan een bericht ooit bevat)

## Fouten waar de gebruiker iets mee kan, door de node bij hun id genoemd (getoond na
## "Kon niet …:", "Koppelen is mislukt:", "Meedoen is mislukt:" of "cocoach:").
err-not-a-partnership = dit is geen partnerschapsdocument van cocoach
err-not-a-member = dit apparaat is niet een van de twee partners van dit partnerschap
err-partner-missing = je partner doet nog niet mee: het contract kan alleen door jullie allebei worden ondertekend
err-unresolved-conflicts = jullie hebben allebei andere afspraken ingevuld in het contract: kies eerst voor elk één waarde
err-session-needs-actions = een sessie sluit met ten minste één actie met een deadline voor elke partner, of een reden om dat over te slaan
err-bad-invite = dit is geen uitnodiging van cocoach, of ze is onvolledig gekopieerd of veranderd
err-invite-expired = deze uitnodiging is verlopen: vraag je partner om een nieuwe
err-invite-expired-host = de uitnodiging is verlopen: maak een nieuwe
err-invite-used = deze uitnodiging is al gebruikt: vraag je partner om een nieuwe
err-invite-mismatch = deze uitnodiging klopt niet: ze is veranderd of hoort bij een andere uitnodiging
err-invite-for-rejoin = deze uitnodiging is om een apparaat opnieuw te koppelen dat zonder zijn sleutel is teruggezet, niet om mee te doen
err-invite-not-for-rejoin = deze uitnodiging is voor een nieuwe partner, niet om opnieuw te koppelen: vraag je partner om een uitnodiging om opnieuw te koppelen
err-invite-too-many-attempts = te veel mislukte pogingen om deze uitnodiging te gebruiken: ze is gesloten; maak een nieuwe
err-broken-commitment = het andere apparaat hield zich niet aan zijn koppelafspraak: koppelen geweigerd
err-no-partnership = dit apparaat heeft nog geen partnerschap: begin er een of doe mee met een
err-already-paired = dit apparaat heeft al een partnerschap met een partner
err-no-partner = nog geen partner: nodig eerst je partner uit
err-wrong-partnership = het ontvangen partnerschap hoort niet bij de uitnodiging
err-nothing-to-rejoin = dit apparaat is al een van de partners: er valt niets opnieuw te koppelen
err-name-required = vul je naam in

## Fields set differently while apart, where they are shown (conflicts.rs).
conflict-set-differently = Jullie stelden { $field } verschillend in terwijl jullie uit elkaar waren — kies er één:
conflict-field-name = de naam van { $name }
conflict-field-session-date = de datum van deze sessie
conflict-field-session-place = de plek van deze sessie
conflict-field-session-minutes = de lengte van deze sessie
conflict-field-session-coached-first = wie er in deze sessie eerst coacht
conflict-field-session-skip-reason = de reden dat deze sessie zonder acties sloot
conflict-field-review = hoe “{ $what }” ging
conflict-field-action-owner = van wie actie “{ $what }” is
conflict-field-action-deadline = de deadline van “{ $what }”
conflict-field-action-status = de stand van “{ $what }” (open, afgerond of geschrapt)
conflict-field-action-done-on = de dag waarop “{ $what }” af was
conflict-field-action-session = de sessie waar “{ $what }” uit kwam
conflict-status-open = open
conflict-status-done = afgerond
conflict-status-dropped = geschrapt
conflict-session-of = de sessie van { $date }
edit-settle-conflict = een keuze te maken tussen jullie verschillende waarden
