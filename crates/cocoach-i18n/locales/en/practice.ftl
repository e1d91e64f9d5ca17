# The words of the practice: the agreement, signatures, deadlines.

## Where the contract's signatures stand. $name: a partner's name.
agreement-rolled-back-yours = Not signed: an older signature of yours was put back in place of a newer one this device has seen
agreement-rolled-back-theirs = Not signed: an older signature of { $name }'s was put back in place of a newer one this device has seen
agreement-both = signed by both
agreement-only = signed by { $name } only
agreement-changed = changed since signing: both must sign again
agreement-not-signed = not signed
agreement-me-both = Signed by both of you
agreement-me-waiting = Signed by you — waiting for { $name } to sign
agreement-me-they-signed = { $name } has signed — waiting for you to sign
agreement-me-changed = Changed since signing — both of you need to sign again
agreement-me-not-signed = Not signed yet

## One partner's signature. $date: the local date it was made.
signature-not-signed = not signed
signature-signed = signed { $date }
signature-outdated = signed an earlier version on { $date } (changed since)
signature-invalid = signature does not verify
signature-rolled-back = not signed: the signature of { $date } was put back in place of a newer one

## An action's deadline, as people say it. $n: days.
due-overdue = { $n ->
    [one] overdue by { $n } day
   *[other] overdue by { $n } days
}
due-today = due today
due-in = { $n ->
    [1] due tomorrow
   *[other] due in { $n } days
}
due-none = no deadline

## The ground rules a new contract starts with (inserted in the creator's language).
practice-ground-rule-1 = Be encouraging and challenging.
practice-ground-rule-2 = Keep the focus on solutions, the future, and what the coachee can do.
practice-ground-rule-3 = The coachee may decline any personal topic at any time.
practice-ground-rule-4 = What is said in a session stays between us.

## Obstacles offered as quick picks: the excuses named most often.
practice-obstacle-time = I don't have enough time
practice-obstacle-experience = not enough experience
practice-obstacle-sell = I can't sell myself
practice-obstacle-network = my network is weak
practice-obstacle-negotiate = I can't negotiate for myself
practice-obstacle-fear = fear of failing
practice-obstacle-energy = no energy (something happened in my life)
practice-obstacle-certificates = no certifications
practice-obstacle-interview = the interview went badly
practice-obstacle-accent = my accent
practice-obstacle-money = money
