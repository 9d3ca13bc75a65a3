"""End-to-end CLI tests of validate and forecast."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import EXAMPLES

FLAGSHIP = EXAMPLES / "ukraine-ceasefire-2025.yaml"


def test_validate_flagship(run_cli):
    code, out, err = run_cli("validate", FLAGSHIP)
    assert code == 0, err
    assert "valid" in out


def test_forecast_json_contract(run_cli):
    code, out, err = run_cli("forecast", FLAGSHIP, "--model", "all", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["scenario"]
    issues = {r["issue"] for r in doc["results"]}
    assert issues == {"t", "n", "g", "a", "s", "w", "e", "m", "c"}
    for r in doc["results"]:
        assert {"model", "issue", "forecast"} <= set(r)
        assert 0 <= r["forecast"] <= 100


def test_forecast_same_bytes(run_cli):
    a = run_cli("forecast", FLAGSHIP, "--json", "--model", "compromise", "--model", "median")
    b = run_cli("forecast", FLAGSHIP, "--json", "--model", "compromise", "--model", "median")
    assert a[0] == 0 and a[1] == b[1]


def test_forecast_table(run_cli):
    code, out, _ = run_cli("forecast", FLAGSHIP, "--model", "compromise")
    assert code == 0
    assert "compromise" in out and "Territory" in out


def test_set_override_errors(run_cli, tmp_path):
    code, _, err = run_cli("forecast", FLAGSHIP, "--set", "nash.disagreement_loss=-1")
    assert code == 2 and "disagreement_loss" in err
    code, _, err = run_cli("forecast", FLAGSHIP, "--set", "nash.nope=1")
    assert code == 2 and "nope" in err
    code, _, err = run_cli("forecast", FLAGSHIP, "--set", "garbage")
    assert code == 2 and "MODEL.KEY=VALUE" in err
    code, _, err = run_cli("forecast", FLAGSHIP, "--model", "nosuch")
    assert code == 2 and "nosuch" in err
    # an option has no file: the message starts at the option, with no placeholder path
    assert err.startswith("error: --model: unknown model 'nosuch'.") and "<input>" not in err


def test_set_override_changes_result(run_cli):
    _, a, _ = run_cli("forecast", FLAGSHIP, "--json", "--model", "nash")
    _, b, _ = run_cli("forecast", FLAGSHIP, "--json", "--model", "nash",
                      "--set", "nash.disagreement_loss=0.5")
    assert json.loads(a) != json.loads(b)


def test_usage_error_exit_2(run_cli):
    code, _, err = run_cli("forecast")
    assert code == 2
    assert "Traceback" not in err


def test_console_script_subprocess():
    proc = subprocess.run(
        [sys.executable, "-m", "accord.cli", "validate", str(FLAGSHIP)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
