"""Content checks for the flagship scenario examples/ukraine-ceasefire-2025.yaml.

The file is read with ``yaml.safe_load`` only, so these checks do not depend on the accord
loader. Positions are pinned to the table in section 2b of the shared fact sheet
(``shared/docs/ukraine-2025-facts.md``): a change there or here must be made on purpose.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import shared_file

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "examples" / "ukraine-ceasefire-2025.yaml"

ISSUES = ["t", "n", "g", "a", "s", "w", "e", "m", "c"]

# Section 2b of the fact sheet, 18-March values. Russia has no minerals position (n/a);
# China and Turkey keep only the cells with a sourced position (no "n/s", no "n/a").
# Minerals pairs 40 -> 50 (Ukraine) and 80 -> 50 (US): the opening value is the position.
TABLE: dict[str, dict[str, float]] = {
    "russia": {"t": 95, "n": 100, "g": 95, "a": 95, "s": 95, "w": 100, "e": 95, "c": 85},
    "ukraine": {"t": 20, "n": 15, "g": 5, "a": 5, "s": 5, "w": 0, "e": 10, "m": 40, "c": 10},
    "united-states": {
        "t": 70, "n": 75, "g": 40, "a": 10, "s": 60, "w": 15, "e": 40, "m": 80, "c": 30,
    },
    "eu-coalition": {
        "t": 20, "n": 35, "g": 10, "a": 5, "s": 5, "w": 0, "e": 5, "m": 45, "c": 30,
    },
    "china": {"n": 70, "s": 85, "c": 30},
    "turkey": {"t": 25, "g": 25, "s": 80, "c": 20},
}  # fmt: skip

CONFIDENCE: dict[str, dict[str, str]] = {
    "russia": dict.fromkeys(TABLE["russia"], "H"),
    "ukraine": {**dict.fromkeys(TABLE["ukraine"], "H"), "m": "M"},
    "united-states": {
        "t": "M", "n": "H", "g": "M", "a": "M", "s": "M", "w": "M", "e": "L", "m": "H", "c": "M",
    },
    "eu-coalition": {
        "t": "M", "n": "L", "g": "H", "a": "H", "s": "H", "w": "H", "e": "M", "m": "L", "c": "M",
    },
    "china": {"n": "L", "s": "M", "c": "M"},
    "turkey": {"t": "L", "g": "L", "s": "M", "c": "L"},
}  # fmt: skip

NOT_SOURCED = {
    "china": {"t", "g", "a", "w", "e", "m"},
    "turkey": {"n", "a", "w", "e", "m"},
    "russia": {"m"},
}

URL = re.compile(r"^https?://\S+$")


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    with SCENARIO.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def actors(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in doc["actors"]}


def test_flagship_top_level_keys_are_the_schema_ones(doc):
    allowed = {"name", "description", "issues", "actors", "models", "meta", "ceasefire"}
    assert set(doc) <= allowed
    assert {"name", "description", "issues", "actors", "models", "meta"} <= set(doc)


def test_flagship_issues_in_order_with_anchors(doc):
    issues = doc["issues"]
    assert [i["id"] for i in issues] == ISSUES
    allowed = {"id", "label", "scale", "anchors", "status_quo", "description", "meta"}
    for issue in issues:
        assert set(issue) <= allowed, issue["id"]
        assert issue["label"].strip()
        assert issue["scale"] == [0, 100]
        anchors = issue["anchors"]
        assert all(isinstance(k, int | float) for k in anchors), issue["id"]
        assert {0, 50, 100} <= set(anchors), issue["id"]
        assert all(0 <= k <= 100 and text.strip() for k, text in anchors.items())
    five_point = {"t", "n", "g", "s"}
    for issue in issues:
        if issue["id"] in five_point:
            assert set(issue["anchors"]) == {0, 25, 50, 75, 100}, issue["id"]
    labels = {i["id"]: i["label"] for i in issues}
    assert labels["t"] == "Territory"


def test_flagship_status_quo_in_scale_with_rationale(doc):
    for issue in doc["issues"]:
        assert issue["meta"]["status_quo_rationale"].strip(), issue["id"]
        if "status_quo" in issue:
            assert 0 <= issue["status_quo"] <= 100
            assert issue["meta"]["status_quo_sources"], issue["id"]
    sq = {i["id"]: i.get("status_quo") for i in doc["issues"]}
    # The no-deal situation on 18 March: no army cap, all sanctions, no minerals deal, no vote.
    assert sq["a"] == sq["s"] == sq["m"] == sq["e"] == 0
    # Land held by force but unrecognised: between the 25 and 50 anchors.
    assert 25 <= sq["t"] <= 50


def test_flagship_positions_match_fact_sheet_table(actors):
    assert set(actors) == set(TABLE)
    for aid, expected in TABLE.items():
        assert actors[aid]["positions"] == expected, aid


def test_flagship_unsourced_issues_are_omitted(actors):
    for aid, omitted in NOT_SOURCED.items():
        a = actors[aid]
        for key in ("positions", "salience", "ranges"):
            assert not omitted & set(a[key]), (aid, key)
        assert set(a["meta"]["omitted_issues"]) == omitted, aid


def test_flagship_every_position_has_a_source_url(actors):
    for aid, a in actors.items():
        per_issue = a["meta"]["position_sources"]
        assert set(per_issue) == set(a["positions"]), aid
        for issue, urls in per_issue.items():
            assert urls and all(URL.match(u) for u in urls), (aid, issue)
        listed = set(a["sources"])
        assert all(URL.match(u) for u in listed), aid
        used = {u for urls in per_issue.values() for u in urls}
        assert used <= listed, (aid, sorted(used - listed))


def test_flagship_confidence_codes(actors):
    for aid, a in actors.items():
        assert a["meta"]["confidence"] == CONFIDENCE[aid], aid


def test_flagship_capability_and_salience_rationales(actors):
    for aid, a in actors.items():
        assert a["capability"] > 0
        lo, hi = a["capability_range"]
        assert 0 < lo <= a["capability"] <= hi, aid
        assert "judgment" in a["meta"]["capability_rationale"].lower(), aid
        assert set(a["salience"]) == set(a["positions"]), aid
        assert all(0 <= v <= 100 for v in a["salience"].values()), aid
        why = a["meta"]["salience_rationale"]
        assert set(why) == set(a["salience"]), aid
        assert all(isinstance(t, str) and t.strip() for t in why.values()), aid
        for issue, (lo, hi) in a["salience_ranges"].items():
            assert 0 <= lo <= a["salience"][issue] <= hi <= 100, (aid, issue)


def test_flagship_rationales_are_also_yaml_comments():
    """Capability and salience lines carry a one-line comment in the file itself."""
    lines = SCENARIO.read_text(encoding="utf-8").splitlines()
    cap = [ln for ln in lines if re.match(r"^    capability: [\d.]+", ln)]
    assert len(cap) == len(TABLE)
    assert all(re.search(r"#\s*\S", ln) for ln in cap)
    in_salience, entries = False, 0
    for ln in lines:
        if ln == "    salience:":
            in_salience = True
            continue
        if in_salience and ln.startswith("      ") and not ln.strip().startswith("#"):
            entries += 1
            assert re.search(r"#\s*\S", ln), ln
        elif in_salience:
            in_salience = False
    assert entries == sum(len(p) for p in TABLE.values())


def test_flagship_ranges_contain_positions(actors):
    for aid, a in actors.items():
        ranges = a["ranges"]
        assert set(ranges) == set(a["positions"]), aid
        for issue, (lo, hi) in ranges.items():
            assert 0 <= lo <= a["positions"][issue] <= hi <= 100, (aid, issue)
            conf = a["meta"]["confidence"][issue]
            moved = issue in a["meta"].get("position_movement", {})
            if conf == "L":
                assert hi - lo >= 20, (aid, issue)
            if conf == "H" and not moved:
                assert hi - lo <= 20, (aid, issue)
    # Documented movement to the signed 50/50 fund lies inside the ranges.
    assert actors["ukraine"]["ranges"]["m"][0] <= 40 and actors["ukraine"]["ranges"]["m"][1] >= 50
    assert actors["united-states"]["ranges"]["m"] == [50, 80]


def test_flagship_models_and_meta(doc):
    assert doc["models"] == {"eum": {"q": 1.0, "rounds": 10, "probability": "global"}}
    meta = doc["meta"]
    assert meta["as_of"] == "2025-03-18"
    assert "0" in meta["scale_convention"] and "100" in meta["scale_convention"]
    assert meta["caveats"] and meta["authorship"].strip()
    assert meta["sources"] and all(URL.match(u) for u in meta["sources"])
    text = doc["description"]
    for needle in ("Jeddah", "30-day", "18 March", "energy", "https://"):
        assert needle in text, needle


def test_flagship_urls_come_from_fact_sheet():
    facts = shared_file("ukraine-2025-facts.md", root="docs").read_text(encoding="utf-8")
    text = SCENARIO.read_text(encoding="utf-8")
    urls = {u.rstrip(";.,)") for u in re.findall(r"https?://[^\s\"')]+", text)}
    assert urls
    missing = sorted(u for u in urls if u not in facts)
    assert not missing, missing


def test_flagship_validates_with_schema_if_available(doc):
    schema = pytest.importorskip("accord.scenario._schema")
    scenario = schema.Scenario.model_validate(doc)
    assert scenario.issue_ids == tuple(ISSUES)
