"""Convergence is reported, never hidden: cycle detection and the forecast read from it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.models import get_model
from accord.models._settle import CONVERGED, CYCLE, NOT_SETTLED, settle
from accord.scenario import load_scenario, to_arrays
from accord.testing import random_draws

ROOT = Path(__file__).resolve().parents[2]
EU = ROOT / "examples" / "eu-emissions-1994.yaml"
FLAGSHIP = ROOT / "examples" / "ukraine-ceasefire-2025.yaml"


def test_settle_classifies_each_draw_and_reads_the_forecast_from_its_window():
    med = np.array(
        [
            [7.0, 8.0, 9.0, 9.0, 9.0, 9.0],  # converged at 9
            [50.0, 60.0, 5.0, 85.0, 5.0, 85.0],  # 2-cycle 5 <-> 85
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],  # drifting: not settled
            [1.0, 2.0, 3.0, 1.0, 2.0, 3.0],  # 3-cycle back to round 0
        ]
    )
    st = settle(med, med, 100.0)
    assert st.status.tolist() == [CONVERGED, CYCLE, NOT_SETTLED, CYCLE]
    assert st.period.tolist() == [1, 2, 0, 3]
    assert st.forecast[0] == 9.0
    assert st.forecast[1] == 45.0 and (st.low[1], st.high[1]) == (5.0, 85.0)
    # not settled: median over the second half, rounds 3..5 of 5
    assert st.start[2] == 3 and st.forecast[2] == 5.0 and (st.low[2], st.high[2]) == (4.0, 6.0)
    assert st.forecast[3] == 2.0 and (st.low[3], st.high[3]) == (1.0, 3.0)
    rec = st.record(1)
    assert rec["converged"] is False and rec["settling"] == "cycle"
    assert rec["cycle"] == {"length": 2, "rounds": [4, 5], "range": [5.0, 85.0]}
    assert settle(med, med, 100.0).record(0) == {
        "converged": True, "settling": "converged", "rounds_run": 5, "cycle": None
    }


def test_a_second_statistic_that_still_moves_means_not_converged():
    med = np.array([[5.0, 5.0, 5.0, 5.0]])
    mean = np.array([[4.0, 4.5, 4.7, 4.8]])  # somebody is still moving
    assert settle(med, mean, 10.0).status[0] == NOT_SETTLED
    assert settle(med, None, 10.0).status[0] == CONVERGED


@pytest.mark.parametrize(
    ("rounds", "forecast", "window", "span"),
    [
        (5, 9.962, [3, 5], (9.962, 9.962)),
        (9, 9.671, [5, 9], (7.472, 9.962)),
        (10, 8.825, [6, 10], (7.0, 9.671)),
    ],
)
def test_eu_emissions_never_settles_and_says_so(rounds, forecast, window, span):
    """The issue's symptom: --rounds 5, 9, 10 printed 9.96, 9.67, 7.00 as firm numbers."""
    sc = load_scenario(EU)
    res = get_model("eum", **{**sc.model_settings("eum"), "rounds": rounds}).run(to_arrays(sc))
    rec = res.traces["delay"].settling.record(0)
    assert rec["converged"] is False and rec["settling"] == "not settled"
    assert rec["window"]["rounds"] == window
    assert rec["window"]["range"] == pytest.approx(span, abs=1e-3)
    assert res.forecast[0, 0] == pytest.approx(forecast, abs=1e-3)
    # the published round-by-round trace is untouched: the last round is still there
    assert res.traces["delay"].median.shape == (1, rounds + 1)


def test_flagship_sanctions_cycle_is_flagged_with_its_range():
    sc = load_scenario(FLAGSHIP)
    res = get_model("eum", **sc.model_settings("eum")).run(to_arrays(sc))
    rec = {k: tr.settling.record(0) for k, tr in res.traces.items()}
    assert rec["s"]["settling"] == "cycle" and rec["s"]["cycle"]["length"] == 2
    assert rec["s"]["cycle"]["range"] == [5.0, 85.0]
    k = res.issue_ids.index("s")
    assert res.forecast[0, k] == 45.0  # median over the cycle, not the last round's 5
    assert rec["g"]["converged"] is True
    assert {r["settling"] for r in rec.values()} == {"converged", "cycle", "not settled"}


def test_monte_carlo_runs_without_traces_read_the_same_forecast():
    """trace=False (what Monte Carlo uses) keeps only median and mean per round; the kernel
    copies a detected cycle forward, so the rule gives the same forecast per draw."""
    d = random_draws(n_draws=64, n_actors=7, n_issues=3, seed=3)
    a = get_model("eum", rounds=15).run(d)
    b = get_model("eum", rounds=15, trace=False).run(d)
    np.testing.assert_array_equal(a.forecast, b.forecast)
    for issue in d.issue_ids:
        np.testing.assert_array_equal(
            a.traces[issue].settling.status, b.traces[issue].settling.status
        )


def test_smp_and_exchange_say_whether_they_stopped_by_their_rule():
    sc = load_scenario(FLAGSHIP)
    draws = to_arrays(sc)
    full = get_model("smp").run(draws)
    assert full.traces["s"].settling.record(0)["converged"] is True
    short = get_model("smp", max_turns=3).run(draws)
    rec = short.traces["s"].settling.record(0)
    assert rec["converged"] is False and rec["window"]["rounds"] == [2, 3]
    lo, hi = rec["window"]["range"]
    assert lo <= short.forecast[0, draws.issue_ids.index("s")] <= hi
    ex = get_model("exchange").run(draws)
    assert ex.traces["s"].settling.record(0)["converged"] is True
    cut = get_model("exchange", max_exchanges=2).run(draws)
    assert cut.traces["s"].settling.record(0)["converged"] is False


def test_forecast_json_and_table_flag_the_cycle(run_cli):
    code, out, _ = run_cli("forecast", FLAGSHIP, "-m", "eum", "-m", "compromise", "--json",
                           "--no-store")
    assert code == 0
    rows = {(r["model"], r["issue"]): r for r in json.loads(out)["results"]}
    s = rows[("eum", "s")]
    assert s["converged"] is False and s["cycle"]["length"] == 2 and s["forecast"] == 45.0
    assert rows[("eum", "g")]["converged"] is True and rows[("eum", "g")]["cycle"] is None
    assert "converged" not in rows[("compromise", "s")]  # static models have nothing to say
    code, out, _ = run_cli("forecast", FLAGSHIP, "-m", "eum", "--no-store")
    assert code == 0
    # the cell: forecast and flag on one line, the cycle's range under it
    s_row = next(i for i, line in enumerate(out.splitlines()) if line.split()[:1] == ["s"])
    lines = out.splitlines()
    assert "45.00 ↻2" in lines[s_row] and "[5.0–85.0]" in lines[s_row + 1]
    assert "the median swings between 5.00 and 85.00" in " ".join(out.split())
