"""The HTML report: every panel present, numbers equal to the JSON, user text escaped."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from accord.report import PANELS, build_report, render_report, write_report
from accord.report._data import compute_forecast, durability_curves, tornado_panels
from accord.scenario import load_scenario, read_text
from tests.report.conftest import TOY

SENSITIVITY = {
    "output": "border forecast",
    "base": 52.0,
    "tornado": [
        {"parameter": "north.capability", "low": 48.0, "high": 57.5},
        {"parameter": "south.position.border", "low": 50.0, "high": 55.0},
    ],
}
EXPERIMENT = {
    "claims": [
        {
            "id": "anchor-high",
            "claim": "Opening high pays",
            "metric": "outcome",
            "baseline": 50.0,
            "variant": 55.0,
            "effect": 5.0,
            "ci": [2.0, 8.0],
            "verdict": "supported",
            "robustness": 0.9,
        },
        {
            "id": "walk-away",
            "claim": "Threats help",
            "metric": "outcome",
            "baseline": 50.0,
            "variant": 49.0,
            "effect": -1.0,
            "ci": [-4.0, 2.0],
            "verdict": "inconclusive",
            "robustness": 0.4,
        },
    ]
}
DURABILITY = {
    "label": "toy truce",
    "days": [0, 30, 90, 180],
    "survival": [1.0, 0.8, 0.6, 0.5],
    "lower": [1.0, 0.7, 0.5, 0.4],
    "upper": [1.0, 0.9, 0.7, 0.6],
    "median_days": 180,
}


@pytest.fixture(scope="module")
def toy():
    return load_scenario(TOY)


@pytest.fixture(scope="module")
def full_report(toy):
    from accord.models import available_models

    models = [m for m in ("compromise", "median", "eum") if m in available_models()]
    fc, notes = compute_forecast(toy, models)
    if not any(r.get("trace") for r in fc["results"]):  # no dynamic model installed yet
        fc["results"][0]["trace"] = [
            {"round": 0, "median": 50.0, "mean": 48.0, "positions": {"north": 90.0}},
            {"round": 1, "median": 52.0, "mean": 49.0, "positions": {"north": 70.0}},
        ]
    html = render_report(
        toy,
        forecast=fc,
        scenario_text=read_text(TOY),
        sensitivity=SENSITIVITY,
        experiment=EXPERIMENT,
        durability=DURABILITY,
        notes=notes,
    )
    return fc, html, BeautifulSoup(html, "html.parser")


def test_report_every_panel_present(full_report):
    _, _, soup = full_report
    for panel in PANELS:
        sec = soup.find("section", id=panel)
        assert sec is not None, panel
        assert sec.get("data-omitted") is None, panel
    # one figure per panel with a picture; Plotly's JS inlined exactly once
    for fig_id in (
        "fig-issue-map",
        "fig-forecast",
        "fig-trajectory",
        "fig-tornado-0",
        "fig-experiments",
        "fig-durability",
    ):
        assert soup.find(id=fig_id) is not None, fig_id


def test_report_plotly_inlined_once_and_offline(full_report):
    _, html, soup = full_report
    inline = [
        s
        for s in soup.find_all("script")
        if "plotly.js v" in (s.string or "")[:2000] or "Plotly" in (s.string or "")[:200]
    ]
    assert len([s for s in soup.find_all("script") if len(s.string or "") > 1_000_000]) == 1
    assert inline
    # nothing is fetched: no external scripts, styles, images or frames
    assert not soup.find_all(["script", "img", "iframe"], src=True)
    assert not soup.find_all("link", href=True)
    assert "<script src" not in html


def test_report_forecast_numbers_match_json(full_report):
    fc, _, soup = full_report
    cells = soup.select("#forecast-table td.forecast")
    assert len(cells) == len(fc["results"]) >= 4
    by_key = {(c["data-model"], c["data-issue"]): c for c in cells}
    for r in fc["results"]:
        cell = by_key[(r["model"], r["issue"])]
        assert float(cell["data-value"]) == r["forecast"]
        assert f"{r['forecast']:.2f}" in cell.get_text()
    embedded = json.loads(soup.find("script", id="accord-data").string)
    assert embedded["forecast"] == fc


def test_report_compromise_is_weighted_mean(full_report, toy):
    fc, _, _ = full_report
    w = {a.id: a.capability * a.salience["border"] for a in toy.actors}
    expect = sum(w[a.id] * a.positions["border"] for a in toy.actors) / sum(w.values())
    got = next(r for r in fc["results"] if r["model"] == "compromise" and r["issue"] == "border")
    assert got["forecast"] == pytest.approx(expect, abs=1e-6)


def test_report_optional_panels_numbers(full_report):
    _, _, soup = full_report
    rows = soup.select("#claims-table tr.claim")
    assert [r["data-id"] for r in rows] == ["anchor-high", "walk-away"]
    assert float(rows[0].find_all("td")[5]["data-value"]) == 5.0
    tornado = soup.select("#tornado-0 tr")[1:]
    assert tornado[0].find_all("td")[0].get_text() == "north.capability"  # widest first
    assert tornado[0].find_all("td")[3].get_text() == "9.500"


def test_report_assumptions_and_sources(full_report, toy):
    _, _, soup = full_report
    sec = soup.find("section", id="assumptions")
    text = sec.get_text(" ")
    for a in toy.actors:
        for s in a.sources:
            assert s in text
    assert "Bigger army." in text and "Judgment: between the lines." in text
    assert "Invented for tests." in text and "https://example.org/meta" in text
    assert "Split <i>the</i> difference" in text  # anchors shown as text, not markup
    # every position with its value
    cells = sec.select("td[data-position]")
    assert len(cells) == sum(len(a.positions) for a in toy.actors)
    # the file itself, comments included
    assert "rationale <b>not bold</b>" in soup.find(id="scenario-file").get_text()
    links = [a["href"] for a in sec.find_all("a")]
    assert "https://example.org/north" in links


def test_report_escapes_user_text(full_report):
    _, html, soup = full_report
    assert "<script>alert" not in html
    assert soup.title.get_text().startswith("Toy talks <script>alert('x')</script> & co")
    assert not soup.find("b", string="notes")  # source text "Interview <b>notes</b>" escaped
    # only http(s) links
    assert all(a["href"].startswith(("http://", "https://", "#")) for a in soup.find_all("a"))


def test_report_omits_missing_panels_with_note(toy):
    fc, _ = compute_forecast(toy, ["compromise"])
    soup = BeautifulSoup(render_report(toy, forecast=fc), "html.parser")
    for panel in ("trajectory", "sensitivity", "experiments", "durability"):
        sec = soup.find("section", id=panel)
        assert sec["data-omitted"] == "true"
        assert sec.find(class_="note").get_text().strip()
    assert soup.find("section", id="forecast").get("data-omitted") is None


def test_report_sensitivity_panel_computed_or_explained(toy):
    soup = BeautifulSoup(build_report(toy, models=["compromise"], draws=0), "html.parser")
    sec = soup.find("section", id="sensitivity")
    assert sec.get("data-omitted") is None and sec.find(id="fig-tornado-0") is not None
    fixed = toy.model_copy(
        update={"actors": [a.model_copy(update={"ranges": {}, "capability_range": None})
                              for a in toy.actors]}
    )
    soup = BeautifulSoup(build_report(fixed, models=["compromise"], draws=0), "html.parser")
    assert soup.find("section", id="sensitivity")["data-omitted"] == "true"
    notes = [li.get_text() for li in soup.select("#notes li")]
    assert any(n.startswith("Sensitivity panel omitted: no input has a range") for n in notes)
    assert any(n.startswith("Strategy experiments: run `accord experiment") for n in notes)


def test_report_intervals_match_json(toy):
    pytest.importorskip("accord.uncertainty.sampling")
    fc, _ = compute_forecast(toy, ["compromise"], draws=50, seed=3)
    soup = BeautifulSoup(render_report(toy, forecast=fc), "html.parser")
    for r in fc["results"]:
        cell = soup.select_one(f'td[data-model="compromise"][data-issue="{r["issue"]}"]')
        assert [float(cell["data-low"]), float(cell["data-high"])] == r["interval"]
        assert r["interval"][0] <= r["forecast"] <= r["interval"][1] + 1e-9


def test_report_trajectory_from_trace(toy):
    fc, _ = compute_forecast(toy, ["compromise"])
    rec = fc["results"][0]
    rec["trace"] = [
        {"round": 0, "median": 50.0, "mean": 48.0, "positions": {"north": 90.0}},
        {"round": 1, "median": 52.0, "mean": 49.0, "positions": {"north": 70.0}},
    ]
    soup = BeautifulSoup(render_report(toy, forecast=fc), "html.parser")
    assert soup.find("section", id="trajectory").get("data-omitted") is None
    assert soup.find(id="fig-trajectory") is not None


def test_write_report_atomic(tmp_path, monkeypatch):
    out = tmp_path / "r.html"
    out.write_text("old")
    write_report("<html>new</html>", out)
    assert out.read_text() == "<html>new</html>"

    class Boom(str):
        def __str__(self):  # pragma: no cover - not reached
            raise RuntimeError

    import accord.report._html as H

    def bad_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(H.os, "replace", bad_replace)
    with pytest.raises(OSError):
        write_report("<html>newer</html>", out)
    assert out.read_text() == "<html>new</html>"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temp file left


@pytest.mark.parametrize(
    "doc",
    [
        {"tornado": {"border": [{"name": "x", "low": 1, "high": 2}]}},
        {"tornado": {"border": {"base": 1.5, "bars": [{"name": "x", "low": 1, "high": 2}]}}},
        {"panels": [{"output": "border", "bars": [{"input": "x", "lo": 1, "hi": 2}]}]},
        [{"parameter": "x", "low": 1, "high": 2}],
        {"tornado": {"x": [1, 2]}},
    ],
)
def test_tornado_shapes(doc):
    panels = tornado_panels(doc)
    assert len(panels) == 1
    assert panels[0]["bars"] == [{"name": "x", "low": 1.0, "high": 2.0}]


def test_durability_shapes():
    a = durability_curves({"days": [0, 10], "survival": [1.0, 0.5]})
    b = durability_curves({"curve": [{"day": 0, "survival": 1.0}, {"day": 10, "survival": 0.5}]})
    c = durability_curves({"curves": [{"label": "x", "days": [0, 10], "survival": [1.0, 0.5]}]})
    assert a[0]["survival"] == b[0]["survival"] == c[0]["survival"] == [1.0, 0.5]
    assert durability_curves({"c_index": 0.7}) == []


def test_report_durability_panel_from_model_and_from_predict_json(tmp_path, run_cli):
    """Both routes draw one curve per described ceasefire: ``--durability-model`` (computed)
    and ``--durability`` (the ``durability predict --json`` file)."""
    from tests.durability.conftest import FIXTURE

    flagship = TOY.parents[3] / "examples" / "ukraine-ceasefire-2025.yaml"
    model = tmp_path / "m.json"
    assert run_cli("durability", "fit", FIXTURE, "-o", model, "--bootstrap", "5")[0] == 0
    code, out, _ = run_cli("durability", "predict", flagship, "--model", model, "--json", "--no-store")
    assert code == 0
    pred = tmp_path / "pred.json"
    pred.write_text(out)
    labels = [p["label"] for p in json.loads(out)["predictions"]]
    assert len(labels) == 2
    for args in (["--durability-model", model], ["--durability", pred]):
        html = tmp_path / "r.html"
        assert run_cli("report", flagship, "-o", html, "--draws", "0", *args)[0] == 0
        soup = BeautifulSoup(html.read_text(), "html.parser")
        sec = soup.find("section", id="durability")
        assert sec.get("data-omitted") is None and sec.find(id="fig-durability") is not None
        assert all(label in html.read_text() for label in labels)


def test_report_durability_panel_uses_the_bundled_model_by_default(tmp_path):
    """No model given: the shipped one draws the panel, and the panel says what it was
    fitted on."""
    from accord.report import build_report
    from accord.scenario import read_text, scenario_from_text

    flagship = TOY.parents[3] / "examples" / "ukraine-ceasefire-2025.yaml"
    text = read_text(flagship)
    html = build_report(scenario_from_text(text, str(flagship)), scenario_text=text, draws=0,
                        models=["compromise"], compute_optional=True)
    soup = BeautifulSoup(html, "html.parser")
    sec = soup.find("section", id="durability")
    assert sec.get("data-omitted") is None and sec.find(id="fig-durability") is not None
    assert "fitted on 1,203 civil-conflict ceasefires 1989-2014" in sec.get_text(" ")


@pytest.mark.parametrize("flag", ["--forecast", "--sensitivity", "--experiment", "--durability"])
def test_report_rejects_a_json_file_of_the_wrong_kind(tmp_path, run_cli, flag):
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"a": 1}')
    out = tmp_path / "r.html"
    out.write_text("old report")
    code, _, err = run_cli("report", TOY, "-o", out, flag, wrong)
    assert code == 2 and f"{flag}: holds no" in err and "Fix: give the output of" in err
    assert out.read_text() == "old report"
