"""DEU loader: missing codes, too few actors, unknown outcomes, malformed rows, scenarios."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.backtest import capability_matrix, group_draws, issue_scenario, load_deu, parse_deu
from accord.errors import InputError
from accord.models import get_model

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_deu.tsv"


def test_backtest_loader_mini_rows_and_gdp() -> None:
    d = load_deu(MINI)
    assert d.actors == ("com", "ep", "de", "fr", "it")
    assert d.n_issues == 6  # the wrong-length row is skipped
    assert np.isnan(d.gdp[1]) and d.gdp[0] == pytest.approx(4.1)
    assert list(d.issue_ids[d.scoreable]) == ["p1i1", "p1i2", "p3i1", "p4i1"]


def test_backtest_loader_missing_codes() -> None:
    d = load_deu(MINI)
    row = list(d.issue_ids).index("p1i1")
    assert np.isnan(d.positions[row, 4])  # 999 is missing
    assert d.participates[row].sum() == 4
    row = list(d.issue_ids).index("p1i2")
    assert np.isnan(d.rp[row])  # empty rp
    row = list(d.issue_ids).index("p2i1")
    assert d.participates[row].sum() == 2 and not d.scoreable[row]  # < 3 actors
    row = list(d.issue_ids).index("p2i2")
    assert np.isnan(d.outcome[row]) and not d.scoreable[row]  # 999 outcome = unknown


def test_backtest_loader_reports_malformed_with_line_numbers() -> None:
    d = load_deu(MINI)
    text = "\n".join(d.problems)
    assert "line 7: pde = 'abc' is not a number" in text
    assert "line 8: 5 fields" in text


def test_backtest_loader_compromise_on_fixture() -> None:
    d = load_deu(MINI).scored()
    cap = capability_matrix(d, "equal")
    draws = group_draws(d, np.arange(d.n_issues), cap)
    f = get_model("compromise").run(draws).forecast[0]
    np.testing.assert_allclose(f, [46.0, 4800 / 140, 30.0, 50.0])


def test_backtest_loader_issue_scenario_is_valid() -> None:
    d = load_deu(MINI).scored()
    sc = issue_scenario(d, 0)
    assert [a.id for a in sc.actors] == ["com", "ep", "de", "fr"]
    assert sc.issues[0].status_quo == 0.0
    assert issue_scenario(d, 1).issues[0].status_quo is None


def test_backtest_loader_errors() -> None:
    with pytest.raises(InputError, match="empty"):
        parse_deu("", "x.tsv")
    with pytest.raises(InputError, match="'out'"):
        parse_deu('"prnr"\t"pcom"\t"scom"\n"a"\t"1"\t"2"\n', "x.tsv")
    with pytest.raises(InputError, match="not found"):
        load_deu("/nonexistent/deu.tsv")


def test_backtest_capability_options() -> None:
    d = load_deu(MINI).scored()
    gdp = capability_matrix(d, "gdp")
    assert gdp[0, 1] == pytest.approx(4.1)  # blank EP -> largest member state
    council = capability_matrix(d, "council")
    # p1 decided in 2000: Amsterdam weights, de = fr = it = 10 of 87
    assert council[0, 2] == pytest.approx(10 / 87)
    # p3 decided 2016: Lisbon population shares, Germany > France
    row = list(d.issue_ids).index("p3i1")
    assert council[row, 2] > council[row, 3]
    with pytest.raises(InputError):
        capability_matrix(d, "votes")
