import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.durability.cli import app
from accord.errors import InputError

from .conftest import FIXTURE

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "durability" / "ceasefire-march-2025.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("m") / "model.json"
    r = runner.invoke(app, ["fit", str(FIXTURE), "-o", str(path), "--bootstrap", "20"])
    assert r.exit_code == 0, r.output
    return path


def test_fit_prints_hazard_ratios(model_file):
    doc = json.loads(model_file.read_text())
    assert doc["format"] == "accord-durability/1"


def test_evaluate_json(model_file):
    r = runner.invoke(app, ["evaluate", str(model_file), str(FIXTURE), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    for key in ("n", "events", "c_index", "ibs", "km", "models", "calibration"):
        assert key in doc
    assert doc["km"]["c_index"] == 0.5


def test_evaluate_split_year(model_file):
    r = runner.invoke(
        app,
        ["evaluate", str(model_file), str(FIXTURE), "--split-year", "2005", "--json", "--no-gbm"],
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["split_year"] == 2005 and doc["train"]["years"][1] <= 2005
    assert doc["test_years"][0] > 2005


def test_predict_example(model_file):
    r = runner.invoke(app, ["predict", str(EXAMPLE), "--model", str(model_file), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    ids = [p["id"] for p in doc["predictions"]]
    assert ids[:2] == ["energy-moratorium", "jeddah-full-30-day"]
    for p in doc["predictions"]:
        assert set(p["survival"]) == {"30", "90", "365"}
    r = runner.invoke(app, ["predict", str(EXAMPLE), "--model", str(model_file)])
    assert r.exit_code == 0 and "energy" in r.stdout


def test_predict_single_mapping(model_file, tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("name: x\nceasefire:\n  written: true\n  fixed_term_days: 7\n")
    r = runner.invoke(app, ["predict", str(f), "--model", str(model_file), "--json"])
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(
    "content", ["name: x\n", "ceasefire: [{id: a}]\n", "ceasefire: {writen: true}\n", ": : :\n"]
)
def test_predict_bad_file_raises_input_error(model_file, tmp_path, content):
    f = tmp_path / "bad.yaml"
    f.write_text(content)
    r = runner.invoke(app, ["predict", str(f), "--model", str(model_file)])
    assert isinstance(r.exception, InputError)


def test_corrupt_model_raises_input_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01garbage")
    r = runner.invoke(app, ["evaluate", str(bad), str(FIXTURE)])
    assert isinstance(r.exception, InputError)


def test_km_command():
    r = runner.invoke(app, ["km", str(FIXTURE), "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["rows"]
    assert any(row["feature"] == "written" for row in rows)


@pytest.mark.slow
def test_shared_time_split_beats_km(shared_csv, tmp_path):
    """Done-criterion of issue 4: fit <= 2009, test 2010-2014, beat KM on C and IBS."""
    import numpy as np

    from accord.durability import evaluate_split, read_ceasefires

    table = read_ceasefires(shared_csv).table
    res = evaluate_split(table, 2009, rng=np.random.default_rng(0), gbm=False)
    assert res["test_years"] == [2010, 2014]
    assert res["c_index"] > 0.6
    assert res["ibs"] < res["km"]["ibs"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--penalty", "-1"], "--penalty: must be >= 0"),
        (["--max-year", "1900"], "--max-year: no ceasefire declared up to 1900"),
    ],
)
def test_fit_bad_option_keeps_the_saved_model(run_cli, tmp_path, args, says):
    out = tmp_path / "model.json"
    out.write_text("saved before")
    code, _, err = run_cli("durability", "fit", FIXTURE, "-o", out, *args)
    assert code == 2 and says in err and "Traceback" not in err
    assert out.read_text() == "saved before"


def test_fit_to_a_folder_fails_before_fitting(run_cli, tmp_path):
    code, _, err = run_cli("durability", "fit", FIXTURE, "-o", tmp_path)
    assert code == 2 and "is a folder" in err and "fitting on" not in err


def test_predict_uses_the_bundled_model_and_says_what_it_was_fitted_on():
    r = runner.invoke(app, ["predict", str(EXAMPLE), "--json", "--no-store"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["model"] == "bundled"
    assert "civil-conflict ceasefires 1989-2014" in doc["fitted_on"]
    assert len(doc["predictions"]) >= 2
    r = runner.invoke(app, ["predict", str(EXAMPLE), "--no-store"])
    assert r.exit_code == 0 and "civil-conflict ceasefires 1989-2014" in " ".join(r.stdout.split())


def test_predict_rejects_the_old_positional_model(model_file):
    r = runner.invoke(app, ["predict", str(model_file), str(EXAMPLE)])
    assert r.exit_code != 0


def test_predict_reads_scenarios_as_the_scenario_loader_does(model_file, tmp_path):
    """Spreadsheets hold the ceasefire block in their scenario table; a spreadsheet without
    one, and YAML with a key given twice, get the loader's own clear messages."""
    from accord.scenario import load_scenario, write_sheet

    flagship = Path(__file__).resolve().parents[2] / "examples" / "ukraine-ceasefire-2025.yaml"
    sheet = tmp_path / "flagship.xlsx"
    write_sheet(load_scenario(flagship), sheet)
    r = runner.invoke(app, ["predict", str(sheet), "--model", str(model_file), "--json"])
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)["predictions"]) == 2

    plain = load_scenario(flagship).model_copy(update={"ceasefire": None})
    bare = tmp_path / "bare.csv"
    write_sheet(plain, bare)
    r = runner.invoke(app, ["predict", str(bare), "--model", str(model_file)])
    assert isinstance(r.exception, InputError) and "no 'ceasefire:' block" in str(r.exception)

    twice = tmp_path / "twice.yaml"
    twice.write_text("ceasefire: {written: true}\nceasefire: {written: false}\n")
    r = runner.invoke(app, ["predict", str(twice), "--model", str(model_file)])
    assert isinstance(r.exception, InputError) and "given twice" in str(r.exception)
