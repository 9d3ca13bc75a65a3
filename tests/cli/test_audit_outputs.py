"""User-level audit: outputs are reproducible and a failure never costs a saved file."""

from __future__ import annotations

import json
from pathlib import Path

from accord.errors import InputError

RANGED = """\
name: ranged
issues:
  - id: d
actors:
  - id: a
    capability: 1
    positions: {d: 20}
    salience: {d: 50}
    ranges: {d: [10, 30]}
  - id: b
    capability: 2
    positions: {d: 80}
    salience: {d: 60}
  - id: c
    capability: 1
    positions: {d: 50}
    salience: {d: 40}
"""


def _ranged(tmp_path: Path) -> Path:
    f = tmp_path / "ranged.yaml"
    f.write_text(RANGED)
    return f


def test_forecast_draws_json_same_bytes(run_cli, tmp_path):
    f = _ranged(tmp_path)
    args = ("forecast", f, "--model", "median", "--model", "compromise", "--draws", "64",
            "--seed", "3", "--json", "--no-store")
    a = run_cli(*args)
    b = run_cli(*args)
    assert a[0] == 0, a[2]
    assert a[1] == b[1]  # no wall time or memory in the document
    doc = json.loads(a[1])
    assert doc["monte_carlo"]["draws"] == 64 and "seconds" not in doc["monte_carlo"]
    assert all("interval" in r for r in doc["results"])


def test_seed_negative_in_library_is_input_error():
    import pytest

    from accord.uncertainty.sampling import seed_sequence

    with pytest.raises(InputError, match="--seed"):
        seed_sequence(-1)


def test_report_into_missing_folder_is_exit_2(run_cli, tmp_path):
    f = _ranged(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, out, err = run_cli("report", f, "-o", blocker / "r.html", "--draws", "0")
    assert code == 2, err
    assert err.startswith("error: ") and "internal" not in err and len(err.splitlines()) == 1
    assert blocker.read_text() == "x"


def test_failed_report_keeps_the_old_report(run_cli, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(RANGED.replace("capability: 2", "capability: -2"))
    old = tmp_path / "r.html"
    old.write_text("old report")
    code, _, err = run_cli("report", f, "-o", old)
    assert code == 2 and "capability" in err
    assert old.read_text() == "old report"


def test_store_in_a_new_folder_is_created(run_cli, tmp_path):
    f = _ranged(tmp_path)
    store = tmp_path / "new" / "sub" / "runs.duckdb"
    code, _, err = run_cli("forecast", f, "--model", "median", "--store", store)
    assert code == 0 and "saved run" in err, err
    assert store.exists()


def test_failed_forecast_leaves_the_store_as_it_was(run_cli, tmp_path):
    f = _ranged(tmp_path)
    store = tmp_path / "runs.duckdb"
    assert run_cli("forecast", f, "--model", "median", "--store", store)[0] == 0
    before = store.read_bytes()
    bad = tmp_path / "bad.yaml"
    bad.write_text(RANGED + "actors: []\n")  # duplicate key
    code, out, err = run_cli("forecast", bad, "--json", "--store", store)
    assert code == 2 and out == "" and "given twice" in err
    code, out, _ = run_cli("forecast", f, "--set", "median.x=1", "--json", "--store", store)
    assert code == 2 and out == ""
    assert store.read_bytes() == before
