# session
# De sessie: twee getimede helften, GROW met de vragen voor de coach, afsluiten met acties.

session-heading = Sessie
# Staat op de plek van de naam van een partner als dat de persoon aan dit apparaat is.
session-you = jij
# $a, $b: namen van partners.
session-names-and = { $a } en { $b }

## Een sessie starten. $first, $second: wie eerst en wie daarna coacht (een naam, of session-you).
session-none-running = Er loopt geen sessie.
session-next = Volgende sessie: { $first } coacht eerst, daarna { $second } — { $minutes ->
    [one] elk { $minutes } minuut.
   *[other] elk { $minutes } minuten.
}
# $place: waar jullie volgens het contract afspreken.
session-next-at = Volgende sessie: { $first } coacht eerst, daarna { $second } — { $minutes ->
    [one] elk { $minutes } minuut. Plek: { $place }.
   *[other] elk { $minutes } minuten. Plek: { $place }.
}
session-turns-alternate = Volgens jullie contract coachen jullie om de beurt als eerste.
session-turns-same = Volgens jullie contract coacht steeds dezelfde partner als eerste.
session-start = Sessie van vandaag starten
# $shortcut: de sneltoets.
session-start-hover = Starten ({ $shortcut })
edit-start-session = een sessie te starten

## De lopende sessie. $date: de datum ervan.
session-of = Sessie van { $date }
session-of-at = Sessie van { $date } (plek: { $place })
session-reflect = Schrijf een privéreflectie over deze sessie
session-reflect-hover = Opent je dagboek, dat op dit apparaat blijft
session-half-first = Eerste helft: { $coachee }, gecoacht door { $coach }
session-half-second = Tweede helft: { $coachee }, gecoacht door { $coach }

## De timer. $name: de coachee van deze helft; $minutes: de lengte van de helft.
session-time-left = over van de { $minutes ->
    [one] { $minutes } minuut
   *[other] { $minutes } minuten
} van { $name }
session-timer-pause = Timer pauzeren
session-timer-resume = Timer hervatten
session-timer-start = Timer starten
session-swap-time = Tijd om te wisselen: { $coach } coacht nu { $coachee }.
session-swap = Rollen wisselen
session-time-up = De tijd is om: spreek acties af en sluit daarna de sessie af.

## Eén helft. $name: de naam van een partner.
session-you-coach = Je coacht { $name }. Vraag, luister, geef geen advies.
session-coaching-you = { $name } coacht jou.
# $style: de vraagstijl uit het contract (de eigen woorden van de partners).
session-agreed-style = Jullie hebben afgesproken: { $style }
# $topics: de onderwerpen die de coachee niet wil bespreken (eigen woorden), met komma's ertussen.
session-off-limits = Niet bespreekbaar voor { $name }: { $topics }
session-grow = GROW
session-stage-review = Terugblik
session-stage-goal = Doel
session-stage-reality = Realiteit
session-stage-options = Opties
session-stage-will = Wil
session-another-question = Andere vraag
# $stage: de naam van een fase (session-stage-…).
session-another-question-for = Andere vraag bij { $stage }
session-stage-notes = Notities bij { $stage }
session-option-hint = een optie
session-option-remove = Verwijderen
session-option-remove-name = Optie { $n } verwijderen
session-what-else = Wat nog meer?
session-what-else-hover = Nog een optie toevoegen ({ $shortcut })
edit-add-option = een optie toe te voegen
edit-remove-option = een optie te verwijderen
session-declined-button = Onderwerp afgeslagen
session-declined-button-hover = De coachee praat hier liever niet over. Alleen het moment wordt vastgelegd, nooit het onderwerp.
edit-mark-declined = een onderwerp als afgeslagen te markeren
session-declined = { $n ->
    [one] { $name } heeft in deze helft { $n } onderwerp afgeslagen; daarover is niets opgeschreven.
   *[other] { $name } heeft in deze helft { $n } onderwerpen afgeslagen; daarover is niets opgeschreven.
}
session-other-notes = Overige notities

## De acties van vorige keer doornemen.
session-review-heading = Eerst: de acties van vorige keer
session-review-none = { $name } heeft geen openstaande acties om door te nemen.
session-review-by = (uiterlijk { $date })
session-review-done = Gedaan
session-review-partly = Deels
session-review-not-yet = Nog niet
# $what: de actie (eigen woorden van de partner); $outcome: een van de drie woorden hierboven.
session-review-name = Terugblik op “{ $what }”: { $outcome }
edit-review-action = een actie door te nemen
session-review-notes = Wat ging goed? Wat zat in de weg?
session-celebrate = Gedaan! Vier het in één regel:
session-celebrate-hint = bv. ik heb eindelijk die mail gestuurd

## De acties die in deze sessie zijn afgesproken.
session-new-actions = Acties van { $name } uit deze sessie
session-by = uiterlijk { $date }
session-action = Actie
session-action-hint = één concrete stap
session-add-for = Toevoegen voor { $name }

