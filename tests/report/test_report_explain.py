"""Report panels: why each forecast lands where it does, advice for one side, convergence."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from accord.advise import advise
from accord.explain import explain
from accord.report import render_report
from accord.report._data import compute_forecast
from accord.scenario import load_scenario

FLAGSHIP = Path(__file__).resolve().parents[2] / "examples" / "ukraine-ceasefire-2025.yaml"


def test_report_shows_explanations_advice_and_convergence():
    sc = load_scenario(FLAGSHIP)
    fc, _ = compute_forecast(sc, ["eum", "nash"])
    ex = explain(sc, ["eum", "nash"], issues=["s", "g"])
    adv = advise(sc, "ukraine", n_draws=20, seed=0)
    soup = BeautifulSoup(render_report(sc, forecast=fc, explain=ex, advice=adv), "html.parser")
    nav = [a["href"] for a in soup.find("nav").find_all("a")]
    assert nav.index("#trajectory") < nav.index("#explain") < nav.index("#advice") \
        < nav.index("#sensitivity")
    sec = soup.find("section", id="explain")
    issues = [d["data-issue"] for d in sec.find_all("details")]
    assert issues == ["s", "g"]
    assert sec.find(id="fig-explain-0") is not None
    text = " ".join(sec.get_text(" ").split())
    assert "Nash: United States (at 40) wants less than the status quo 50" in text
    assert "Cycles every 2 rounds" in text
    adv_sec = soup.find("section", id="advice")
    rows = adv_sec.find(id="advice-table").find_all("tr", class_="move")
    assert len(rows) == min(20, len(adv["moves"])) and adv_sec.find(id="fig-advice")
    conv = soup.find("section", id="forecast").find(id="convergence")
    assert "the median swings between 5.00 and 85.00" in " ".join(conv.get_text(" ").split())


def test_report_without_those_documents_has_no_such_panels():
    sc = load_scenario(FLAGSHIP)
    fc, _ = compute_forecast(sc, ["compromise"])
    soup = BeautifulSoup(render_report(sc, forecast=fc), "html.parser")
    assert soup.find("section", id="explain") is None
    assert soup.find("section", id="advice") is None
    assert soup.find(id="convergence") is None


def test_report_cli_advise_option(run_cli, tmp_path):
    out = tmp_path / "r.html"
    code, _, err = run_cli("report", FLAGSHIP, "-o", out, "--draws", "0", "-m", "median",
                           "--advise", "russia")
    assert code == 0, err
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert soup.find("section", id="explain") is not None
    text = " ".join(soup.find("section", id="advice").get_text(" ").split())
    assert "Advice for Russia (eum model, 1 draws" in text and "as written" in text
    code, _, err = run_cli("report", FLAGSHIP, "-o", tmp_path / "x.html", "--draws", "0",
                           "--advise", "nobody")
    assert code == 2 and "unknown actor" in err
