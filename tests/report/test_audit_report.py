"""Audit fixes of the HTML report: readable sensitivity titles, Sobol indices and durability
numbers shown, no degenerate Monte Carlo intervals, no Python ``None`` in the text."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from accord.report import render_report
from accord.report._data import NO_RANGES_NOTE, compute_forecast, has_ranges, tornado_panels
from accord.scenario import load_scenario, scenario_from_mapping
from tests.report.conftest import TOY

#: Shape of ``accord sensitivity --json`` (per issue, issue named by its id).
SENSITIVITY = {
    "model": "eum",
    "issues": [
        {
            "issue": "border",
            "base": 90.0,
            "tornado": [
                {"input": "north.position.border", "at_low": 80.0, "at_high": 100.0},
                {"input": "north.capability", "at_low": 72.5, "at_high": 90.0},
            ],
            "sobol": [
                {"input": "north.position.border", "S1": 0.01, "S1_conf": 0.03, "ST": 0.11},
                {"input": "north.capability", "S1": 0.85, "S1_conf": 0.1, "ST": 0.99},
            ],
        },
        {"issue": "delay", "base": 9.0, "tornado": [], "sobol": []},
    ],
}
#: Shape of ``accord durability predict --json`` (two ceasefires, one without a median).
DURABILITY = {
    "model": "model.json",
    "predictions": [
        {
            "id": "truce-a",
            "label": "Truce A",
            "level": 0.9,
            "median_days": 314.0,
            "hazard_ratio_vs_average": 0.98,
            "assumed": [],
            "curve": {
                "days": [0, 30, 365],
                "p": [1.0, 0.8, 0.48],
                "lo": [1, 0.74, 0.38],
                "hi": [1, 0.86, 0.6],
            },
            "survival": {
                "365": {"p": 0.48, "interval": [0.38, 0.60]},
                "30": {"p": 0.80, "interval": [0.74, 0.86]},
            },
        },
        {
            "id": "truce-b",
            "label": "Truce B",
            "level": 0.9,
            "median_days": None,
            "hazard_ratio_vs_average": 0.7,
            "assumed": ["enforcement"],
            "curve": {"days": [0, 30, 365], "p": [1.0, 0.85, 0.59]},
            "survival": {
                "30": {"p": 0.85, "interval": [0.80, 0.90]},
                "365": {"p": 0.59, "interval": [0.48, 0.69]},
            },
        },
    ],
}


@pytest.fixture(scope="module")
def toy():
    return load_scenario(TOY)


@pytest.fixture(scope="module")
def forecast(toy):
    return compute_forecast(toy, ["compromise", "median"])[0]


def _fig_layout(html: str, div_id: str) -> dict:
    m = re.search(
        rf'Plotly\.newPlot\(\s*"{div_id}",\s*(\[.*?\]),\s*(\{{.*?\}}),\s*\{{"displ', html, re.S
    )
    assert m, div_id
    return json.loads(m.group(2))


def test_audit_sensitivity_titles_sobol_and_flat_issues(toy, forecast):
    html = render_report(toy, forecast=forecast, sensitivity=SENSITIVITY)
    soup = BeautifulSoup(html, "html.parser")
    sec = soup.find("section", id="sensitivity")
    assert sec.get("data-omitted") is None
    layout = _fig_layout(html, "fig-tornado-0")
    # before: title "Sensitivity: border", x axis "border" (the bare issue id)
    assert layout["title"]["text"] == "Sensitivity of the eum forecast: Border line (border)"
    assert layout["xaxis"]["title"]["text"] == "eum forecast on Border line (scale 0–100)"
    # before: Sobol indices nested per issue were computed but never shown
    table = sec.find("table", id="sobol-0")
    assert table is not None
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table("tr")[1:]]
    assert rows == [
        ["north.capability", "0.850 ± 0.100", "0.990"],  # largest total index first
        ["north.position.border", "0.010 ± 0.030", "0.110"],
    ]
    assert "Years of delay" in sec.find(id="sensitivity-flat").get_text()


def test_audit_tornado_panels_carry_sobol():
    panels = tornado_panels(SENSITIVITY)
    assert [p["title"] for p in panels] == ["border"]
    assert [s["input"] for s in panels[0]["sobol"]] == [
        "north.position.border",
        "north.capability",
    ]
    assert tornado_panels({"tornado": [{"name": "x", "low": 1, "high": 2}]})[0]["sobol"] == []


def test_audit_durability_numbers(toy, forecast):
    html = render_report(toy, forecast=forecast, durability=DURABILITY)
    soup = BeautifulSoup(html, "html.parser")
    sec = soup.find("section", id="durability")
    assert sec.find(id="fig-durability") is not None
    table = sec.find("table", id="durability-table")
    assert table is not None, "the survival numbers were missing: only the figure was shown"
    head = [th.get_text(strip=True) for th in table("tr")[0].find_all("th")]
    assert head == ["ceasefire", "30 days", "365 days", "median days", "hazard ratio"]
    a = table.find("tr", attrs={"data-id": "truce-a"})
    cells = [td.get_text(" ", strip=True) for td in a.find_all("td")]
    assert cells == ["80% [74%, 86%]", "48% [38%, 60%]", "314", "0.98"]
    b = table.find("tr", attrs={"data-id": "truce-b"})
    assert "beyond the data" in b.get_text() and "enforcement" in b.th.get_text()
    assert "90% interval" in table.caption.get_text()


def test_audit_no_ranges_no_fake_intervals(toy):
    data = toy.model_dump(mode="python")
    for a in data["actors"]:
        a["ranges"], a["salience_ranges"], a["capability_range"] = {}, {}, None
    bare = scenario_from_mapping(data, "bare.yaml")
    assert has_ranges(toy) and not has_ranges(bare)
    doc, notes = compute_forecast(bare, ["compromise"], draws=20, seed=1)
    # before: "[7.4, 7.4]"-style intervals over draws that were all the point forecast
    assert not any(r.get("interval") for r in doc["results"])
    assert NO_RANGES_NOTE in notes
    doc, notes = compute_forecast(toy, ["compromise"], draws=20, seed=1)
    assert all(r.get("interval") for r in doc["results"]) and NO_RANGES_NOTE not in notes


def test_audit_model_settings_say_none_not_python_none(toy, forecast):
    doc = {**forecast, "models": {"exchange": {"min_gain": 1e-9, "max_exchanges": None}}}
    soup = BeautifulSoup(render_report(toy, forecast=doc), "html.parser")
    text = soup.find(id="model-settings").get_text(" ")
    assert "max_exchanges=none" in text and "None" not in text
