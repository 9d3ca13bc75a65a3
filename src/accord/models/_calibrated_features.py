"""Features of the ``calibrated`` model: what every scenario has, on a 0-100 grid.

Why a grid: outcomes of real negotiations are lumpy (on DEU III part A about 45 % sit exactly
at 0, 50 or 100 and about 60 % at a position some actor held), so the model scores every
integer point v = 0..100 of the issue's scale, mapped linearly to 0-100, as a possible outcome
(a conditional logit over points; McFadden 1974). The features of a point use only what any
scenario gives: positions, saliences and capabilities of the actors, the status quo where
known, the scale's ends and midpoint, and the forecasts of the static models (compromise mean,
weighted median, Nash bargaining solution). Nothing DEU-specific (no Council votes, no
Commission, no procedure).

Every feature is a function of weight *shares* (capability x salience over its sum) and of
positions, so multiplying all capabilities by a constant or permuting the actors changes
nothing. Arrays are batched over draws: inputs (n_draws, n_actors), output
(n_draws, 101, n_features).
"""

from __future__ import annotations

import math

import numpy as np

from accord.models._static import nash_bargaining, weighted_mean, weighted_median

#: Integer outcome grid on the mapped 0-100 scale.
GRID = np.arange(101.0)
#: Distances are divided by this (a quarter of the scale), so coefficients read per quarter.
UNIT = 25.0

#: Feature names, in the order of the last axis of :func:`grid_features`.
FEATURES = (
    "dist_mean",  # |v - compromise mean| / 25
    "dist_mean_sq",  # its square
    "dist_median",  # |v - weighted median| / 25
    "dist_nash",  # |v - Nash bargaining solution| / 25
    "dist_mean_spread",  # |v - mean| / (weighted SD of positions + 5)
    "support",  # share of capability x salience held exactly at v
    "support_top",  # v is the position with the most support
    "held",  # some actor holds v
    "held_extreme",  # held and at an end of the scale
    "extreme",  # v is an end of the scale
    "mid",  # v is the scale's midpoint
    "round10",  # v is a multiple of 10 (of the mapped scale)
    "round5",  # v is a multiple of 5
    "in_range",  # between the lowest and the highest position held
    "is_mean",  # v is the rounded compromise mean
    "is_median",  # v is the weighted median (rounded)
    "sq",  # v is the status quo (where given)
    "dist_sq",  # |v - status quo| / 25 (0 where none is given)
    "between_sq_mean",  # v lies between the status quo and the compromise mean
)
#: Human-readable names (explanations, docs).
LABELS = {
    "dist_mean": "distance to the compromise mean",
    "dist_mean_sq": "squared distance to the compromise mean",
    "dist_median": "distance to the weighted median",
    "dist_nash": "distance to the Nash bargaining solution",
    "dist_mean_spread": "distance to the mean relative to the spread of positions",
    "support": "weight of the actors holding a point",
    "support_top": "the position with the most weight behind it",
    "held": "positions some actor holds",
    "held_extreme": "positions held at an end of the scale",
    "extreme": "the ends of the scale",
    "mid": "the midpoint of the scale",
    "round10": "round numbers (multiples of 10 %)",
    "round5": "round numbers (multiples of 5 %)",
    "in_range": "the range between the lowest and highest positions",
    "is_mean": "the compromise mean itself",
    "is_median": "the weighted median itself",
    "sq": "the status quo",
    "dist_sq": "distance to the status quo",
    "between_sq_mean": "the stretch between the status quo and the compromise mean",
}


def to_unit(x: np.ndarray | float, lo: float, hi: float) -> np.ndarray:
    """Map values on the scale [lo, hi] linearly to 0-100 (rounded to 1e-9, so that a point
    of the scale lands exactly on its grid point whatever the rounding of the mapping)."""
    return np.round((np.asarray(x, dtype=float) - lo) * (100.0 / (hi - lo)), 9)


def from_unit(v: np.ndarray | float, lo: float, hi: float) -> np.ndarray:
    """Map values on 0-100 back to the scale [lo, hi]."""
    return lo + np.asarray(v, dtype=float) * ((hi - lo) / 100.0)


