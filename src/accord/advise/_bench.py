"""Bench case for ``accord advise`` (and ``accord explain``) on the flagship scenario."""

from __future__ import annotations

import time
from typing import Any

from accord import resources

FLAGSHIP = resources.path("examples/ukraine-ceasefire-2025.yaml")
#: Actors advised in the bench (the two sides).
ACTORS = ("ukraine", "russia")


def bench_advise(quick: bool = False) -> list[dict[str, Any]]:
    """Wall time of advice for one actor of the flagship (default model, 1,000 draws; quick:
    200), after a warm-up that compiles the kernels; and of ``explain`` with every model."""
    from accord.advise import DEFAULT_MODEL, advise
    from accord.explain import explain
    from accord.scenario import load_scenario

    if FLAGSHIP is None:
        return []
    sc = load_scenario(FLAGSHIP)
    n = 200 if quick else 1000
    advise(sc, ACTORS[0], n_draws=8)  # warm-up (JIT)
    out = []
    for actor in ACTORS:
        t0 = time.perf_counter()
        doc = advise(sc, actor, n_draws=n, seed=0)
        t = time.perf_counter() - t0
        out.append({
            "name": f"advise flagship {actor}", "model": DEFAULT_MODEL, "per_second": n / t,
            "actors": len(sc.actors), "draws": n, "seconds": t,
            "model_runs": doc["search"]["model_runs"],
            "note": f"{doc['search']['screened']} moves screened, "
                    f"{doc['search']['confirmed']} confirmed",
        })
    explain(sc, issues=["s"])  # warm-up
    t0 = time.perf_counter()
    explain(sc)
    t = time.perf_counter() - t0
    out.append({"name": "explain flagship all models", "model": "all", "per_second": 1.0 / t,
                "actors": len(sc.actors), "draws": 1, "seconds": t,
                "note": "9 issues x 6 models, pivotal actors included"})
    return out
