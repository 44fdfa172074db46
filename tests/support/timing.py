"""Timing of the fault tests: a read timeout the client gives up at, and faults slower than it.

The timeout must stay well above what a healthy emulator needs on a loaded CI machine (a rule
POST with SigNoz's normalisation took over 0.25 s there), and the slow faults well above the
timeout, so that only an injected fault ever times out.
"""

READ_TIMEOUT = 1.0  # seconds the fault tests' client waits for a reply
SLOW = 2.0  # an injected "slow" reply: answered after the client gave up
STALL = 2.4  # an injected "stall": the server commits after the client gave up
