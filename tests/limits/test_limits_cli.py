"""Each documented bound (docs/limits.md): exit code 2 and a message naming the limit and fix."""

from __future__ import annotations

import json
import time

import pytest

from accord.limits import SEED_MAX
from tests.conftest import EXAMPLES, ROOT

FLAGSHIP = EXAMPLES / "ukraine-ceasefire-2025.yaml"
DEU = ROOT / "tests" / "backtest" / "fixtures" / "mini_deu.tsv"
EXPERIMENT = ROOT / "experiments" / "seed-claims.yaml"


def _yaml(tmp_path, *, cap_a="1", cap_b="2", scale="[0, 100]", sal_a="50", sal_b="40",
          pos_a="20", pos_b="80", name="s.yaml"):
    f = tmp_path / name
    f.write_text(
        "name: bounds\nissues:\n  - id: t\n"
        f"    scale: {scale}\nactors:\n"
        f"  - {{id: a, capability: {cap_a}, positions: {{t: {pos_a}}}, salience: {{t: {sal_a}}}}}\n"
        f"  - {{id: b, capability: {cap_b}, positions: {{t: {pos_b}}}, salience: {{t: {sal_b}}}}}\n"
    )
    return f


def _refused(run_cli, *args, words=()):
    code, out, err = run_cli(*args)
    assert code == 2, (code, err)
    assert "Traceback" not in err and "internal error" not in err
    for w in words:
        assert w in err, (w, err)
    return err


@pytest.mark.parametrize("kw, words", [
    ({"cap_a": "1e308", "cap_b": "1e308"}, ["capability", "1e+308", "1e+30", "Fix:"]),
    ({"cap_a": "1e-320"}, ["capability", "denormal", "Fix:"]),
    ({"cap_a": "1e-31"}, ["capability", "1e-30", "ratios"]),
    ({"scale": "[0, 1e308]"}, ["scale", "1e+15", "larger units"]),
    ({"scale": "[-1e16, 0]", "pos_a": "-1", "pos_b": "0"}, ["scale", "1e+15"]),
    ({"scale": "[0, 1e-7]", "pos_a": "0", "pos_b": "1e-7"}, ["too narrow", "1e-06"]),
    ({"scale": "[1e12, 1.000000000001e12]", "pos_a": "1e12", "pos_b": "1e12"},
     ["too narrow", "1e-09 of its larger end"]),
    ({"sal_a": "1e-12"}, ["salience", "1e-09", "write 0"]),
    ({"sal_a": "1e-320"}, ["denormal"]),
    ({"pos_a": "1e-320"}, ["denormal"]),
    ({"sal_a": "0", "sal_b": "0"}, ["every actor's salience", "is 0", "Fix:"]),
])
def test_scenario_number_bounds(run_cli, tmp_path, kw, words):
    f = _yaml(tmp_path, **kw)
    _refused(run_cli, "validate", f, words=[str(f), *words])
    _refused(run_cli, "forecast", f, "--no-store", words=[str(f)])


def test_bounds_hold_for_json_and_ktab(run_cli, tmp_path):
    j = tmp_path / "s.json"
    j.write_text(json.dumps({"name": "x", "issues": [{"id": "t"}], "actors": [
        {"id": "a", "capability": 1e308, "positions": {"t": 1}, "salience": {"t": 5}}]}))
    _refused(run_cli, "forecast", j, "--no-store", words=["capability", "1e+30"])
    k = tmp_path / "k.csv"
    k.write_text("x,demo,2,1\nActor,Description,Power,Pos,Sal\nA,,1e308,10,50\nB,,1,90,50\n")
    _refused(run_cli, "forecast", k, "--no-store", words=["capability", "1e+30"])


def test_edges_of_the_bounds_forecast_finite(run_cli, tmp_path):
    f = _yaml(tmp_path, cap_a="1e30", cap_b="1e-30", scale="[-1e15, 1e15]", pos_a="-1e15",
              pos_b="1e15", sal_b="0")
    code, out, err = run_cli("forecast", f, "--model", "all", "--json", "--no-store")
    assert code == 0, err
    # inside the scale up to rounding (a weighted mean of -1e15's lands 0.1 beyond it)
    assert all(abs(r["forecast"]) <= 1e15 * (1 + 1e-12) for r in json.loads(out)["results"])


# --- resource options --------------------------------------------------------------------------


def test_draws_beyond_memory_refused_before_work(run_cli):
    t0 = time.perf_counter()
    err = _refused(run_cli, "forecast", FLAGSHIP, "--draws", str(10**9), "--no-store",
                   words=["--draws 1,000,000,000", "memory", "or fewer", "ACCORD_MAX_MEMORY"])
    assert time.perf_counter() - t0 < 30  # refused, not attempted (the run once took minutes)
    assert "forecasts per draw" in err  # the reason


def test_memory_budget_from_environment(run_cli, monkeypatch):
    monkeypatch.setenv("ACCORD_MAX_MEMORY", "1M")
    _refused(run_cli, "forecast", FLAGSHIP, "--draws", "100000", "--no-store",
             words=["--draws 100,000", "1.0 MB"])
    monkeypatch.setenv("ACCORD_MAX_MEMORY", "lots")
    _refused(run_cli, "forecast", FLAGSHIP, "--draws", "10", "--no-store",
             words=["ACCORD_MAX_MEMORY"])


