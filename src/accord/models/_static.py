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


@nb.njit(cache=True, nogil=True)
def median_of_sorted(xs: np.ndarray, ws: np.ndarray, total: float) -> float:
    """:func:`weighted_median` of positions sorted ascending (``ws`` aligned, ``total`` their
    sum): the leftmost position where the cumulative weight reaches half; without weight, the
    plain median. Shared by the kernels here and the EUM's, so both read the rule alike."""
    n = xs.size
    if not total > 0.0:
        return xs[n // 2] if n % 2 == 1 else (xs[n // 2 - 1] + xs[n // 2]) / 2.0
    half = 0.5 * total * (1 - 1e-12)
    cum = 0.0
    for m in range(n):
        cum += ws[m]
        if cum >= half:
            return xs[m]
    return xs[n - 1]


@nb.njit(parallel=True, cache=True, nogil=True)
def _weighted_median_rows(x: np.ndarray, w: np.ndarray, out: np.ndarray) -> None:
    """:func:`weighted_median` of each row of (n_draws, n) arrays, draws in parallel: a stable
    insertion sort per row (n is small) instead of numpy's argsort and gathers."""
    n_draws, n = x.shape
    for d in nb.prange(n_draws):
        xs = np.empty(n)
        ws = np.empty(n)
        for m in range(n):
            xv = x[d, m]
            wv = w[d, m]
            p = m - 1
            while p >= 0 and xs[p] > xv:  # strict: equal positions keep their order
                xs[p + 1] = xs[p]
                ws[p + 1] = ws[p]
                p -= 1
            xs[p + 1] = xv
            ws[p + 1] = wv
        total = 0.0
        for m in range(n):
            total += ws[m]
        out[d] = median_of_sorted(xs, ws, total)


def weighted_median(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted median along the last axis (Black 1948).

    The position where the cumulative weight, sorted by position, first reaches half the total.
    With linear losses this is the Condorcet winner of pairwise votes.
    """
    if x.ndim == 2 and w.shape == x.shape and 0 < x.shape[1] <= 64 and x.shape[0] >= 1024:
        out = np.empty(x.shape[0])
        xc = np.ascontiguousarray(x, dtype=np.float64)
        _weighted_median_rows(xc, np.ascontiguousarray(w, dtype=np.float64), out)
        return out
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
def _nash_newton(
    x: np.ndarray,
    w: np.ndarray,
    gain0: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    tol: float,
    max_iter: int,
    out: np.ndarray,
) -> None:
    """Root of the slope ``f(o) = sum_i -2 w_i (o - x_i) / (gain0_i - (o - x_i)^2)`` (w_i > 0
    only), per draw in parallel, by Newton steps kept inside a shrinking bracket.

    Why not plain bisection: f is decreasing on the feasible interval (the objective is
    concave), so Newton converges quadratically — about 5 slope evaluations instead of 42 for
    the same ``tol``; any step that would leave the bracket is replaced by a bisection step, so
    the bracket still shrinks. A NaN slope (at the feasible set's edge) counts as "move left".
    """
    n_draws, n = x.shape
    for d in nb.prange(n_draws):
        a = left[d]
        b = right[d]
        o = 0.5 * (a + b)
        for _ in range(max_iter):
            f = 0.0
            fp = 0.0
            for i in range(n):
                wi = w[d, i]
                if wi > 0.0:
                    dx = o - x[d, i]
                    dx2 = dx * dx
                    inv = 1.0 / (gain0[d, i] - dx2)
                    f -= 2.0 * wi * dx * inv
                    fp -= 2.0 * wi * (gain0[d, i] + dx2) * inv * inv
            if f == 0.0:
                break
            if f > 0.0:
                a = o
            else:
                b = o  # also a NaN slope
            step = f / fp
            nxt = o - step
            if not (a < nxt < b):  # NaN, or outside the bracket: bisect
                nxt = 0.5 * (a + b)
            if abs(nxt - o) <= tol or b - a <= tol:
                o = nxt
                break
            o = nxt
        out[d] = o


def nash_bargaining(
    x: np.ndarray,
    w: np.ndarray,
    lo: float,
    hi: float,
    status_quo: float | None = None,
    *,
    disagreement_loss: float = 4.0,
    tol: float = 2.0**-42,
) -> np.ndarray:
    """Asymmetric Nash bargaining solution on one issue (Nash 1950; Kalai 1977).

    Maximises ``sum_i w_i log(u_i(o) - u_i(d))`` with quadratic utilities
    ``u_i(o) = -((o - x_i)/R)**2``. With a status quo ``d`` the feasible set is the
    intersection of the intervals every actor prefers to ``d``; when that is a single point
    (someone's ideal is ``d``, or actors sit on both sides of it) no agreement improves on the
    status quo for all, and the solution is ``d``. Without a status quo the disagreement loss is
    ``disagreement_loss * R**2`` for everyone (a far-away ``d``), and the solution approaches the
    compromise mean as that loss grows. The objective is concave on the feasible interval,
    so the root of its derivative is the maximum; safeguarded Newton steps find it to
    ``tol * R`` (about 2e-11 on a 0-100 scale by default), far below any meaningful difference
    (a numba kernel, draws in parallel).

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
        _nash_newton(
            np.ascontiguousarray(x, dtype=np.float64),
            np.ascontiguousarray(np.broadcast_to(w, x.shape), dtype=np.float64),
            np.ascontiguousarray(gain0, dtype=np.float64),
            np.ascontiguousarray(left, dtype=np.float64),
            np.ascontiguousarray(right, dtype=np.float64),
            float(tol) * R,
            200,
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
