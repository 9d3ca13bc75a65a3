"""The models' track record shown beside forecasts: the figures are measured, not typed."""

from __future__ import annotations

from pathlib import Path

from accord.backtest import backtest
from accord.track_record import DEU_MAE, DEU_SOURCE, summary_line, track_record
from tests.conftest import shared_file


def test_track_record_matches_a_fresh_backtest() -> None:
    path = shared_file("deu3/deu3_part_a.tsv")
    res = backtest(str(path), models=list(DEU_MAE), n_boot=0)
    measured = {m["model"]: round(m["mae"], 2) for m in res.doc["models"]}
    assert measured == DEU_MAE
    assert res.doc["n_issues"] == DEU_SOURCE["n_issues"]


def test_track_record_only_for_the_measured_settings() -> None:
    from accord.models import get_model

    defaults = get_model("eum").get_params()
    assert track_record("eum", defaults)["mae"] == DEU_MAE["eum"]
    assert track_record("eum", {**defaults, "q": 0.5}) is None  # another model, in effect
    assert track_record("no-such-model", {}) is None


def test_summary_line_orders_by_error() -> None:
    line = summary_line({"nash": {"mae": 38.54}, "compromise": {"mae": 24.46}})
    assert line.index("compromise 24.5") < line.index("nash 38.5")
    assert summary_line({}) == ""


def test_forecast_json_and_report_carry_the_track_record(run_cli, tmp_path) -> None:
    import json

    from bs4 import BeautifulSoup

    flagship = Path(__file__).resolve().parents[2] / "examples" / "ukraine-ceasefire-2025.yaml"
    code, out, _ = run_cli("forecast", flagship, "-m", "compromise", "-m", "eum",
                           "--set", "eum.q=0.5", "--json", "--no-store")
    assert code == 0
    doc = json.loads(out)
    assert set(doc["track_record"]) == {"compromise"}  # eum ran with other settings
    html_path = tmp_path / "r.html"
    code, _, _ = run_cli("report", flagship, "-o", html_path, "--draws", "0", "-m", "compromise")
    assert code == 0
    soup = BeautifulSoup(html_path.read_text(), "html.parser")
    assert "compromise 24.5" in soup.find(id="track-record").get_text()


def test_calibrated_track_record_is_its_cross_validated_error() -> None:
    from accord.models import get_model, load_coefficients

    rec = track_record("calibrated", get_model("calibrated").get_params())
    assert rec["mae"] == round(load_coefficients().doc["cv"]["mae"], 2)
    assert "nested CV" in rec["settings"]
    assert track_record("calibrated", {"coefficients": "other.json"}) is None
