"""Scenarios in spreadsheets: lossless round trips (.xlsx and .csv), every bad cell named by
sheet, row and column, KTAB CSV still read, and `accord import/export/new`."""

from __future__ import annotations

import io
import json
import math

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import InputError
from accord.scenario import (
    Scenario,
    load_scenario,
    scenario_from_sheet_bytes,
    scenario_from_text,
    sheet_bytes,
    template_yaml,
)
from accord.scenario._sheets import parse_anchors, scenario_to_tables
from tests.conftest import EXAMPLES

BUNDLED = sorted(EXAMPLES.glob("*.yaml"))
TOY = """
name: toy
issues:
  - {id: x, label: First, scale: [0, 10], status_quo: 5, anchors: {0: none, 10: all}}
  - {id: y}
actors:
  - {id: a, name: A, capability: 2, positions: {x: 1, y: 20}, salience: {x: 50, y: 5},
     ranges: {x: [0, 3]}, sources: [one, two]}
  - {id: b, capability: 1, positions: {x: 9}, salience: {x: 80}, capability_range: [0.5, 2]}
"""


def _toy() -> Scenario:
    return scenario_from_text(TOY, "toy.yaml")


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_bundled_examples_round_trip(path, ext):
    sc = load_scenario(path)
    back = scenario_from_sheet_bytes(sheet_bytes(sc, f"x.{ext}"), f"x.{ext}")
    assert back == sc
    assert back.model_dump() == sc.model_dump()  # same values, same order of everything


# ---- hypothesis: any scenario the layout can hold comes back the same -----------------------

SLUGS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=8)
# text as a person types it: any characters a workbook can store (no control characters),
# not blank (an empty cell means "not given")
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x7f"),
    min_size=1, max_size=30,
).filter(lambda s: s.strip() != "")
LINES = st.lists(TEXT | st.text(alphabet="ab \n;:[]{}\"'", min_size=1, max_size=12)
                 .filter(lambda s: s.strip() != ""), max_size=3)
FLOATS = st.floats(allow_nan=False, allow_infinity=False, width=64)
META = st.dictionaries(SLUGS, st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000),
                                        FLOATS, TEXT, st.lists(TEXT, max_size=2)), max_size=3)


def _normal(x: float) -> bool:  # denormals are refused (docs/limits.md)
    return x == 0 or abs(x) >= 2.3e-308


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    ids = draw(st.lists(SLUGS, min_size=1, max_size=3, unique=True))
    issues = []
    for k in ids:
        lo = draw(st.floats(-1e6, 1e6).filter(_normal))
        hi = lo + draw(st.floats(1e-2, 1e6))
        inside = st.floats(lo, hi).filter(_normal)
        issue = {"id": k, "scale": [lo, hi]}
        if draw(st.booleans()):
            issue["label"] = draw(TEXT)
        if draw(st.booleans()):
            issue["description"] = draw(TEXT)
        if draw(st.booleans()):
            issue["status_quo"] = draw(inside)
        issue["anchors"] = draw(st.dictionaries(inside, TEXT | st.just("x; 5: y\nz"),
                                                max_size=3))
        issue["meta"] = draw(META)
        issues.append(issue)
    actors = []
    for aid in draw(st.lists(SLUGS, min_size=1, max_size=4, unique=True)):
        cap = draw(st.floats(1e-6, 1e6))
        actor = {"id": aid, "capability": cap, "positions": {}, "salience": {},
                 "ranges": {}, "salience_ranges": {}}
        if draw(st.booleans()):
            actor["name"] = draw(TEXT)
        if draw(st.booleans()):
            actor["capability_range"] = [cap / 2, cap * 2]
        for issue in issues:
            if actors and not draw(st.booleans()):
                continue  # takes no part
            lo, hi = issue["scale"]
            x = draw(st.floats(lo, hi).filter(_normal))
            # 0 (does not care) or >= 1e-9; the first actor cares about every issue
            s = draw(st.floats(1e-9, 100) if not actors else st.just(0.0) | st.floats(1e-9, 100))
            actor["positions"][issue["id"]] = x
            actor["salience"][issue["id"]] = s
            if draw(st.booleans()):
                actor["ranges"][issue["id"]] = [draw(st.floats(lo, x).filter(_normal)),
                                                draw(st.floats(x, hi).filter(_normal))]
            if draw(st.booleans()):
                low = st.just(0.0) | st.floats(1e-9, s) if s >= 1e-9 else st.just(0.0)
                actor["salience_ranges"][issue["id"]] = [draw(low), draw(st.just(s) | st.floats(max(s, 1e-9), 100))]
        actor["sources"] = draw(LINES)
        actor["meta"] = draw(META)
        actors.append(actor)
    data = {"name": draw(TEXT), "issues": issues, "actors": actors}
    if draw(st.booleans()):
        data["description"] = draw(TEXT)
    if draw(st.booleans()):
        data["models"] = {"eum": {"q": draw(st.floats(0, 1)), "rounds": 5}}
    if draw(st.booleans()):
        data["strategy"] = {"rounds": draw(st.integers(1, 100))}
    if draw(st.booleans()):
        data["ceasefire"] = [{"id": "c1", "label": draw(TEXT), "written": True}]
    if draw(st.booleans()):
        data["sampling"] = {"distribution": "uniform"}
    data["meta"] = draw(META)
    return Scenario.model_validate(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from(["xlsx", "csv"]))
