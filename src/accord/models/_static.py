"""Static forecasts: compromise (weighted mean), weighted median and asymmetric Nash bargaining.

Pure functions over arrays of shape (n_draws, n_actors) plus thin model classes.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numba as nb
import numpy as np

from accord.models._base import Check, IssueModel
from accord.models._registry import register
from accord.scenario import IssueDraws


def weighted_mean(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Compromise model O = sum w x / sum w along the last axis (van den Bos 1991).

    Where all weights are zero the plain mean is returned (no actor cares, so none dominates).
    """
    total = w.sum(axis=-1)
    plain = x.mean(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (w * x).sum(axis=-1) / total
    return np.where(total > 0, out, plain)


def weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted median along the last axis (Black 1948).

    The position where the cumulative weight, sorted by position, first reaches half the total.
    With linear losses this is the Condorcet winner of pairwise votes.
    """
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    cum = np.cumsum(ws, axis=-1)
    total = cum[..., -1:]
    # relative tolerance so that an exact half is "reached" despite rounding
    reached = cum >= 0.5 * total * (1 - 1e-12)
    idx = np.argmax(reached, axis=-1)
    med = np.take_along_axis(xs, idx[..., None], axis=-1)[..., 0]
    return np.where(total[..., 0] > 0, med, np.median(x, axis=-1))


@nb.njit(parallel=True, cache=True, error_model="numpy")
def _nash_bisect(
    x: np.ndarray,
    w: np.ndarray,
    gain0: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    iterations: int,
    out: np.ndarray,
) -> None:
    """Bisection on the slope ``sum_i -2 w_i (o - x_i) / (gain0_i - (o - x_i)^2)`` (w_i > 0
    only), per draw in parallel: no (n_draws, n) temporaries per iteration. A NaN slope (at
    the feasible set's edge) counts as "move left", as does a slope of 0."""
    n_draws, n = x.shape
    for d in nb.prange(n_draws):
        a = left[d]
        b = right[d]
        for _ in range(iterations):
            mid = 0.5 * (a + b)
            sl = 0.0
            for i in range(n):
                if w[d, i] > 0.0:
                    dx = mid - x[d, i]
                    sl += -2.0 * w[d, i] * dx / (gain0[d, i] - dx * dx)
            if sl > 0.0:
                a = mid
            else:
                b = mid
        out[d] = 0.5 * (a + b)


def nash_bargaining(
    x: np.ndarray,
    w: np.ndarray,
    lo: float,
    hi: float,
    status_quo: float | None = None,
    *,
    disagreement_loss: float = 4.0,
    iterations: int = 42,
) -> np.ndarray:
    """Asymmetric Nash bargaining solution on one issue (Nash 1950; Kalai 1977).

    Maximises ``sum_i w_i log(u_i(o) - u_i(d))`` with quadratic utilities
    ``u_i(o) = -((o - x_i)/R)**2``. With a status quo ``d`` the feasible set is the
    intersection of the intervals every actor prefers to ``d``; when that is a single point
    (someone's ideal is ``d``, or actors sit on both sides of it) no agreement improves on the
    status quo for all, and the solution is ``d``. Without a status quo the disagreement loss is
    ``disagreement_loss * R**2`` for everyone (a far-away ``d``), and the solution approaches the
    compromise mean as that loss grows. 42 bisection steps locate the optimum to
    ``R * 2**-42`` (about 2e-11 on a 0-100 scale), far below any meaningful difference.
    The objective is concave on the feasible interval, so
    bisection on its derivative finds the maximum (a numba kernel, draws in parallel).

    Parameters
    ----------
    x, w : ndarray, shape (n_draws, n_actors)
        Positions and weights (capability x salience).
    lo, hi : float
        The issue scale.
    status_quo : float or None
        Disagreement point; None or NaN for "far away".
    """
    R = hi - lo
    active = w > 0
    if status_quo is None or math.isnan(status_quo):
        gain0 = np.full_like(x, disagreement_loss * R * R)
        left = np.full(x.shape[0], lo)
        right = np.full(x.shape[0], hi)
    else:
        d = status_quo
        gain0 = (d - x) ** 2
        a = np.minimum(d, 2 * x - d)
        b = np.maximum(d, 2 * x - d)
        left = np.maximum(np.where(active, a, -np.inf).max(axis=-1), lo)
        right = np.minimum(np.where(active, b, np.inf).min(axis=-1), hi)

    feasible = right - left > 1e-12 * R
    out = np.empty(x.shape[0])
    if x.shape[0] > 0:
        _nash_bisect(
            np.ascontiguousarray(x, dtype=np.float64),
            np.ascontiguousarray(np.broadcast_to(w, x.shape), dtype=np.float64),
            np.ascontiguousarray(gain0, dtype=np.float64),
            np.ascontiguousarray(left, dtype=np.float64),
            np.ascontiguousarray(right, dtype=np.float64),
            int(iterations),
            out,
        )
    if status_quo is not None and not math.isnan(status_quo):
        out = np.where(feasible, out, status_quo)
    no_weight = ~active.any(axis=-1)
    return np.where(no_weight, weighted_mean(x, np.ones_like(x)), out)


@register
class Compromise(IssueModel):
    """Compromise model: the capability x salience weighted mean of positions.

    References: van den Bos (1991), *Dutch EC Policy Making*; Thomson et al. (2006),
    *The European Union Decides*; Achen (2006) on its link to Nash bargaining.
    """

    name = "compromise"
    citation = "van den Bos 1991; Thomson et al. 2006"

    def __init__(self) -> None:
        pass

    def solve_issue(self, issue: IssueDraws) -> np.ndarray:
        return weighted_mean(issue.positions, issue.weights)


@register
class WeightedMedian(IssueModel):
    """Weighted median (median voter): capability x salience weights (Black 1948; Feder 1987)."""

    name = "median"
    citation = "Black 1948"

    def __init__(self) -> None:
        pass

    def solve_issue(self, issue: IssueDraws) -> np.ndarray:
        return weighted_median(issue.positions, issue.weights)


@register
class NashBargaining(IssueModel):
    """Asymmetric Nash bargaining solution, status quo as disagreement point when given.

    References: Nash (1950) "The bargaining problem", *Econometrica* 18; Kalai (1977)
    "Nonsymmetric Nash solutions", *Int. J. Game Theory* 6.
    """

    name = "nash"
    citation = "Nash 1950; Kalai 1977"
    _parameter_checks: ClassVar[dict[str, Check]] = {
        "disagreement_loss": (lambda v: float(v) > 0, "a number > 0 (in units of R^2)"),
        "use_status_quo": (lambda v: isinstance(v, bool), "true or false"),
    }

    def __init__(self, *, disagreement_loss: float = 4.0, use_status_quo: bool = True) -> None:
        self.disagreement_loss = disagreement_loss
        self.use_status_quo = use_status_quo

    def solve_issue(self, issue: IssueDraws) -> np.ndarray:
        sq = issue.status_quo if self.use_status_quo else None
        return nash_bargaining(
            issue.positions,
            issue.weights,
            issue.lo,
            issue.hi,
            sq,
            disagreement_loss=float(self.disagreement_loss),
        )
