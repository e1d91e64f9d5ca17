# Het synchronisatiebestand: wijzigingen per bestand naar de partner.
syncfile-wrote-all = { $n ->
    [one] { $n } wijziging (het hele partnerschap) geschreven naar { $path }. Geef het aan je partner: die importeert het met “cocoach sync-file import”.
   *[other] { $n } wijzigingen (het hele partnerschap) geschreven naar { $path }. Geef het aan je partner: die importeert het met “cocoach sync-file import”.
}
syncfile-wrote = { $n ->
    [one] { $n } wijziging die je partner nog niet heeft, geschreven naar { $path }.
   *[other] { $n } wijzigingen die je partner nog niet heeft, geschreven naar { $path }.
}
syncfile-wrote-nothing-new = Je partner heeft al je wijzigingen al (volgens jullie laatste synchronisatie); { $path } bevat niets nieuws. Gebruik --all om alles te schrijven.
syncfile-not-a-file = Dit is geen synchronisatiebestand van cocoach.
syncfile-newer = Dit synchronisatiebestand is gemaakt door een nieuwere cocoach (formaat { $version }); werk cocoach bij.
syncfile-truncated = Dit synchronisatiebestand is onvolledig: het houdt op na { $found } van de { $expected } bytes. Is het helemaal gekopieerd?
syncfile-damaged = Dit synchronisatiebestand is beschadigd: de inhoud klopt niet met de controlesom. Vraag je partner om een nieuw bestand.
syncfile-wrong-partnership = Dit synchronisatiebestand hoort bij een ander partnerschap. Er is niets veranderd.
syncfile-refused = Dit synchronisatiebestand is geweigerd, en van het geweigerde deel is niets bewaard: { $reason }
syncfile-cannot-read = Kan { $path } niet lezen
syncfile-too-large = { $path } is te groot voor een synchronisatiebestand.
syncfile-no-partner = Nog geen partner: koppel eerst met je partner (een synchronisatiebestand brengt alleen wijzigingen over tussen twee gekoppelde apparaten).
syncfile-nothing-new = Niets nieuws in { $path }: dit apparaat had alle wijzigingen erin al.
syncfile-imported = { $n ->
    [one] { $n } nieuwe wijziging geïmporteerd uit { $path }.
   *[other] { $n } nieuwe wijzigingen geïmporteerd uit { $path }.
}
