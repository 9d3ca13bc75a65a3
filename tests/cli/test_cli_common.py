"""The shared CLI helpers: the status spinner stays off stdout; off a terminal it is plain
lines."""

import io
import time

from rich.console import Console

from accord import cli_common


def test_busy_shows_message_on_a_terminal_only(monkeypatch):
    tty = io.StringIO()
    monkeypatch.setattr(cli_common, "err", Console(file=tty, force_terminal=True, width=100))
    with cli_common.busy("Forecasting 9 issues"):
        pass
    assert "Forecasting 9 issues" in tty.getvalue()

    quiet = io.StringIO()
    monkeypatch.setattr(cli_common, "err", Console(file=quiet, force_terminal=True, width=100))
    with cli_common.busy("Forecasting 9 issues", quiet=True):
        pass
    assert quiet.getvalue() == ""

    pipe = io.StringIO()
    monkeypatch.setattr(cli_common, "err", Console(file=pipe, force_terminal=False))
    with cli_common.busy("Forecasting 9 issues"):
        pass
    assert pipe.getvalue() == ""  # done at once: nothing to report
    monkeypatch.setattr("accord.progress.STATUS_DELAY_S", 0.0)
    with cli_common.busy("Forecasting 9 issues"):
        time.sleep(0.3)
    lines = pipe.getvalue().splitlines()
    assert lines[0] == "Forecasting 9 issues …"
    assert lines[1].startswith("Forecasting 9 issues: done in ")
    assert "\x1b" not in pipe.getvalue()  # plain text, no terminal control


def test_sub_commands_share_one_app_setting():
    from accord.backtest.cli import app as backtest_app
    from accord.cli import app
    from accord.durability.cli import app as durability_app

    for a in (app, backtest_app, durability_app):
        assert a.info.no_args_is_help and a.pretty_exceptions_enable is False
