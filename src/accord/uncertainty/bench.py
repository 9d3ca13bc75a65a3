"""Bench cases for Monte Carlo at scale (wired into :data:`accord.bench.CASES`).

``bench_sampling``: scenario draws per second. ``bench_flagship``: the flagship scenario through
every static model and the EUM, streamed in chunks, with wall time and peak memory. The default
bench runs 100,000 draws; ``ACCORD_BENCH_FULL=1`` runs the 1,000,000-draw case, here and on a
2-worker LocalCluster.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from accord import resources

Result = dict[str, Any]
#: The flagship example, from the checkout or the installed package (None if missing).
FLAGSHIP = resources.path("examples/ukraine-ceasefire-2025.yaml")
FLAGSHIP_MODELS = ("compromise", "median", "nash", "eum")


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):  # not Linux: fall back to the lifetime peak
        from accord.uncertainty.sampling import peak_rss_mb

        return peak_rss_mb()


class RssPeak:
    """Context manager sampling this process's resident memory every 20 ms; ``peak_mb``."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        self._stop = threading.Event()

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, _rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> RssPeak:
        self.peak_mb = _rss_mb()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, _rss_mb())


def _flagship():  # noqa: ANN202 - Scenario
    from accord.scenario import load_scenario

    assert FLAGSHIP is not None, "the bundled flagship example is missing"
    return load_scenario(FLAGSHIP)


def _specs(scenario) -> list[tuple[str, dict[str, Any]]]:  # noqa: ANN001
    from accord.models import available_models

    return [(m, scenario.model_settings(m)) for m in FLAGSHIP_MODELS if m in available_models()]


def bench_sampling(quick: bool = False) -> list[Result]:
    """Draws of the flagship scenario per second (inverse-CDF sampling, PERT)."""
    if FLAGSHIP is None:
        return []
    from accord.uncertainty.sampling import CHUNK, sample_scenario, scenario_inputs

    sc = _flagship()
    n = CHUNK
    sample_scenario(sc, n, rng=0)
    best = float("inf")
    for rep in range(2 if quick else 5):
        t0 = time.perf_counter()
        sample_scenario(sc, n, rng=rep)
        best = min(best, time.perf_counter() - t0)
    return [
        {
            "name": "sampling flagship (pert)",
            "per_second": n / best,
            "actors": len(sc.actors),
            "draws": n,
            "seconds": best,
            "inputs": scenario_inputs(sc).n_inputs,
        }
    ]


def flagship_run(
    n_draws: int, *, dask: str | None = None, chunk_size: int | None = None, progress: bool = False
) -> Result:
    """One streamed Monte Carlo run of the flagship scenario; wall time and peak memory."""
    from accord.uncertainty.sampling import CHUNK, monte_carlo

    sc = _flagship()
    specs = _specs(sc)
    monte_carlo(sc, specs, 2048, seed=0, chunk_size=1024)  # warm-up: JIT, imports
    with RssPeak() as mem:
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        mc = monte_carlo(
            sc, specs, n_draws, seed=0, chunk_size=chunk_size or CHUNK, dask=dask, progress=progress
        )
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
    size = f"{n_draws // 1_000_000}M" if n_draws % 1_000_000 == 0 else f"{n_draws // 1000}k"
    where = f" on dask {dask}" if dask else ""
    return {
        "name": f"flagship {size} draws all models{where}",
        "per_second": n_draws / wall,
        "actors": len(sc.actors),
        "issues": len(sc.issues),
        "draws": n_draws,
        "seconds": wall,
        "cpu_seconds": round(cpu, 3),
        "peak_rss_mb": round(max(mem.peak_mb, mc.info.get("worker_peak_rss_mb") or 0.0), 1),
        "models": [m for m, _ in specs],
        "workers": mc.workers,
        "note": f"peak {max(mem.peak_mb, mc.info.get('worker_peak_rss_mb') or 0.0):,.0f} MB",
    }


def bench_flagship(quick: bool = False) -> list[Result]:
    """Flagship scenario through every static model and the EUM: 100k draws (quick: 20k);
    with ``ACCORD_BENCH_FULL=1`` also 1,000,000 draws here and on a 2-worker LocalCluster."""
    if FLAGSHIP is None:
        return []
    out = [flagship_run(20_000 if quick else 100_000)]
    if os.environ.get("ACCORD_BENCH_FULL"):
        out.append(flagship_run(1_000_000))
        try:
            import distributed  # noqa: F401
        except ImportError:  # pragma: no cover
            return out
        out.append(flagship_run(1_000_000, dask="local:2"))
    return out
