# backup
# `cocoach backup BESTAND` en `cocoach restore BESTAND`. $file: het pad van de back-up;
# $dir: een gegevensmap of map.

## Back-up maken.
# $bytes: de grootte van de back-up.
backup-written = back-up geschreven naar { $file } ({ $bytes } bytes)
# $parts: een lijst backup-part-…-berichten, gescheiden door komma's.
backup-holds = erin zit: { $parts }
backup-part-partnership = het partnerschap
backup-part-journal = je privédagboek
backup-part-device-key = de geheime sleutel van dit apparaat
backup-no-journal-yet = er staat nog geen dagboek op dit apparaat, dus de back-up bevat er geen
backup-note-journal = je privédagboek zit erin: bewaar de back-up op een plek waar alleen jij erbij kunt
backup-note-device-key = de geheime sleutel van dit apparaat zit erin: wie dit bestand heeft, kan zich in jullie partnerschap voordoen als dit apparaat. Houd het privé, en gebruik de teruggezette kopie nooit naast dit apparaat
backup-note-no-device-key = zonder de sleutel van dit apparaat (--with-device-key) kan een apparaat dat eruit hersteld wordt alles lezen en exporteren, en komen de wijzigingen ervan bij je partner zodra jullie opnieuw koppelen (`cocoach invite --rejoin` op het apparaat van je partner, `cocoach rejoin` op het herstelde)
backup-target-exists = { $file } bestaat al en is geen cocoach-back-up, dus het is niet overschreven; kies een andere naam
backup-not-written = de back-up is niet geschreven

## Terugzetten.
# $id: de id van het partnerschap; $when: wanneer de back-up is gemaakt (datum en tijd).
backup-restored = partnerschap { $id } teruggezet in { $dir } (back-up van { $when })
backup-restored-holds = uit de back-up: { $parts }
backup-replaced-kept = de bestanden die er stonden, staan nu in { $dir }
backup-journal-kept = je dagboek op dit apparaat blijft zoals het was (de back-up bevat er geen)
# $key: de sleutel van dit apparaat.
backup-needs-pairing = de sleutel van dit apparaat ({ $key }) is niet die waarmee de back-up is gemaakt, dus synchroniseren vraagt een nieuwe koppeling die alles behoudt: vraag je partner `cocoach invite --rejoin` uit te voeren en gebruik die uitnodiging hier met `cocoach rejoin`. Tot dan: lees en exporteer, maar bewerk hier niets
backup-would-replace = in { $dir } staat al een partnerschap. Terugzetten vervangt het: wat er nu staat, gaat naar een map replaced-… daarbinnen, er wordt niets gewist. Voer dezelfde opdracht uit met --yes om dat te doen
backup-newer = { $file } is gemaakt met een nieuwere cocoach; werk cocoach bij om hem terug te zetten. Er is niets veranderd
backup-refused = er is niets veranderd: de back-up kan niet worden teruggezet
