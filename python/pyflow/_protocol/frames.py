"""Length-prefixed frames: ``u32 length`` (kind + payload), ``u8 kind``, payload. Little-endian."""
import struct

MAX_FRAME = 256 * 1024 * 1024  # the default of pyflow.frame.max-size (frame_limit.py)
#: The largest limit the option takes (the engine holds a frame in one .NET array). A length above it is
#: corruption whatever the limit; one between the limit and this is a frame too large for this reader.
CEILING = 1024 * 1024 * 1024
_HEADER = struct.Struct("<IB")


#: Pipe buffer asked for on every protocol pipe: a whole 10k-row batch fits, so a writer hands a
#: frame over without waiting for the reader. Still a bound: a slow reader blocks the writer.
PIPE_BYTES = 1 << 20


def widen_pipe(fd: int) -> None:
    """Asks Linux to give the pipe at ``fd`` a buffer of ``PIPE_BYTES``.

    Only a performance hint: where the kernel refuses (a lower ``/proc/sys/fs/pipe-max-size``, or
    not Linux), the pipe keeps its default buffer and every frame still arrives, just in more steps.
    """
    try:
        import fcntl
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


class ProtocolError(RuntimeError):
    """A pipe carried something that is not a valid frame: corrupt, truncated or from another version."""


class FrameTooLargeError(ProtocolError):
    """A frame over the limit ``pyflow.frame.max-size``: refused by its writer (naming what made it large), or,
    from a writer with a higher limit, by its reader."""


def check_size(payload_size: int, max_size: int, what: str) -> None:
    """Raises FrameTooLargeError when a payload of ``payload_size`` bytes does not fit a frame of ``max_size``."""
    if payload_size + 1 > max_size:
        raise FrameTooLargeError(f"{what} is {payload_size + 1} bytes, over the frame limit of {max_size} bytes; raise "
                                 f"the option pyflow.frame.max-size (at most {CEILING}, e.g. '512 mb'), or make the "
                                 "data smaller")


def write_frame(stream, kind: int, payload=b"") -> None:
    """Writes one frame to a binary stream; the caller flushes (and checked the size: ``check_size``)."""
    stream.write(_HEADER.pack(len(payload) + 1, kind))
    if payload:
        stream.write(payload)


def _read_exact(stream, n: int, pipe: str, what: str):
    data = stream.read(n)
    if data is None or len(data) < n:
        got = 0 if not data else len(data)
        raise EOFError(f"{pipe}: stream ended {what} ({got} of {n} bytes)")
    return data


def read_frame(stream, pipe: str, max_size: int = MAX_FRAME, known_kinds=None):
    """Reads one frame. Returns ``(kind, payload)``, or ``None`` at a clean end of stream.

    Raises ``FrameTooLargeError`` for a frame of a known kind (``known_kinds``; None: any) over ``max_size``
    but within ``CEILING``, ``ProtocolError`` for any other bad length (corruption), and ``EOFError`` for a
    stream that ends inside a frame: never waits for bytes that cannot come.
    """
    header = stream.read(_HEADER.size)
    if not header:
        return None
    if len(header) < _HEADER.size:
        header += _read_exact(stream, _HEADER.size - len(header), pipe, "inside a frame header")
    length, kind = _HEADER.unpack(header)
    if max_size < length <= CEILING and (known_kinds is None or kind in known_kinds):
        raise FrameTooLargeError(
            f"{pipe}: a frame of kind 0x{kind:02x} is {length} bytes, over this reader's limit of {max_size} bytes "
            "(pyflow.frame.max-size): its writer allows larger frames. Both ends take the limit from the job's "
            "configuration; reinstall pyflow if the driver and the engine come from different builds")
    if length < 1 or length > max_size:
        raise ProtocolError(f"{pipe}: frame length {length} is outside 1..{max_size}; the stream is corrupt")
    payload = _read_exact(stream, length - 1, pipe, f"inside a frame of kind 0x{kind:02x}") if length > 1 else b""
    return kind, payload