## De sessie afsluiten.
session-close-heading = De sessie afsluiten
session-close-ready = Jullie hebben allebei een actie met een deadline.
session-close = Sessie afsluiten
edit-close-session = de sessie af te sluiten
# $who: de partners die nog geen actie hebben (namen).
session-close-missing-yours = Nog zonder actie met een deadline: { $who }. Voeg er een toe in jouw helft, of schrijf op waarom je die overslaat.
session-close-missing-theirs = Nog zonder actie met een deadline: { $who }. Voeg er een toe in de helft van { $name }, of schrijf op waarom je die overslaat.
session-close-missing-each = Nog zonder actie met een deadline: { $who }. Voeg er in elke helft een toe, of schrijf op waarom je die overslaat.
session-skip-reason = Reden om zonder acties af te sluiten
session-skip-reason-hint = bv. we hebben vandaag alleen het contract afgesproken
session-close-without = Afsluiten zonder acties
session-close-without-disabled = Schrijf eerst de reden op

## Eerdere sessies.
session-past-heading = Eerdere sessies ({ $n })
session-past-undated = zonder datum
# $date: de datum van de sessie; $name: wie eerst coachte; $n: afgesproken acties.
session-past-title = { $n ->
    [one] { $date } — { $name } coachte eerst, { $n } actie
   *[other] { $date } — { $name } coachte eerst, { $n } acties
}
session-past-skipped = Afgesloten zonder acties: { $reason }
session-coached-by = { $coachee }, gecoacht door { $coach }
session-past-review = Terugblik
session-past-notes = Notities
session-past-option = Optie { $n }: { $text }
session-past-declined = Afgeslagen onderwerpen: { $n }

## De vragen voor de coach, vier per GROW-fase.
session-deck-goal-1 = Wat wil je uit dit gesprek meenemen?
session-deck-goal-2 = Als dit echt goed gaat, wat is er dan over een maand anders?
session-deck-goal-3 = Welk deel van je loopbaanswitch is vandaag het belangrijkst voor je?
session-deck-goal-4 = Hoe merk je dat je verder bent gekomen?
session-deck-reality-1 = Waar sta je hier nu mee, in één zin?
session-deck-reality-2 = Wat heb je al geprobeerd, en wat gebeurde er?
session-deck-reality-3 = Wie zijn er nog meer bij betrokken, en wat vinden zij ervan?
session-deck-reality-4 = Op een schaal van 1 tot 10, hoe dichtbij ben je? Waarom dat getal en geen lager?
session-deck-options-1 = Wat zou je kunnen doen? Niets is te klein of te gek.
session-deck-options-2 = Wat zou je proberen als je wist dat het niet kon mislukken?
session-deck-options-3 = Wat zou iemand die je bewondert in jouw plaats doen?
session-deck-options-4 = Wie zou je hierbij kunnen helpen?
session-deck-will-1 = Wat hiervan ga je doen, en wanneer?
session-deck-will-2 = Wat zou je in de weg kunnen zitten, en wat doe je dan?
session-deck-will-3 = Op een schaal van 1 tot 10, hoe vastbesloten ben je? Wat zou er een 10 van maken?
session-deck-will-4 = Hoe weet ik dat je het gedaan hebt?
session-deck-will-5 = Wat is de kleinste stap die je kunt zetten, deze week?
session-deck-will-6 = Hoe merk je dat je op koers bent?
session-deck-will-7 = Hoe voel je je als het gedaan is?
session-deck-goal-5 = Stel, het is over zes maanden en het is goed gegaan: waar sta je dan?
session-deck-goal-6 = Waar wil je naartoe met je loopbaan?
session-deck-reality-5 = Wat gaat er goed, en wat minder goed?
session-deck-reality-6 = Welke vaardigheden, kennis en middelen heb je al?
session-deck-options-5 = Wat nog meer?
session-deck-options-6 = Als er geen beperkingen waren — geld, tijd, toestemming — wat zou je dan doen?
session-deck-options-7 = Hoe zou je er meer over te weten kunnen komen?
session-deck-review-1 = Is het gelukt? Wat heb je precies gedaan?
session-deck-review-2 = Wat ging er goed?
session-deck-review-3 = Wat zat er in de weg?
session-deck-review-4 = Wat zou je een volgende keer anders kunnen doen?
session-deck-review-5 = Wat heb je erdoor over jezelf geleerd?

## Your own questions in the deck (shared with your partner).
session-deck-by = toegevoegd door { $name }
session-deck-add = Vraag toevoegen…
session-deck-add-label = Je eigen vraag bij { $stage }
session-deck-add-hint = in de stijl die jullie afspraken: { $style }
session-deck-add-hint-plain = een vraag die je partner jou mag stellen
session-deck-add-for = Een vraag bij { $stage } aan de stapel toevoegen
session-deck-add-save = Aan de stapel toevoegen
session-deck-add-cancel = Annuleren
session-deck-remove = Uit de stapel halen

