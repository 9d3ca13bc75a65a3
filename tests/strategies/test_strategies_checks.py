"""Strategy scenarios check themselves: `validate` checks the strategy: and ceasefire: blocks,
scale direction is declared or detected (a reversed issue is handled, a contradiction
refused), and an experiment whose mechanism never acted says so."""

from __future__ import annotations

import copy
import dataclasses
import json

import numpy as np
import pytest
import yaml

from accord.errors import InputError
from accord.scenario import load_scenario, scenario_from_mapping
from accord.strategies import parse_config, sample_draws, simulate
from accord.strategies._check import check_strategy
from accord.strategies._experiment import run_experiment
from tests.conftest import EXAMPLES, ROOT
from tests.strategies.test_strategies_simulator import SCEN

FLAGSHIP = EXAMPLES / "ukraine-ceasefire-2025.yaml"


def _scenario_file(tmp_path, block: dict, name="s.yaml"):
    doc = {**copy.deepcopy(SCEN), **block}
    p = tmp_path / name
    p.write_text(yaml.safe_dump(doc))
    return p


@pytest.mark.parametrize(
    ("block", "field", "words"),
    [
        ({"sides": ["a", "c"]}, "strategy.sides[1]", "unknown actor 'c'"),
        ({"sides": ["a", "a"]}, "strategy.sides", "same actor"),
        ({"mediator": {"actor": "m", "style": "hostile"}}, "strategy.mediator.style",
         "'diplomatic' or 'transactional'"),
        ({"mediator": {"favours": "z"}}, "strategy.mediator.favours", "unknown actor"),
        ({"strategies": {"a": {"name": "tit-for-tatt"}}}, "strategy.strategies.a",
         "unknown strategy"),
        ({"strategies": {"a": {"name": "grit", "speed": 2}}}, "strategy.strategies.a",
         "no parameter 'speed'"),
        ({"strategies": {"q": {"name": "grit"}}}, "strategy.strategies.q", "unknown actor"),
        ({"default_strategy": {"step": 0.1}}, "strategy.default_strategy", "no name"),
        ({"rounds": 0}, "strategy.rounds", "greater than or equal to 1"),
        ({"power": {"growth_war": {"a": float("nan")}}}, "strategy.power.growth_war.a",
         "not a finite number"),
        ({"side_war_cost": [0.3, 0.1]}, "strategy.side_war_cost", "low end above"),
        ({"power": {"term_effects": [{"issue": "z", "actor": "a", "affects": "rebuild"}]}},
         "strategy.power.term_effects[0].issue", "unknown issue 'z'"),
        ({"power": {"front_issue": "q"}}, "strategy.power.front_issue", "unknown issue"),
        ({"initial_terms": {"x": 150}}, "strategy.initial_terms.x", "outside"),
        ({"breach": {"baseline_hazard": 2}}, "strategy.breach.baseline_hazard", "[0, 1]"),
        ({"colour": "red"}, "strategy.colour", "unknown key"),
        ({"sides": ["a", "b"], "scale_direction": {"x": "a_high"}},
         "strategy.scale_direction.x", "declared a_high"),
        ({"scale_direction": {"x": "up"}}, "strategy.scale_direction.x", "'a_low' or 'a_high'"),
    ],
)
def test_validate_refuses_bad_strategy_blocks(run_cli, tmp_path, block, field, words):
    p = _scenario_file(tmp_path, {"strategy": block})
    code, out, err = run_cli("validate", p)
    assert code == 2, err
    assert f"{p}: {field}: " in err and words in err and "Fix: " in err, err
    assert len(err.strip().splitlines()) == 1 and out == ""


def test_validate_accepts_good_blocks_and_refuses_bad_ceasefires(run_cli, tmp_path):
    good = {"strategy": {"sides": ["a", "b"], "scale_direction": {"x": "a_low"},
                         "mediator": {"actor": "m", "style": "diplomatic"},
                         "strategies": {"b": {"name": "bad-faith", "hazard": 0.01}}},
            "ceasefire": {"written": True, "mediated": True}}
    code, _, err = run_cli("validate", _scenario_file(tmp_path, good))
    assert code == 0, err
    bad = {"ceasefire": [{"id": "c", "label": "C", "declared_by": "nobody"}]}
    p = _scenario_file(tmp_path, bad, "c.yaml")
    code, _, err = run_cli("validate", p)
    assert code == 2 and "ceasefire[0]" in err and "declared_by" in err, err
    code, _, err = run_cli("validate", FLAGSHIP)  # its two ceasefires pass
    assert code == 0, err


