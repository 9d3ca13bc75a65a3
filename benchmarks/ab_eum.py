"""A/B of the EUM kernel: a git revision against the working tree, in one process.

This VM's speed drifts by tens of per cent over minutes, so separate `accord bench` runs cannot
show a 5 % change. This script alternates calls of the two kernels on the same draws, on one
thread, and reports the best times and the median of the paired ratios; it also checks that both
give the same results. Pin it to one core for steadier figures:

    taskset -c 1 .venv/bin/python benchmarks/ab_eum.py 52f82e0 --reps 150
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

from accord.bench import synthetic_issue
from accord.models import _eum as new
from accord.scenario import load_scenario
from accord.uncertainty.sampling import sample_scenario

ROOT = Path(__file__).resolve().parents[1]


def old_module(rev: str, tmp: Path):  # noqa: ANN201 - a module
    """The EUM module as it was at ``rev``, loaded under another name (not registered)."""
    src = subprocess.run(
        ["git", "show", f"{rev}:src/accord/models/_eum.py"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    src = src.replace("@register\n", "")  # the registry already holds the current class
    path = tmp / "eum_old.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("eum_old", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def cases(n_flag: int, n_ten: int) -> dict[str, list[tuple[np.ndarray, ...]]]:
    sc = load_scenario(ROOT / "examples" / "ukraine-ceasefire-2025.yaml")
    draws = sample_scenario(sc, n_flag, rng=0)
    flag = [(i.positions, i.capability, i.salience, i.lo, i.hi) for i in map(draws.issue, range(9))]
    ten = synthetic_issue(10, n_ten, seed=10).issue(0)
    return {"flagship (9 issues)": flag, "10 actors": [(ten.positions, ten.capability,
                                                      ten.salience, ten.lo, ten.hi)]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="git revision to compare against, e.g. HEAD~1")
    ap.add_argument("--reps", type=int, default=100)
    args = ap.parse_args()
    numba.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        old = old_module(args.rev, Path(tmp))
        for name, issues in cases(1000, 200).items():
            def run(mod, issues=issues):  # noqa: ANN001, ANN202
                return [mod.eum_solve(*a[:3], a[3], a[4], rounds=10, trace=False) for a in issues]

            same = all(
                np.array_equal(a.final, b.final) and np.array_equal(a.median, b.median)
                for a, b in zip(run(old), run(new), strict=True)
            )
            t_old, t_new = [], []
            for _ in range(args.reps):
                for mod, out in ((old, t_old), (new, t_new)):
                    t0 = time.perf_counter()
                    run(mod)
                    out.append(time.perf_counter() - t0)
            o, n = np.array(t_old), np.array(t_new)
            print(f"{name}: {args.rev} {o.min() * 1e3:.2f} ms, working tree {n.min() * 1e3:.2f} ms;"
                  f" speed-up best {o.min() / n.min():.3f}, median paired {np.median(o / n):.3f};"
                  f" results identical: {same}")


if __name__ == "__main__":
    sys.exit(main())
