"""Compile every numba kernel once, into numba's cache, so that the first real run is fast.

``make install`` runs ``accord warmup`` (this module) after installing; after a wheel
install, run the same command once (the first forecast otherwise spends 20-40 s compiling;
docs/performance.md). It forecasts a small built-in scenario with every model, as the CLI
does, then runs a short Monte Carlo over its ranges, which reaches the parallel kernels and
the samplers. Kernels are cached with ``cache=True`` next to the package (or in
``NUMBA_CACHE_DIR``); nothing is written elsewhere.
"""

from __future__ import annotations

import sys
import time
from typing import Any

#: Three actors, two issues, ranges on every kind of input: enough to reach every kernel.
SCENARIO: dict[str, Any] = {
    "name": "warm-up",
    "issues": [{"id": "a", "scale": [0, 100]}, {"id": "b", "scale": [0, 10]}],
    "actors": [
        {"id": "x", "capability": 3.0, "capability_range": [2.0, 4.0],
         "positions": {"a": 10, "b": 2}, "ranges": {"a": [0, 20]},
         "salience": {"a": 80, "b": 40}},
        {"id": "y", "capability": 2.0, "positions": {"a": 60, "b": 8},
         "salience": {"a": 50, "b": 90}, "salience_ranges": {"b": [70, 100]}},
        {"id": "z", "capability": 1.0, "positions": {"a": 90, "b": 5},
         "salience": {"a": 60, "b": 60}},
    ],
}


def warm_up(n_draws: int = 1024) -> float:
    """Run every model once and a short Monte Carlo; returns the seconds it took.

    1,024 draws reach the kernels kept for large batches (the parallel weighted median); the
    exchange model's table search, used on large scenarios only, is run once directly.
    """
    import numpy as np

    from accord.forecast import forecast
    from accord.models._exchange import run_exchange
    from accord.scenario import scenario_from_mapping
    from accord.uncertainty.sampling import add_intervals

    t0 = time.perf_counter()
    run = forecast(scenario_from_mapping(SCENARIO, "<warm-up>"))
    add_intervals(run, n_draws=n_draws, seed=0)
    x = np.array([[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]])
    run_exchange(x, np.full((3, 2), 0.5), np.ones(3), np.ones((3, 2), dtype=bool))
    return time.perf_counter() - t0


def main() -> None:
    print("accord: compiling the models' kernels once (about a minute on 2 cores) ...",
          file=sys.stderr, flush=True)
    seconds = warm_up()
    print(f"accord: kernels compiled and cached in {seconds:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
