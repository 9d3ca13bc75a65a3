"""Simulator mechanisms on a small scenario of our own, and the experiment command."""

import json

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from accord.cli import app
from accord.errors import InputError
from accord.scenario import scenario_from_mapping
from accord.strategies import hazard_from_survival, parse_config, sample_draws, simulate

SCEN = {
    "name": "toy war",
    "issues": [{"id": "x", "status_quo": 50}, {"id": "y"}],
    "actors": [
        {"id": "a", "capability": 40, "positions": {"x": 10, "y": 10},
         "salience": {"x": 80, "y": 50}, "ranges": {"x": [5, 15]}},
        {"id": "b", "capability": 60, "positions": {"x": 90, "y": 90},
         "salience": {"x": 80, "y": 50}, "capability_range": [50, 70]},
        {"id": "m", "capability": 30, "positions": {"x": 50, "y": 40},
         "salience": {"x": 50, "y": 50}},
    ],
}
BASE = {"sides": ["a", "b"], "rounds": 20, "follow_weeks": 20, "side_optimism": [0, 0],
        "breach": {"baseline_hazard": 0.0, "powell": False}}


def run(over=None, n=200, seed=1):
    sc = scenario_from_mapping(SCEN)
    cfg = parse_config({**BASE, **(over or {})})
    rng = np.random.default_rng(seed)
    return simulate(sample_draws(sc, n, rng), cfg, rng=rng)


def test_same_seed_same_result_and_shapes():
    r1, r2 = run(), run()
    for f in ("terms", "value", "agree_round", "break_round", "win_prob_b", "position"):
        np.testing.assert_array_equal(getattr(r1, f), getattr(r2, f))
    assert r1.win_prob_b.shape == (200, 41) and r1.position.shape == (200, 21, 3)
    assert np.isfinite(r1.value).all()


def test_no_optimism_no_delay_with_known_costs():
    # known costs, no optimism, Nash-point mediator: agreement at once inside the range
    r = run({"mediator": {"actor": "m", "credulity": 0.0}, "side_war_cost": [0.1, 0.1]})
    assert r.agreed.all() and (r.agree_round == 0).all()
    assert (r.terms_utility[:, :2] >= 0).all()


def test_hardliners_without_mediator_never_agree_with_costless_war():
    r = run({"strategies": {"a": {"name": "hardline"}, "b": {"name": "hardline"}},
             "side_war_cost": [0.0, 0.0]})
    assert not r.agreed.any()


def test_optimism_delays_agreement():
    fast = run({"mediator": {"actor": "m"}})
    slow = run({"mediator": {"actor": "m"}, "side_optimism": [0.2, 0.4], "war_learning": 0.05})
    assert slow.agree_round[slow.agreed].mean() > fast.agree_round[fast.agreed].mean()


def test_aid_pause_raises_stronger_sides_win_probability():
    aid = [{"from": "m", "to": "a", "growth": 0.0, "intel": 0.3}]
    on = run({"power": {"aid": aid}})
    off = run({"power": {"aid": [{**aid[0], "pauses": [{"start": 0, "weeks": 5}]}]}})
    assert (off.win_prob_b[:, 0] > on.win_prob_b[:, 0]).all()
    assert np.allclose(off.win_prob_b[:, 6], on.win_prob_b[:, 6])


def test_powell_condition_breaks_truce_when_one_side_rearms_fast():
    over = {"mediator": {"actor": "m", "credulity": 0.0}, "side_war_cost": [0.1, 0.1],
            "breach": {"baseline_hazard": 0.0, "powell": True, "range": False}}
    calm = run({**over, "power": {"rebuild": {"a": 0.0, "b": 0.0}}})
    arms = run({**over, "power": {"rebuild": {"a": 0.0, "b": 0.05}}})
    assert not calm.broken.any()
    assert arms.broken.all() and set(arms.breaker[arms.broken]) == {0}  # the declining side
    assert (arms.break_cause[arms.broken] == 2).all()


