"""Closed forms of the bargaining models the simulator is built on (models.md §6).

Shares lie in [0, 1]; delta is a per-period discount factor; p a probability of winning;
c a cost of war in units of the pie. These are used by tests (the simulator's mechanisms
must agree with them in the cases where they apply) and by the docs.
"""

from __future__ import annotations

import numpy as np


def rubinstein_share(delta1: float, delta2: float) -> float:
    """First proposer's share in Rubinstein's (1982) alternating-offers game:
    (1 - delta2) / (1 - delta1 delta2). Patience is leverage."""
    if not (0 <= delta1 < 1 and 0 <= delta2 < 1):
        raise ValueError("discount factors must lie in [0, 1)")
    return (1.0 - delta2) / (1.0 - delta1 * delta2)


def baron_ferejohn_shares(n: int, delta: float) -> tuple[float, float]:
    """Proposer's and each other party's share with n parties, equal recognition and
    unanimity (Baron & Ferejohn 1989, stationary equilibrium): 1 - delta (n-1)/n and delta/n."""
    if n < 2 or not 0 <= delta <= 1:
        raise ValueError("need n >= 2 and delta in [0, 1]")
    return 1.0 - delta * (n - 1) / n, delta / n


def fearon_range(p: float, c_a: float, c_b: float) -> tuple[float, float]:
    """Splits x (A's share) that both prefer to war: p - c_A <= x <= p + c_B (Fearon 1995)."""
    return p - c_a, p + c_b


def fearon_offer(p: float, c_bar: float, c_b: float) -> tuple[float, float]:
    """B's optimal take-it-or-leave-it offer to A when A's cost c_A ~ U[0, c_bar] is private,
    and the resulting probability of war (Fearon 1995):
    x* = p - max(0, c_bar - c_B)/2,  Pr(war) = max(0, (c_bar - c_B) / (2 c_bar))."""
    if c_bar <= 0:
        raise ValueError("c_bar must be > 0")
    gap = max(0.0, c_bar - c_b)
    return p - gap / 2.0, gap / (2.0 * c_bar)


def fearon_payoff_b(x: np.ndarray, p: float, c_bar: float, c_b: float) -> np.ndarray:
    """B's expected payoff of offering A the share x (for checking :func:`fearon_offer`):
    A accepts iff x >= p - c_A; war gives B 1 - p - c_B."""
    accept = np.clip(1.0 - (p - np.asarray(x)) / c_bar, 0.0, 1.0)
    return accept * (1.0 - np.asarray(x)) + (1.0 - accept) * (1.0 - p - c_b)


def powell_breaks(q_now: np.ndarray | float, q_next: np.ndarray | float,
                  delta: np.ndarray | float, cost: np.ndarray | float) -> np.ndarray:
    """Powell's (2006) shifting-power condition for the declining side D:
    delta (q_t - q_{t+1}) > (1 - delta)(1 - q_t + c_D) -> it fights (breaks the truce) now,
    because the rising side cannot credibly pay it enough today."""
    q_now, q_next = np.asarray(q_now, float), np.asarray(q_next, float)
    return delta * (q_now - q_next) > (1.0 - delta) * (1.0 - q_now + cost)


def powell_first_war(q: np.ndarray, delta: float, cost: float) -> int | None:
    """First period t at which :func:`powell_breaks` holds along a path q_0, q_1, ...
    (None if it never does)."""
    q = np.asarray(q, float)
    hit = np.flatnonzero(powell_breaks(q[:-1], q[1:], delta, cost))
    return int(hit[0]) if hit.size else None


def contest_win_prob(k_a: np.ndarray | float, k_b: np.ndarray | float,
                     gamma: float = 1.0) -> np.ndarray:
    """Probability that B prevails, k_B^g / (k_A^g + k_B^g) (Tullock 1980 contest)."""
    ka, kb = np.asarray(k_a, float) ** gamma, np.asarray(k_b, float) ** gamma
    return kb / (ka + kb)


def attrition(c1: float, v1: float, c2: float, v2: float) -> tuple[float, float, float]:
    """War of attrition: hazards lambda_i = c_j / V_j, expected duration 1/(l1 + l2) and
    Pr(1 concedes first) = l1 / (l1 + l2) (models.md §6)."""
    l1, l2 = c2 / v2, c1 / v1
    return l1, l2, l1 / (l1 + l2)


def tft_stable(t: float, r: float, p: float, s: float, w: float) -> bool:
    """Tit-for-tat is collectively stable iff w >= max{(T-R)/(T-P), (T-R)/(R-S)}
    (Axelrod 1984)."""
    return w >= max((t - r) / (t - p), (t - r) / (r - s))


def gtft_generosity(t: float, r: float, p: float, s: float) -> float:
    """Optimal forgiveness of generous TFT, min{1 - (T-R)/(R-S), (R-P)/(T-P)}
    (Nowak & Sigmund 1992; models.md §6)."""
    return min(1.0 - (t - r) / (r - s), (r - p) / (t - p))
