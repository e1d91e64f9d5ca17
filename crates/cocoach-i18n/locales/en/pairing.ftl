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

## Re-pairing a device restored from a backup without its key.
# Host side, on the Partner screen. $partner: the partner's name.
pairing-rejoin-host-heading = Did { $partner } lose their computer?
pairing-rejoin-host-explain = If { $partner } restored cocoach from a backup that did not hold the device's key, their new computer cannot sync with yours. Make a re-pairing invite and give it to them: both of you keep everything, and the lost computer's key is refused from then on.
pairing-rejoin-invite = Make a re-pairing invite
# The restored device.
pairing-rejoin-explain = This device is not one of the two partners: it was restored from a backup without its key. You can read and export everything, but not edit or sync. Ask your partner for a re-pairing invite (on their Partner screen), paste it here and compare the codes: nothing is lost on either side.
pairing-rejoin-invite-from-partner = Re-pairing invite from your partner
pairing-rejoin = Re-pair
pairing-rejoin-needs = Paste the re-pairing invite first
# A line above every screen of the restored device.
pairing-rejoin-banner = This device was restored without its key: it cannot edit or sync until you re-pair with your partner.
pairing-rejoin-go = Re-pair…
