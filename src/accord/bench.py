"""``accord bench``: throughput figures, measured in one run so ratios are comparable.

Each case is a function returning a list of result dicts
``{"name", "per_second", "actors", "draws", ...}`` (the contract's ``bench`` shape).
Other packages add their cases to :data:`CASES` (one line each).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from accord import resources
from accord.models import get_model
from accord.scenario import ScenarioDraws
from accord.strategies import bench_simulator

Result = dict[str, Any]
#: Draws per call of the full-size EUM cases (``--quick``: 200).
FULL_DRAWS = 1000


def synthetic_issue(n_actors: int, n_draws: int, seed: int = 0) -> ScenarioDraws:
    """One 0-100 issue with random positions, saliences and capabilities, per draw."""
    rng = np.random.default_rng(seed)
    pos = rng.uniform(0, 100, (n_draws, n_actors, 1)).round(0)
    sal = rng.uniform(0.1, 1.0, (n_draws, n_actors, 1))
    cap = rng.uniform(0.05, 1.0, (n_draws, n_actors))
    return ScenarioDraws(
        positions=pos,
        salience=sal,
        capability=cap,
        mask=np.ones((n_actors, 1), dtype=bool),
        scale=np.array([[0.0, 100.0]]),
        status_quo=np.array([np.nan]),
        actor_ids=tuple(f"a{i}" for i in range(n_actors)),
        issue_ids=("x",),
    )


def emissions_draws(n_draws: int) -> ScenarioDraws:
    """The 1994 EU emissions example (Bueno de Mesquita 1994), repeated n_draws times."""
    from accord.scenario import load_scenario, to_arrays

    return to_arrays(load_scenario(resources.example_path("eu-emissions-1994.yaml")), n_draws)


def timed(fn: Callable[[], Any], *, min_time: float = 0.5, max_reps: int = 50) -> float:
    """Best wall time of repeated calls (after one warm-up call, which also JIT-compiles)."""
    return timed_spread(fn, min_time=min_time, max_reps=max_reps)[0]


def timed_spread(
    fn: Callable[[], Any], *, min_time: float = 0.5, max_reps: int = 50
) -> tuple[float, float]:
    """(best, median) wall time of repeated calls, after one warm-up call. The best is the
    figure (the least disturbed run); the median shows how much a shared machine disturbs."""
    fn()
    times: list[float] = []
    while len(times) < max_reps and (sum(times) < min_time or len(times) < 2):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def bench_eum(quick: bool = False) -> list[Result]:
    """EUM, 10 rounds, batched over 1,000 draws: the emissions example and synthetic issues."""
    model = get_model("eum", rounds=10, trace=False)
    n_draws = 200 if quick else FULL_DRAWS
    cases: list[tuple[str, ScenarioDraws]] = [("eum emissions-1994", emissions_draws(n_draws))]
    for n in (10, 20, 40, 80):
        cases.append((f"eum synthetic {n} actors", synthetic_issue(n, n_draws, seed=n)))
    out = []
    for name, draws in cases:
        t, t_median = timed_spread(lambda d=draws: model.run(d))
        out.append(
            {
                "name": name,
                "model": "eum",
                "rounds": 10,
                "per_second": draws.n_draws / t,
                "median_per_second": draws.n_draws / t_median,
                "actors": draws.n_actors,
                "draws": draws.n_draws,
                "seconds": t,
            }
        )
    return out


def bench_static(quick: bool = False) -> list[Result]:
    """The static models on 10-actor issues, 100,000 draws."""
    n_draws = 10_000 if quick else 100_000
    draws = synthetic_issue(10, n_draws, seed=1)
    out = []
    for name in ("compromise", "median", "nash"):
        model = get_model(name)
        t = timed(lambda m=model: m.run(draws))
        out.append({"name": f"{name} synthetic 10 actors", "model": name, "per_second":
                    n_draws / t, "actors": 10, "draws": n_draws, "seconds": t})
    return out


def bench_smp(quick: bool = False) -> list[Result]:
    """KTAB's SMP on the bundled KTAB inputs (``../shared/data/ktab``), seconds per scenario."""
    from accord.models import bench_smp_files

    data = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ktab"
    if not data.is_dir():
        return []
    ktab_seconds = {"SOE-Pol-Comp": 0.47, "SOE-Policy": 1.7, "SOE-Competitive": 7.5,
                    "dummyData-a040": 7.1, "dummyData-a080": 57.0}
    out = []
    for r in bench_smp_files(data):
        name = str(r["name"]).removesuffix(".csv")
        if quick and r["actors"] > 40:
            continue
        ref = ktab_seconds.get(name)
        out.append({
            "name": f"smp {name}", "model": "smp", "per_second": 1.0 / r["seconds"],
            "actors": r["actors"], "draws": 1, "seconds": r["seconds"],
            "cpu_seconds": r.get("cpu_seconds"), "turns": r["turns"], "dims": r["dims"],
            "ktab_seconds": ref,
            "note": f"KTAB C++ {ref:g} s: {ref / r['seconds']:.0f}x" if ref else "",
        })
    return out


