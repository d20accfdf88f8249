"""Turn setuptools' pure wheel into a platform wheel that carries only this platform's native libraries.

setuptools sees no extension module in pyflow, so it tags the wheel ``py3-none-any``. The engine host
is .NET (portable), but it loads native libraries (RocksDB's ``librocksdb``) from
``_engine/runtimes/<rid>/native/``, and those exist per platform. The wheel therefore keeps the
runtime folder of the platform it was built on, drops the others (they were 80 MB of macOS and
Windows binaries), and is tagged ``py3-none-<platform>`` so pip refuses it elsewhere.
"""
import base64
import hashlib
import os
import sysconfig
import zipfile

# Python's platform names and .NET's runtime identifiers for the platforms RocksDB ships natives for.
_RIDS = {
    "linux-x86_64": "linux-x64",
    "linux-aarch64": "linux-arm64",
    "macosx-x86_64": "osx-x64",
    "macosx-arm64": "osx-arm64",
    "win-amd64": "win-x64",
}
RUNTIMES = "pyflow/_engine/runtimes/"


def current_platform():
    """(wheel platform tag, .NET runtime identifier) of this machine, e.g. ("linux_x86_64", "linux-x64")."""
    platform = sysconfig.get_platform()
    key = platform
    if platform.startswith("macosx-"):
        key = "macosx-" + platform.rsplit("-", 1)[1]
    rid = _RIDS.get(key)
    if rid is None:
        raise RuntimeError(
            f"pyflow's wheel carries native libraries for {sorted(_RIDS)}; this platform is {platform!r}. "
            "Build the engine host for it from source (`./dev build`) instead of a wheel.")
    return platform.replace("-", "_").replace(".", "_"), rid


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def retag(wheel_path):
    """Rewrite ``wheel_path`` (a ``py3-none-any`` wheel) as a platform wheel; returns the new file name."""
    tag, rid = current_platform()
    directory, name = os.path.split(wheel_path)
    if not name.endswith("-py3-none-any.whl"):
        raise RuntimeError(f"expected a py3-none-any wheel from setuptools, got {name}")
    new_name = name[: -len("any.whl")] + tag + ".whl"
    keep_runtime = RUNTIMES + rid + "/"
    with zipfile.ZipFile(wheel_path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    if not any(info.filename.startswith(keep_runtime) for info, _ in entries):
        raise RuntimeError(f"the engine in the wheel has no {keep_runtime}: was the host published?")
    record_name = next(info.filename for info, _ in entries if info.filename.endswith(".dist-info/RECORD"))
    kept, records = [], []
    for info, data in entries:
        if info.filename.startswith(RUNTIMES) and not info.filename.startswith(keep_runtime):
            continue
        if info.filename.endswith(".dist-info/WHEEL"):
            data = data.replace(b"Root-Is-Purelib: true", b"Root-Is-Purelib: false")
            data = data.replace(b"Tag: py3-none-any", b"Tag: py3-none-" + tag.encode("ascii"))
        if info.filename == record_name:
            continue
        kept.append((info, data))
        records.append(_record_line(info.filename, data))
    records.append(f"{record_name},,")
    target = os.path.join(directory, new_name)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in kept:
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        out.writestr(record_name, "\n".join(records) + "\n")
    os.remove(wheel_path)
    return new_name
