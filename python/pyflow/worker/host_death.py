"""A worker never outlives its engine host, even while it is stopped or stuck in a user function.

Stdin EOF ends an idle worker when the host goes, but not one that is inside a hung function, nor one the
host had stopped: .NET's ``Process.Kill(entireProcessTree)`` sends SIGSTOP before SIGKILL, and a host that
died in between left workers stopped, with parent 1, forever (issue 11). So at start the worker

- asks Linux for SIGKILL when its parent dies (``PR_SET_PDEATHSIG``; SIGKILL also ends a stopped process).
  The signal follows the host *thread* that started the worker: workers are started and killed by their
  subtask's thread, which outlives them (``Subtask.Run``);
- then checks the host is still there, for a host that died before the request was made;
- and makes itself a process group, so the host kills it and whatever it started with one
  ``kill(-pid, SIGKILL)``, without the stop phase.
"""
import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def die_with_host(host_pid: "int | None") -> None:
    """Sets up the worker's end of the rule above; exits at once when ``host_pid`` is already gone.
    The group comes last, so a worker that leads its group has asked for the signal (tests rely on it)."""
    if sys.platform.startswith("linux"):  # elsewhere there is no parent-death signal: stdin EOF only
        _ask_for_sigkill_when_host_dies(host_pid)
    os.setpgid(0, 0)


def _ask_for_sigkill_when_host_dies(host_pid: "int | None") -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(errno)}")
    # Our parent is the host unless an exec-less wrapper sits between: then the host is only checked for life.
    if host_pid is not None and os.getppid() != host_pid and not _alive(host_pid):
        print(f"pyflow worker: the engine host (pid {host_pid}) is gone before the worker started; exiting",
              file=sys.stderr)
        os._exit(0)
