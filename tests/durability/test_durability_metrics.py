import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.durability._metrics import (
    brier_scores,
    concordance,
    cumulative_incidence,
    integrated_brier,
    km_fit,
    step_eval,
)


def test_km_matches_lifelines():
    from lifelines import KaplanMeierFitter

    rng = np.random.default_rng(3)
    t = rng.integers(1, 50, 200).astype(float)
    e = rng.random(200) < 0.6
    kt, ks = km_fit(t, e)
    kmf = KaplanMeierFitter().fit(t, e)
    at = np.array([1.0, 5.5, 10, 30, 49])
    np.testing.assert_allclose(
        step_eval(kt, ks, at), kmf.survival_function_at_times(at).to_numpy(), atol=1e-12
    )


def test_brier_without_censoring_is_plain_brier():
    t = np.array([1.0, 2, 3, 4])
    e = np.ones(4, bool)
    surv = np.array([[0.9], [0.2], [0.7], [0.5]])
    grid = np.array([2.5])
    expected = np.mean([(0.9 - 0) ** 2, (0.2 - 0) ** 2, (0.7 - 1) ** 2, (0.5 - 1) ** 2])
    assert np.isclose(brier_scores(surv, t, e, grid)[0], expected)


def test_perfect_prediction_has_zero_ibs_and_c_of_one():
    t = np.arange(1.0, 21)
    e = np.ones(20, bool)
    grid = np.arange(1.0, 20)
    surv = (t[:, None] > grid[None, :]).astype(float)
    assert integrated_brier(surv, t, e, grid) == 0.0
    assert concordance(t, e, t) == 1.0
    assert concordance(t, e, -t) == 0.0


def test_cumulative_incidence_sums_to_one_minus_km():
    rng = np.random.default_rng(5)
    t = rng.integers(1, 30, 300).astype(float)
    cause = rng.integers(0, 3, 300)
    at = np.array([5.0, 15, 40])
    cif = cumulative_incidence(t, cause, at)
    kt, ks = km_fit(t, cause > 0)
    np.testing.assert_allclose(cif[1] + cif[2], 1 - step_eval(kt, ks, at), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(5, 60), st.integers(0, 10_000))
def test_ibs_bounded_and_km_monotone(n, seed):
    rng = np.random.default_rng(seed)
    t = rng.exponential(50, n) + 0.5
    e = rng.random(n) < 0.7
    grid = np.linspace(1, 100, 30)
    surv = np.sort(rng.random((n, 30)), axis=1)[:, ::-1]
    ibs = integrated_brier(surv, t, e, grid)
    assert np.isnan(ibs) or (np.isfinite(ibs) and ibs >= 0.0)
    kt, ks = km_fit(t, e)
    assert np.all(np.diff(ks) <= 0) and np.all((ks >= 0) & (ks <= 1))
