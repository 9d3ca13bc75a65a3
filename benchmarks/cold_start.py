"""Cold start: how long the first runs take from a fresh numba cache (issue 17 item 4).

Each figure is a fresh Python process (``accord`` command or ``python -c``) with
``NUMBA_CACHE_DIR`` pointing at a new temporary directory, so nothing compiled earlier is
reused, as after a wheel install into a new environment:

1. first ``accord forecast examples/ukraine-ceasefire-2025.yaml --model all --no-store``;
2. the same command again (cache now warm): what every later run costs;
3. the first Monte Carlo of 2,000 draws (every model) in a new Python session, fresh cache;
4. the same in a new session with the cache warm.

Usage (from the repository root)::

    .venv/bin/python benchmarks/cold_start.py [--repeats 2]

``--warm-install`` first runs ``python -m accord.models._warmup`` (what ``make install``
does) into the fresh cache and then times 1. and 3. as a user after ``make install`` sees them.
To time another revision, put its ``src`` first: ``PYTHONPATH=/tmp/old/src python ...``.
Targets (2-core machine): 1. < 10 s, 2. < 2 s, 3. < 15 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FLAGSHIP = ROOT / "examples" / "ukraine-ceasefire-2025.yaml"
MC = (
    "from accord.scenario import load_scenario\n"
    "from accord.forecast import forecast\n"
    "from accord.uncertainty.sampling import add_intervals\n"
    f"run = forecast(load_scenario({str(FLAGSHIP)!r}))\n"
    "add_intervals(run, n_draws=2000, seed=0)\n"
)


WARMUP = [sys.executable, "-m", "accord.models._warmup"]


#: CPU seconds (user + system) of each timed command, by figure: steadier than wall time on a
#: shared machine, and what the compile costs.
CPU: dict[str, list[float]] = {}


def timed(cmd: list[str], env: dict[str, str], cwd: str, label: str = "") -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if label:
        CPU.setdefault(label, []).append(cpu)
    return wall


def one_round(warm_install: bool) -> dict[str, float]:
    forecast_cmd = [str(BIN / "accord"), "forecast", str(FLAGSHIP), "--model", "all",
                    "--no-store"]
    mc_cmd = [sys.executable, "-c", MC]
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as cwd:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        if warm_install:
            label = "warmup (make install step)"
            out[label] = timed(WARMUP, env, cwd, label)
        out["first forecast --model all"] = timed(forecast_cmd, env, cwd,
                                                  "first forecast --model all")
        out["later forecast --model all"] = timed(forecast_cmd, env, cwd,
                                                  "later forecast --model all")
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as cwd:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        if warm_install:
            timed(WARMUP, env, cwd)
        out["first Monte Carlo 2,000 draws"] = timed(mc_cmd, env, cwd,
                                                     "first Monte Carlo 2,000 draws")
        out["later Monte Carlo 2,000 draws"] = timed(mc_cmd, env, cwd,
                                                     "later Monte Carlo 2,000 draws")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--warm-install", action="store_true",
                    help="run the warm-up into the fresh cache first (as make install does)")
    args = ap.parse_args()
    rows: dict[str, list[float]] = {}
    for r in range(args.repeats):
        for k, v in one_round(args.warm_install).items():
            rows.setdefault(k, []).append(v)
            print(f"round {r + 1}: {k}: {v:.2f} s", file=sys.stderr, flush=True)
    print(f"{'figure (seconds)':34s} {'best':>8s} {'median':>8s} {'cpu best':>9s}")
    for k, v in rows.items():
        cpu = min(CPU.get(k, [float("nan")]))
        print(f"{k:34s} {min(v):8.2f} {statistics.median(v):8.2f} {cpu:9.2f}")


if __name__ == "__main__":
    main()
