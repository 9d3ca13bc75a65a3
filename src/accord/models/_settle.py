"""Did a dynamic model settle? Convergence and cycle detection over round-by-round traces.

Dynamic models (the EUM above all: Scholz et al. 2011, §8, "in general the results do not
stabilise") may end their last round anywhere in an oscillation, so the last round alone is no
forecast. :func:`settle` reads the per-round outcome statistic of every draw (the median for the
EUM) together with a second statistic that moves whenever any weighted actor moves (the c*s
weighted mean), and classifies each draw:

``converged``
    the last round repeats the one before (nothing moved any more): the forecast is the last
    round's value, as before;
``cycle``
    the last round repeats round ``R - p`` for some period ``p >= 2`` (and no shorter one): a
    round depends only on the positions, so from there on the model goes round the same ``p``
    states for ever. The forecast is the median of the statistic over the ``p`` rounds of the
    cycle (``numpy.median``: the mean of the two middle values for an even count), and its range
    is the cycle's ``[min, max]``;
``not settled``
    neither within the rounds run: the first half of the rounds is treated as a transient
    (a burn-in) and the forecast is the median of the statistic over the second half, rounds
    ``floor(R/2) + 1 .. R``, with that window's ``[min, max]`` as its range.

"Repeats" means both statistics agree to ``tol`` times the scale's range (1e-9 by default: the
kernels copy a cycle exactly once they see one). Using the two statistics rather than every
actor's position keeps the rule the same in Monte Carlo runs, which keep only these per round;
two different states with the same weighted median and mean would be read as one (their
forecasts are equal anyway). Everything is vectorised over draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: Status codes of :class:`Settling`.
CONVERGED, CYCLE, NOT_SETTLED = 0, 1, 2
STATUS_NAMES = {CONVERGED: "converged", CYCLE: "cycle", NOT_SETTLED: "not settled"}


@dataclass(frozen=True)
class Settling:
    """How every draw of one issue ended; arrays of shape (n_draws,).

    Attributes
    ----------
    status : ndarray of int8
        :data:`CONVERGED`, :data:`CYCLE` or :data:`NOT_SETTLED`.
    period : ndarray of int
        Cycle length (1 when converged, 0 when not settled).
    start : ndarray of int
        First round of the window the forecast summarises (``rounds`` when converged).
    forecast, low, high : ndarray
        Median of the statistic over the window and its range.
    rounds : int
        Rounds run (R).
    rule : str
        What the forecast is, in words (for JSON and reports).
    """

    status: np.ndarray
    period: np.ndarray
    start: np.ndarray
    forecast: np.ndarray
    low: np.ndarray
    high: np.ndarray
    rounds: int
    rule: str = (
        "converged: last round; cycle: median over the cycle's rounds; not settled: median "
        "over the second half of the rounds"
    )

    @property
    def converged(self) -> np.ndarray:
        return self.status == CONVERGED

    def record(self, draw: int = 0) -> dict[str, Any]:
        """The JSON fields of one draw (``converged``, ``settling``, ``cycle``/``window``)."""
        status = int(self.status[draw])
        start, end = int(self.start[draw]), self.rounds
        span = {
            "rounds": [start, end],
            "range": [round(float(self.low[draw]), 6), round(float(self.high[draw]), 6)],
        }
        out: dict[str, Any] = {
            "converged": status == CONVERGED,
            "settling": STATUS_NAMES[status],
            "rounds_run": end,
            "cycle": None,
        }
        if status == CYCLE:
            out["cycle"] = {"length": int(self.period[draw]), **span}
        elif status == NOT_SETTLED:
            out["window"] = span
        return out

    def summary(self) -> dict[str, Any]:
        """Shares of draws by status (for Monte Carlo runs)."""
        n = max(1, self.status.size)
        return {name: float((self.status == code).sum() / n) for code, name in STATUS_NAMES.items()}


def settle(
    stat: np.ndarray,
    other: np.ndarray | None,
    scale_range: float,
    *,
    tol: float = 1e-9,
) -> Settling:
    """Classify each draw's trajectory and summarise it (see the module docstring).

    Parameters
    ----------
    stat : ndarray, shape (n_draws, R + 1)
        The statistic the forecast is read from, round 0 (the inputs) to R.
    other : ndarray, shape (n_draws, R + 1), optional
        A second per-round statistic that must repeat too (the weighted mean).
    scale_range : float
        R of the issue scale: the tolerance is ``tol * scale_range``.
    """
    stat = np.asarray(stat, dtype=float)
    n_draws, n_states = stat.shape
    rounds = n_states - 1
    eps = tol * max(float(scale_range), 1e-300)
    status = np.full(n_draws, NOT_SETTLED, dtype=np.int8)
    period = np.zeros(n_draws, dtype=np.int64)
    if rounds >= 1:
        last = stat[:, -1]
        last_o = None if other is None else np.asarray(other, dtype=float)[:, -1]
        open_ = np.ones(n_draws, dtype=bool)
        for p in range(1, rounds + 1):
            same = np.abs(stat[:, -1 - p] - last) <= eps
            if last_o is not None:
                same &= np.abs(np.asarray(other)[:, -1 - p] - last_o) <= eps
            hit = open_ & same
            period[hit] = p
            status[hit] = CONVERGED if p == 1 else CYCLE
            open_ &= ~hit
            if not open_.any():
                break
    window = np.where(status == NOT_SETTLED, rounds - rounds // 2, period)
    window = np.maximum(window, 1)
    start = rounds - window + 1
    idx = np.arange(n_states)[None, :]
    inside = idx >= start[:, None]
    vals = np.where(inside, stat, np.nan)
    low = np.nanmin(vals, axis=1) if n_draws else np.empty(0)
    high = np.nanmax(vals, axis=1) if n_draws else np.empty(0)
    med = np.nanmedian(vals, axis=1) if n_draws else np.empty(0)
    # converged draws keep the last round's value bit for bit
    fc = np.where(status == CONVERGED, stat[:, -1] if n_draws else med, med)
    return Settling(
        status=status,
        period=period,
        start=start.astype(np.int64),
        forecast=fc,
        low=low,
        high=high,
        rounds=rounds,
    )


def settled_by_stop_rule(converged: np.ndarray, stat: np.ndarray, rule: str) -> Settling:
    """A :class:`Settling` for a model with its own stopping rule whose forecast is its final
    state (the exchange model): draws that met the rule are converged, the others stopped
    short (``not settled``); forecast and range are the last value of ``stat``."""
    stat = np.asarray(stat, dtype=float)
    conv = np.asarray(converged, dtype=bool)
    rounds = stat.shape[1] - 1
    last = stat[:, -1].copy()
    return Settling(
        status=np.where(conv, CONVERGED, NOT_SETTLED).astype(np.int8),
        period=conv.astype(np.int64),
        start=np.full(conv.size, rounds, dtype=np.int64),
        forecast=last,
        low=last,
        high=last,
        rounds=rounds,
        rule=rule,
    )
