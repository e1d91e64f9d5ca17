# De statusbalk: alleen feiten die de node heeft gemeld.
status-saved = Opgeslagen op dit apparaat
status-saving = Bezig met opslaan…
status-saved-hover = Elke wijziging wordt op de schijf van dit apparaat gezet zodra je hem maakt.
status-not-saved = Niet opgeslagen: probeert opnieuw
status-not-saved-hover = De laatste wijziging kon niet op de schijf van dit apparaat worden gezet ({ $reason }). Hij blijft in het geheugen en cocoach probeert het elke paar seconden opnieuw: houd het venster open tot hier "Opgeslagen op dit apparaat" staat. Maak ruimte vrij als de schijf vol is.
status-no-partner = Nog geen partner: nodig die uit vanuit het scherm Partner
status-needs-rejoin = Synchroniseert niet: dit apparaat moet opnieuw koppelen met je partner (scherm Partner)
status-connected = Verbonden met { $partner }
status-unreachable = { $partner } niet bereikbaar
# $why: de eigen woorden van het netwerk voor de laatste fout.
status-unreachable-hover = Laatste poging: { $why }. cocoach blijft het proberen.
status-last-exchange = Laatste uitwisseling: { $when }
status-partner-has-all = { $partner } heeft al je wijzigingen
status-not-received = { $n ->
    [one] { $n } wijziging nog niet ontvangen door { $partner }
   *[other] { $n } wijzigingen nog niet ontvangen door { $partner }
}
status-when-connected = Wijzigingen bereiken je partner zodra jullie weer verbinding hebben
status-rolled-back = Contract: een oudere handtekening is teruggezet
status-rolled-back-hover = { $agreement }. Die telt niet als ondertekend. Open het contract om het te zien.
status-refused = Synchronisatie gestopt: wijzigingen van { $partner } geweigerd
status-refused-hover = Ze zouden { $what } herschrijven, wat geen enkele wijziging mag. Er is niets van bewaard. Vraag { $partner } cocoach bij te werken of opnieuw te installeren.

## Hoe lang geleden.
ago-now = zojuist
ago-min = { $n } min geleden
ago-hours = { $n } uur geleden
ago-days = { $n ->
    [one] { $n } dag geleden
   *[other] { $n } dagen geleden
}
ago-never = nooit