def summaries(
    x: np.ndarray, s: np.ndarray, c: np.ndarray, status_quo: float
) -> dict[str, np.ndarray]:
    """Per-draw summaries (n_draws,) of one issue on the 0-100 scale.

    ``x`` positions mapped to 0-100, ``s`` saliences 0-1, ``c`` capabilities, all
    (n_draws, n_participants); ``status_quo`` on 0-100 or NaN.
    """
    w = c * s
    tot = w.sum(axis=1)
    share = np.where(tot[:, None] > 0, w / np.where(tot > 0, tot, 1.0)[:, None], 1.0 / x.shape[1])
    mean = weighted_mean(x, w)
    median = weighted_median(x, np.where(tot[:, None] > 0, w, 1.0))
    sq = None if math.isnan(status_quo) else float(status_quo)
    nash = nash_bargaining(x, w, 0.0, 100.0, sq)
    spread = np.sqrt((share * (x - mean[:, None]) ** 2).sum(axis=1))
    # rounded to 1e-9: a mean at exactly k + 0.5 must round the same way whatever the units of
    # capability (only ratios matter) and the order of the actors
    return {
        "share": share,
        "mean": np.round(mean, 9),
        "median": median,
        "nash": np.round(nash, 9),
        "spread": spread,
        "lowest": x.min(axis=1),
        "highest": x.max(axis=1),
    }


def _onehot_rows(values: np.ndarray) -> np.ndarray:
    """(n_draws, 101) indicator of the rounded grid point of each draw's value."""
    out = np.zeros((values.shape[0], GRID.size))
    out[np.arange(values.shape[0]), np.clip(np.rint(values), 0, 100).astype(int)] = 1.0
    return out


def grid_features(
    x: np.ndarray, s: np.ndarray, c: np.ndarray, status_quo: float
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Features (n_draws, 101, len(FEATURES)), candidates (n_draws, 101) and the summaries.

    Inputs as in :func:`summaries` (positions already on 0-100). Candidates, for the model's
    candidate part, are the points held, 0, 50, 100, the status quo and the rounded mean,
    median and Nash solution.
    """
    x = np.asarray(x, dtype=float)
    d, n = x.shape
    sm = summaries(x, s, c, status_quo)
    share = sm["share"]
    v = GRID[None, :]
    xi = np.clip(np.rint(x), 0, 100).astype(int)
    rows = np.repeat(np.arange(d), n)
    support = np.zeros((d, GRID.size))
    np.add.at(support, (rows, xi.reshape(-1)), share.reshape(-1))
    heldc = np.zeros((d, GRID.size))
    np.add.at(heldc, (rows, xi.reshape(-1)), 1.0)
    held = (heldc > 0).astype(float)
    top = ((support > 0) & (support >= support.max(axis=1, keepdims=True) - 1e-12)).astype(float)
    ones = np.ones((d, 1))
    extreme = ones * np.isin(GRID, (0.0, 100.0))
    mid = ones * (GRID == 50.0)
    mean, median, nash = sm["mean"][:, None], sm["median"][:, None], sm["nash"][:, None]
    dmean = np.abs(v - mean) / UNIT
    known = not math.isnan(status_quo)
    if known:
        sq1 = ones * (np.abs(GRID - np.clip(np.rint(status_quo), 0, 100)) < 0.5)
        dsq = ones * (np.abs(GRID - status_quo) / UNIT)
        lo_b = np.minimum(mean, status_quo)
        hi_b = np.maximum(mean, status_quo)
        between = ((v >= lo_b) & (v <= hi_b)).astype(float)
    else:
        sq1 = dsq = between = np.zeros((d, GRID.size))
    cols = {
        "dist_mean": dmean,
        "dist_mean_sq": dmean**2,
        "dist_median": np.abs(v - median) / UNIT,
        "dist_nash": np.abs(v - nash) / UNIT,
        "dist_mean_spread": np.abs(v - mean) / (sm["spread"][:, None] + 5.0),
        "support": support,
        "support_top": top,
        "held": held,
        "held_extreme": held * extreme,
        "extreme": extreme,
        "mid": mid,
        "round10": ones * (GRID % 10 == 0),
        "round5": ones * (GRID % 5 == 0),
        "in_range": ((v >= sm["lowest"][:, None]) & (v <= sm["highest"][:, None])).astype(float),
        "is_mean": _onehot_rows(sm["mean"]),
        "is_median": _onehot_rows(sm["median"]),
        "sq": sq1,
        "dist_sq": dsq,
        "between_sq_mean": between,
    }
    z = np.stack([cols[k] for k in FEATURES], axis=2)
    cand = (
        (held > 0)
        | (extreme > 0)
        | (mid > 0)
        | (sq1 > 0)
        | (cols["is_mean"] > 0)
        | (cols["is_median"] > 0)
        | (_onehot_rows(sm["nash"]) > 0)
    )
    return z, cand, sm
