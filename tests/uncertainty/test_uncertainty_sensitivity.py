"""Sobol indices (known answers on Ishigami) and the scenario-level tornado."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import InputError
from accord.scenario import scenario_from_mapping
from accord.uncertainty.sampling import Inputs
from accord.uncertainty.sensitivity import saltelli_uniforms, sensitivity, sobol_indices


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami & Homma (1990); SALib's test function with known indices."""
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_uncertainty_sobol_ishigami_known_values():
    inp = Inputs.from_bounds(["x1", "x2", "x3"], [-np.pi] * 3, [np.pi] * 3)
    res = sobol_indices(ishigami, inp, n=4096, seed=1)
    # analytic: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437
    np.testing.assert_allclose(res["S1"][0], [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(res["ST"][0], [0.5576, 0.4424, 0.2437], atol=0.03)
    assert np.all(res["S1_conf"][0] > 0) and np.all(res["ST_conf"][0] < 0.1)
    assert int(res["n_runs"]) == 4096 * 5


def test_uncertainty_sobol_dummy_input_is_exactly_zero_and_multi_output():
    inp = Inputs.from_bounds(["x1", "x2", "x3", "dummy"], [-np.pi] * 4, [np.pi] * 4)

    def two(x: np.ndarray) -> np.ndarray:
        return np.column_stack([ishigami(x), x[:, 3], np.zeros(len(x))])

    res = sobol_indices(two, inp, n=1024, seed=2)
    assert res["S1"][0, 3] == 0 and res["ST"][0, 3] == 0
    assert res["ST"][1, 3] == pytest.approx(1.0, abs=0.05)
    assert np.all(res["ST"][1, :3] == 0)
    assert np.all(res["ST"][2] == 0)  # constant output: no variance to share


def test_uncertainty_saltelli_design_equals_salib():
    from SALib.sample import sobol as salib_sample

    problem = {"num_vars": 5, "names": list("abcde"), "bounds": [[0.0, 1.0]] * 5}
    ref = salib_sample.sample(problem, 128, calc_second_order=False, seed=3)
    np.testing.assert_array_equal(
        saltelli_uniforms(5, 128, seed=3), np.clip(ref, 0, np.nextafter(1.0, 0.0))
    )


def test_uncertainty_sobol_rejects_non_power_of_two():
    inp = Inputs.from_bounds(["x"], [0.0], [1.0])
    with pytest.raises(InputError, match="power of 2"):
        sobol_indices(lambda x: x[:, 0], inp, n=1000)


def test_uncertainty_sensitivity_compromise_tornado_is_exact(toy):
    res = sensitivity(toy, "compromise", n=256, seed=0)
    names = res.inputs.names
    j = names.index("a.position.x")
    # compromise: O = sum(w x)/sum(w); moving a's position moves O by w_a/sum(w) per point
    w = np.array([3.0 * 0.8, 2.0 * 0.6, 1.0 * 0.4])
    slope = w[0] / w.sum()
    assert res.at_high[j, 0] - res.at_low[j, 0] == pytest.approx(slope * 30)
    assert res.base[0] == pytest.approx((w * [20, 70, 50]).sum() / w.sum())
    # a's position on y does not touch x: no effect there, by both measures
    jy = names.index("a.position.y")
    assert res.swing[jy, 0] == 0 and res.ST[0, jy] == 0
    # on y only a's position and capability matter (b's y range is fixed, c absent)
    ne = res.no_effect(1)
    assert ne["both"] == len(names) - 2
    doc = res.to_json(top=10)
    x = doc["issues"][0]
    assert x["tornado"][0]["swing"] >= x["tornado"][-1]["swing"]
    assert {r["input"] for r in x["sobol"]} <= set(names)
    assert doc["runs"] == 256 * (len(names) + 2) + 2 * len(names) + 1


def test_uncertainty_sensitivity_needs_ranges():
    sc = scenario_from_mapping(
        {
            "name": "no ranges",
            "issues": [{"id": "x"}],
            "actors": [
                {"id": "a", "capability": 1, "positions": {"x": 10}, "salience": {"x": 50}},
                {"id": "b", "capability": 1, "positions": {"x": 90}, "salience": {"x": 50}},
            ],
        }
    )
    with pytest.raises(InputError, match="nothing to vary"):
        sensitivity(sc, "compromise", n=64)