def test_bad_faith_hazard_breaks_and_survival_curve_hazard():
    over = {"mediator": {"actor": "m", "credulity": 0.0}, "side_war_cost": [0.1, 0.1],
            "strategies": {"b": {"name": "bad-faith", "hazard": 1.0, "margin": 1.0}}}
    r = run(over)
    assert r.broken[r.agreed].all() and (r.break_cause[r.broken] == 3).all()
    h = hazard_from_survival([0, 7, 14, 365], [1.0, 0.9, 0.81, 0.5], 3)
    np.testing.assert_allclose(h[:2], [0.1, 0.1])


def test_bad_config_is_input_error():
    with pytest.raises(InputError, match="unknown actor"):
        run({"sides": ["a", "zz"]})
    with pytest.raises(InputError, match="strategy.power"):
        parse_config({"power": {"gama": 1}})


EXP = {
    "name": "toy", "draws": 60, "seed": 3, "bootstrap": 100,
    "sweep": {"points": 2, "draws": 30},
    "defaults": {**BASE, "mediator": {"actor": "m"}},
    "sensitivity": {"side_war_cost.1": [0.1, 0.2]},
    "claims": [{
        "id": "grit", "claim": "GRIT is worse", "metric": {"name": "terms_utility", "actor": "a"},
        "expect": "decrease",
        "baseline": {"settings": {"strategies": {"a": {"name": "tit-for-tat"}}}},
        "variant": {"settings": {"strategies": {"a": {"name": "grit"}}}},
    }],
}


def test_experiment_json_deterministic(tmp_path):
    (tmp_path / "toy.yaml").write_text(yaml.safe_dump(SCEN))
    f = tmp_path / "exp.yaml"
    f.write_text(yaml.safe_dump({**EXP, "scenario": "toy.yaml"}))
    runner = CliRunner()
    a = runner.invoke(app, ["experiment", str(f), "--json", "--seed", "5"])
    b = runner.invoke(app, ["experiment", str(f), "--json", "--seed", "5"])
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    c = doc["claims"][0]
    for key in ("id", "claim", "metric", "baseline", "variant", "effect", "ci", "verdict",
                "robustness"):
        assert key in c
    assert c["verdict"] in ("supported", "not supported", "inconclusive")
    assert 0 <= c["robustness"] <= 1 and len(c["sweep"]) == 2


def test_experiment_bad_file_exit_2(tmp_path):
    from accord.cli import main

    f = tmp_path / "bad.yaml"
    f.write_text("scenario: nope.yaml\nclaims: []\nbogus: 1\n")
    import sys

    argv = sys.argv
    sys.argv = ["accord", "experiment", str(f)]
    try:
        with pytest.raises(SystemExit) as e:
            main()
    finally:
        sys.argv = argv
    assert e.value.code == 2


def test_experiment_missing_scenario_names_the_experiment_field(tmp_path, run_cli):
    f = tmp_path / "exp.yaml"
    f.write_text(yaml.safe_dump({**EXP, "scenario": "missing.yaml"}))
    code, _, err = run_cli("experiment", f, "--no-store")
    assert code == 2
    assert f"{f}: scenario: scenario file {tmp_path / 'missing.yaml'} not found" in err


def test_experiment_on_dask_equals_serial(tmp_path, run_cli):
    """Comparisons are seeded by their place, so a 2-worker LocalCluster gives the same bytes."""
    pytest.importorskip("distributed")
    (tmp_path / "toy.yaml").write_text(yaml.safe_dump(SCEN))
    f = tmp_path / "exp.yaml"
    f.write_text(yaml.safe_dump({**EXP, "scenario": "toy.yaml"}))
    code, serial, err = run_cli("experiment", f, "--json", "--no-store")
    assert code == 0, err
    code, on_dask, err = run_cli("experiment", f, "--json", "--no-store", "--dask", "local:2")
    assert code == 0, err
    assert on_dask == serial
    assert len(json.loads(serial)["claims"][0]["sweep"]) == 2
