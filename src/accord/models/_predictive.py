"""A predictive distribution on the 0-100 grid: quantiles, intervals, probabilities, scores.

Distributions are arrays (..., 101) of probabilities of the integer points 0..100 of an
issue's scale mapped to 0-100. Quantiles are grid points (the lowest point whose cumulative
probability reaches the level), so an interval [q_low, q_high] contains the outcome when
q_low <= outcome <= q_high, and its coverage is checked exactly that way in the backtest.

Recalibration (split-conformal on the levels; cf. Kuleshov, Fenner & Ermon 2018, "Accurate
uncertainties for deep learning using calibrated regression", ICML): a table maps each nominal
central level L to the raw level L' whose central intervals covered a share L of held-out
outcomes. The median (level 0) is never moved, so the point forecast stays the raw median.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

GRID = np.arange(101.0)
#: Quantile levels every result row carries.
QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)

#: A recalibration table: (nominal central levels, raw central levels), both increasing.
LevelTable = tuple[np.ndarray, np.ndarray]


def raw_level(level: float | np.ndarray, table: LevelTable | None) -> np.ndarray:
    """The raw central level to use for a nominal one (linear interpolation in the table)."""
    if table is None:
        return np.asarray(level, dtype=float)
    nominal, raw = table
    return np.clip(np.interp(level, nominal, raw), 0.0, 1.0)


def quantile(p: np.ndarray, tau: float | np.ndarray) -> np.ndarray:
    """Grid quantile(s) of distributions ``p`` (..., 101): the lowest point with CDF >= tau.

    ``tau`` a scalar gives (...,); an array of shape (k,) gives (..., k).
    """
    cdf = np.cumsum(p, axis=-1)
    cdf = cdf / cdf[..., -1:]
    t = np.atleast_1d(np.asarray(tau, dtype=float))
    # tolerance so that an exact cumulative share counts as reached despite rounding
    idx = (cdf[..., None, :] < t[:, None] * (1 - 1e-9) - 1e-12).sum(axis=-1)
    out = GRID[np.minimum(idx, 100)]
    return out[..., 0] if np.ndim(tau) == 0 else out


def calibrated_quantiles(
    p: np.ndarray, taus: Sequence[float], table: LevelTable | None
) -> np.ndarray:
    """Quantiles (..., len(taus)) after recalibration: tau < 0.5 is the lower end of the
    central interval at level 1 - 2 tau, tau > 0.5 the upper end at 2 tau - 1."""
    t = np.asarray(taus, dtype=float)
    lvl = raw_level(np.abs(2 * t - 1), table)
    adj = np.where(t < 0.5, (1 - lvl) / 2, np.where(t > 0.5, (1 + lvl) / 2, 0.5))
    return quantile(p, adj)


def interval(p: np.ndarray, level: float, table: LevelTable | None = None) -> np.ndarray:
    """Central interval (..., 2) at ``level`` (recalibrated with ``table``)."""
    return calibrated_quantiles(p, [(1 - level) / 2, (1 + level) / 2], table)


def p_above_below(p: np.ndarray, sq: float) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities that the outcome lies above / below the status quo ``sq`` (0-100 scale;
    the grid point nearest ``sq`` counts as neither)."""
    k = int(np.clip(np.rint(sq), 0, 100))
    tot = p.sum(axis=-1)
    return p[..., k + 1 :].sum(axis=-1) / tot, p[..., :k].sum(axis=-1) / tot


# --- scores (outcomes y on 0-100, rounded to the grid) ---


def _index(y: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(y), 0, 100).astype(int)


def crps(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Continuous ranked probability score of each row of ``p`` (n, 101) at ``y`` (n,):
    sum over the grid of (F(v) - 1[y <= v])^2 (grid step 1; lower is better)."""
    cdf = np.cumsum(p, axis=1)
    cdf = cdf / cdf[:, -1:]
    step = (GRID[None, :] >= _index(y)[:, None]).astype(float)
    return ((cdf - step) ** 2).sum(axis=1)


def log_score(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Log probability of the outcome's grid point (higher is better)."""
    pn = p / p.sum(axis=1, keepdims=True)
    return np.log(np.maximum(pn[np.arange(len(y)), _index(y)], 1e-300))


def pit(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Mid-point probability integral transform F(y-1) + p(y)/2 (uniform if calibrated)."""
    pn = p / p.sum(axis=1, keepdims=True)
    cdf = np.cumsum(pn, axis=1)
    k = _index(y)
    rows = np.arange(len(y))
    return cdf[rows, k] - 0.5 * pn[rows, k]


def covered(lohi: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Whether each outcome lies inside its interval (n, 2), ends included."""
    yi = _index(y)
    return (lohi[:, 0] <= yi) & (yi <= lohi[:, 1])


def fit_level_table(
    p: np.ndarray, y: np.ndarray, nominal: Sequence[float] | None = None
) -> LevelTable:
    """Split-conformal level table from held-out distributions ``p`` (n, 101) and outcomes.

    For each nominal level L, the smallest raw level L' (on a 0.001 grid) whose central
    intervals cover at least a share L of the outcomes.
    """
    nom = np.asarray(nominal if nominal is not None else LEVELS, dtype=float)
    raw_grid = np.round(np.arange(0, 1001) / 1000.0, 3)
    lo = quantile(p, (1 - raw_grid) / 2)  # (n, G)
    hi = quantile(p, (1 + raw_grid) / 2)
    yi = _index(y)[:, None]
    cov = ((lo <= yi) & (yi <= hi)).mean(axis=0)  # (G,), nondecreasing
    cov = np.maximum.accumulate(cov)
    raw = np.array([raw_grid[min(int(np.searchsorted(cov, L - 1e-12)), 1000)] for L in nom])
    raw = np.maximum.accumulate(raw)
    return np.r_[0.0, nom, 1.0], np.r_[0.0, raw, 1.0]


#: Nominal levels of a fitted table (others are interpolated).
LEVELS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99)


def row_fields(
    p: np.ndarray, lo: float, hi: float, status_quo: float, table: LevelTable | None,
    level: float,
) -> dict[str, object]:
    """The extra fields of a ``calibrated`` result row for one issue's distribution ``p``
    (101,) on 0-100: ``quantiles``, ``interval`` at ``level`` and, where a status quo is
    given, ``p_above_status_quo`` / ``p_below_status_quo``; values on the issue's scale."""
    f = (hi - lo) / 100.0
    qs = calibrated_quantiles(p, QUANTILES, table)
    iv = interval(p, level, table)
    out: dict[str, object] = {
        "quantiles": {
            f"{t:g}": round(lo + float(q) * f, 6) for t, q in zip(QUANTILES, qs, strict=True)
        },
        "interval": [round(lo + float(iv[0]) * f, 6), round(lo + float(iv[1]) * f, 6)],
        "level": level,
    }
    if not np.isnan(status_quo):
        above, below = p_above_below(p, (status_quo - lo) / f)
        out["p_above_status_quo"] = round(float(above), 6)
        out["p_below_status_quo"] = round(float(below), 6)
    return out
