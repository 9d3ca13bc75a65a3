"""Reading only regular files, and writing output files so that a failure never costs the user
a file they already had."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

from accord.errors import InputError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _check_regular(p: Path, what: str, *, missing_ok: bool, why: str, fix: str) -> Path:
    """``p`` if it is a regular file (or absent, with ``missing_ok``), checked with ``stat``,
    which never opens the file, so the check itself cannot hang; else exit 2 naming it."""
    # missing_ok marks an output: its unreadable case is about writing there
    verb, may = ("use", "write there") if missing_ok else ("read", "read it")
    try:
        st = p.stat()
    except FileNotFoundError:
        if missing_ok:
            return p
        raise InputError(f"{what} not found.", path=str(p), fix="check the path.") from None
    except OSError as err:
        raise InputError(f"cannot {verb} the {what} ({err.strerror}).", path=str(p),
                         fix=f"check the path and that you may {may}.") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"is {_kind(st.st_mode)}, not a regular file; {why}", path=str(p),
                         fix=fix)
    return p


def require_regular_file(path: str | os.PathLike[str], what: str = "file") -> Path:
    """``path`` if it is an existing regular file; else exit 2 at once, naming the path.

    Why: opening a FIFO blocks until someone writes to it, and a device can stream forever;
    a scenario, model, data or experiment file is always a plain file.
    """
    return _check_regular(
        Path(path), what, missing_ok=False,
        why=f"accord reads the {what} only from a regular file.",
        fix=f"name the {what} itself (copy piped data to a file first).",
    )


def require_writable_target(path: str | os.PathLike[str], what: str = "output file") -> Path:
    """``path`` if it is absent or a regular file (to be created or replaced); else exit 2 at
    once, naming the path (a FIFO, device, socket or directory is never written to)."""
    return _check_regular(
        Path(path), what, missing_ok=True,
        why=f"the {what} must be a regular file or a new name.",
        fix=f"give a file name for the {what}.",
    )


def write_atomic(out: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``out`` through a temporary file beside it and
    :func:`os.replace`: a failure (disk full, interrupt) leaves no half file, and an existing
    ``out`` is replaced only once the new one is complete. Creates missing parent folders."""
    return write_bytes_atomic(out, text.encode("utf-8"))


def write_bytes_atomic(out: str | os.PathLike[str], data: bytes) -> Path:
    """:func:`write_atomic` for bytes (a workbook, say)."""
    out = require_writable_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)  # mkstemp makes the file private; give it the usual permissions
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def sha256_file(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, hex: a training file's fingerprint in a fitted model's
    provenance."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