# ---- scale direction ------------------------------------------------------------------------


def _mirror(doc: dict, issue: str) -> dict:
    """The same scenario with one issue's scale reversed (x -> 100 - x)."""
    out = copy.deepcopy(doc)
    for iss in out["issues"]:
        if iss["id"] == issue and "status_quo" in iss:
            iss["status_quo"] = 100 - iss["status_quo"]
    for a in out["actors"]:
        if issue in a["positions"]:
            a["positions"][issue] = 100 - a["positions"][issue]
        if issue in a.get("ranges", {}):
            lo, hi = a["ranges"][issue]
            a["ranges"][issue] = [100 - hi, 100 - lo]
    return out


def test_a_reversed_issue_is_detected_and_measured_from_side_a():
    """Mirroring the army-caps issue of the flagship (side A now wants 100) changes nothing
    the experiment measures: positions and the caps' effect on rebuilding count from A's end."""
    doc = yaml.safe_load(FLAGSHIP.read_text())
    exp = yaml.safe_load((ROOT / "experiments" / "seed-claims.yaml").read_text())
    settings = parse_config({**exp["defaults"], "rounds": 12, "follow_weeks": 26,
                             "trace_draws": 0})
    draws = sample_draws(scenario_from_mapping(doc), 150, np.random.default_rng(3))
    k = draws.issue_ids.index("a")
    pos = draws.positions.copy()
    pos[:, :, k] = np.where(draws.mask[:, k], 100 - pos[:, :, k], 0.0)
    sq = draws.status_quo.copy()
    sq[k] = 100 - sq[k]
    mirrored = dataclasses.replace(draws, positions=pos, status_quo=sq)
    r0 = simulate(draws, settings, rng=np.random.default_rng(4))
    r1 = simulate(mirrored, settings, rng=np.random.default_rng(4))
    assert r0.directions["a"] == {"a_end": "low", "source": "positions"}
    assert r1.directions["a"] == {"a_end": "high", "source": "positions"}
    np.testing.assert_allclose(r1.position, r0.position, atol=1e-6)
    np.testing.assert_array_equal(r1.agreed, r0.agreed)
    np.testing.assert_array_equal(r1.break_round, r0.break_round)
    np.testing.assert_allclose(r1.terms[r1.agreed, k], 100 - r0.terms[r0.agreed, k], atol=1e-6)
    assert r0.broken.any()  # the term effect on rebuilding had something to act on
    # a declaration that contradicts the sides' positions is refused, naming the issue
    declared = {**exp["defaults"], "scale_direction": {"a": "a_low"}}
    with pytest.raises(InputError, match="issue 'a' is declared a_low") as exc:
        check_strategy(declared, scenario_from_mapping(_mirror(doc, "a")), source="s.yaml")
    assert exc.value.field == "strategy.scale_direction.a" and "a_high" in exc.value.fix


def _simulate(doc: dict, settings: dict, n: int = 50, seed: int = 3):
    sc = scenario_from_mapping(doc)
    rng = np.random.default_rng(seed)
    return simulate(sample_draws(sc, n, rng), parse_config(settings), rng=rng)


def test_undetermined_direction_can_be_declared():
    doc = copy.deepcopy(SCEN)
    doc["actors"][1]["positions"].pop("y")
    doc["actors"][1]["salience"].pop("y")
    r = _simulate(doc, {"sides": ["a", "b"], "rounds": 3})
    assert r.directions["y"] == {"a_end": "low", "source": "undetermined"}
    r = _simulate(doc, {"sides": ["a", "b"], "rounds": 3, "scale_direction": {"y": "a_high"}})
    assert r.directions["y"] == {"a_end": "high", "source": "declared"}


# ---- mechanisms that never acted ------------------------------------------------------------


def _experiment(tmp_path, claim: dict, defaults: dict) -> dict:
    sc = _scenario_file(tmp_path, {})
    exp = {"name": "t", "scenario": sc.name, "draws": 40, "seed": 1, "bootstrap": 100,
           "sweep": {"points": 0}, "defaults": defaults,
           "claims": [{"id": "c", "claim": "x", "expect": "decrease",
                       "metric": {"name": "terms_utility", "actor": "a"},
                       "baseline": {"settings": {}}, **claim}]}
    p = tmp_path / "exp.yaml"
    p.write_text(yaml.safe_dump(exp))
    return run_experiment(p)


