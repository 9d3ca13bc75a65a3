"""Stopping ``accord app`` by its PID stops the Streamlit server it started (SIGTERM is
forwarded), so no server is left serving."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("streamlit")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serving(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
def test_sigterm_to_accord_app_stops_the_server(tmp_path):
    port = _free_port()
    accord = Path(sys.executable).parent / "accord"
    proc = subprocess.Popen(
        [str(accord), "app", "--port", str(port)], cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not _serving(port):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the server did not start in 120 s"
            time.sleep(0.5)
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 15
        while _serving(port):  # the server went with it
            assert time.monotonic() < deadline, "the Streamlit server is still serving"
            time.sleep(0.3)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
