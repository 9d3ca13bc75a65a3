"""The calibrated model: features, mapping, quantiles, recalibration, properties, bad input."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.models import get_model
from accord.models._calibrated import feature_effects, issue_distribution, load_coefficients
from accord.models._calibrated_features import FEATURES, from_unit, grid_features, to_unit
from accord.models._predictive import (
    QUANTILES,
    calibrated_quantiles,
    crps,
    fit_level_table,
    interval,
    p_above_below,
    pit,
    quantile,
)
from accord.scenario import ScenarioDraws

NAN = float("nan")


def _draws(pos, sal, cap, *, lo=0.0, hi=100.0, sq=NAN) -> ScenarioDraws:
    pos = np.asarray(pos, dtype=float)
    n = pos.shape[-1]
    return ScenarioDraws(
        positions=pos.reshape(-1, n, 1),
        salience=np.asarray(sal, dtype=float).reshape(-1, n, 1),
        capability=np.asarray(cap, dtype=float).reshape(-1, n),
        mask=np.ones((n, 1), dtype=bool),
        scale=np.array([[lo, hi]]),
        status_quo=np.array([sq]),
        actor_ids=tuple(f"a{i}" for i in range(n)),
        issue_ids=("x",),
    )


def test_mapping_round_trip_and_ends() -> None:
    v = np.array([4.0, 7.0, 10.0])
    u = to_unit(v, 4.0, 10.0)
    np.testing.assert_allclose(u, [0.0, 50.0, 100.0])
    np.testing.assert_allclose(from_unit(u, 4.0, 10.0), v)


def test_features_shapes_and_meaning() -> None:
    x = np.array([[0.0, 40.0, 100.0]])
    s = np.array([[1.0, 0.5, 0.5]])
    c = np.ones((1, 3))
    z, cand, sm = grid_features(x, s, c, 40.0)
    assert z.shape == (1, 101, len(FEATURES)) and cand.shape == (1, 101)
    col = {k: z[0, :, j] for j, k in enumerate(FEATURES)}
    assert col["support"][0] == pytest.approx(0.5) and col["support"][40] == pytest.approx(0.25)
    assert col["support_top"][0] == 1 and col["support_top"][40] == 0
    assert col["held"][[0, 40, 100]].tolist() == [1, 1, 1] and col["held"].sum() == 3
    assert col["sq"][40] == 1 and col["sq"].sum() == 1
    assert sm["mean"][0] == pytest.approx(35.0)
    assert col["dist_mean"][35] == pytest.approx(0.0)
    assert col["dist_sq"][90] == pytest.approx(2.0)
    assert col["between_sq_mean"][35:41].all() and not col["between_sq_mean"][41]
    assert cand[0, [0, 35, 40, 50, 100]].all() and cand[0].sum() == 5
    # without a status quo its features are zero
    z2, _, _ = grid_features(x, s, c, NAN)
    for k in ("sq", "dist_sq", "between_sq_mean"):
        assert not z2[0, :, FEATURES.index(k)].any()


def test_quantile_of_point_mass_and_uniform() -> None:
    p = np.zeros(101)
    p[37] = 1.0
    assert quantile(p, 0.5) == 37 and quantile(p, [0.01, 0.99]).tolist() == [37, 37]
    u = np.full(101, 1 / 101)
    q = quantile(u, [0.1, 0.5, 0.9])
    assert q.tolist() == [10.0, 50.0, 90.0]
    assert interval(u, 0.8).tolist() == [10.0, 90.0]
    above, below = p_above_below(u, 50.0)
    assert above == pytest.approx(50 / 101) and below == pytest.approx(50 / 101)


def test_scores_on_simple_cases() -> None:
    p = np.zeros((1, 101))
    p[0, 20] = 1.0
    assert crps(p, np.array([20.0]))[0] == 0.0
    assert crps(p, np.array([30.0]))[0] == pytest.approx(10.0)  # CRPS of a point = |error|
    assert pit(np.full((1, 101), 1 / 101), np.array([50.0]))[0] == pytest.approx(0.5)


def test_level_table_is_identity_when_calibrated_and_shrinks_when_too_wide() -> None:
    rng = np.random.default_rng(0)
    n = 4000
    u = np.full((n, 101), 1 / 101)
    y = rng.integers(0, 101, n).astype(float)
    nominal, raw = fit_level_table(u, y, (0.5, 0.8))
    assert raw[1] == pytest.approx(0.5, abs=0.04) and raw[2] == pytest.approx(0.8, abs=0.04)
    y_mid = rng.integers(40, 61, n).astype(float)  # outcomes far narrower than predicted
    _, raw2 = fit_level_table(u, y_mid, (0.5, 0.8))
    assert raw2[1] < 0.3 and raw2[2] < 0.3
    # recalibrated quantiles keep their order and the median
    q = calibrated_quantiles(u[:1], QUANTILES, (nominal, raw2))[0]
    assert np.all(np.diff(q) >= 0) and q[QUANTILES.index(0.5)] == 50


def test_shipped_coefficients_load_with_provenance() -> None:
    coef = load_coefficients()
    prov = coef.doc["provenance"]
    assert prov["doi"] == "10.34810/data53" and len(prov["sha256"]) == 64
    assert prov["n_issues"] == 245 and coef.doc["penalty"]["chosen"] in coef.doc["penalty"]["penalties"]
    cv = coef.doc["cv"]
    assert set(cv["coverage"]) == {"0.5", "0.8", "0.9"} and cv["crps"] > 0
    assert len(cv["pit_histogram"]) == 10


def _forecast(pos, sal, cap, **kw) -> tuple[float, np.ndarray]:
    res = get_model("calibrated").run(_draws(pos, sal, cap, **kw))
    p = res.predictive
    q = calibrated_quantiles(p.dist[0, 0], QUANTILES, p.table)
    lo, hi = p.scale[0]
    return float(res.forecast[0, 0]), from_unit(q, lo, hi)


actors = st.lists(
    st.tuples(
        st.integers(0, 100),
        st.floats(0.05, 1.0),
        st.floats(0.1, 10.0),
    ),
    min_size=2,
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(actors=actors, lohi=st.sampled_from([(0.0, 100.0), (4.0, 10.0), (-50.0, 50.0)]),
       sq=st.one_of(st.none(), st.floats(0.0, 1.0)), seed=st.integers(0, 1000))
def test_properties_order_scale_permutation_capability(actors, lohi, sq, seed) -> None:
    lo, hi = lohi
    pos = np.array([lo + a[0] * (hi - lo) / 100 for a in actors])
    sal = np.array([a[1] for a in actors])
    cap = np.array([a[2] for a in actors])
    sqv = NAN if sq is None else lo + sq * (hi - lo)
    f, q = _forecast(pos, sal, cap, lo=lo, hi=hi, sq=sqv)
    assert np.all(np.diff(q) >= -1e-9)  # quantiles ordered
    assert lo - 1e-9 <= q[0] and q[-1] <= hi + 1e-9  # inside the scale
    assert q[QUANTILES.index(0.5)] == pytest.approx(f)  # the forecast is the median
    perm = np.random.default_rng(seed).permutation(len(actors))
    f2, q2 = _forecast(pos[perm], sal[perm], cap[perm], lo=lo, hi=hi, sq=sqv)
    assert f2 == pytest.approx(f) and np.allclose(q2, q)  # actor order changes nothing
    f3, q3 = _forecast(pos, sal, cap * 7.3, lo=lo, hi=hi, sq=sqv)
    assert f3 == pytest.approx(f) and np.allclose(q3, q)  # only capability ratios matter


def test_scale_mapping_gives_the_same_forecast() -> None:
    pos = np.array([10.0, 40.0, 90.0, 60.0])
    sal, cap = np.array([0.9, 0.4, 0.7, 0.5]), np.array([1.0, 2.0, 1.0, 3.0])
    f100, q100 = _forecast(pos, sal, cap, sq=40.0)
    f, q = _forecast(4 + pos * 0.06, sal, cap, lo=4.0, hi=10.0, sq=4 + 40 * 0.06)
    assert f == pytest.approx(4 + f100 * 0.06) and np.allclose(q, 4 + q100 * 0.06)


@pytest.mark.parametrize("point", [0.0, 30.0, 50.0, 77.0])
def test_consensus_forecasts_that_point_with_a_narrower_interval(point) -> None:
    f, q = _forecast([point] * 4, [0.5] * 4, [1.0] * 4)
    assert f == point
    assert q[QUANTILES.index(0.25)] <= point <= q[QUANTILES.index(0.75)]
    _, qd = _forecast([0.0, 0.0, 100.0, 100.0], [0.5] * 4, [1.0] * 4)
    width = q[QUANTILES.index(0.9)] - q[QUANTILES.index(0.1)]
    assert width < qd[QUANTILES.index(0.9)] - qd[QUANTILES.index(0.1)]
    assert width <= 35.0


def test_mixture_over_draws_is_the_mean_of_the_distributions() -> None:
    rng = np.random.default_rng(3)
    pos = rng.uniform(0, 100, (5, 4))
    d = _draws(pos, np.full((5, 4), 0.5), np.ones((5, 4)))
    res = get_model("calibrated").run(d)
    for j in range(5):
        one = issue_distribution(load_coefficients(), pos[j : j + 1], np.full((1, 4), 0.5),
                                 np.ones((1, 4)), 0.0, 100.0, NAN)
        np.testing.assert_allclose(res.predictive.dist[j, 0], one[0], atol=1e-12)
    assert res.predictive.dist.sum(axis=-1) == pytest.approx(1.0)


def test_feature_effects_rank_features() -> None:
    coef = load_coefficients()
    x = np.array([[0.0, 0.0, 60.0, 100.0]])
    eff = feature_effects(coef, x, np.full((1, 4), 0.6), np.ones((1, 4)), 0.0, 100.0, 20.0)
    assert len(eff) == len(FEATURES)
    moved = [e["moved"] for e in eff]
    assert moved == sorted(moved, reverse=True) and moved[0] > 0


def test_bad_coefficients_files(tmp_path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        get_model("calibrated", coefficients=str(tmp_path / "none.json"))._validate_params()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="not a calibrated-model file"):
        load_coefficients(bad)
    doc = json.loads(json.dumps(load_coefficients().doc))
    doc["parts"][0]["sd"]["support"] = 0.0
    bad.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="sd must be > 0"):
        load_coefficients(bad)
    doc = load_coefficients().doc
    good = tmp_path / "good.json"
    good.write_text(json.dumps(doc))
    assert math.isclose(load_coefficients(good).weights.sum(), 1.0)


def test_explain_has_its_own_explainer_for_calibrated() -> None:
    from pathlib import Path

    from accord.explain import explain
    from accord.scenario import load_scenario

    sc = load_scenario(Path(__file__).resolve().parents[2] / "examples" / "eu-emissions-1994.yaml")
    doc = explain(sc, ["calibrated"], pivotal=False)
    row = doc["explanations"][0]
    assert "fitted on real decisions" in row["summary"]
    assert 1 <= len(row["facts"]["drivers"]) <= 3 and "EU legislative" in row["facts"]["caveat"]


def test_python_api_frame_carries_the_new_fields() -> None:
    from pathlib import Path

    from accord.forecast import forecast
    from accord.scenario import load_scenario

    sc = load_scenario(Path(__file__).resolve().parents[2] / "examples" / "eu-emissions-1994.yaml")
    df = forecast(sc, ["calibrated", "compromise"], level=0.9).to_frame()
    cal = df[df.model == "calibrated"].iloc[0]
    assert set(cal["quantiles"]) == {f"{q:g}" for q in QUANTILES}
    assert cal["low"] <= cal["forecast"] <= cal["high"] and cal["level"] == 0.9
    lo, hi = sc.issues[0].scale
    assert lo <= cal["low"] and cal["high"] <= hi
    comp = df[df.model == "compromise"].iloc[0]
    assert np.isnan(comp["low"])
