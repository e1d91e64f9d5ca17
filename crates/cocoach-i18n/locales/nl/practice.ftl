# De woorden van de praktijk: de afspraak, handtekeningen, deadlines.

## Hoe de handtekeningen onder het contract staan. $name: de naam van een partner.
agreement-rolled-back-yours = Niet ondertekend: een oudere handtekening van jou is teruggezet in plaats van een nieuwere die dit apparaat al heeft gezien
agreement-rolled-back-theirs = Niet ondertekend: een oudere handtekening van { $name } is teruggezet in plaats van een nieuwere die dit apparaat al heeft gezien
agreement-both = door beiden ondertekend
agreement-only = alleen door { $name } ondertekend
agreement-changed = gewijzigd sinds de ondertekening: beiden moeten opnieuw tekenen
agreement-not-signed = niet ondertekend
agreement-me-both = Door jullie allebei ondertekend
agreement-me-waiting = Door jou ondertekend — wacht op de handtekening van { $name }
agreement-me-they-signed = { $name } heeft getekend — wacht op jouw handtekening
agreement-me-changed = Gewijzigd sinds de ondertekening — jullie moeten allebei opnieuw tekenen
agreement-me-not-signed = Nog niet ondertekend

## De handtekening van één partner. $date: de lokale datum waarop die is gezet.
signature-not-signed = niet ondertekend
signature-signed = ondertekend op { $date }
signature-outdated = een eerdere versie ondertekend op { $date } (sindsdien gewijzigd)
signature-invalid = handtekening klopt niet
signature-rolled-back = niet ondertekend: de handtekening van { $date } is teruggezet in plaats van een nieuwere

## De deadline van een actie, zoals mensen die zeggen. $n: dagen.
due-overdue = { $n ->
    [one] { $n } dag te laat
   *[other] { $n } dagen te laat
}
due-today = deadline vandaag
due-in = { $n ->
    [1] deadline morgen
   *[other] deadline over { $n } dagen
}
due-none = geen deadline

## De basisregels waarmee een nieuw contract begint (in de taal van wie het maakt).
practice-ground-rule-1 = Wees bemoedigend en uitdagend.
practice-ground-rule-2 = Houd de focus op oplossingen, de toekomst en wat de coachee zelf kan doen.
practice-ground-rule-3 = De coachee mag elk persoonlijk onderwerp op elk moment afwijzen.
practice-ground-rule-4 = Wat in een sessie gezegd wordt, blijft tussen ons.

## Obstakels om snel te kiezen: de smoesjes die het vaakst genoemd worden.
practice-obstacle-time = ik heb niet genoeg tijd
practice-obstacle-experience = niet genoeg ervaring
practice-obstacle-sell = ik kan mezelf niet verkopen
practice-obstacle-network = mijn netwerk is zwak
practice-obstacle-negotiate = ik kan niet voor mezelf onderhandelen
practice-obstacle-fear = angst om te falen
practice-obstacle-energy = geen energie (er gebeurde iets in mijn leven)
practice-obstacle-certificates = geen certificaten
practice-obstacle-interview = het sollicitatiegesprek ging slecht
practice-obstacle-accent = mijn accent
practice-obstacle-money = geld
