"""Losing Dask workers mid-run (issue 18, item 6), on a cluster this test starts itself.

The scheduler and its workers run as subprocesses bound to 127.0.0.1 only (no other address is
ever contacted), without nannies (a killed worker stays dead), and everything is bounded in time:
every wait has a timeout and the processes are killed at the end whatever happens.

* One of two workers killed mid-run of a big ``forecast --draws``: the run ends with the same
  bytes as an undisturbed run on the same cluster (chunks are seeded by their index, and the
  scheduler re-runs the lost worker's chunk elsewhere).
* The only worker killed: exit 2 naming the scheduler, nothing on stdout, no run store written.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

pytest.importorskip("distributed")
FLAGSHIP = EXAMPLES / "ukraine-ceasefire-2025.yaml"
DRAWS = "200000"
MODELS = ("-m", "eum", "-m", "compromise")
RUN_TIMEOUT = 300  # seconds; a healthy run takes a fraction of this on 2 shared cores
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A scheduler and ``n`` single-threaded workers on loopback."""

    def __init__(self, n_workers: int, tmp: Path) -> None:
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen] = []
        self.tmp = tmp
        self.scheduler = self._spawn("scheduler", "distributed.cli.dask_scheduler",
                                     "--host", "127.0.0.1", "--port", str(self.port),
                                     "--no-dashboard")
        self.workers = [
            self._spawn(f"worker{i}", "distributed.cli.dask_worker", self.address,
                        "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                        "--no-dashboard", "--nworkers", "1")
            for i in range(n_workers)
        ]
        self._wait_for(n_workers)

    def _spawn(self, name: str, module: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        p = subprocess.Popen([sys.executable, "-m", module, *args], stdout=log, stderr=log,
                             env=ENV, start_new_session=True)
        self.procs.append(p)
        return p

    def _wait_for(self, n: int, timeout: float = 120.0) -> None:
        from distributed import Client

        deadline = time.monotonic() + timeout
        while True:  # the scheduler first has to listen
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the test's Dask scheduler did not start")
                time.sleep(0.2)
        with Client(self.address, timeout="30s") as c:
            c.wait_for_workers(n, timeout=max(1.0, deadline - time.monotonic()))

    def close(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.kill()
        for p in self.procs:
            p.wait(timeout=30)


@pytest.fixture
def cluster(request, tmp_path):
    clusters: list[Cluster] = []

    def make(n: int) -> Cluster:
        c = Cluster(n, tmp_path)
        clusters.append(c)
        return c

    yield make
    for c in clusters:
        c.close()


def _wait_until_processing(c: Cluster, run: subprocess.Popen, timeout: float = 120.0) -> None:
    """Until the scheduler has handed chunks of the run to its workers (so a kill is mid-run)."""
    from distributed import Client

    deadline = time.monotonic() + timeout
    with Client(c.address, timeout="30s") as client:
        while not any(client.processing().values()):
            assert run.poll() is None, "the run ended before a worker could be killed"
            if time.monotonic() > deadline:
                pytest.fail("the run never reached the workers")
            time.sleep(0.2)


def _forecast(address: str, store: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "accord.cli", "forecast", str(FLAGSHIP), *MODELS, "--draws", DRAWS,
         "--seed", "7", "--json", "--dask", address, "--store", str(store)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV,
    )


def test_one_of_two_workers_killed_same_bytes(cluster, tmp_path):
    c = cluster(2)
    t0 = time.monotonic()
    ref = _forecast(c.address, tmp_path / "a.duckdb")
    ref_out, ref_err = ref.communicate(timeout=RUN_TIMEOUT)
    took = time.monotonic() - t0
    assert ref.returncode == 0, ref_err.decode()

    run = _forecast(c.address, tmp_path / "b.duckdb")
    _wait_until_processing(c, run)
    time.sleep(0.2 * took)  # some chunks done: the undisturbed run took `took` seconds
    assert run.poll() is None, "the run ended before a worker could be killed"
    os.kill(c.workers[1].pid, signal.SIGKILL)
    out, err = run.communicate(timeout=RUN_TIMEOUT)
    assert c.workers[1].wait(timeout=10) == -signal.SIGKILL
    assert run.returncode == 0, err.decode()
    assert out == ref_out  # the same bytes as undisturbed
    print(f"undisturbed {took:.1f} s; with a worker killed "
          f"{time.monotonic() - t0 - took:.1f} s")


def test_only_worker_killed_exit_2_nothing_written(cluster, tmp_path):
    c = cluster(1)
    store = tmp_path / "runs.duckdb"
    run = _forecast(c.address, store)
    _wait_until_processing(c, run)
    assert run.poll() is None, "the run ended before its worker could be killed"
    os.kill(c.workers[0].pid, signal.SIGKILL)
    out, err = run.communicate(timeout=RUN_TIMEOUT)
    text = err.decode()
    assert run.returncode == 2, text
    assert c.address in text and "worker" in text and "nothing was written" in text
    assert "Traceback" not in text and "internal error" not in text
    assert out == b""
    assert not store.exists()
