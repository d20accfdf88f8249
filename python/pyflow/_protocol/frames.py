"""Length-prefixed frames: ``u32 length`` (kind + payload), ``u8 kind``, payload. Little-endian."""
import struct

MAX_FRAME = 256 * 1024 * 1024
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


def write_frame(stream, kind: int, payload=b"") -> None:
    """Writes one frame to a binary stream; the caller flushes."""
    stream.write(_HEADER.pack(len(payload) + 1, kind))
    if payload:
        stream.write(payload)


def _read_exact(stream, n: int, pipe: str, what: str):
    data = stream.read(n)
    if data is None or len(data) < n:
        got = 0 if not data else len(data)
        raise EOFError(f"{pipe}: stream ended {what} ({got} of {n} bytes)")
    return data


def read_frame(stream, pipe: str):
    """Reads one frame. Returns ``(kind, payload)``, or ``None`` at a clean end of stream.

    Raises ``ProtocolError`` for a frame over the size limit and ``EOFError`` for a stream
    that ends inside a frame: never waits for bytes that cannot come.
    """
    header = stream.read(_HEADER.size)
    if not header:
        return None
    if len(header) < _HEADER.size:
        header += _read_exact(stream, _HEADER.size - len(header), pipe, "inside a frame header")
    length, kind = _HEADER.unpack(header)
    if length < 1 or length > MAX_FRAME:
        raise ProtocolError(f"{pipe}: frame length {length} is outside 1..{MAX_FRAME}; the stream is corrupt")
    payload = _read_exact(stream, length - 1, pipe, f"inside a frame of kind 0x{kind:02x}") if length > 1 else b""
    return kind, payload
