"""Stokman & Van Oosten exchange model: a 2-actor 2-issue exchange worked by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest

from accord.models import get_model
from accord.models._exchange import best_exchange, expected_outcome
from accord.scenario import scenario_from_mapping, to_arrays


def _two_by_two(xb: tuple[float, float] = (100, 100), *extra: dict):
    """Actors a and b on issues p and q (b's positions ``xb``), plus any ``extra`` actors."""
    return scenario_from_mapping(
        {
            "name": "hand",
            "issues": [{"id": "p"}, {"id": "q"}],
            "actors": [
                {
                    "id": "a",
                    "capability": 2,
                    "positions": {"p": 0, "q": 0},
                    "salience": {"p": 80, "q": 40},
                },
                {
                    "id": "b",
                    "capability": 1,
                    "positions": {"p": xb[0], "q": xb[1]},
                    "salience": {"p": 20, "q": 60},
                },
                *extra,
            ],
        }
    )


def test_exchange_hand_worked_example() -> None:
    # w_a = (1.6, 0.8), w_b = (0.2, 0.6): O_p = 0.2/1.8 = 1/9, O_q = 0.6/1.4 = 3/7.
    # a is relatively more interested in p (.8*.6 > .4*.2): b moves on p towards a, a moves
    # on q towards b. Equal gain: b = a (.8+.2)/(.4+.6) = a. Bounds: b reaches a's position
    # on p when |dO_p| = 0.2/1.8 = 1/9 (also the distance from O_p to a), a's bounds on q are
    # 0.8/1.4 = 4/7: so |dO_p| = |dO_q| = 1/9 and the common gain is (1/9)(.48-.08)/1.0.
    res = get_model("exchange").run(to_arrays(_two_by_two()))
    ex = res.extra["exchanges"]
    assert len(ex) == 1
    e = ex[0]
    assert e["actors"] == ["a", "b"] and e["issues"] == ["p", "q"]
    assert e["gain"] == pytest.approx(0.4 / 9)
    assert e["gains"]["a"] == pytest.approx(0.4 / 9) and e["gains"]["b"] == pytest.approx(0.4 / 9)
    gb, ga = e["gives"]
    assert (gb["actor"], gb["issue"], gb["from"], gb["to"]) == ("b", "p", 100.0, pytest.approx(0))
    # a moves on q by (1/9) * W_q / w_aq = (1/9) * 1.4 / 0.8
    assert ga["to"] == pytest.approx(100 * (1 / 9) * 1.4 / 0.8)
    np.testing.assert_allclose(res.forecast[0], [0.0, 100 * (3 / 7 + 1 / 9)])
    assert e["externalities"] == {}
    assert res.traces["q"].mean[0, 0] == pytest.approx(100 * 3 / 7)
    json.dumps(res.extra)


def test_exchange_none_when_same_side() -> None:
    # b shares a's position on q, so they are never on opposite sides of O_q: no exchange,
    # and the forecast is the compromise mean.
    sc = _two_by_two((100, 0))
    res = get_model("exchange").run(to_arrays(sc))
    assert res.extra["exchanges"] == []
    draws = to_arrays(sc)
    w = draws.capability[0][:, None] * draws.salience[0]
    np.testing.assert_allclose(res.forecast[0], expected_outcome(draws.positions[0], w))


def test_exchange_third_party_externality_and_determinism() -> None:
    c = {
        "id": "c",
        "capability": 1,
        "positions": {"p": 100, "q": 0},
        "salience": {"p": 50, "q": 50},
    }
    sc = _two_by_two((100, 100), c)
    draws = to_arrays(sc, n_draws=2)
    r1 = get_model("exchange").run(draws)
    r2 = get_model("exchange").run(draws)
    np.testing.assert_array_equal(r1.forecast, r2.forecast)
    ex = r1.extra["exchanges"]
    assert ex, "a and b should trade"
    first = ex[0]
    assert first["gains"][first["actors"][0]] == pytest.approx(first["gains"][first["actors"][1]])
    # c is at 100 on p and 0 on q: moving p towards a and q towards b hurts c
    assert first["externalities"].get("c", 0) < 0
    # each exchange has positive equal gains
    for e in ex:
        assert e["gain"] > 0


def test_exchange_best_exchange_none_for_single_issue() -> None:
    x = np.array([[0.0], [1.0]])
    s = np.array([[0.5], [0.5]])
    assert best_exchange(x, x, s, s, np.zeros((2, 1), dtype=bool)) is None
