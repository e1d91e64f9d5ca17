# pairing
# First run (your name; create or join) and pairing (invite, both codes, confirm).

## First run.
pairing-welcome = Welcome to cocoach
pairing-welcome-body = cocoach keeps one co-coaching partnership: the contract you agree, the notes of every session and the actions you commit to. It lives on your computer and your partner's, and nowhere else.
pairing-your-name = Your name
pairing-your-name-hint = e.g. Ana Müller
pairing-start-new = Start a new partnership
pairing-start-new-body = You will then invite your partner.
pairing-create = Create partnership
pairing-create-needs-name = Enter your name first
pairing-join-heading = Join your partner
pairing-invite-from-partner = Invite from your partner
pairing-invite-hint = Paste the invite text here (it starts with "cocoach")
pairing-join = Join
pairing-join-needs = Enter your name and paste the invite
# $reason: why, in the network's or the node's words.
pairing-join-failed = Joining failed: { $reason }

## The Partner screen. $partner: the partner's name.
pairing-heading = Your partner
pairing-paired-with = You are paired with { $partner }. Your devices sync directly with each other whenever both are online; nothing passes through a server.
pairing-paired-just-now = Paired with { $partner } just now.
pairing-invite-explain = Invite your partner: give them the invite text (by message or mail) or let them scan the code. The invite works once, for 15 minutes.
pairing-failed = Pairing failed: { $reason }
# $n: minutes left.
pairing-waiting-join = Waiting for your partner to join… (expires in { $n } min)
# The label of the invite's text.
pairing-invite = Invite
pairing-copy = Copy
pairing-qr-name = QR code of the invite
pairing-invite-expired = This invite has expired. Make a new one.
pairing-new-invite = Make a new invite
pairing-invite-partner = Invite your partner

## Both verification codes. $partner: the partner's name, or "your partner".
pairing-contacting = Contacting your partner's device…
pairing-check-code = Check that { $partner } sees the same code
pairing-check-code-explain = Both screens show a code made from both devices' keys and the invite. Read your partner's code (in person or on the phone) and type it in.
pairing-your-code = Your code
pairing-their-code = Code on { $partner }'s screen
pairing-codes-differ = The codes differ. Do not confirm: someone else may be answering your invite. Cancel and make a new invite.
pairing-waiting-confirm = Waiting for { $partner } to confirm…
pairing-confirm = Codes match — confirm
pairing-confirm-needs-code = Type the code from your partner's screen first
pairing-cancel = Cancel
# Shown after "Pairing failed: " or "Joining failed: ".
pairing-you-cancelled = you cancelled the pairing
