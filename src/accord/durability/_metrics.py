"""Survival metrics in pure numpy: Kaplan-Meier, IPCW Brier score, integrated Brier, concordance.

References
----------
- Kaplan, E. L. & Meier, P. (1958) "Nonparametric estimation from incomplete observations",
  *JASA* 53(282).
- Graf, E., Schmoor, C., Sauerbrei, W. & Schumacher, M. (1999) "Assessment and comparison of
  prognostic classification schemes for survival data", *Stat. Med.* 18(17-18): the Brier
  score with inverse-probability-of-censoring weights (IPCW).
- Gerds, T. A. & Schumacher, M. (2006) "Consistent estimation of the expected Brier score in
  general survival models with right-censored event times", *Biometrical J.* 48(6).
- Harrell, F. E., Lee, K. L. & Mark, D. B. (1996) "Multivariable prognostic models",
  *Stat. Med.* 15(4): the concordance index.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "brier_scores",
    "concordance",
    "cumulative_incidence",
    "integrated_brier",
    "km_fit",
    "step_eval",
]


def km_fit(time: np.ndarray, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier estimate: distinct event times and S just after each.

    Parameters
    ----------
    time : (n,) array of follow-up times (> 0).
    event : (n,) array of 0/1 (1 = the event of interest was observed).

    Returns
    -------
    times, surv : arrays of the same length; S(t) = surv[k] for times[k] <= t < times[k+1].
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    order = np.argsort(time, kind="stable")
    t, e = time[order], event[order]
    uniq, first = np.unique(t, return_index=True)
    n = len(t)
    at_risk = n - first
    deaths = np.add.reduceat(e.astype(float), first) if n else np.zeros(0)
    keep = deaths > 0
    factors = 1.0 - deaths[keep] / at_risk[keep]
    return uniq[keep], np.cumprod(factors)


def step_eval(
    times: np.ndarray, values: np.ndarray, at: np.ndarray, *, left: bool = False, start: float = 1.0
) -> np.ndarray:
    """Evaluate a right-continuous step function (value ``start`` before the first jump).

    With ``left=True`` the left limit f(t-) is returned instead of f(t).
    """
    at = np.asarray(at, dtype=float)
    idx = np.searchsorted(times, at, side="left" if left else "right") - 1
    out = np.where(idx >= 0, values[np.clip(idx, 0, None)] if len(values) else start, start)
    return out


def brier_scores(
    surv: np.ndarray, time: np.ndarray, event: np.ndarray, grid: np.ndarray
) -> np.ndarray:
    """IPCW Brier score at each grid time (Graf et al. 1999).

    BS(t) = mean_i [ S_i(t)^2 1{T_i<=t, d_i=1} / G(T_i-) + (1-S_i(t))^2 1{T_i>t} / G(t) ],
    with G the Kaplan-Meier estimate of the censoring survival on the same data (censoring
    is the "event" of G; ties: events precede censorings).

    Parameters
    ----------
    surv : (n, m) predicted survival of each subject at each grid time.
    time, event : (n,) observed follow-up and event indicator.
    grid : (m,) evaluation times.
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    grid = np.asarray(grid, dtype=float)
    g_times, g_surv = km_fit(time, ~event)
    g_at_t = step_eval(g_times, g_surv, grid)
    g_at_ti = step_eval(g_times, g_surv, time, left=True)
    died = (time[:, None] <= grid[None, :]) & event[:, None]
    alive = time[:, None] > grid[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        w_died = np.where(died, 1.0 / g_at_ti[:, None], 0.0)
        w_alive = np.where(alive, 1.0 / g_at_t[None, :], 0.0)
    terms = surv**2 * w_died + (1.0 - surv) ** 2 * w_alive
    return terms.mean(axis=0)


def integrated_brier(
    surv: np.ndarray, time: np.ndarray, event: np.ndarray, grid: np.ndarray
) -> float:
    """Integrated Brier score over ``grid`` (trapezoid rule, divided by its length).

    Grid points where the censoring survival G(t) is 0 (no one left to weight) are dropped.
    """
    grid = np.asarray(grid, dtype=float)
    g_times, g_surv = km_fit(time, ~np.asarray(event, dtype=bool))
    ok = step_eval(g_times, g_surv, grid) > 0
    grid, surv = grid[ok], surv[:, ok]
    bs = brier_scores(surv, time, event, grid)
    if len(grid) < 2:
        return float(bs[0]) if len(bs) else float("nan")
    return float(np.trapezoid(bs, grid) / (grid[-1] - grid[0]))


def concordance(time: np.ndarray, event: np.ndarray, score: np.ndarray) -> float:
    """Harrell's C (Harrell et al. 1996) via ``lifelines.utils.concordance_index``.

    ``score`` is higher for longer expected survival; ties in score count 1/2. Returns NaN
    when no pair is comparable.
    """
    from lifelines.utils import concordance_index

    event = np.asarray(event, dtype=bool)
    if not event.any():
        return float("nan")
    try:
        return float(concordance_index(np.asarray(time, float), np.asarray(score, float), event))
    except ZeroDivisionError:
        return float("nan")


def cumulative_incidence(
    time: np.ndarray, cause: np.ndarray, at: np.ndarray, causes: tuple[int, ...] = (1, 2)
) -> dict[int, np.ndarray]:
    """Aalen-Johansen cumulative incidence of each competing cause (0 = censored).

    CIF_k(t) = sum_{s<=t} S(s-) d_k(s) / n(s), with S the all-cause Kaplan-Meier
    (Aalen & Johansen 1978, *Scand. J. Statist.* 5(3)).
    """
    time = np.asarray(time, dtype=float)
    cause = np.asarray(cause, dtype=int)
    uniq = np.unique(time)
    n_at = np.array([(time >= u).sum() for u in uniq], dtype=float)
    d_all = np.array([((time == u) & (cause > 0)).sum() for u in uniq], dtype=float)
    s_after = np.cumprod(1.0 - d_all / n_at)
    s_before = np.r_[1.0, s_after[:-1]]
    out = {}
    for k in causes:
        d_k = np.array([((time == u) & (cause == k)).sum() for u in uniq], dtype=float)
        cif = np.cumsum(s_before * d_k / n_at)
        out[k] = step_eval(uniq, cif, at, start=0.0)
    return out
