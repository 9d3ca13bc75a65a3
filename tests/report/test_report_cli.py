"""CLI: forecast saves runs, `runs list/show`, `report`; stdout stays clean with --json."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from accord.store import list_runs
from tests.report.conftest import TOY


def test_cli_forecast_saves_run(run_cli, tmp_path):
    store = tmp_path / "runs.duckdb"
    code, out, err = run_cli("forecast", TOY, "-m", "compromise", "--json", "--store", store)
    assert code == 0, err
    doc = json.loads(out)  # stdout is the JSON document only
    assert "saved run" in err
    runs = list_runs(store)
    assert len(runs) == 1 and runs[0]["kind"] == "forecast"
    code, out2, _ = run_cli("runs", "show", runs[0]["run_id"], "--store", store, "--json")
    shown = json.loads(out2)
    assert shown["results"] == doc
    assert shown["settings"]["models"] == ["compromise"]
    assert "rationale <b>not bold</b>" in shown["scenario_text"]


def test_cli_forecast_no_store_and_env(run_cli, tmp_path, monkeypatch):
    store = tmp_path / "runs.duckdb"
    code, _, err = run_cli("forecast", TOY, "-m", "median", "--store", store, "--no-store")
    assert code == 0 and "saved run" not in err and not store.exists()
    env_store = tmp_path / "env.duckdb"
    monkeypatch.setenv("ACCORD_STORE", str(env_store))
    assert run_cli("forecast", TOY, "-m", "median", "--json")[0] == 0
    assert len(list_runs(env_store)) == 1
    monkeypatch.setenv("ACCORD_STORE", "off")
    code, _, err = run_cli("forecast", TOY, "-m", "median")
    assert code == 0 and "saved run" not in err


def test_cli_forecast_store_failure_is_a_warning(run_cli, tmp_path):
    # a store that fails once the work is done (not a DuckDB file): the result is still given
    bad = tmp_path / "not-a-store.duckdb"
    bad.write_text("plain text, not DuckDB\n")
    code, out, err = run_cli("forecast", TOY, "-m", "median", "--json", "--store", bad)
    assert code == 0
    json.loads(out)
    assert "warning: run not saved" in err
    assert bad.read_text() == "plain text, not DuckDB\n"  # left as it was


def test_cli_forecast_store_folder_refused_before_work(run_cli, tmp_path):
    # a folder (or FIFO, device) can never be a store: refused at once, before any work
    code, out, err = run_cli("forecast", TOY, "-m", "median", "--json", "--store", tmp_path)
    assert code == 2 and out == ""
    assert str(tmp_path) in err and "directory" in err


def test_cli_runs_list_and_show(run_cli, tmp_path):
    store = tmp_path / "runs.duckdb"
    for model in ("compromise", "median"):
        run_cli("forecast", TOY, "-m", model, "--store", store)
    code, out, _ = run_cli("runs", "list", "--store", store, "--json")
    runs = json.loads(out)["runs"]
    assert code == 0 and len(runs) == 2
    code, out, _ = run_cli("runs", "list", "--store", store)
    assert code == 0 and runs[0]["run_id"] in out
    code, out, _ = run_cli("runs", "show", runs[0]["run_id"][:6], "--store", store)
    assert code == 0 and "forecast" in out and "border" in out
    code, _, err = run_cli("runs", "show", "abcdef123456", "--store", store)
    assert code == 2 and "no run" in err
    code, _, err = run_cli("runs", "list", "--store", tmp_path / "missing.duckdb")
    assert code == 2 and "no run store" in err


def test_cli_report(run_cli, tmp_path):
    out_html = tmp_path / "sub" / "report.html"
    sens = tmp_path / "sens.json"
    sens.write_text(
        json.dumps({"tornado": [{"parameter": "north.capability", "low": 1, "high": 2}]})
    )
    code, out, err = run_cli(
        "report", TOY, "-o", out_html, "--draws", "0", "-m", "compromise", "--sensitivity", sens
    )
    assert code == 0, err
    assert out == ""
    soup = BeautifulSoup(out_html.read_text(), "html.parser")
    assert soup.find("section", id="sensitivity").get("data-omitted") is None
    assert soup.select("#forecast-table td.forecast")
    # overwrite is allowed
    assert run_cli("report", TOY, "-o", out_html, "--draws", "0", "-m", "median")[0] == 0
    assert soup.find(id="fig-forecast") is not None


def test_cli_report_bad_input(run_cli, tmp_path):
    code, _, err = run_cli("report", TOY, "-o", tmp_path)
    assert code == 2 and "directory" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    code, _, err = run_cli("report", TOY, "-o", tmp_path / "r.html", "--experiment", bad)
    assert code == 2 and "not valid JSON" in err
    assert not (tmp_path / "r.html").exists()
    code, _, err = run_cli("report", tmp_path / "missing.yaml", "-o", tmp_path / "r.html")
    assert code == 2 and "not found" in err
