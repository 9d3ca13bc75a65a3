"""Static models: formulas, the published closed forms, and properties."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.models import (
    available_models,
    get_model,
    nash_bargaining,
    weighted_mean,
    weighted_median,
)
from accord.scenario import ScenarioDraws, scenario_from_mapping, to_arrays
from tests.conftest import fixture_file


def test_weighted_mean_formula():
    x = np.array([[0.0, 10.0, 40.0]])
    w = np.array([[1.0, 1.0, 2.0]])
    assert weighted_mean(x, w)[0] == pytest.approx((0 + 10 + 80) / 4)


def test_weighted_median_formula():
    x = np.array([[0.0, 10.0, 40.0, 70.0]])
    assert weighted_median(x, np.array([[1.0, 1.0, 1.0, 1.0]]))[0] == 10.0  # reaches half at 10
    assert weighted_median(x, np.array([[1.0, 1.0, 3.0, 1.0]]))[0] == 40.0
    assert weighted_median(x, np.array([[5.0, 1.0, 1.0, 1.0]]))[0] == 0.0


def test_weighted_median_is_condorcet_winner():
    rng = np.random.default_rng(3)
    for _ in range(50):
        x = rng.uniform(0, 100, 7)
        w = rng.uniform(0.1, 1, 7)
        m = weighted_median(x[None], w[None])[0]
        for b in x:  # linear-loss vote of m against every other held position is >= 0
            assert (w * (np.abs(x - b) - np.abs(x - m))).sum() >= -1e-9


def test_nash_without_status_quo_near_mean_and_quadratic_optimum():
    x = np.array([[10.0, 50.0, 90.0]])
    w = np.array([[1.0, 2.0, 1.0]])
    o = nash_bargaining(x, w, 0, 100, None, disagreement_loss=1e6)
    assert o[0] == pytest.approx(weighted_mean(x, w)[0], abs=1e-3)
    # brute force check of the argmax for the default disagreement point
    grid = np.linspace(0, 100, 100001)
    g = 4 * 100**2 - (grid[:, None] - x[0]) ** 2
    best = grid[np.argmax((w[0] * np.log(g)).sum(axis=1))]
    assert nash_bargaining(x, w, 0, 100, None)[0] == pytest.approx(best, abs=1e-3)


def test_nash_with_status_quo():
    # everybody to the right of the status quo: agreement moves right, within the feasible set
    x = np.array([[60.0, 80.0]])
    w = np.array([[1.0, 1.0]])
    o = nash_bargaining(x, w, 0, 100, 40.0)[0]
    grid = np.linspace(40, 80, 40001)
    g = (40.0 - x[0]) ** 2 - (grid[:, None] - x[0]) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        obj = np.where((g > 0).all(axis=1), (w[0] * np.log(np.maximum(g, 1e-300))).sum(1), -np.inf)
    assert o == pytest.approx(grid[np.argmax(obj)], abs=1e-3)
    # actors on both sides of the status quo: no agreement beats it for everyone
    x2 = np.array([[10.0, 90.0]])
    assert nash_bargaining(x2, w, 0, 100, 50.0)[0] == 50.0


def test_emissions_closed_forms():
    vec = json.loads(fixture_file("eu_emissions_bdm1994.json").read_text())
    sc = scenario_from_mapping({
        "name": "e", "issues": [{"id": "delay", "scale": [4, 10]}],
        "actors": [{"id": a["name"].lower(), "capability": a["capability"],
                    "positions": {"delay": a["position"]}, "salience": {"delay": a["salience"]}}
                   for a in vec["actors"]]})
    d = to_arrays(sc)
    cf = vec["closed_form_before_bargaining"]
    assert get_model("compromise").run(d).forecast[0, 0] == pytest.approx(
        cf["capability_x_salience_weighted_mean"], abs=1e-6)
    assert get_model("median").run(d).forecast[0, 0] == cf["weighted_median"]


# ---- properties, over every registered one-dimensional model ----------------------------

def _draws(pos, sal, cap, scale=(0.0, 100.0), sq=np.nan):
    n = pos.shape[0]
    return ScenarioDraws(
        positions=pos.reshape(1, n, 1), salience=sal.reshape(1, n, 1),
        capability=cap.reshape(1, n), mask=np.ones((n, 1), bool),
        scale=np.array([scale]), status_quo=np.array([sq]),
        actor_ids=tuple(f"a{i}" for i in range(n)), issue_ids=("x",))


STATIC = ["compromise", "median", "nash"]
n_actors = st.integers(2, 9)


@st.composite
def issue_inputs(draw):
    n = draw(n_actors)
    pos = draw(arrays(float, n, elements=st.integers(0, 100).map(float)))
    sal = draw(arrays(float, n, elements=st.floats(0.05, 1.0)))
    cap = draw(arrays(float, n, elements=st.floats(0.01, 100.0)))
    return pos, sal, cap


@pytest.mark.parametrize("name", STATIC)
@settings(max_examples=60, deadline=None)
@given(inp=issue_inputs(), k=st.floats(0.01, 1000.0), seed=st.integers(0, 2**16))
def test_static_model_properties(name, inp, k, seed):
    pos, sal, cap = inp
    model = get_model(name)
    f = model.run(_draws(pos, sal, cap)).forecast[0, 0]
    assert pos.min() - 1e-6 <= f <= pos.max() + 1e-6  # within the range of positions
    perm = np.random.default_rng(seed).permutation(len(pos))
    fp = model.run(_draws(pos[perm], sal[perm], cap[perm])).forecast[0, 0]
    assert fp == pytest.approx(f, abs=1e-6)  # actor order does not matter
    fk = model.run(_draws(pos, sal, cap * k)).forecast[0, 0]
    assert fk == pytest.approx(f, abs=1e-6)  # only capability ratios matter
    assert model.run(_draws(pos, sal, cap)).forecast[0, 0] == f  # same input, same output


def test_registry_and_params_roundtrip():
    names = available_models()
    assert {"compromise", "median", "nash"} <= set(names)
    assert len(names) == len(set(names))
    for name in names:
        m = get_model(name)
        params = m.get_params()
        assert get_model(name, **params).get_params() == params
        with pytest.raises(ValueError, match="no parameter"):
            get_model(name, not_a_param=1)


def test_masked_actor_takes_no_part():
    sc = scenario_from_mapping({
        "name": "m", "issues": [{"id": "x"}, {"id": "y"}],
        "actors": [
            {"id": "a", "capability": 1, "positions": {"x": 0, "y": 0}, "salience": {"x": 50, "y": 50}},
            {"id": "b", "capability": 1, "positions": {"x": 100}, "salience": {"x": 50}},
        ]})
    f = get_model("compromise").run(to_arrays(sc)).forecast[0]
    assert f.tolist() == [50.0, 0.0]


def test_model_does_not_mutate_input():
    rng = np.random.default_rng(0)
    d = _draws(rng.uniform(0, 100, 5), rng.uniform(0, 1, 5), rng.uniform(0.1, 1, 5))
    before = d.positions.copy(), d.salience.copy(), d.capability.copy()
    for name in STATIC:
        get_model(name).run(d)
    for a, b in zip(before, (d.positions, d.salience, d.capability), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("n", [1, 2, 5, 6, 11])
def test_weighted_median_batched_kernel_matches_numpy(n: int) -> None:
    """Large batches take the numba kernel, small ones numpy: same values, ties and zero
    weights included (integer positions make ties common)."""
    rng = np.random.default_rng(n)
    x = rng.integers(0, 8, (3000, n)).astype(float)
    w = rng.uniform(0.0, 1.0, (3000, n))
    w[rng.uniform(size=w.shape) < 0.25] = 0.0
    w[:50] = 0.0  # no weight at all: plain median
    fast = weighted_median(x, w)
    slow = np.concatenate(
        [weighted_median(x[i : i + 500], w[i : i + 500]) for i in range(0, 3000, 500)]
    )
    assert np.array_equal(fast, slow)