def bench_calibrated(quick: bool = False) -> list[Result]:
    """The calibrated model: issue-draws per second (features, two logits, median per draw) on
    a synthetic 10-actor issue, and ``forecast --model calibrated --draws 1000`` on the
    flagship (Monte Carlo and the mixture over draws), per issue."""
    from accord.forecast import forecast
    from accord.scenario import load_scenario
    from accord.uncertainty.sampling import add_intervals

    n_draws = 200 if quick else FULL_DRAWS
    draws = synthetic_issue(10, n_draws, seed=2)
    model = get_model("calibrated")
    t = timed(lambda: model.run(draws))
    out: list[Result] = [{"name": "calibrated synthetic 10 actors", "model": "calibrated",
                          "per_second": n_draws / t, "actors": 10, "draws": n_draws,
                          "seconds": t, "note": "issue-draws per second"}]
    path = resources.path("examples/ukraine-ceasefire-2025.yaml")
    if path is not None:
        sc = load_scenario(path)
        m = len(sc.issues)

        def run() -> None:
            add_intervals(forecast(sc, ["calibrated"]), n_draws=n_draws, seed=0)

        t = timed(run, min_time=1.0, max_reps=5)
        out.append({"name": f"calibrated flagship forecast --draws {n_draws}",
                    "model": "calibrated", "per_second": n_draws * m / t,
                    "actors": len(sc.actors), "draws": n_draws, "seconds": t,
                    "note": f"issue-draws per second ({m} issues, mixture over draws)"})
    return out


def large_scenario(n_actors: int, n_issues: int, seed: int = 0) -> Any:
    """A random scenario of the given size (0-100 scales, integer positions), from the seed."""
    from accord.scenario import scenario_from_mapping

    rng = np.random.default_rng(seed)
    ids = [f"i{k}" for k in range(n_issues)]
    pos = rng.integers(0, 101, (n_actors, n_issues))
    sal = rng.integers(10, 101, (n_actors, n_issues))
    cap = rng.uniform(1.0, 100.0, n_actors).round(2)
    data = {
        "name": f"synthetic {n_actors} x {n_issues} (seed {seed})",
        "issues": [{"id": i, "scale": [0, 100]} for i in ids],
        "actors": [
            {"id": f"a{a}", "capability": float(cap[a]),
             "positions": {i: int(pos[a, k]) for k, i in enumerate(ids)},
             "salience": {i: int(sal[a, k]) for k, i in enumerate(ids)}}
            for a in range(n_actors)
        ],
    }
    return scenario_from_mapping(data, f"<synthetic {n_actors}x{n_issues}>")


#: The large sizes of issue 18 and their targets (seconds for ``forecast --model all``).
LARGE_SIZES = ((200, 20, 10.0), (500, 50, 60.0), (2000, 1, 30.0))


def bench_large(quick: bool = False) -> list[Result]:
    """``forecast --model all`` on large random scenarios (``accord bench --full`` only): the
    models the cost check lets run, timed each (best and median of 3), and the ones it refuses.
    """
    import os

    from accord.errors import InputError
    from accord.forecast import forecast
    from accord.models import available_models, check_cost

    if quick or not os.environ.get("ACCORD_BENCH_FULL"):
        return []
    out = []
    for n, k, target in LARGE_SIZES:
        sc = large_scenario(n, k, seed=n + k)
        refused: list[str] = []
        names = available_models()
        try:
            check_cost([(m, {}) for m in names], n, k, all_names=names)
        except InputError:
            refused = [m for m in names if _refused(m, n, k)]
        runnable = [m for m in names if m not in refused]
        per_model = {}
        for name in runnable:
            best, _ = timed_spread(lambda m=name, s=sc: forecast(s, [m]), min_time=0.0, max_reps=3)
            per_model[name] = best
        total = sum(per_model.values())
        detail = ", ".join(f"{m} {s:.2f} s" for m, s in per_model.items())
        out.append({
            "name": f"forecast --model all {n} x {k}", "model": "all", "full_size": True,
            "actors": n,
            "issues": k, "draws": 1, "per_second": 1.0 / total if total else 0.0,
            "seconds": total, "target_seconds": target, "refused": refused,
            "per_model_seconds": {m: round(s, 4) for m, s in per_model.items()},
            "note": (f"{detail}; refused before starting: {', '.join(refused) or 'none'}"
                     f"; target {target:g} s"),
        })
    return out