def test_any_scenario_round_trips(sc, ext):
    back = scenario_from_sheet_bytes(sheet_bytes(sc, f"s.{ext}"), f"s.{ext}")
    assert back.model_dump() == sc.model_dump()


def test_anchor_cells_read_lines_semicolons_and_json():
    assert parse_anchors("0: none\n10: all") == {0.0: "none", 10.0: "all"}
    assert parse_anchors("0: none; 10: all: of it") == {0.0: "none", 10.0: "all: of it"}
    assert parse_anchors('{"2.5": "a; 3: b"}') == {2.5: "a; 3: b"}
    with pytest.raises(ValueError, match="POINT: text"):
        parse_anchors("middle ground")


def test_csv_layout_is_plain_and_documented_columns():
    tables = scenario_to_tables(_toy())
    assert tables["issues"][0] == ["id", "label", "scale_min", "scale_max", "status_quo",
                                   "anchors", "description", "meta"]
    head = tables["actors"][0]
    assert head[:5] == ["id", "name", "capability", "capability_low", "capability_high"]
    assert head[5:11] == ["x.position", "x.salience", "x.low", "x.high", "x.salience_low",
                          "x.salience_high"]
    assert head[-2:] == ["sources", "meta"]
    text = sheet_bytes(_toy(), "t.csv").decode("utf-8-sig")
    assert text.startswith("[scenario]\nfield,value\nname,toy\n")
    assert "\n[issues]\n" in text and "\n[actors]\n" in text


# ---- bad cells --------------------------------------------------------------------------


def _workbook(sc: Scenario) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(sheet_bytes(sc, "t.xlsx")))


