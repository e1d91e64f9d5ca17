# history
# Geschiedenis: wie wat wanneer heeft gewijzigd, en het gedeelde document zoals het was.

history-heading = Geschiedenis
history-intro = Elke wijziging in wat jullie delen, door wie en wanneer. Kies er een om alles te zien zoals het direct daarna was.
history-refresh = Vernieuwen
history-reading = De geschiedenis wordt gelezen…
history-count = { $n ->
    [one] { $n } wijziging
   *[other] { $n } wijzigingen
}
# Aan wie een wijziging wordt toegeschreven als de handtekeningen niemand aanwijzen.
history-no-one-verified = geen geverifieerde auteur
# Eén regel van de geschiedenis. $who: de naam van een partner; $what: een history-change-…-tekst.
history-line = { $who }: { $what }
# Een reeks van $n wijzigingen van dezelfde soort door dezelfde partner.
history-line-repeated = { $who }: { $what } ({ $n } keer)
# $time: de datum en tijd van de wijziging.
history-as-it-was = Zoals het was
history-as-it-was-at = Zoals het was op { $time }
history-back = Terug naar de geschiedenis
history-then-title = Zoals het was op { $time } (alleen lezen)
# $then_sessions, $now_sessions: history-n-sessions; $then_actions, $now_actions: history-n-actions.
history-then-and-now = Toen: { $then_sessions } en { $then_actions }; nu: { $now_sessions } en { $now_actions }.
history-n-sessions = { $n ->
    [one] { $n } sessie
   *[other] { $n } sessies
}
history-n-actions = { $n ->
    [one] { $n } actie
   *[other] { $n } acties
}

## Wat je moet weten over de handtekeningen van een wijziging.
history-note-migrated = gemaakt voordat er werd ondertekend; sindsdien door de maker ondertekend
history-note-vouched = gemaakt voordat er werd ondertekend; dit apparaat staat ervoor in
history-note-unverified = niet ondertekend door de maker: aan niemand toegeschreven

## Wat een wijziging deed (het document bewaart deze woorden in het Engels).
history-change-create = partnerschap aangemaakt
history-change-partner-joined = partner doet mee
history-change-rename-partner = partner hernoemd
history-change-edit-contract = contract bewerkt
history-change-sign-contract = contract ondertekend
history-change-start-session = sessie gestart
history-change-edit-session = sessie bewerkt
history-change-edit-session-notes = sessienotities bewerkt
history-change-close-session = sessie afgesloten
history-change-add-option = optie toegevoegd
history-change-remove-option = optie verwijderd
history-change-decline-topic = onderwerp afgeslagen
history-change-review-action = actie besproken
history-change-add-action = actie toegevoegd
history-change-edit-action = actie bewerkt
history-change-complete-action = actie afgerond
history-change-action-status = status van een actie gewijzigd
history-change-celebrate-action = actie gevierd
history-change-note-obstacle = obstakel genoteerd
history-change-remove-obstacle = obstakel verwijderd
history-change-resolve-conflict = conflict opgelost
history-change-several = meerdere wijzigingen
history-change-edit = wijziging
