"""The app's plain functions: loading, uploads, edits, tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.app import _logic as L
from accord.app import streamlit_script
from accord.errors import InputError
from accord.scenario import load_scenario, scenario_from_text
from tests.report.conftest import TOY


@pytest.fixture(scope="module")
def toy():
    return load_scenario(TOY)


def test_app_bundled_examples_found():
    files = L.bundled_scenarios()
    assert files, "examples/ should be found from the source tree"
    for name, path in files.items():
        assert path.parent == L.examples_dir() and path.stem == name
    if L.FLAGSHIP in files:
        assert next(iter(files)) == L.FLAGSHIP
    name = next(iter(files))
    sc, text = L.load_bundled(name)
    assert sc.name and text
    assert streamlit_script().is_file()


def test_app_load_bundled_refuses_paths():
    for bad in ("../pyproject.toml", "/etc/passwd", "examples/x.yaml"):
        with pytest.raises(InputError, match="no bundled scenario"):
            L.load_bundled(bad)


def test_app_upload_limits(toy):
    text = TOY.read_text()
    sc, got = L.load_upload("toy.yaml", text.encode())
    assert sc == toy and got == text
    with pytest.raises(InputError, match="limited to 1 MB"):
        L.load_upload("big.yaml", b"#" * (L.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(InputError, match="binary"):
        L.load_upload("x.yaml", b"\x00\x01")
    with pytest.raises(InputError, match="not a scenario file"):
        L.load_upload("x.exe", b"name: x")
    with pytest.raises(InputError, match="malformed YAML"):
        L.load_upload("x.yaml", b"name: [unclosed")
    with pytest.raises(InputError):  # unsafe YAML tags are not executed
        L.load_upload("x.yaml", b"!!python/object/apply:os.system ['echo hacked']")
    with pytest.raises(InputError, match="unknown key"):
        L.load_upload("x.yaml", text.replace("status_quo: 40", "statusquo: 40").encode())


def test_app_yaml_roundtrip(toy):
    text = L.scenario_to_yaml(toy)
    assert scenario_from_text(text, "x.yaml") == toy
    assert "!!" not in text  # plain YAML, no python tags


def test_app_edits(toy):
    moved = L.set_position(toy, "south", "border", 35)
    assert moved.actors[1].positions["border"] == 35
    assert moved.actors[1].ranges["border"] == (0, 35)  # range widened to contain it
    assert toy.actors[1].positions["border"] == 10  # input not mutated
    assert L.set_salience(toy, "north", "delay", 99).actors[0].salience["delay"] == 99
    cap = L.set_capability(toy, "north", 9)
    assert cap.actors[0].capability == 9 and cap.actors[0].capability_range == (2, 9)
    with pytest.raises(InputError, match="outside"):
        L.set_position(toy, "north", "delay", 11)
    with pytest.raises(InputError, match="no part"):
        L.set_position(toy, "mediator", "delay", 5)
    with pytest.raises(InputError):
        L.set_capability(toy, "north", 0)


def test_app_issue_table_roundtrip(toy):
    table = L.issue_table(toy, "delay")
    assert list(table.columns) == list(L.TABLE_COLUMNS)
    assert table["takes_part"].tolist() == [True, True, False]
    assert L.apply_issue_table(toy, "delay", table) == toy
    table.loc[2, "takes_part"] = True  # mediator joins: middle of the scale, salience 50
    table.loc[0, "position"] = 8.0
    table.loc[1, "capability"] = 5.0
    new = L.apply_issue_table(toy, "delay", table)
    assert new.actors[2].positions["delay"] == 7.0 and new.actors[2].salience["delay"] == 50
    assert new.actors[0].positions["delay"] == 8.0 and new.actors[0].ranges["delay"] == (4, 8)
    assert new.actors[1].capability == 5.0
    table = L.issue_table(toy, "border")
    table.loc[1, "takes_part"] = False
    assert "border" not in L.apply_issue_table(toy, "border", table).actors[1].positions


def test_app_forecast_tables_follow_edits(toy):
    doc, notes = L.forecast_doc(toy, ["compromise", "median"])
    tab = L.forecast_table(doc, toy)
    assert list(tab.columns) == ["compromise", "median"]
    assert tab.loc["Border line", "median"] == "90.00"
    moved = L.set_position(toy, "north", "border", 60)
    doc_b, _ = L.forecast_doc(moved, ["compromise", "median"])
    cmp = L.compare_table(doc, doc_b, toy)
    row = cmp[(cmp.issue == "Border line") & (cmp.model == "compromise")].iloc[0]
    w = {"north": 3 * 80, "south": 2 * 90, "mediator": 30}
    assert row["B − A"] == pytest.approx(w["north"] * (60 - 90) / sum(w.values()))
    delay = cmp[cmp.issue == "Years of delay"]
    assert (delay["B − A"] == 0).all()


@settings(max_examples=25, deadline=None)
@given(x=st.floats(0, 100).filter(lambda v: v == 0 or v >= 2.3e-308),
       s=st.just(0.0) | st.floats(1e-9, 100))  # bounds of docs/limits.md
def test_app_edit_then_roundtrip_property(x, s):
    toy = load_scenario(TOY)
    new = L.set_salience(L.set_position(toy, "north", "border", x), "north", "border", s)
    assert new.actors[0].positions["border"] == x
    lo, hi = new.actors[0].ranges["border"]
    assert lo <= x <= hi
    assert scenario_from_text(L.scenario_to_yaml(new), "x.yaml") == new


def test_app_report_html(toy):
    html = L.report_html(toy, None)
    assert html.startswith("<!DOCTYPE html>") and "fig-forecast" in html
