"""The calibrated model end to end: refit reproduces the shipped file, CLI, headline, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.models._calibrated import load_coefficients

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = str(ROOT / "examples" / "ukraine-ceasefire-2025.yaml")
MINI = ROOT / "tests" / "backtest" / "fixtures" / "mini_deu.tsv"
PART_A = ROOT.parent / "shared" / "data" / "deu3" / "deu3_part_a.tsv"


def _close(a, b, path="") -> None:  # noqa: ANN001
    """Numbers equal to 1e-6, everything else exactly, recursively."""
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, abs=1e-6), path
    else:
        assert a == b, path


def test_refit_reproduces_the_shipped_coefficients_and_cv_figures() -> None:
    if not PART_A.is_file():
        pytest.skip(f"{PART_A} (DEU III part A) is not present")
    from accord.backtest._calibrate import fit_file

    shipped = load_coefficients().doc
    doc = fit_file(PART_A, today=shipped["provenance"]["fitted"])
    _close(json.loads(json.dumps(doc)), shipped)


def test_backtest_fit_cli_writes_a_file_that_set_loads(run_cli, tmp_path) -> None:
    out = tmp_path / "coef.json"
    code, stdout, err = run_cli("backtest", "fit", MINI, "-o", out, "--folds", "2")
    assert code == 0, err
    doc = json.loads(out.read_text())
    assert doc["provenance"]["n_issues"] == 4 and doc["provenance"]["doi"] == "10.34810/data53"
    assert "penalty" in stdout and "coverage" in stdout
    code, stdout, err = run_cli("forecast", FLAGSHIP, "-m", "calibrated", "--set",
                                f"calibrated.coefficients={out}", "--json", "--no-store")
    assert code == 0, err
    res = json.loads(stdout)
    assert res["models"]["calibrated"]["coefficients"] == str(out)
    code, _, err = run_cli("backtest", "fit", MINI, "-o", tmp_path / "x.json", "--folds", "3")
    assert code == 2 and "too few scoreable issues" in err


def test_forecast_json_rows_and_headline(run_cli) -> None:
    code, stdout, err = run_cli("forecast", FLAGSHIP, "-m", "calibrated", "-m", "compromise",
                                "--json", "--no-store", "--level", "0.9")
    assert code == 0, err
    doc = json.loads(stdout)
    rows = [r for r in doc["results"] if r["model"] == "calibrated"]
    assert len(rows) == 9
    for r in rows:
        q = list(r["quantiles"].values())
        assert list(r["quantiles"]) == ["0.05", "0.1", "0.25", "0.5", "0.75", "0.9", "0.95"]
        assert q == sorted(q) and r["quantiles"]["0.5"] == r["forecast"]
        assert r["interval"][0] <= r["forecast"] <= r["interval"][1] and r["level"] == 0.9
        if "p_above_status_quo" in r:
            assert 0 <= r["p_above_status_quo"] + r["p_below_status_quo"] <= 1
    assert any("p_below_status_quo" in r for r in rows)
    # other models keep their shape: no interval without draws, no quantiles
    comp = [r for r in doc["results"] if r["model"] == "compromise"]
    assert all(set(r) == {"model", "issue", "forecast"} for r in comp)
    heads = doc["headline"]
    assert [h["issue"] for h in heads] == [r["issue"] for r in rows]
    h = heads[0]
    assert h["text"].startswith("accord's forecast: ") and "90 % interval" in h["text"]
    assert h["theories"] == {"compromise": comp[0]["forecast"]}
    assert 1 <= len(h["drivers"]) <= 3 and "EU legislative decisions" in h["caveat"]


def test_forecast_with_draws_same_seed_same_bytes(run_cli) -> None:
    args = ("forecast", FLAGSHIP, "-m", "calibrated", "--draws", "60", "--seed", "3", "--json",
            "--no-store")
    code, a, _ = run_cli(*args)
    code2, b, _ = run_cli(*args)
    assert code == code2 == 0 and a == b
    doc = json.loads(a)
    row = doc["results"][0]
    assert "median_interval" in row and "quantiles" in row  # mixture over the draws


def test_forecast_table_puts_the_headline_first(run_cli) -> None:
    code, stdout, err = run_cli("forecast", FLAGSHIP, "-m", "calibrated", "-m", "median",
                                "--no-store")
    assert code == 0, err
    assert stdout.index("accord's") < stdout.index("median")
    assert "what each theory says" in stdout and "EU legislative" in stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--set", "calibrated.coefficients=/no/such/file.json"), "cannot read"),
        (("--level", "0.3"), "--level"),
        (("--level", "0.9999"), "--level"),
    ],
)
def test_bad_input_exits_2_with_one_line(run_cli, args, needle) -> None:
    code, _, err = run_cli("forecast", FLAGSHIP, "-m", "calibrated", "--no-store", *args)
    assert code == 2 and needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 3  # one message (Rich may wrap it)


def test_malformed_coefficients_file(run_cli, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"model": "calibrated", "format": 1}')
    code, _, err = run_cli("forecast", FLAGSHIP, "-m", "calibrated", "--no-store", "--set",
                           f"calibrated.coefficients={bad}")
    assert code == 2 and "not a calibrated-model file" in err and "backtest fit" in err
