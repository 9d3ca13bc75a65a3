"""User-level audit: odd but valid scenarios forecast cleanly with every model."""

from __future__ import annotations

import json

import pytest


def _actor(aid: str, cap: str, pos: dict[str, float], sal: dict[str, float]) -> str:
    p = ", ".join(f"{k}: {v}" for k, v in pos.items())
    s = ", ".join(f"{k}: {v}" for k, v in sal.items())
    return f"  - id: {aid}\n    capability: {cap}\n    positions: {{{p}}}\n    salience: {{{s}}}\n"


CASES = {
    # custom scale, and actor c absent from issue e
    "scale": "issues:\n  - id: d\n    scale: [4, 10]\n  - id: e\nactors:\n"
    + _actor("a", "1", {"d": 4, "e": 10}, {"d": 50, "e": 50})
    + _actor("b", "2", {"d": 10, "e": 60}, {"d": 70, "e": 20})
    + _actor("c", "1", {"d": 7}, {"d": 20}),
    "one-actor": "issues:\n  - id: d\nactors:\n" + _actor("a", "1", {"d": 30}, {"d": 50}),
    "identical": "issues:\n  - id: d\nactors:\n"
    + _actor("a", "1", {"d": 30}, {"d": 50})
    + _actor("b", "1", {"d": 30}, {"d": 50}),
    # zero-salience actors are allowed (they do not care); an issue where all are 0 is refused
    # (tests/cli/test_limits.py)
    "salience-0": "issues:\n  - id: d\nactors:\n"
    + _actor("a", "1", {"d": 30}, {"d": 0})
    + _actor("b", "1", {"d": 70}, {"d": 0})
    + _actor("c", "1", {"d": 50}, {"d": 1e-9}),
    "capability-extremes": "issues:\n  - id: d\nactors:\n"
    + _actor("a", "1e-9", {"d": 30}, {"d": 50})
    + _actor("b", "1.0e9", {"d": 70}, {"d": 50})
    + _actor("c", "1", {"d": 50}, {"d": 50}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_odd_but_valid_forecasts(run_cli, tmp_path, case):
    f = tmp_path / f"{case}.yaml"
    f.write_text(f"name: {case}\n" + CASES[case])
    code, out, err = run_cli("validate", f)
    assert code == 0, err
    code, out, err = run_cli("forecast", f, "--model", "all", "--json", "--no-store")
    assert code == 0, err
    doc = json.loads(out)
    scale = {"d": (4, 10) if case == "scale" else (0, 100), "e": (0, 100)}
    assert doc["results"]
    for r in doc["results"]:
        lo, hi = scale[r["issue"]]
        assert lo - 1e-9 <= r["forecast"] <= hi + 1e-9, r
    if case in ("one-actor", "identical"):
        assert {r["forecast"] for r in doc["results"]} == {30.0}
    if case == "capability-extremes":  # b's 1e9 capability dominates any weighted model
        assert {r["forecast"] for r in doc["results"] if r["model"] == "compromise"} == {70.0}
