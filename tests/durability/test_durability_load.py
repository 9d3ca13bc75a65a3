import pandas as pd
import pytest

from accord.durability import read_ceasefires
from accord.errors import InputError

from .conftest import FIXTURE


def _cf(data, cf_id, cc=600):
    t = data.table
    return t[(t.cc == cc) & (t.cf_id == cf_id)].iloc[0]


def test_bilateral_declarations_become_one_ceasefire(tiny_data):
    t = tiny_data.table
    assert not t.duplicated(["cc", "cf_id"]).any()
    two = t[t.n_actors == 2]
    assert len(two) > 0 and (two.unilateral == 0).all()


def test_bad_rows_reported_with_line_numbers(tiny_data):
    w = "\n".join(tiny_data.warnings)
    assert "line 87: cc/cf_id not integers" in w
    assert "line 83:" in w and "not a date" in w
    assert "line 88: ended = 7" in w
    assert "line 82: end" in w and "before the start" in w
    assert "left out: no end and no manner of ending coded" in w


def test_partial_dates_take_midpoint_of_known_interval(tiny_data):
    r = _cf(tiny_data, 1)  # effect 2001/3/?, declared 2001-03-10, end 2001/4/?
    assert r.start == pd.Timestamp("2001-03-20") and r.start_precision == "month"
    assert r.end == pd.Timestamp("2001-04-15") and r.end_precision == "month"
    r = _cf(tiny_data, 2)  # year only
    assert r.start == pd.Timestamp("2002-07-02") and r.start_precision == "year"


def test_outcome_rules(tiny_data):
    assert _cf(tiny_data, 3).outcome == "never_effective" and _cf(tiny_data, 3).event == 1
    assert _cf(tiny_data, 3).duration == 0.5
    r = _cf(tiny_data, 4)
    assert r.outcome == "ongoing" and r.event == 0 and r.end == pd.Timestamp("2020-12-31")
    assert _cf(tiny_data, 8).duration == 0.5  # ended the day it started
    assert _cf(tiny_data, 9).outcome == "unclear_end" and _cf(tiny_data, 9).event == 1
    r = _cf(tiny_data, 10)  # ended=-1 but the end matches its 30-day term
    assert r.outcome == "expired" and r.event == 0 and r.cause == 2
    assert 5 not in set(tiny_data.table[tiny_data.table.cc == 600].cf_id)
    assert set(tiny_data.dropped.reason) >= {"no end and no manner of ending coded"}


def test_planned_ends_are_censored(tiny_data):
    t = tiny_data.table
    planned = t[t.outcome.isin(["expired", "replaced"])]
    assert len(planned) > 0 and (planned.event == 0).all() and (planned.cause == 2).all()
    assert (t[t.outcome == "breakdown"].event == 1).all()
    assert (t.duration > 0).all()


def test_unclear_end_options():
    cens = read_ceasefires(FIXTURE, unclear_end="censor").table
    r = cens[(cens.cc == 600) & (cens.cf_id == 9)].iloc[0]
    assert r.event == 0
    drop = read_ceasefires(FIXTURE, unclear_end="drop").table
    assert 9 not in set(drop[drop.cc == 600].cf_id)
    with pytest.raises(InputError):
        read_ceasefires(FIXTURE, unclear_end="maybe")


def test_not_ceasefire_data_is_input_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="missing column"):
        read_ceasefires(p)
    with pytest.raises(InputError):
        read_ceasefires(tmp_path / "absent.csv")


def test_shared_data_reads(shared_csv):
    d = read_ceasefires(shared_csv)
    t = d.table
    assert 1100 < len(t) < 1300
    assert set(t.outcome) <= {
        "breakdown",
        "never_effective",
        "unclear_end",
        "expired",
        "replaced",
        "ongoing",
    }
    assert t.year.between(1989, 2014).all()
    assert 0.25 < t.event.mean() < 0.45
    assert any(w.startswith("line ") for w in d.warnings)
