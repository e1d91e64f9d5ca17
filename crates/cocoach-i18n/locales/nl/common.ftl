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
