"""Error metrics with cluster-bootstrap intervals (resampling proposals, not issues).

Issues of one proposal share actors, rapporteurs and bargaining, so their errors are correlated;
resampling issues would give intervals that are too narrow. Every interval here resamples
whole proposals with replacement (a cluster bootstrap; Cameron, Gelbach & Miller 2008, "Bootstrap-
based improvements for inference with clustered errors", REStat 90(3)) and takes percentiles.
Paired differences use the same resamples for both models.
"""

from __future__ import annotations

import numpy as np


def cluster_counts(groups: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n_issues) multiplicity of each issue in each resample of whole groups."""
    _, inv = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    n_groups = int(inv.max()) + 1 if inv.size else 0
    if n_boot <= 0 or n_groups == 0:
        return np.zeros((0, inv.size))
    per_group = rng.multinomial(n_groups, np.full(n_groups, 1.0 / n_groups), size=n_boot)
    return per_group[:, inv].astype(float)


def weighted_median_rows(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Median of ``values`` (n,) under each row of ``weights`` (B, n)."""
    order = np.argsort(values, kind="stable")
    v = values[order]
    cum = np.cumsum(weights[:, order], axis=1)
    half = 0.5 * cum[:, -1:]
    idx = np.argmax(cum >= half * (1 - 1e-12), axis=1)
    return v[idx]


def point_metrics(err: np.ndarray) -> dict[str, float]:
    """MAE, RMSE and median absolute error of signed errors ``err`` (n,)."""
    a = np.abs(err)
    return {
        "mae": float(a.mean()),
        "rmse": float(np.sqrt((a**2).mean())),
        "median_ae": float(np.median(a)),
    }


def boot_metrics(err: np.ndarray, counts: np.ndarray) -> dict[str, np.ndarray]:
    """Bootstrap distributions (n_boot,) of MAE, RMSE and median AE."""
    a = np.abs(err)
    tot = counts.sum(axis=1)
    return {
        "mae": counts @ a / tot,
        "rmse": np.sqrt(counts @ (a**2) / tot),
        "median_ae": weighted_median_rows(a, counts),
    }


def interval(samples: np.ndarray, level: float = 0.95) -> list[float]:
    """Percentile interval of bootstrap samples; [nan, nan] without samples."""
    if samples.size == 0:
        return [float("nan"), float("nan")]
    lo, hi = np.quantile(samples, [(1 - level) / 2, (1 + level) / 2])
    return [float(lo), float(hi)]


def score_table(
    forecasts: dict[str, np.ndarray],
    outcome: np.ndarray,
    groups: np.ndarray,
    *,
    reference: str = "compromise",
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> dict[str, dict[str, object]]:
    """Metrics, intervals and paired differences against ``reference`` for every model.

    ``forecasts`` maps model name -> (n_issues,) forecasts; all models are scored on the same
    issues and the same bootstrap resamples (so differences are paired).
    """
    rng = np.random.default_rng(seed)
    counts = cluster_counts(groups, n_boot, rng)
    ref_err = forecasts[reference] - outcome if reference in forecasts else None
    ref_boot = boot_metrics(ref_err, counts) if ref_err is not None else None
    out: dict[str, dict[str, object]] = {}
    for name, f in forecasts.items():
        err = f - outcome
        row: dict[str, object] = dict(point_metrics(err))
        boot = boot_metrics(err, counts)
        row["ci"] = interval(boot["mae"], level)
        row["rmse_ci"] = interval(boot["rmse"], level)
        row["median_ae_ci"] = interval(boot["median_ae"], level)
        if ref_err is not None and ref_boot is not None:
            ref_mae = float(np.abs(ref_err).mean())
            d = boot["mae"] - ref_boot["mae"]
            row["diff_vs_compromise"] = float(row["mae"]) - ref_mae  # type: ignore[arg-type]
            row["diff_ci"] = interval(d, level)
            row["rel_improvement"] = 1.0 - float(row["mae"]) / ref_mae if ref_mae else 0.0  # type: ignore[arg-type]
            rel = 1.0 - boot["mae"] / ref_boot["mae"]
            row["rel_improvement_ci"] = interval(rel, level)
            row["p_better"] = float((d < 0).mean()) if d.size else float("nan")
        out[name] = row
    return out
