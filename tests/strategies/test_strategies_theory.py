"""Closed forms of models.md §6, checked against independent computations."""

import numpy as np
import pytest

from accord.strategies import _theory as th


def test_rubinstein_share_matches_backward_induction():
    d1, d2 = 0.9, 0.8
    # finite horizon: 1 proposes, 2 answers (keeping what it would get proposing next time)
    v = 1.0
    for _ in range(500):
        v = 1.0 - d2 * (1.0 - d1 * v)
    assert th.rubinstein_share(d1, d2) == pytest.approx((1 - d2) / (1 - d1 * d2))
    assert v == pytest.approx(th.rubinstein_share(d1, d2), abs=1e-9)


def test_rubinstein_patience_is_leverage():
    assert th.rubinstein_share(0.95, 0.5) > th.rubinstein_share(0.5, 0.95)
    assert th.rubinstein_share(0.9, 0.9) == pytest.approx(1 / 1.9)


def test_baron_ferejohn_stationary_equations():
    n, delta = 5, 0.9
    prop, other = th.baron_ferejohn_shares(n, delta)
    assert prop + (n - 1) * other == pytest.approx(1.0)
    # continuation value of each party is 1/n; the proposer pays each other delta * 1/n
    assert other == pytest.approx(delta / n)
    assert prop == pytest.approx(1 - delta * (n - 1) / n)


def test_fearon_offer_maximises_payoff_and_war_probability():
    p, c_bar, c_b = 0.6, 0.3, 0.1
    x_star, pr_war = th.fearon_offer(p, c_bar, c_b)
    grid = np.linspace(p - c_bar, p, 200001)
    best = grid[np.argmax(th.fearon_payoff_b(grid, p, c_bar, c_b))]
    assert x_star == pytest.approx(best, abs=1e-5)
    assert pr_war == pytest.approx(max(0.0, (c_bar - c_b) / (2 * c_bar)))
    # Monte Carlo of A's private cost gives the same war probability
    rng = np.random.default_rng(0)
    c_a = rng.uniform(0, c_bar, 200_000)
    assert np.mean(x_star < p - c_a) == pytest.approx(pr_war, abs=0.005)


def test_fearon_no_war_when_uncertainty_small():
    x, pr = th.fearon_offer(0.5, 0.05, 0.1)
    assert pr == 0.0 and x == pytest.approx(0.5)
    lo, hi = th.fearon_range(0.5, 0.1, 0.2)
    assert (lo, hi) == pytest.approx((0.4, 0.7))


def test_powell_threshold():
    delta, c = 0.9, 0.1
    q = 0.5
    # boundary: delta * dq = (1 - delta)(1 - q + c)
    dq = (1 - delta) * (1 - q + c) / delta
    assert not th.powell_breaks(q, q - dq * 0.99, delta, c)
    assert th.powell_breaks(q, q - dq * 1.01, delta, c)
    # faster rearmament and patience make breakdown likelier
    assert th.powell_breaks(0.5, 0.4, 0.99, c) and not th.powell_breaks(0.5, 0.4, 0.5, c)
    path = np.array([0.5, 0.49, 0.48, 0.3, 0.29])
    assert th.powell_first_war(path, 0.9, 0.1) == 2


def test_axelrod_conditions_and_attrition():
    T, R, P, S = 5, 3, 1, 0
    assert th.tft_stable(T, R, P, S, 0.7) and not th.tft_stable(T, R, P, S, 0.4)
    assert th.gtft_generosity(T, R, P, S) == pytest.approx(min(1 - 2 / 3, 2 / 4))
    l1, l2, p1 = th.attrition(1.0, 2.0, 1.0, 4.0)
    assert p1 == pytest.approx(l1 / (l1 + l2))
    assert th.contest_win_prob(1.0, 3.0) == pytest.approx(0.75)