def _refused(name: str, n: int, k: int) -> bool:
    from accord.errors import InputError
    from accord.models import check_cost

    try:
        check_cost([(name, {})], n, k, all_names=[name])
    except InputError:
        return True
    return False


from accord.advise import bench_advise  # noqa: E402
from accord.uncertainty.bench import bench_flagship, bench_sampling  # noqa: E402

#: Bench cases, in order. Add one line per new case.
CASES: list[Callable[[bool], list[Result]]] = [
    bench_eum,
    bench_static,
    bench_calibrated,
    bench_sampling,  # accord.uncertainty.bench
    bench_flagship,  # accord.uncertainty.bench (ACCORD_BENCH_FULL=1: 1M draws)
    bench_simulator,  # accord.strategies
    bench_smp,
    bench_advise,  # accord.advise (and explain)
    bench_large,  # issue 18's large scenarios (--full only)
]


def run_bench(*, quick: bool = False, progress: Console | None = None) -> list[Result]:
    results: list[Result] = []
    for case in CASES:
        if progress is not None:
            progress.print(f"[dim]bench: {case.__name__} …[/dim]")
        for r in case(quick):
            for key in ("per_second", "median_per_second"):
                if key in r:
                    r[key] = float(round(r[key], 3))
            if "seconds" in r:
                r["seconds"] = float(round(r["seconds"], 6))
            results.append(r)
    return results


#: The speed targets of issue #7 on the reference 2-core machine: (result name, what is
#: compared, at least / at most, threshold, label). Judged on full-size runs only (``--quick``
#: times 200 draws a call, where fixed costs weigh more).
TARGETS: tuple[tuple[str, str, str, float, str], ...] = (
    ("eum synthetic 10 actors", "per_second", ">=", 50_000.0, "EUM, 10 actors, 10 rounds"),
    ("eum synthetic 80 actors", "per_second", ">=", 500.0, "EUM, 80 actors, 10 rounds"),
    ("flagship 1M draws all models", "seconds", "<=", 60.0, "flagship, 1,000,000 draws"),
    ("flagship 1M draws all models", "peak_rss_mb", "<=", 2048.0, "memory of that run"),
    ("advise flagship ukraine", "seconds", "<=", 30.0, "advise, flagship, 1,000 draws"),
    ("advise flagship russia", "seconds", "<=", 30.0, "advise, flagship, 1,000 draws"),
    *((f"forecast --model all {n} x {k}", "seconds", "<=", t, f"--model all, {n} x {k}")
      for n, k, t in LARGE_SIZES),
)


def check_targets(results: list[Result]) -> list[Result]:
    """Each target whose case ran: threshold, measured value and whether it is met."""
    by_name = {r["name"]: r for r in results}
    out = []
    for name, key, op, threshold, label in TARGETS:
        r = by_name.get(name)
        if r is None or key not in r:
            continue
        if r.get("draws", FULL_DRAWS) < FULL_DRAWS and not r.get("full_size"):
            continue
        value = float(r[key])
        met = value >= threshold if op == ">=" else value <= threshold
        out.append({"target": label, "case": name, "key": key, "op": op,
                    "threshold": threshold, "measured": round(value, 3), "met": bool(met)})
    return out


def machine() -> dict[str, Any]:
    """What the figures were measured on (they mean little without it)."""
    import os
    import platform

    import numba

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "numba_threads": numba.get_num_threads(),
            "python": platform.python_version(), "numba": numba.__version__}


def print_targets(targets: list[Result], console: Console) -> None:
    for t in targets:
        mark = "[green]met[/green]" if t["met"] else "[red]not met[/red]"
        console.print(f"target {t['target']}: {t['key']} {t['measured']:,.1f} "
                      f"{t['op']} {t['threshold']:,.0f}: {mark}")


def print_table(results: list[Result], console: Console) -> None:
    table = Table(title="accord bench (best of repeated runs; ratios comparable within one run)")
    for col, just in (("case", "left"), ("actors", "right"), ("draws", "right"),
                      ("solves/s", "right"), ("median", "right"), ("seconds/call", "right"),
                      ("note", "left")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for r in results:
        med = r.get("median_per_second")
        table.add_row(
            r["name"], str(r.get("actors", "")), str(r.get("draws", "")),
            f"{r['per_second']:,.0f}", "" if med is None else f"{med:,.0f}",
            f"{r.get('seconds', float('nan')):.4f}", r.get("note", ""),
        )
    console.print(table)
