# pairing
# De eerste keer (je naam; aanmaken of meedoen) en koppelen (uitnodiging, beide codes, bevestigen).

## De eerste keer.
pairing-welcome = Welkom bij cocoach
pairing-welcome-body = cocoach bewaart één co-coachingpartnerschap: het contract dat jullie afspreken, de notities van elke sessie en de acties die jullie op je nemen. Het staat op jouw computer en die van je partner, en nergens anders.
pairing-your-name = Je naam
pairing-your-name-hint = bijv. Sanne de Vries
pairing-start-new = Begin een nieuw partnerschap
pairing-start-new-body = Daarna nodig je je partner uit.
pairing-create = Partnerschap aanmaken
pairing-create-needs-name = Vul eerst je naam in
pairing-join-heading = Doe mee met je partner
pairing-invite-from-partner = Uitnodiging van je partner
pairing-invite-hint = Plak hier de tekst van de uitnodiging (die begint met "cocoach")
pairing-join = Meedoen
pairing-join-needs = Vul je naam in en plak de uitnodiging
# $reason: waarom, in de woorden van het netwerk of de node.
pairing-join-failed = Meedoen is mislukt: { $reason }

## Het scherm Partner. $partner: de naam van de partner.
pairing-heading = Je partner
pairing-paired-with = Je bent gekoppeld aan { $partner }. Jullie apparaten synchroniseren rechtstreeks met elkaar zodra ze allebei online zijn; er gaat niets via een server.
pairing-paired-just-now = Zojuist gekoppeld aan { $partner }.
pairing-invite-explain = Nodig je partner uit: geef de tekst van de uitnodiging door (via een bericht of mail) of laat je partner de code scannen. De uitnodiging werkt één keer, 15 minuten lang.
pairing-failed = Koppelen is mislukt: { $reason }
# $n: minuten die nog over zijn.
pairing-waiting-join = Wachten tot je partner meedoet… (verloopt over { $n } min)
# Het label van de tekst van de uitnodiging.
pairing-invite = Uitnodiging
pairing-copy = Kopiëren
pairing-qr-name = QR-code van de uitnodiging
pairing-invite-expired = Deze uitnodiging is verlopen. Maak een nieuwe.
pairing-new-invite = Nieuwe uitnodiging maken
pairing-invite-partner = Nodig je partner uit

## Beide verificatiecodes. $partner: de naam van de partner, of "je partner".
pairing-contacting = Verbinding maken met het apparaat van je partner…
pairing-check-code = Controleer of { $partner } dezelfde code ziet
pairing-check-code-explain = Op beide schermen staat een code die is gemaakt uit de sleutels van beide apparaten en de uitnodiging. Vraag je partner de code voor te lezen (in het echt of aan de telefoon) en typ hem in.
pairing-your-code = Jouw code
pairing-their-code = Code op het scherm van { $partner }
pairing-codes-differ = De codes zijn verschillend. Bevestig niet: misschien reageert iemand anders op je uitnodiging. Annuleer en maak een nieuwe uitnodiging.
pairing-waiting-confirm = Wachten tot { $partner } bevestigt…
pairing-confirm = Codes komen overeen — bevestigen
pairing-confirm-needs-code = Typ eerst de code van het scherm van je partner
pairing-cancel = Annuleren
# Getoond na "Koppelen is mislukt: " of "Meedoen is mislukt: ".
pairing-you-cancelled = je hebt het koppelen geannuleerd

## Opnieuw koppelen van een apparaat dat zonder zijn sleutel is teruggezet.
# Bij de partner die uitnodigt, op het scherm Partner. $partner: de naam van de partner.
pairing-rejoin-host-heading = Computer van { $partner } kwijt?
pairing-rejoin-host-explain = Heeft { $partner } cocoach teruggezet uit een back-up zonder de sleutel van het apparaat, dan kan de nieuwe computer niet met de jouwe synchroniseren. Maak een uitnodiging om opnieuw te koppelen en geef die door: jullie houden allebei alles, en de sleutel van de verloren computer wordt voortaan geweigerd.
pairing-rejoin-invite = Uitnodiging om opnieuw te koppelen maken
# Op het teruggezette apparaat.
pairing-rejoin-explain = Dit apparaat is niet een van de twee partners: het is teruggezet uit een back-up zonder zijn sleutel. Je kunt alles lezen en exporteren, maar niet bewerken of synchroniseren. Vraag je partner om een uitnodiging om opnieuw te koppelen (op het scherm Partner), plak die hier en vergelijk de codes: aan geen van beide kanten gaat iets verloren.
pairing-rejoin-invite-from-partner = Uitnodiging van je partner om opnieuw te koppelen
pairing-rejoin = Opnieuw koppelen
pairing-rejoin-needs = Plak eerst de uitnodiging om opnieuw te koppelen
# Een regel boven elk scherm van het teruggezette apparaat.
pairing-rejoin-banner = Dit apparaat is zonder zijn sleutel teruggezet: bewerken en synchroniseren kan pas als je opnieuw koppelt met je partner.
pairing-rejoin-go = Opnieuw koppelen…