## The recap shown when a session closes (on both devices, for a few hours).
session-recap-title = Sessie afgesloten — goed gedaan, jullie allebei.
session-recap-will = { $name } gaat:
session-recap-action = { $what } — uiterlijk { $date }
session-recap-action-undated = { $what }
session-recap-none = deze keer geen actie
session-recap-skipped = Afgesloten zonder acties: { $reason }
session-recap-celebrated = Gevierd:
session-recap-celebration = { $name }: { $what } — “{ $text }”
session-recap-celebration-plain = { $name }: { $what }, gedaan
session-recap-dismiss = Samenvatting sluiten

## Before a session starts: the next meeting by the rhythm, the date, who coaches first.
session-next-meeting = Volgende afspraak volgens het ritme van jullie contract: { $date }.
session-next-meeting-at = Volgende afspraak volgens het ritme van jullie contract: { $date } om { $time }.
session-next-meeting-today = Vandaag is een afspraakdag volgens het ritme van jullie contract.
session-next-meeting-today-at = Vandaag is een afspraakdag volgens het ritme van jullie contract, om { $time }.
session-next-meeting-none = Jullie contract plant geen afspraakdagen: jullie spreken af wanneer het uitkomt.
session-start-date = Datum van deze sessie
session-start-date-bad = Schrijf de datum als JJJJ-MM-DD.
session-start-coach = Eerst coacht:
session-start-coach-name = { $name } coacht eerst
session-start-coach-changed = Jullie kozen anders dan de regel van het contract ({ $name } zou eerst coachen).
session-start-on = De sessie van { $date } starten
session-start-date-hover = Vandaag, tenzij jullie een andere dag afspraken (JJJJ-MM-DD).

## The first meeting: getting to know each other (session/first.rs).
first-offer-title = Begin met een kennismakingsgesprek
first-offer-body = Jullie eerste afspraak bestaat niet uit twee coachhelften: ieder vertelt waar die staat in de loopbaan, wat die wil veranderen en hoe die graag werkt en gecoacht wordt. Kijk of het klikt — vertrouwen is het belangrijkste — en spreek in dit gesprek jullie contract af.
first-start = Het eerste gesprek starten
first-start-later = In plaats daarvan een kennismakingsgesprek starten
first-start-later-hover = De vorm van het eerste gesprek, nog eens: als jullie opnieuw beginnen, of om elkaar beter te leren kennen.
first-half-tab = { $name } vertelt
first-intro = Kennismaken
first-you-tell = Jij vertelt; { $name } luistert en vraagt.
first-they-tell = { $name } vertelt; jij luistert en vraagt.
first-listen = Luister meer dan je praat, stel open vragen en geef geen advies.
first-situation = Waar je staat
first-situation-prompt = Waar sta je nu in je loopbaan? Wat gaat goed, en wat niet?
first-wishes = Wat je wilt veranderen
first-wishes-prompt = Wat wil je veranderen, en wat maakt dit partnerschap de moeite waard voor je?
first-style = Hoe je graag werkt
first-style-prompt = Hoe werk je graag en hoe word je graag gecoacht? Wat helpt je, en wat niet? Is er iets niet bespreekbaar?
first-notes = Notities: { $what }
first-click = Klikt het? Spreek dan jullie contract af.
first-click-body = Spreek samen af hoe vaak en waar jullie elkaar zien, hoe lang, voor welke periode, wie eerst coacht en jullie spelregels — en onderteken het allebei.
first-to-contract = Naar het contract
first-signed = Jullie contract is afgesproken: je kunt dit gesprek zonder acties afsluiten.
first-close-needs = Een eerste gesprek sluit zodra jullie allebei het contract ondertekenden — of voeg ieder een actie toe, of zeg waarom je zonder afsluit.
session-unsigned = Jullie contract is nog niet door jullie allebei ondertekend: spreek het af op het scherm Contract.
edit-start-first-meeting = het eerste gesprek te starten

## Near the end of the contract's term: the review (session screen).
term-ending-on = Jullie periode eindigt op { $date }: tijd om samen terug te kijken.
term-ending = Jullie periode is bijna om: nog één sessie. Tijd om samen terug te kijken.
term-look-back = Wat de periode bracht, en wat er veranderde:
term-held-of = Gehouden sessies: { $held } van de { $planned } geplande.
term-held = Gehouden sessies: { $held }.
term-actions = Acties in de periode: { $done } afgerond, { $dropped } geschrapt, { $open } nog open.
term-obstacles = Wat het vaakst in de weg zat: { $list }.
term-goal-then-now = Doel van { $name } toen: “{ $then }” — nu: “{ $now }”.
term-goal-same = Doel van { $name }: “{ $goal }”.
term-goal-none = { $name } noemde geen doel in de sessies van deze periode.
term-next = Besluit dan samen: verlengen (een nieuwe periode), de afspraken aanpassen, of afsluiten — pas het contract aan en onderteken het allebei opnieuw.
term-to-contract = Naar het contract
