"""The run store: save/list/show, transactions, kills and concurrent writers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor

import duckdb
import pytest

from accord.errors import InputError
from accord.scenario import load_scenario, read_text
from accord.store import get_run, list_runs, resolve_store, save_run, scenario_digest
from tests.report.conftest import TOY


def test_store_roundtrip(tmp_path):
    store = tmp_path / "runs.duckdb"
    text = read_text(TOY)
    rid = save_run("forecast", text, {"models": ["compromise"]}, 7, {"results": [1.5]}, store)
    run = get_run(store, rid)
    assert run["kind"] == "forecast" and run["seed"] == 7
    assert run["scenario_text"] == text  # verbatim, comments included
    assert run["scenario_hash"] == scenario_digest(text)
    assert run["scenario_name"] == load_scenario(TOY).name
    assert run["settings"] == {"models": ["compromise"]}
    assert run["results"] == {"results": [1.5]}
    assert run["accord_version"]
    assert run["created_at"].endswith("Z")
    assert get_run(store, rid[:5])["run_id"] == rid  # unique prefix


def test_store_scenario_object_and_listing(tmp_path):
    store = tmp_path / "runs.duckdb"
    sc = load_scenario(TOY)
    a = save_run("forecast", sc, {}, None, {"x": 1}, store)
    b = save_run("experiment", sc, {}, 3, {"claims": []}, store)
    run = get_run(store, a)
    assert run["seed"] is None and "name:" in run["scenario_text"]
    assert {r["run_id"] for r in list_runs(store)} == {a, b}
    assert [r["run_id"] for r in list_runs(store, kind="experiment")] == [b]
    assert "results" not in list_runs(store)[0]


def test_store_errors(tmp_path):
    store = tmp_path / "runs.duckdb"
    with pytest.raises(InputError, match="no run store"):
        list_runs(store)
    save_run("forecast", None, {}, None, {}, store)
    with pytest.raises(InputError, match="no run"):
        get_run(store, "ffffffff")
    with pytest.raises(InputError, match="not a run id"):
        get_run(store, "x; DROP TABLE runs")
    with pytest.raises(InputError, match="directory"):
        save_run("forecast", None, {}, None, {}, tmp_path)
    with pytest.raises(ValueError):
        save_run("forecast", None, {}, None, {"bad": float("nan")}, store)
    assert len(list_runs(store)) == 1


def test_store_resolve(monkeypatch, tmp_path):
    monkeypatch.delenv("ACCORD_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_store(None) == tmp_path / "xdg" / "accord" / "runs.duckdb"
    assert resolve_store(tmp_path / "a.duckdb") == tmp_path / "a.duckdb"
    assert resolve_store(tmp_path / "a.duckdb", no_store=True) is None
    monkeypatch.setenv("ACCORD_STORE", "off")
    assert resolve_store(None) is None
    monkeypatch.setenv("ACCORD_STORE", str(tmp_path / "b.duckdb"))
    assert resolve_store(None) == tmp_path / "b.duckdb"


def test_store_exception_inside_transaction_keeps_earlier_runs(tmp_path, monkeypatch):
    import uuid

    store = tmp_path / "runs.duckdb"
    first = save_run("forecast", "name: a\n", {}, 1, {"n": 1}, store)

    class Fixed:
        hex = first + "0" * 20  # same id -> primary-key violation inside the transaction

    monkeypatch.setattr(uuid, "uuid4", lambda: Fixed)
    with pytest.raises(duckdb.Error):
        save_run("forecast", "name: b\n", {}, 2, {"n": 2}, store)
    monkeypatch.undo()
    runs = list_runs(store)
    assert [r["run_id"] for r in runs] == [first]
    assert get_run(store, first)["results"] == {"n": 1}
    save_run("forecast", "name: c\n", {}, 3, {"n": 3}, store)  # still writable
    assert len(list_runs(store)) == 2


def _child(code: str, tmp_path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_store_killed_mid_transaction(tmp_path):
    store = tmp_path / "runs.duckdb"
    child = _child(
        f"""
        import os, signal, duckdb
        from accord.store import save_run
        p = {str(store)!r}
        for k in range(2):
            print(save_run("forecast", "name: s\\n", {{}}, k, {{"k": k}}, p), flush=True)
        con = duckdb.connect(p)
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO runs VALUES ('deadbeef0000', 'forecast', now(), 'x', 'n', 'h',"
                    " 't', '{{}}', 1, repeat('x', 5000000))")
        os.kill(os.getpid(), signal.SIGKILL)
    """,
        tmp_path,
    )
    out, err = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, err
    saved = out.split()
    assert len(saved) == 2
    runs = {r["run_id"] for r in list_runs(store)}
    assert runs == set(saved)  # the killed transaction left no trace, earlier runs intact
    assert get_run(store, saved[1])["results"] == {"k": 1}


def test_store_killed_while_writing(tmp_path):
    """SIGKILL at an arbitrary moment of a stream of large writes: every run reported as
    saved is there and the store opens."""
    store = tmp_path / "runs.duckdb"
    child = _child(
        f"""
        from accord.store import save_run
        big = {{"blob": "x" * 2_000_000}}
        for k in range(10_000):
            print(save_run("forecast", "name: s\\n", {{}}, k, big, {str(store)!r}), flush=True)
    """,
        tmp_path,
    )
    first = [child.stdout.readline() for _ in range(3)]
    assert all(first), child.stderr.read()
    time.sleep(0.07)  # somewhere inside the next writes
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate(timeout=30)
    saved = [line.strip() for line in first] + rest.split()
    runs = {r["run_id"] for r in list_runs(store)}
    assert set(saved) <= runs
    assert len(runs) - len(saved) <= 1  # at most the one committed just before the print
    save_run("forecast", None, {}, None, {}, store)  # and it is writable again


def _save_many(args: tuple[str, int]) -> list[str]:
    path, k = args
    return [save_run("forecast", f"name: w{k}\n", {}, j, {"j": j}, path) for j in range(5)]


def test_store_concurrent_writers(tmp_path):
    store = str(tmp_path / "runs.duckdb")
    with ProcessPoolExecutor(max_workers=4) as pool:
        ids = [i for chunk in pool.map(_save_many, [(store, k) for k in range(4)]) for i in chunk]
    assert len(ids) == 20
    assert {r["run_id"] for r in list_runs(store)} == set(ids)


def test_store_results_json_exact(tmp_path):
    store = tmp_path / "runs.duckdb"
    doc = {"results": [{"forecast": 0.1 + 0.2, "model": "m"}], "unicode": "Trump–Putin"}
    rid = save_run("forecast", None, {"a": [1, 2]}, 0, doc, store)
    assert get_run(store, rid)["results"] == json.loads(json.dumps(doc))


def test_store_that_is_not_a_duckdb_file_is_left_alone(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("precious")
    for _ in range(2):  # the second try must not wait for a lock the first one kept
        t0 = time.monotonic()
        with pytest.raises(InputError, match="not a run store"):
            save_run("forecast", None, {}, None, {}, notes)
        assert time.monotonic() - t0 < 2.0
    assert notes.read_text() == "precious"


def test_forecast_stores_in_the_user_data_folder_not_the_cwd(run_cli, monkeypatch, tmp_path):
    """No surprises: without --store or $ACCORD_STORE the run goes to the user's data folder
    (platformdirs) and stderr says where; nothing is written into the current folder."""
    from tests.conftest import EXAMPLES

    monkeypatch.delenv("ACCORD_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    cwd = tmp_path / "work"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    code, _out, err = run_cli("forecast", EXAMPLES / "eu-emissions-1994.yaml", "-m", "median")
    assert code == 0, err
    store = tmp_path / "xdg" / "accord" / "runs.duckdb"
    assert store.exists()
    assert "saved run" in err and str(store) in err
    assert list(cwd.iterdir()) == []
    code, out, _ = run_cli("runs", "list", "--json")
    assert code == 0 and json.loads(out)["store"] == str(store)
