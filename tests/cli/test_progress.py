"""Progress off a terminal: plain lines on stderr (start, tenths at most every few seconds,
end), nothing on stdout."""

from __future__ import annotations

import io

from rich.console import Console

from accord.progress import PlainProgress, progress_bar, status
from tests.conftest import EXAMPLES


def test_plain_progress_lines():
    buf = io.StringIO()
    con = Console(file=buf, force_terminal=False)
    assert isinstance(progress_bar(con), PlainProgress)
    with PlainProgress(con, every_s=0.0) as p:
        tid = p.add_task("draws", total=100)
        for _ in range(100):
            p.update(tid, advance=1)
    lines = buf.getvalue().splitlines()
    assert lines[0] == "draws: started (100 to do)"
    assert [ln.split()[1] for ln in lines[1:-1]] == [f"{k}0%" for k in range(1, 10)]
    assert lines[-1].startswith("draws: done in ")


def test_plain_progress_is_rate_limited():
    buf = io.StringIO()
    with PlainProgress(Console(file=buf, force_terminal=False), every_s=3600) as p:
        tid = p.add_task("draws", total=10)
        for _ in range(10):
            p.update(tid, advance=1)
    assert len(buf.getvalue().splitlines()) == 2  # start and end only


def test_terminal_gets_a_bar_not_lines():
    con = Console(file=io.StringIO(), force_terminal=True)
    assert not isinstance(progress_bar(con), PlainProgress)
    buf = io.StringIO()
    with status("quiet", Console(file=buf, force_terminal=False), quiet=True):
        pass
    assert buf.getvalue() == ""


def test_forecast_with_draws_reports_progress_on_stderr_when_piped(run_cli):
    code, out, err = run_cli("forecast", EXAMPLES / "eu-emissions-1994.yaml", "-m", "median",
                             "--draws", "50", "--no-store")
    assert code == 0
    assert "started (50 to do)" in err and "done in" in err  # the Monte Carlo, as lines
    assert "done in" not in out


def test_status_line_only_for_work_that_takes_a_while():
    import time

    buf = io.StringIO()
    con = Console(file=buf, force_terminal=False)
    with status("quick", con, delay_s=5.0):
        pass
    assert buf.getvalue() == ""
    try:
        with status("failing", con, delay_s=0.0):
            time.sleep(0.2)
            raise ValueError("bad input")
    except ValueError:
        pass
    assert buf.getvalue().splitlines() == ["failing …"]  # no "done" after a failure
    with status("slow", con, delay_s=0.0):
        time.sleep(0.2)
    assert buf.getvalue().splitlines()[1:] == ["slow …", buf.getvalue().splitlines()[2]]
    assert buf.getvalue().splitlines()[2].startswith("slow: done in ")