def _bytes(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_bad_xlsx_cells_name_sheet_row_column_and_fix():
    wb = _workbook(_toy())
    ws = wb["actors"]
    assert ws["C2"].value == 2 and ws.cell(1, 6).value == "x.position"
    ws["C2"] = "lots"           # capability of a: not a number
    ws["F3"] = 11               # position of b on x: outside [0, 10]
    ws["M3"] = 101              # salience of b on y: out of range, and no position
    with pytest.raises(InputError) as exc:
        scenario_from_sheet_bytes(_bytes(wb), "t.xlsx")
    text = str(exc.value)
    assert text.startswith("t.xlsx: 3 bad cells:")
    assert "row 3, column M (y.salience): salience of 'y' must lie in 0-100, got 101" in text
    assert "sheet 'actors', row 2, column C (capability): Input should be a valid number" in text
    assert "Fix: write a number." in text
    assert "sheet 'actors', row 3, column L (y.position)" in text and "y.position is empty" in text
    # once those are fixed, the cross-check on b's position speaks
    ws["C2"] = 2
    ws["M3"] = None
    with pytest.raises(InputError) as exc:
        scenario_from_sheet_bytes(_bytes(wb), "t.xlsx")
    err = exc.value
    assert err.field == "sheet 'actors', row 3, column F (x.position)"
    assert "outside the issue's scale [0, 10]" in err.message and "within [0, 10]" in err.fix


@pytest.mark.parametrize(
    ("edit", "where", "words"),
    [
        (lambda wb: wb["issues"].cell(2, 3, 10), "sheet 'issues', row 2, column C (scale_min)",
         "max > min"),
        (lambda wb: wb["issues"].cell(2, 6, "zero: none"), "column F (anchors)", "POINT: text"),
        (lambda wb: wb["issues"].cell(3, 1, "x"), "sheet 'issues', row 3, column A (id)",
         "duplicate issue id"),
        (lambda wb: wb["actors"].cell(1, 6, "z.position"), "row 1, column F (z.position)",
         "not in the issues table"),
        (lambda wb: wb["actors"].cell(1, 6, "colour"), "row 1, column F (colour)",
         "unknown column"),
        (lambda wb: setattr(wb["actors"]["H2"], "value", None), "sheet 'actors', row 2, column H (x.low)",
         "x.low is empty"),
        (lambda wb: wb["actors"].cell(2, 19, "a: [unclosed"), "column S (meta)",
         "malformed YAML"),
        (lambda wb: wb["scenario"].cell(3, 1, "nmae"), "sheet 'scenario', row 3, column A",
         "unknown field 'nmae'"),
        (lambda wb: wb["actors"].cell(3, 3, "=1/0"), "sheet 'actors', row 3, column C",
         "no saved value"),
    ],
)
def test_each_kind_of_bad_cell(edit, where, words):
    wb = _workbook(_toy())
    edit(wb)
    with pytest.raises(InputError) as exc:
        scenario_from_sheet_bytes(_bytes(wb), "t.xlsx")
    assert where in str(exc.value) and words in str(exc.value), str(exc.value)
    assert exc.value.fix or "Fix:" in str(exc.value)


def test_missing_sheet_and_not_a_workbook():
    wb = _workbook(_toy())
    del wb["actors"]
    with pytest.raises(InputError, match="no actors sheet .found: issues, scenario"):
        scenario_from_sheet_bytes(_bytes(wb), "t.xlsx")
    with pytest.raises(InputError, match="not an .xlsx workbook"):
        scenario_from_sheet_bytes(b"PK\x03\x04 not really", "t.xlsx")


def test_csv_bad_cells_give_row_and_line():
    text = sheet_bytes(_toy(), "t.csv").decode("utf-8-sig").replace("b,,1,", "b,,-1,")
    with pytest.raises(InputError) as exc:
        scenario_from_text(text, "t.csv")
    # multi-line cells (anchors, sources) make the file's lines run ahead of its rows
    assert exc.value.field == "section [actors], row 13 (line 15), column C (capability)"
    assert "capability must be > 0" in exc.value.message


def test_a_csv_in_neither_layout_names_both(tmp_path):
    with pytest.raises(InputError) as exc:
        scenario_from_text("actor,position\nA,1\n", "plain.csv")
    assert "accord's spreadsheet layout" in str(exc.value) and "KTAB CSV" in str(exc.value)


def test_ktab_csv_still_accepted():
    text = "T,d,2,1,\nActor,Description,Power,Pos,Sal,\nA,a,10,20,50,\nB,b,5,80,40,\n"
    sc = scenario_from_text(text, "k.csv")
    assert sc.meta["format"] == "ktab-smp-csv" and sc.actor_ids == ("a", "b")


def test_control_characters_refused_on_xlsx_export():
    sc = _toy().model_copy(update={"name": "bad\x01name"})
    with pytest.raises(InputError, match="control character"):
        sheet_bytes(sc, "t.xlsx")


# ---- the commands ---------------------------------------------------------------------------


def test_export_edit_import_by_cli(run_cli, tmp_path):
    src = EXAMPLES / "eu-emissions-1994.yaml"
    sheet = tmp_path / "eu.xlsx"
    code, out, err = run_cli("export", src, "-o", sheet)
    assert code == 0, err
    wb = openpyxl.load_workbook(sheet)
    assert wb.sheetnames == ["issues", "actors", "scenario"]
    wb["actors"]["F2"] = 5  # the Netherlands move to 5 years
    wb.save(sheet)
    target = tmp_path / "eu.yaml"
    code, out, err = run_cli("import", sheet, "-o", target)
    assert code == 0, err
    back = load_scenario(target)
    assert back.actors[0].positions["delay"] == 5
    assert back.actors[1:] == load_scenario(src).actors[1:]
    code, out, err = run_cli("validate", target)
    assert code == 0, err


def test_outputs_are_never_overwritten_silently(run_cli, tmp_path):
    target = tmp_path / "kept.yaml"
    target.write_text("precious")
    for args in (("export", EXAMPLES / "eu-emissions-1994.yaml", "-o", tmp_path / "x.txt"),
                 ("import", EXAMPLES / "eu-emissions-1994.yaml", "-o", target),
                 ("new", "talks", "-o", target)):
        code, out, err = run_cli(*args)
        assert code == 2 and err.startswith("error: ") and "Fix:" in err, err
    assert target.read_text() == "precious"
    code, _, err = run_cli("new", "talks", "-o", target, "--force")
    assert code == 0, err
    assert load_scenario(target).name == "talks"


def test_failed_import_writes_nothing(run_cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(sheet_bytes(_toy(), "t.csv").replace(b"a,A,2,", b"a,A,0,"))
    code, out, err = run_cli("import", bad, "-o", tmp_path / "out.yaml")
    assert code == 2 and "section [actors]" in err and "column C (capability)" in err
    assert not (tmp_path / "out.yaml").exists()
    assert list(tmp_path.glob(".*tmp")) == []


@pytest.mark.parametrize("out", ["t.yaml", "t.xlsx", "t.csv"])
def test_new_template_validates(run_cli, tmp_path, monkeypatch, out):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("new", 'Talks: "quoted" & more', "-o", out)
    assert code == 0, err
    code, _, err = run_cli("validate", out)
    assert code == 0, err
    sc = load_scenario(tmp_path / out)
    assert sc.name == 'Talks: "quoted" & more'
    assert len(sc.actors) == 2 and len(sc.issues) == 1


def test_new_by_name_picks_the_file_and_keeps_comments(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("new", "Gaza talks 2025")
    assert code == 0, err
    text = (tmp_path / "gaza-talks-2025.yaml").read_text()
    assert text.count("\n#") >= 3 and "capability:" in text
    assert yaml.safe_load(text)["name"] == "Gaza talks 2025"
    code, _, err = run_cli("new")
    assert code == 2 and "NAME" in err


def test_template_is_valid_for_awkward_names():
    for name in ("a: b", "#hash", "'single'", "multi\nline", "- dash"):
        sc = scenario_from_text(template_yaml(name, "f.yaml"), "f.yaml")
        assert sc.name == name


def test_sheet_numbers_are_exact():
    sc = _toy()
    data = sc.model_dump()
    data["actors"][0]["positions"]["x"] = 1 / 3
    data["actors"][0]["salience"]["x"] = math.nextafter(50.0, 0)
    sc = Scenario.model_validate(data)
    for ext in ("xlsx", "csv"):
        back = scenario_from_sheet_bytes(sheet_bytes(sc, f"t.{ext}"), f"t.{ext}")
        assert back.actors[0].positions["x"] == 1 / 3
        assert back.actors[0].salience["x"] == math.nextafter(50.0, 0)
    assert json.loads(json.dumps(1 / 3)) == 1 / 3


FORMULAS = ["=HYPERLINK(\"http://127.0.0.1/x\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "'",
            "''=x", "'=1", "'plain'", "-5", "=", "\tx"]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_text_never_starts_like_a_formula_and_round_trips(text):
    import csv
    import io

    from accord.scenario._sheet_files import guard_formula, unguard_formula

    assert unguard_formula(guard_formula(text)) == text
    sc = Scenario.model_validate({
        "name": text, "description": text,
        "issues": [{"id": "a", "label": text}],
        "actors": [{"id": "x", "name": text, "capability": 1, "positions": {"a": 10},
                    "salience": {"a": 50}},
                   {"id": "y", "name": "y", "capability": 1, "positions": {"a": 90},
                    "salience": {"a": 50}}],
    })
    data = sheet_bytes(sc, "s.csv")
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
        for cell in row:
            if cell.startswith(("=", "+", "@", "\t", "\r")) or (
                    cell.startswith("-") and not _is_float(cell)):
                raise AssertionError(f"cell {cell!r} would run as a formula")
    assert scenario_from_sheet_bytes(data, "s.csv").model_dump() == sc.model_dump()


def _is_float(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


@given(st.text(max_size=8))
def test_formula_guard_is_an_exact_round_trip(text):
    from accord.scenario._sheet_files import guard_formula, unguard_formula

    assert unguard_formula(guard_formula(text)) == text
