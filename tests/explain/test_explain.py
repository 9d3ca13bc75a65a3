"""Explanations state facts computed from each model's own result; pivotal actors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.explain import explain, explain_issue, pivotal_actors
from accord.models import ModelResult, get_model
from accord.scenario import scenario_from_mapping, to_arrays

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "examples" / "ukraine-ceasefire-2025.yaml"
EU = ROOT / "examples" / "eu-emissions-1994.yaml"


def _scenario(actors, *, status_quo=None, scale=(0, 100)):
    """One issue ``x``; actors as (id, position, salience, capability)."""
    issue = {"id": "x", "label": "Hand case", "scale": list(scale)}
    if status_quo is not None:
        issue["status_quo"] = status_quo
    return scenario_from_mapping(
        {
            "name": "hand case",
            "issues": [issue],
            "actors": [
                {"id": a, "name": a.upper(), "capability": c, "positions": {"x": x},
                 "salience": {"x": s}}
                for a, x, s, c in actors
            ],
        }
    )


def _entry(doc, model, issue="x"):
    return next(e for e in doc["explanations"] if e["model"] == model and e["issue"] == issue)


def test_nash_status_quo_stands_because_one_actor_sits_on_it():
    sc = _scenario([("a", 20, 80, 1), ("b", 40, 50, 1), ("c", 90, 60, 2)], status_quo=40)
    e = _entry(explain(sc, ["nash"]), "nash")
    assert e["forecast"] == 40
    assert e["facts"]["reason"] == "actor at the status quo"
    assert e["facts"]["blockers"] == ["b"] and e["key_actors"] == ["b"]
    assert "B sits at the status quo 40; no agreement beats it for B, so the status quo " \
           "stands" in e["summary"]


def test_nash_status_quo_stands_because_actors_sit_on_both_sides():
    sc = _scenario([("a", 20, 80, 1), ("c", 90, 60, 2)], status_quo=40)
    e = _entry(explain(sc, ["nash"]), "nash")
    assert e["forecast"] == 40
    assert e["facts"]["reason"] == "actors on both sides of the status quo"
    assert e["facts"]["blockers"] == ["a", "c"]


def test_nash_feasible_interval_and_its_bounds():
    # both above the status quo 10: a at 30 accepts up to 50, c at 90 anything above 10
    sc = _scenario([("a", 30, 80, 1), ("c", 90, 60, 2)], status_quo=10)
    e = _entry(explain(sc, ["nash"]), "nash")
    assert e["facts"]["feasible"] == [10, 50]
    assert e["facts"]["bound_above"] == "a" and "bound_below" not in e["facts"]
    assert 10 < e["forecast"] <= 50


def test_weighted_median_pivotal_actor_and_its_local_effect():
    # weights .21 .20 .18 .20 .21 (capability 1): cumulative .21 .41 .59 -> c at 50 is pivotal
    sc = _scenario([("a", 0, 21, 1), ("b", 20, 20, 1), ("c", 50, 18, 1), ("d", 80, 20, 1),
                    ("e", 100, 21, 1)])
    doc = explain(sc, ["median"])
    e = _entry(doc, "median")
    assert e["forecast"] == 50 and e["facts"]["pivotal"] == ["c"]
    assert e["facts"]["share_below"] == pytest.approx(0.41)
    piv = {p["actor"]: p for p in e["pivotal"]}
    # moving c by 10 % of the scale moves the median with it; moving anyone else (crossing no
    # one) does nothing
    assert piv["c"]["position_up"] == 10 and piv["c"]["position_down"] == -10
    for a in "abde":
        assert piv[a]["position_up"] == piv[a]["position_down"] == 0


def test_compromise_weight_shares_and_pulls_by_hand():
    # two actors: weights 1 x .25 and 3 x .25 -> shares 1/4, 3/4, mean 75
    sc = _scenario([("a", 0, 25, 1), ("b", 100, 25, 3)])
    e = _entry(explain(sc, ["compromise"]), "compromise")
    assert e["forecast"] == pytest.approx(75)
    assert e["facts"]["heaviest"] == {"actor": "b", "share": 0.75}
    assert e["facts"]["without"] == {"a": pytest.approx(100), "b": pytest.approx(0)}
    assert e["facts"]["pulls_up"] == "b" and e["facts"]["pulls_down"] == "a"
    piv = {p["actor"]: p for p in e["pivotal"]}
    assert piv["a"]["position_up"] == pytest.approx(2.5)  # share 1/4 x 10 points
    assert piv["b"]["position_down"] == pytest.approx(-7.5)
    assert piv["a"]["position_down"] == 0  # already at the end of the scale: no room


def test_eum_explanation_lists_the_moves_of_its_own_trace():
    from accord.scenario import load_scenario

    sc = load_scenario(EU)
    model = get_model("eum", **sc.model_settings("eum"))
    draws = to_arrays(sc)
    res = model.run(draws)
    e = explain_issue(res, draws, 0)
    moves = [m for rnd in res.traces["delay"].moves for m in rnd]
    assert e["facts"]["moves"] == len(moves)
    assert sum(e["facts"]["gave_way"].values()) == len(moves)
    biggest = max(moves, key=lambda m: abs(m["to"] - m["from"]))
    assert e["facts"]["largest_moves"][0] == {
        k: biggest[k] for k in ("round", "actor", "challenger", "kind", "from", "to")
    }
    assert e["facts"]["settling"]["settling"] == "not settled"
    assert f"in round {biggest['round']}" in e["summary"]
    assert "Not settled after 10 rounds" in e["summary"]


def test_exchange_trades_chain_to_the_forecast_and_smp_coalition_is_most_probable():
    from accord.scenario import load_scenario

    doc = explain(load_scenario(FLAGSHIP), ["exchange", "smp"], pivotal=False)
    for e in (e for e in doc["explanations"] if e["model"] == "exchange"):
        trades = e["facts"]["trades"]
        if trades:
            assert all(e["issue"] in t["issues"] for t in trades)
            assert trades[0]["outcome"][0] == pytest.approx(e["facts"]["start"])
            assert trades[-1]["outcome"][1] == pytest.approx(e["forecast"])
        else:
            assert e["forecast"] == pytest.approx(e["facts"]["start"])
    smp = [e for e in doc["explanations"] if e["model"] == "smp"]
    for e in smp:
        clusters = e["facts"]["clusters"]
        best = max(clusters, key=lambda c: c["probability"])
        assert e["facts"]["winning_coalition"] == best["actors"]
        assert sum(len(c["actors"]) for c in clusters) == 6
        lo = min(c["position"] for c in clusters)
        hi = max(c["position"] for c in clusters)
        assert lo - 1e-9 <= e["forecast"] <= hi + 1e-9


def test_any_model_gets_an_explanation():
    sc = _scenario([("a", 10, 50, 1), ("b", 60, 50, 1)])
    draws = to_arrays(sc)
    res = ModelResult(model="custom", params={}, forecast=np.array([[35.0]]),
                      issue_ids=("x",), actor_ids=("a", "b"))
    e = explain_issue(res, draws, 0, {"a": "A"})
    assert e["forecast"] == 35 and e["summary"].startswith("custom: forecast 35.")


def test_pivotal_actors_run_every_perturbation_in_one_batch():
    sc = _scenario([("a", 10, 50, 1), ("b", 60, 50, 1)])
    out = pivotal_actors(get_model("compromise"), to_arrays(sc))
    assert [p["actor"] for p in out["x"]] == ["a", "b"]  # tie on influence: by id
    assert out["x"][0]["silenced"] == pytest.approx(25)  # mean 35 -> 60 without a


def test_explain_cli_json_text_and_bad_issue(run_cli):
    code, out, _ = run_cli("explain", FLAGSHIP, "--issue", "s", "-m", "nash", "-m", "eum",
                           "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["issues"] == ["s"] and doc["models"] == ["nash", "eum"]
    eum = _entry(doc, "eum", "s")
    assert eum["settling"]["cycle"]["length"] == 2 and eum["forecast"] == 45
    assert eum["pivotal"] and doc["pivotal_method"]
    code, out, _ = run_cli("explain", FLAGSHIP, "--issue", "s", "-m", "median")
    assert code == 0 and "United States at 60 is pivotal" in " ".join(out.split())
    code, _, err = run_cli("explain", FLAGSHIP, "--issue", "nope")
    assert code == 2 and "unknown issue 'nope'" in err
