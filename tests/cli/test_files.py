"""Output files are replaced only by a complete new file."""

import os

import pytest

from accord import files


def test_write_atomic_replaces_and_creates_parents(tmp_path):
    out = tmp_path / "new" / "dir" / "out.csv"
    assert files.write_atomic(out, "a,b\n1,2\n") == out
    assert out.read_text() == "a,b\n1,2\n"
    files.write_atomic(out, "c\n")
    assert out.read_text() == "c\n"
    assert [p.name for p in out.parent.iterdir()] == ["out.csv"]  # no temporary left
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "model.json"
    out.write_text("old")

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        files.write_atomic(out, "new")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
