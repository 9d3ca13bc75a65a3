"""Writing output files so that a failure never costs the user a file they already had."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(out: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``out`` through a temporary file beside it and
    :func:`os.replace`: a failure (disk full, interrupt) leaves no half file, and an existing
    ``out`` is replaced only once the new one is complete. Creates missing parent folders."""
    return write_bytes_atomic(out, text.encode("utf-8"))


def write_bytes_atomic(out: str | os.PathLike[str], data: bytes) -> Path:
    """:func:`write_atomic` for bytes (a workbook, say)."""
    out = Path(out)
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
