"""Finding the processes a job started, from /proc (no psutil): for tests that nothing is left behind."""
import os
import time


def _ppid_and_state(pid: int):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[1]), fields[0]
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None, None


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, exited but not yet reaped, counts as gone)."""
    _, state = _ppid_and_state(pid)
    return state is not None and state != "Z"


def descendants(root: int) -> set:
    """Every living process below ``root``."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            ppid, state = _ppid_and_state(int(entry))
            if ppid is not None and state != "Z":
                children.setdefault(ppid, []).append(int(entry))
    found, stack = set(), [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def wait_gone(pids, seconds: float = 15.0) -> set:
    """Waits (bounded) until none of ``pids`` is alive; returns those still alive."""
    deadline = time.monotonic() + seconds
    while True:
        left = {p for p in pids if alive(p)}
        if not left or time.monotonic() >= deadline:
            return left
        time.sleep(0.05)


def wait_for(condition, seconds: float, what: str):
    """Polls ``condition`` (bounded) until it returns something truthy, which is returned."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
