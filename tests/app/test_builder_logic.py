"""The scenario builder's logic (no Streamlit)."""

from __future__ import annotations

import pytest

from accord.app import _builder_logic as B
from accord.errors import InputError
from accord.scenario import load_scenario, scenario_from_sheet_bytes, scenario_from_text
from tests.conftest import EXAMPLES


def _built() -> B.Draft:
    d = B.blank_draft("Water talks")
    d = B.add_issue(d, "share", "Share of the river", 0, 100)
    d = B.add_issue(d, "dam", "Dam height", 10, 50)
    for aid, name, cap, pos, sal in (("up", "Upstream", 3, 10, 90), ("down", "Downstream", 2,
                                      90, 80), ("donor", "Donor", 1, 40, 20)):
        d = B.add_actor(d, aid, name, cap)
        d = B.set_stance(d, aid, "share", "position", pos)
        d = B.set_stance(d, aid, "share", "salience", sal)
    d = B.set_stance(d, "up", "dam", "position", 50)
    d = B.set_stance(d, "up", "dam", "salience", 60)
    return d


def test_build_from_nothing_gives_a_valid_scenario():
    sc, problem = B.check(B.blank_draft())
    assert sc is None and problem == "builder: issues: the scenario has no issues. Fix: add at least one issue under issues:."
    sc, problem = B.check(_built())
    assert problem is None
    assert sc.actor_ids == ("up", "down", "donor") and sc.issue_ids == ("share", "dam")
    assert "dam" not in sc.actors[1].positions  # downstream takes no part in the dam
    files = B.exports(sc, "water")
    assert scenario_from_text(files["YAML"][0].decode(), "w.yaml") == sc
    assert scenario_from_sheet_bytes(files["Excel (.xlsx)"][0], "w.xlsx") == sc
    assert scenario_from_sheet_bytes(files["CSV"][0], "w.csv") == sc


def test_edits_are_checked_with_the_cli_messages():
    d = B.set_stance(_built(), "down", "share", "position", 120)
    sc, problem = B.check(d)
    assert sc is None
    assert problem.startswith("builder: actors[1] (id 'down').positions.share: position 120 lies outside")
    assert "Fix:" in problem
    d = B.set_issue(_built(), "dam", "scale_max", 5)
    assert "scale must be [min, max] with max > min" in B.check(d)[1]
    d = B.set_stance(_built(), "up", "share", "salience", None)
    assert "needs both a position and a salience" in B.check(d)[1]


def test_rename_and_remove_carry_the_numbers():
    d = B.rename_issue(_built(), "share", "water")
    sc, _ = B.check(d)
    assert sc.issue_ids == ("water", "dam") and sc.actors[0].positions == {"water": 10, "dam": 50}
    d = B.rename_actor(d, "donor", "world-bank")
    d = B.remove_issue(d, "dam")
    d = B.remove_actor(d, "up")
    sc, _ = B.check(d)
    assert sc.actor_ids == ("down", "world-bank") and sc.issue_ids == ("water",)
    assert all(set(a.positions) == {"water"} for a in sc.actors)
    with pytest.raises(InputError, match="already an issue 'water'"):
        B.add_issue(d, "water")
    with pytest.raises(InputError, match="already an actor 'down'"):
        B.rename_actor(d, "world-bank", "down")
    with pytest.raises(InputError, match="needs an id"):
        B.add_actor(d, "  ")


def test_labels_scales_anchors_ranges():
    d = _built()
    d = B.set_issue(d, "share", "label", "Share of the river's flow")
    d = B.set_issue(d, "share", "status_quo", 70)
    d = B.set_issue(d, "share", "anchors", "0: all upstream\n100: all downstream")
    d = B.set_stance(d, "up", "share", "low", 5)
    d = B.set_stance(d, "up", "share", "high", 20)
    d = B.set_stance(d, "up", "share", "salience_low", 80)
    d = B.set_stance(d, "up", "share", "salience_high", 100)
    d = B.set_actor(d, "up", "capability_low", 2)
    d = B.set_actor(d, "up", "capability_high", 4)
    d = B.set_actor(d, "up", "sources", "a report\nan interview")
    sc, problem = B.check(d)
    assert problem is None
    issue, up = sc.issues[0], sc.actors[0]
    assert issue.label == "Share of the river's flow" and issue.status_quo == 70
    assert issue.anchors == {0.0: "all upstream", 100.0: "all downstream"}
    assert up.ranges == {"share": (5, 20)} and up.salience_ranges == {"share": (80, 100)}
    assert up.capability_range == (2, 4) and up.sources == ["a report", "an interview"]
    assert B.issue_anchors_text(d["issues"][0]) == "0: all upstream\n100: all downstream"
    # half a range is refused by the schema, with its field
    d = B.set_stance(d, "up", "share", "high", None)
    assert "ranges.share" in B.check(d)[1]
    with pytest.raises(InputError, match="POINT: text"):
        B.set_issue(d, "share", "anchors", "upstream gets all")


def test_every_bundled_example_round_trips_through_a_draft():
    for path in sorted(EXAMPLES.glob("*.yaml")):
        sc = load_scenario(path)
        assert B.check(B.draft_from_scenario(sc))[0] == sc


def test_upload_a_spreadsheet_into_the_builder():
    sc = load_scenario(EXAMPLES / "eu-emissions-1994.yaml")
    data = B.exports(sc, "eu")["Excel (.xlsx)"][0]
    assert B.check(B.draft_from_upload("eu.xlsx", data))[0] == sc
    with pytest.raises(InputError, match="limited"):
        B.draft_from_upload("eu.xlsx", data * 200)
