"""Advice for one side, on cases whose answer is known by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.advise import DEFAULT_MODEL, advise, utility
from accord.models import available_models
from accord.scenario import scenario_from_mapping, to_arrays

FLAGSHIP = Path(__file__).resolve().parents[2] / "examples" / "ukraine-ceasefire-2025.yaml"


def _scenario(actors, issues=("x",)):
    """Actors as (id, capability, {issue: (position, salience[, range])})."""
    out = []
    for a, cap, per in actors:
        d = {"id": a, "capability": cap, "positions": {}, "salience": {}}
        for k, spec in per.items():
            d["positions"][k] = spec[0]
            d["salience"][k] = spec[1]
            if len(spec) > 2:
                d.setdefault("ranges", {})[k] = list(spec[2])
        out.append(d)
    return scenario_from_mapping(
        {"name": "hand", "issues": [{"id": k} for k in issues], "actors": out}
    )


def _row(doc, kind, actor, issue="x"):
    return next(r for r in doc["moves"] if r["kind"] == kind and r["actor"] == actor
                and r["issue"] == issue)


def test_compromise_two_actors_gain_is_the_weight_share_times_the_shift():
    # a at 0 (weight 1 x .5), b at 100 (weight 3 x .5): forecast 75, U_a = -75.
    # Moving b 20 points towards a moves the mean by 3/4 x 20 = 15: a gains 15.
    sc = _scenario([("a", 1, {"x": (0, 50)}), ("b", 3, {"x": (100, 50)})])
    doc = advise(sc, "a", model="compromise", n_draws=10, seed=0)
    assert doc["utility"]["expected"] == pytest.approx(-75)
    r = _row(doc, "persuade_position", "b")
    assert r["change"]["from"] == 100 and r["change"]["to"] == 80
    assert r["gain"] == pytest.approx(15) and r["interval"] == pytest.approx([15, 15])
    assert r["share_helping"] == 1.0 and r["forecast_change"] == pytest.approx(-15)
    # caring 25 points more: weight .75 against 1.5, mean 100 x 1.5 / 2.25 = 66.67
    own = _row(doc, "own_salience", "a")
    assert own["change"]["salience_to"] == 75 and own["gain"] == pytest.approx(75 - 200 / 3)
    # the ranking is by gain
    gains = [m["gain"] for m in doc["moves"]]
    assert gains == sorted(gains, reverse=True) and doc["moves"][0]["rank"] == 1
    assert doc["note"]  # no ranges: said so


def test_common_random_numbers_make_a_linear_gain_exact_in_every_draw():
    # b's position is uncertain (90-100), but with the same draws for both runs the
    # compromise gain of moving b 20 towards a is 3/4 x 20 in every draw
    sc = _scenario([("a", 1, {"x": (0, 50)}), ("b", 3, {"x": (100, 50, (80, 100))})])
    doc = advise(sc, "a", model="compromise", n_draws=200, seed=3)
    assert doc["draws_evaluated"] == 200
    r = _row(doc, "persuade_position", "b")
    assert r["interval"] == pytest.approx([15, 15]) and r["share_helping"] == 1.0
    assert doc["utility"]["interval"][0] < doc["utility"]["interval"][1]  # draws do differ


def test_coalition_joint_shift_adds_the_members_shares():
    # b and c at 100 with shares .375 each (a .25): both moving 20 towards a: gain 15
    sc = _scenario([("a", 2, {"x": (0, 50)}), ("b", 3, {"x": (100, 50)}),
                    ("c", 3, {"x": (100, 50)})])
    doc = advise(sc, "a", model="compromise", n_draws=1)
    co = _row(doc, "coalition", "b+c")
    assert co["gain"] == pytest.approx(15) and co["actors"] == ["b", "c"]
    assert co["change"]["members"]["b"] == {"from": 100, "to": 80}
    assert _row(doc, "persuade_position", "b")["gain"] == pytest.approx(7.5)


def test_persuasion_towards_the_ideal_stops_there():
    sc = _scenario([("a", 1, {"x": (50, 50)}), ("b", 1, {"x": (55, 50)})])
    doc = advise(sc, "a", model="compromise", n_draws=1)
    r = _row(doc, "persuade_position", "b")
    assert r["change"]["to"] == 50 and r["gain"] == pytest.approx(2.5)


def test_utility_is_the_salience_weighted_mean_distance():
    sc = _scenario([("a", 1, {"x": (0, 20), "y": (100, 60)}), ("b", 1, {"x": (50, 50),
                   "y": (50, 50)})], issues=("x", "y"))
    d = to_arrays(sc)
    u = utility(np.array([[10.0, 70.0]]), d, 0)
    assert u[0] == pytest.approx(-(0.2 * 10 + 0.6 * 30) / 0.8)


@pytest.mark.parametrize("model", [m for m in available_models() if m != "smp"] + ["smp"])
def test_every_registered_model_can_advise(model):
    sc = _scenario(
        [("a", 1, {"x": (10, 60), "y": (80, 40)}), ("b", 2, {"x": (70, 50), "y": (20, 70)}),
         ("c", 1, {"x": (40, 30), "y": (50, 50)})],
        issues=("x", "y"),
    )
    doc = advise(sc, "a", model=model, n_draws=4, seed=1)
    assert doc["model"] == model and doc["moves"]
    assert {m["kind"] for m in doc["moves"]} <= {
        "own_position", "own_salience", "persuade_position", "persuade_salience", "coalition"
    }
    for m in doc["moves"]:
        assert set(m) >= {"kind", "actor", "issue", "change", "gain", "interval",
                          "share_helping"}


def test_advise_cli_same_seed_same_bytes_and_errors(run_cli):
    args = ("advise", FLAGSHIP, "--actor", "ukraine", "--draws", "50", "--seed", "4", "--json")
    code, out1, _ = run_cli(*args)
    assert code == 0
    code, out2, _ = run_cli(*args)
    assert out1 == out2
    doc = json.loads(out1)
    assert doc["model"] == DEFAULT_MODEL and doc["actor"] == "ukraine"
    assert doc["moves"][0]["rank"] == 1 and len(doc["moves"]) >= 5
    code, out, _ = run_cli("advise", FLAGSHIP, "--actor", "ukraine", "--draws", "20",
                           "-m", "compromise")
    assert code == 0 and "Moves that raise Ukraine" in out
    code, _, err = run_cli("advise", FLAGSHIP, "--actor", "nobody")
    assert code == 2 and "unknown actor 'nobody'" in err
    code, _, err = run_cli("advise", FLAGSHIP, "--actor", "ukraine", "-m", "nope")
    assert code == 2 and "unknown model" in err
