"""Candidate specifications of the ``calibrated`` model, chosen by nested grouped CV.

Protocol (fixed before any outer-fold figure was looked at; docs/calibrated.md):

- **A** the shipped specification (19 features; the compromise mean, weighted median and Nash
  solution already enter as distances and as candidate points, so "B = + those forecasts"
  is A itself);
- **C** A plus the distances to the forecasts of ``eum``, ``smp`` and ``exchange`` (run on the
  issue as written) and those three points as candidates;
- **D** a point model: a convex combination of the forecasts of compromise, median, nash, eum,
  smp, exchange, the status quo (the compromise forecast where none) and 50, fitted by least
  absolute error with an L1 penalty ``lam * sum |w - w_compromise|`` (lam chosen by inner CV),
  the distribution around it the point plus its inner-CV residuals (1 % uniform floor);
- **N** the nested selection: in each outer training fold, the candidate with the lowest
  inner-CV MAE (each candidate's own best penalty) is fitted and used on the outer test fold.

Outer folds: 5, grouped by proposal; inner: 4 grouped folds of the training fold; nothing sees
the proposals it is scored on. Prints each outer fold's inner MAEs and pick, then per candidate
and for N: MAE, paired difference to compromise with a 95 % cluster-bootstrap interval,
coverage 50/80/90 %, CRPS and log score.

    .venv/bin/python benchmarks/calibrated_candidates.py ../shared/data/deu3/deu3_part_a.tsv
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.optimize import linprog

from accord.backtest import (
    COVERAGE_LEVELS,
    GridData,
    choose_and_fit,
    cluster_counts,
    distribution_scores,
    grid_data,
    group_folds,
    interval,
    load_deu,
    run_registry_model,
)
from accord.models import predictive_interval, quantile

GRID = np.arange(101.0)
EXTRA = ("eum", "smp", "exchange")
POINTS = ("compromise", "median", "nash", "eum", "smp", "exchange")
LAMS = (1.0, 0.3, 0.1, 0.03, 0.01, 0.0)  # strongest first: ties go to the stronger penalty
CANDIDATES = ("A", "C", "D")


def lp_weights(f: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    """Simplex weights minimising mean |f w - y| + lam * sum |w - e_compromise| (an LP)."""
    n, k = f.shape
    e0 = np.zeros(k)
    e0[0] = 1.0
    nv = k + 2 * n + k  # w, positive and negative residuals, |w - e0|
    c = np.r_[np.zeros(k), np.ones(2 * n) / n, lam * np.ones(k)]
    aeq = np.zeros((n + 1, nv))
    aeq[:n, :k] = f
    aeq[:n, k : k + n] = -np.eye(n)
    aeq[:n, k + n : k + 2 * n] = np.eye(n)
    aeq[n, :k] = 1.0
    aub = np.zeros((2 * k, nv))
    aub[:k, :k] = np.eye(k)
    aub[k:, :k] = -np.eye(k)
    aub[:, k + 2 * n :] = np.vstack([-np.eye(k), -np.eye(k)])
    res = linprog(c, A_ub=aub, b_ub=np.r_[e0, -e0], A_eq=aeq, b_eq=np.r_[y, 1.0],
                  bounds=[(0, None)] * nv, method="highs")
    return np.asarray(res.x[:k])


def residual_dist(point: np.ndarray, res: np.ndarray) -> np.ndarray:
    pts = np.clip(np.rint(point[:, None] + res[None, :]), 0, 100).astype(int)
    out = np.zeros((len(point), GRID.size))
    rows = np.repeat(np.arange(len(point)), pts.shape[1])
    np.add.at(out, (rows, pts.reshape(-1)), 1.0 / pts.shape[1])
    return 0.99 * out + 0.01 / GRID.size


def choose_d(f: np.ndarray, y: np.ndarray, groups: np.ndarray, k: int, seed: int):  # noqa: ANN201
    fo = group_folds(groups, k, seed)
    oof = {lam: np.zeros(len(y)) for lam in LAMS}
    for j in range(int(fo.max()) + 1):
        a, b = fo != j, fo == j
        for lam in LAMS:
            oof[lam][b] = f[b] @ lp_weights(f[a], y[a], lam)
    sc = {lam: float(np.abs(oof[lam] - y).mean()) for lam in LAMS}
    best = next(lam for lam in LAMS if sc[lam] <= min(sc.values()) + 1e-12)
    return sc, best, lp_weights(f, y, best), y - oof[best]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner", type=int, default=4)
    args = ap.parse_args()
    data = load_deu(args.data).scored()
    cap = np.ones((data.n_issues, len(data.actors)))
    t0 = time.perf_counter()
    fc = {m: run_registry_model(m, data, cap) for m in POINTS}
    print(f"forecasts of {', '.join(POINTS)}: {time.perf_counter() - t0:.1f} s")
    d = grid_data(data)
    n = len(d.y)
    ext = np.stack([fc[m] for m in EXTRA], axis=1)
    cand = d.cand.copy()
    for j in range(len(EXTRA)):
        cand[np.arange(n), np.clip(np.rint(ext[:, j]), 0, 100).astype(int)] = True
    z = np.concatenate([d.z, np.abs(GRID[None, :, None] - ext[:, None, :]) / 25.0], axis=2)
    spec = {"A": d, "C": GridData(z, cand, d.y, d.groups, d.mean)}
    sq = np.where(np.isnan(data.rp), fc["compromise"], data.rp)
    f = np.stack([*(fc[m] for m in POINTS), sq, np.full(n, 50.0)], axis=1)

    fo = group_folds(d.groups, args.folds, args.seed)
    names = (*CANDIDATES, "N")
    dist = {c: np.zeros((n, GRID.size)) for c in names}
    ints = {c: {str(lv): np.zeros((n, 2)) for lv in COVERAGE_LEVELS} for c in names}
    for j in range(int(fo.max()) + 1):
        te, tr = np.flatnonzero(fo == j), np.flatnonzero(fo != j)
        inner: dict[str, float] = {}
        for c, dd in spec.items():
            ch = choose_and_fit(dd.take(tr), k=args.inner, seed=args.seed)
            inner[c] = min(ch.scores.values())
            dist[c][te] = ch.coef.dist(dd.z[te], dd.cand[te])
            for lv in COVERAGE_LEVELS:
                ints[c][str(lv)][te] = predictive_interval(dist[c][te], lv, ch.coef.table)
        sc, lam, w, res = choose_d(f[tr], d.y[tr], d.groups[tr], args.inner, args.seed)
        inner["D"] = min(sc.values())
        dist["D"][te] = residual_dist(f[te] @ w, res)
        for lv in COVERAGE_LEVELS:
            ints["D"][str(lv)][te] = predictive_interval(dist["D"][te], lv, None)
        pick = min(CANDIDATES, key=lambda c: inner[c])  # ties to the earlier (A first)
        dist["N"][te] = dist[pick][te]
        for lv in COVERAGE_LEVELS:
            ints["N"][str(lv)][te] = ints[pick][str(lv)][te]
        print(f"outer fold {j}: inner-CV MAE " + ", ".join(f"{c} {v:.2f}" for c, v in
              inner.items()) + f"; picked {pick}; D lam {lam:g}, weights {np.round(w, 2)}")

    counts = cluster_counts(d.groups, 2000, np.random.default_rng(args.seed))
    tot = counts.sum(axis=1)
    ref = np.abs(d.mean - d.y)
    print(f"compromise MAE {ref.mean():.2f}")
    print("cand   MAE  diff [95% CI]          rel    cov50 cov80 cov90  CRPS   log")
    for c in names:
        err = np.abs(quantile(dist[c], 0.5) - d.y)
        lo, hi = interval((counts @ err - counts @ ref) / tot, 0.95)
        s = distribution_scores(dist[c], d.y, ints[c])
        cov = s["coverage"]
        print(f"{c:4s} {err.mean():6.2f} {err.mean() - ref.mean():+5.2f} [{lo:+5.2f}, {hi:+5.2f}]"
              f" {1 - err.mean() / ref.mean():6.1%} {100 * cov['0.5']:5.1f} "
              f"{100 * cov['0.8']:5.1f} {100 * cov['0.9']:5.1f} {s['crps']:6.2f} "
              f"{s['log_score']:6.2f}")


if __name__ == "__main__":
    main()