def test_deal_at_first_offer_and_idle_mediator_are_reported(tmp_path):
    defaults = {"sides": ["a", "b"], "rounds": 10, "follow_weeks": 10,
                "side_optimism": [0, 0], "side_war_cost": [0.4, 0.4],
                "mediator": {"actor": "m", "credulity": 0.0}}
    doc = _experiment(tmp_path, {"variant": {"settings": {"mediator": {"bias": 0.5}}}},
                      defaults)
    codes = [n["code"] for n in doc["claims"][0]["mechanism_notes"]]
    assert codes == ["deal_at_first_offer", "mediator_idle"], codes
    assert "week 0" in doc["claims"][0]["mechanism_notes"][0]["note"]


def test_reneging_that_never_fires_is_reported(tmp_path):
    defaults = {"sides": ["a", "b"], "rounds": 10, "follow_weeks": 10,
                "mediator": {"actor": "m"}, "breach": {"powell": False, "range": False}}
    variant = {"settings": {"strategies": {"b": {"name": "bad-faith", "hazard": 0.0,
                                                 "margin": 1.0}}}}
    doc = _experiment(tmp_path, {"variant": variant}, defaults)
    notes = doc["claims"][0]["mechanism_notes"]
    assert {"code": "reneging_never_fired",
            "note": "b's reneging never fired in either arm"} in notes
    # with a hazard that fires, no such note
    variant["settings"]["strategies"]["b"]["hazard"] = 0.5
    doc = _experiment(tmp_path, {"variant": variant}, defaults)
    assert "reneging_never_fired" not in [n["code"] for n in doc["claims"][0]["mechanism_notes"]]


def test_experiment_cli_shows_notes_next_to_the_verdict(run_cli, tmp_path):
    defaults = {"sides": ["a", "b"], "rounds": 10, "follow_weeks": 5, "side_optimism": [0, 0],
                "side_war_cost": [0.4, 0.4], "mediator": {"actor": "m", "credulity": 0.0}}
    _experiment(tmp_path, {"variant": {"settings": {"mediator": {"bias": 0.5}}}}, defaults)
    code, out, err = run_cli("experiment", tmp_path / "exp.yaml", "--no-store")
    assert code == 0, err
    assert "*" in out.split("└")[0], out  # the mark beside the verdict, in the table
    assert "* c: mechanism idle: every draw of both arms agreed at the first offer" in out
    code, out, err = run_cli("experiment", tmp_path / "exp.yaml", "--json", "--no-store")
    doc = json.loads(out)
    assert doc["claims"][0]["mechanism_notes"] and doc["scale_direction"]["x"]["a_end"] == "low"


def test_experiment_refuses_a_bad_arm_before_running(run_cli, tmp_path):
    sc = _scenario_file(tmp_path, {})
    exp = {"scenario": sc.name, "draws": 20, "sweep": {"points": 0},
           "defaults": {"sides": ["a", "b"]},
           "claims": [{"id": "c", "claim": "x", "expect": "decrease",
                       "metric": {"name": "p_agreement"}, "baseline": {"settings": {}},
                       "variant": {"settings": {"mediator": {"actor": "us"}}}}]}
    p = tmp_path / "exp.yaml"
    p.write_text(yaml.safe_dump(exp))
    code, out, err = run_cli("experiment", p, "--no-store")
    assert code == 2
    assert "claims[0] (c) variant.mediator.actor: unknown actor 'us'" in err and "Fix:" in err


def test_flagship_has_no_reversed_issue():
    sc = load_scenario(FLAGSHIP)
    ua, ru = (next(a for a in sc.actors if a.id == x) for x in ("ukraine", "russia"))
    assert all(ua.positions[k] < ru.positions[k] for k in ua.positions if k in ru.positions)


def test_every_simulator_setting_is_documented():
    from accord.strategies._simulator import (
        BreachConfig,
        MediatorConfig,
        PowerConfig,
        SimConfig,
    )

    text = (ROOT / "docs" / "strategies.md").read_text()
    for model in (SimConfig, PowerConfig, MediatorConfig, BreachConfig):
        for name, info in model.model_fields.items():
            assert f"| `{info.alias or name}` |" in text, (model.__name__, name)