def test_chunks_stay_under_256_mb():
    from accord import limits

    assert limits.mc_chunk_draws(5, 3, 32768, 1024) == 32768  # small scenarios: unchanged
    n = limits.mc_chunk_draws(500, 50, 32768, 1024)
    assert 1 <= n < 32768 and n * limits.ARRAYS_PER_DRAW * 8 * 500 * 50 <= limits.CHUNK_BYTES
    assert limits.mc_chunk_draws(20000, 250, 32768, 1024) >= 1
    for path in EXAMPLES.glob("*.yaml"):  # the bundled examples keep their chunks (and bytes)
        from accord.scenario import load_scenario

        sc = load_scenario(path)
        assert limits.mc_chunk_draws(len(sc.actors), len(sc.issues), 32768, 1024) == 32768


def test_sensitivity_n_refused(run_cli):
    _refused(run_cli, "sensitivity", FLAGSHIP, "--n", str(2**40),
             words=["--n 1,099,511,627,776", "memory", "or fewer"])


def test_backtest_bootstrap_refused(run_cli):
    _refused(run_cli, "backtest", "deu", DEU, "--bootstrap", str(10**12),
             words=["--bootstrap", "memory", "or fewer"])


def test_experiment_draws_refused(run_cli):
    _refused(run_cli, "experiment", EXPERIMENT, "--draws", str(10**9), "--no-store",
             words=["--draws 1,000,000,000", "memory", "bootstrap"])


@pytest.mark.parametrize("args", [
    ["forecast", FLAGSHIP, "--draws", "10"],
    ["sensitivity", FLAGSHIP],
    ["experiment", EXPERIMENT],
    ["advise", FLAGSHIP, "--actor", "ukraine"],
    ["report", FLAGSHIP, "-o", "x.html"],
    ["backtest", "deu", DEU],
])
def test_seed_beyond_range_refused_everywhere(run_cli, args):
    _refused(run_cli, *args, "--seed", str(2**63), words=["--seed", str(SEED_MAX)])


def test_largest_seed_accepted_and_stored(run_cli, tmp_path):
    store = tmp_path / "runs.duckdb"
    code, out, err = run_cli("forecast", FLAGSHIP, "-m", "compromise", "--draws", "50",
                             "--seed", str(SEED_MAX), "--json", "--store", store)
    assert code == 0, err
    code, out, err = run_cli("runs", "list", "--store", store, "--json")
    assert code == 0, err
    assert str(SEED_MAX) in out


def test_store_refuses_a_seed_out_of_range(tmp_path):
    from accord.errors import InputError
    from accord.store import list_runs, save_run

    store = tmp_path / "s.duckdb"
    save_run("forecast", FLAGSHIP.read_text(), {}, SEED_MAX, {"results": []}, store)
    with pytest.raises(InputError, match="2\\*\\*63-1"):
        save_run("forecast", FLAGSHIP.read_text(), {}, SEED_MAX + 1, {"results": []}, store)
    assert [r["seed"] for r in list_runs(store)] == [SEED_MAX]


def test_experiment_file_seed_range(run_cli, tmp_path):
    text = EXPERIMENT.read_text().replace("seed: 20250318", f"seed: {2**63}")
    text = text.replace("../examples/", str(EXAMPLES) + "/")
    f = tmp_path / "e.yaml"
    f.write_text(text)
    _refused(run_cli, "experiment", f, "--no-store", words=["seed"])


# --- --dask ----------------------------------------------------------------------------------


@pytest.mark.parametrize("spec, words", [
    ("local:999", ["at most", "per core"]),
    ("local:0", ["at least 1"]),
    ("tcp://", ["no host"]),
    ("tls://", ["no host"]),
    ("inproc://x", ["unsupported", "tcp://host:port"]),
    ("spark://h:1", ["unsupported", "local:N"]),
])
def test_dask_spec_refused_before_work(run_cli, spec, words):
    _refused(run_cli, "forecast", FLAGSHIP, "--draws", "10", "--dask", spec, "--no-store",
             words=["--dask", *words])


@pytest.mark.parametrize("spec", ["local:1", "tcp://127.0.0.1:1"])
def test_dask_without_draws_refused(run_cli, spec):
    _refused(run_cli, "forecast", FLAGSHIP, "--dask", spec, "--no-store",
             words=["--dask", "--draws"])


def test_unreachable_scheduler_names_the_address(run_cli):
    pytest.importorskip("distributed")
    t0 = time.perf_counter()
    _refused(run_cli, "forecast", FLAGSHIP, "-m", "compromise", "--draws", "10", "--dask",
             "tcp://127.0.0.1:1", "--no-store", words=["tcp://127.0.0.1:1", "10 s"])
    assert time.perf_counter() - t0 < 120


# --- user text in CLI tables -------------------------------------------------------------------


def test_rich_markup_in_names_is_shown_literally(run_cli, tmp_path):
    f = tmp_path / "m.yaml"
    f.write_text(
        'name: "[bold red]T[/] [/]"\n'
        'issues:\n  - {id: t, label: "[u]B[/]"}\n'
        "actors:\n"
        "  - {id: a, capability: 1, positions: {t: 20}, salience: {t: 50}}\n"
        "  - {id: b, capability: 2, positions: {t: 80}, salience: {t: 40}}\n"
    )
    for cmd in ("validate", "forecast"):
        code, out, err = run_cli(cmd, f, "--no-store") if cmd == "forecast" else run_cli(cmd, f)
        assert code == 0, err  # a stray "[/]" once could not even be printed
        flat = " ".join(out.split())
        assert "[bold red]T[/] [/]" in flat and "[u]B[/]" in flat
