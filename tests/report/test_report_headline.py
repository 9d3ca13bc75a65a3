"""The report's first panel is accord's headline forecast when the calibrated model ran."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from accord.report import build_report
from accord.scenario import load_scenario

FLAGSHIP = Path(__file__).resolve().parents[2] / "examples" / "ukraine-ceasefire-2025.yaml"


def test_report_headline_panel_comes_first() -> None:
    sc = load_scenario(FLAGSHIP)
    html = build_report(sc, models=["calibrated", "compromise", "median"], draws=0,
                        compute_optional=False)
    soup = BeautifulSoup(html, "html.parser")
    first = soup.find("section")
    assert first["id"] == "headline"
    assert "accord's forecast: " in first.text and "80 % interval" in first.text
    rows = first.find("table", id="headline-table").find_all("tr")[1:]
    assert len(rows) == len(sc.issues)
    assert "compromise" in rows[0].text and "median" in rows[0].text
    assert "EU legislative decisions" in first.text
    assert soup.find("nav").find("a")["href"] == "#headline"


def test_report_without_calibrated_has_no_headline_panel() -> None:
    sc = load_scenario(FLAGSHIP)
    html = build_report(sc, models=["compromise"], draws=0, compute_optional=False)
    assert 'id="headline"' not in html
