# The status bar: only facts the node reported.
status-saved = Saved on this device
status-saving = Saving…
status-saved-hover = Every change is written to this device's disk as you make it.
status-not-saved = Not saved: retrying
status-not-saved-hover = The last change could not be written to this device's disk ({ $reason }). It is kept in memory and cocoach tries again every few seconds: keep the window open until this says "Saved on this device". Free some disk space if it is full.
status-no-partner = No partner yet: invite them from the Partner screen
status-needs-rejoin = Not syncing: this device must re-pair with your partner (Partner screen)
status-connected = Connected to { $partner }
status-unreachable = { $partner } not reachable
# $why: the network's own words for the last failure.
status-unreachable-hover = Last attempt: { $why }. cocoach keeps trying.
status-last-exchange = Last exchange: { $when }
status-partner-has-all = { $partner } has all your changes
status-not-received = { $n ->
    [one] { $n } change not yet received by { $partner }
   *[other] { $n } changes not yet received by { $partner }
}
status-when-connected = Changes reach your partner when you next connect
status-rolled-back = Contract: an older signature was put back
status-rolled-back-hover = { $agreement }. It does not count as signed. Open the contract to see it.
status-refused = Not syncing: { $partner }'s changes refused
status-refused-hover = They would rewrite { $what }, which no change may do. Nothing of them was kept. Ask { $partner } to update or reinstall cocoach.

## How long ago.
ago-now = just now
ago-min = { $n } min ago
ago-hours = { $n } h ago
ago-days = { $n ->
    [one] { $n } day ago
   *[other] { $n } days ago
}
ago-never = never
