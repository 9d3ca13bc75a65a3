"""Only regular files: a FIFO, device, socket or directory named as an input is refused at once.

Each command runs in a subprocess with a timeout, so a hang (opening a FIFO blocks until a writer
comes) fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX named pipes")
FLAGSHIP = EXAMPLES / "ukraine-ceasefire-2025.yaml"
TIMEOUT = 60  # generous for a cold import on a busy machine; a FIFO hang never ends


def _accord(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord.cli", *map(str, args)],
        capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd,
        env={**os.environ, "ACCORD_STORE": str(cwd / "runs.duckdb")},
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    p = tmp_path / "pipe.yaml"
    os.mkfifo(p)
    return p


@pytest.mark.parametrize("argv", [
    ["validate", "{p}"],
    ["forecast", "{p}", "--no-store"],
    ["forecast", FLAGSHIP, "--store", "{p}"],
    ["runs", "list", "--store", "{p}"],
    ["experiment", "{p}", "--no-store"],
    ["durability", "predict", "{p}"],
    ["durability", "predict", FLAGSHIP, "--model", "{p}"],
    ["backtest", "deu", "{p}"],
    ["report", "{p}", "-o", "out.html"],
    ["sensitivity", "{p}"],
    ["advise", "{p}", "--actor", "x"],
    ["explain", "{p}"],
    ["durability", "fit", "{p}", "-o", "m.json"],
])
def test_fifo_refused_at_once(tmp_path, fifo, argv):
    args = [str(a).replace("{p}", str(fifo)) for a in argv]
    res = _accord(*args, cwd=tmp_path)  # a hang raises TimeoutExpired: the test fails
    assert res.returncode == 2, res.stderr
    assert str(fifo) in res.stderr
    assert "named pipe (FIFO)" in res.stderr
    assert "Traceback" not in res.stderr


def test_fifo_as_spreadsheet(tmp_path):
    p = tmp_path / "pipe.xlsx"
    os.mkfifo(p)
    res = _accord("validate", p, cwd=tmp_path)
    assert res.returncode == 2 and "named pipe" in res.stderr and str(p) in res.stderr


def test_device_socket_directory_refused(run_cli, tmp_path):
    sock_path = tmp_path / "s.yaml"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        for path, kind in (("/dev/null", "character device"), (sock_path, "socket"),
                           (tmp_path, "directory")):
            code, _out, err = run_cli("validate", path)
            assert code == 2, err
            assert str(path) in err and kind in err
    finally:
        sock.close()


def test_directory_as_store_refused(run_cli, tmp_path):
    code, _out, err = run_cli("forecast", FLAGSHIP, "--store", tmp_path)
    assert code == 2 and "directory" in err and str(tmp_path) in err


def test_fifo_as_output_refused(tmp_path):
    from accord.errors import InputError
    from accord.files import require_regular_file, require_writable_target, write_atomic

    p = tmp_path / "out.json"
    os.mkfifo(p)
    with pytest.raises(InputError, match="named pipe"):
        write_atomic(p, "{}")
    assert Path(p).exists() and not Path(p).is_file()  # left as it was
    assert require_writable_target(tmp_path / "new.json") == tmp_path / "new.json"
    assert require_regular_file(FLAGSHIP) == FLAGSHIP
