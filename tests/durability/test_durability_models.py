import json

import numpy as np
import pytest

from accord.durability import (
    evaluate_model,
    features_from_mapping,
    load_model,
    predict_ceasefire,
    save_model,
    survival_curve_figure,
)
from accord.durability._models import GRID
from accord.errors import InputError

SPEC = {
    "written": True,
    "mediated": True,
    "fixed_term_days": 30,
    "declared_by": "bilateral",
    "purpose": ["humanitarian"],
    "id": "x",
    "label": "X",
}


def test_written_ceasefires_last_longer_in_fixture(tiny_model):
    # the fixture draws written ceasefires with 10x the mean duration
    hr = {r["feature"]: r["hr"] for r in tiny_model.hazard_ratios()}
    assert hr["written"] < 0.8
    assert tiny_model.info["n_boot"] > 0
    assert {r["feature_set"] for r in tiny_model.selection} == {
        "km (no features)",
        "design",
        "design+history",
    }
    assert tiny_model.feature_set != "km (no features)"


def test_prediction_monotone_with_intervals(tiny_model):
    p = predict_ceasefire(tiny_model, SPEC)
    s = [p["survival"][h]["p"] for h in ("30", "90", "365")]
    assert 1 >= s[0] >= s[1] >= s[2] >= 0
    lo, hi = p["survival"]["90"]["interval"]
    assert 0 <= lo <= hi <= 1
    assert np.all(np.diff(p["curve"]["p"]) <= 1e-12)
    assert "ddr" in p["assumed"] and "written" not in p["assumed"]
    written = predict_ceasefire(tiny_model, {**SPEC, "written": True})["survival"]["90"]["p"]
    verbal = predict_ceasefire(tiny_model, {**SPEC, "written": False})["survival"]["90"]["p"]
    assert written > verbal


def test_save_load_roundtrip(tiny_model, tmp_path):
    path = tmp_path / "m.json"
    save_model(tiny_model, path)
    m2 = load_model(path)
    a = predict_ceasefire(tiny_model, SPEC)["survival"]
    b = predict_ceasefire(m2, SPEC)["survival"]
    for h in a:
        assert a[h]["p"] == pytest.approx(b[h]["p"], abs=1e-5)


@pytest.mark.parametrize("text", ["not json", "{}", '{"format": "accord-durability/1"}', "[1, 2]"])
def test_corrupt_model_is_input_error(tmp_path, text):
    p = tmp_path / "bad.json"
    p.write_text(text)
    with pytest.raises(InputError):
        load_model(p)


def test_truncated_arrays_are_input_error(tiny_model, tmp_path):
    path = tmp_path / "m.json"
    save_model(tiny_model, path)
    doc = json.loads(path.read_text())
    doc["cox"]["h0"] = doc["cox"]["h0"][:10]
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match="corrupt"):
        load_model(path)


@pytest.mark.parametrize(
    "bad",
    [
        {"writen": True},
        {"declared_by": "nobody"},
        {"fixed_term_days": -3},
        {"purpose": ["fun"]},
        {"written": "yes"},
        {"class": "final"},
        {"prior_ceasefires_365d": 1.5},
    ],
)
def test_bad_described_ceasefire(bad):
    with pytest.raises(InputError):
        features_from_mapping(bad)


def test_evaluate_in_sample_beats_km(tiny_model, tiny_data):
    res = evaluate_model(tiny_model, tiny_data.table)
    assert res["n"] == len(tiny_data.table)
    assert res["c_index"] > 0.5 and res["ibs"] < res["km"]["ibs"]
    assert {r["horizon"] for r in res["calibration"]} == {90, 365}


def test_figure(tiny_model):
    fig = survival_curve_figure(
        [predict_ceasefire(tiny_model, SPEC)],
        km=(list(tiny_model.km_times), list(tiny_model.km_surv)),
    )
    assert len(fig.data) == 3
    assert max(fig.data[1].x) <= 365 and min(GRID) == 0.5


def test_numpy_cox_matches_lifelines(tiny_data):
    import pandas as pd
    from lifelines import CoxPHFitter

    from accord.durability._cox import cox_ridge
    from accord.durability._features import design_matrix

    t = tiny_data.table
    x = design_matrix(t, ["written", "mediated", "partial", "fixed", "unilateral"])
    for pen in (0.05, 0.5):
        ours = cox_ridge(x.to_numpy(), t.duration.to_numpy(), t.event.to_numpy(), pen)
        df = pd.concat([x, t[["duration", "event"]]], axis=1)
        ref = CoxPHFitter(penalizer=pen).fit(df, "duration", "event")
        np.testing.assert_allclose(ours.coef, ref.params_.to_numpy(), atol=1e-4)
        np.testing.assert_allclose(ours.se, ref.standard_errors_.to_numpy(), atol=1e-4)
        bch = ref.baseline_cumulative_hazard_.iloc[:, 0]
        np.testing.assert_allclose(
            np.interp([10.0, 100.0], ours.times, ours.cumhaz),
            np.interp([10.0, 100.0], bch.index, bch.to_numpy()),
            atol=1e-4,
        )


def test_bootstrap_baselines_round_trip_as_steps():
    """A baseline written as its steps reads back exactly; malformed steps are refused."""
    from accord.durability._models import GRID, _steps, _unsteps

    rng = np.random.default_rng(0)
    h0 = np.cumsum(np.where(rng.random(len(GRID)) < 0.3, rng.random(len(GRID)), 0.0))
    h0 = [float(f"{v:.5g}") for v in h0]
    assert np.array_equal(_unsteps(_steps(h0)), np.asarray(h0))
    for bad in ({"at": [1, 2], "h0": [0.1, 0.2]}, {"at": [0, 0], "h0": [0.1, 0.2]},
                {"at": [0, len(GRID)], "h0": [0.1, 0.2]}, {"at": [0], "h0": [0.1, 0.2]}):
        with pytest.raises(ValueError):
            _unsteps(bad)
