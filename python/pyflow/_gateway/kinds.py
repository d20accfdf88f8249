"""Frame kinds of the gateway protocol, version 1 (docs/ARCHITECTURE.md)."""

PROTOCOL = 1

# driver -> host
SUBMIT = 0x01
CANCEL = 0x02

# host -> driver
HELLO = 0x10
RESULTS = 0x11
FINISHED = 0x12
FAILED = 0x13
LOG = 0x14
PROGRESS = 0x15  # only when SUBMIT asked for it with progress_ms
RESTARTING = 0x16  # only when SUBMIT gave "restarts": the engine restarts the job inside the host

NAMES = {SUBMIT: "SUBMIT", CANCEL: "CANCEL", HELLO: "HELLO", RESULTS: "RESULTS", FINISHED: "FINISHED",
         FAILED: "FAILED", LOG: "LOG", PROGRESS: "PROGRESS",
         RESTARTING: "RESTARTING"}


def name(kind: int) -> str:
    """``"RESULTS"``, or ``"0x7f"`` for a kind the protocol does not have."""
    return NAMES.get(kind, f"0x{kind:02x}")
