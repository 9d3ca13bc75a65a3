"""``accord forecast --draws`` and ``accord sensitivity`` end to end."""

from __future__ import annotations

import json

import numpy as np
import yaml

from tests.uncertainty.conftest import toy_mapping


def _toy_file(tmp_path):
    p = tmp_path / "toy.yaml"
    p.write_text(yaml.safe_dump(toy_mapping()))
    return p


def test_uncertainty_cli_forecast_draws_json(tmp_path, run_cli):
    path = _toy_file(tmp_path)
    code, out, err = run_cli(
        "forecast",
        path,
        "-m",
        "compromise",
        "-m",
        "median",
        "--draws",
        "3000",
        "--seed",
        "4",
        "--json",
        "--no-store",
    )
    assert code == 0, err
    doc = json.loads(out)
    ranges = {"x": (10.0, 70.0), "y": (4.0, 9.0)}  # min/max any sampled position can take
    for row in doc["results"]:
        lo, hi = ranges[row["issue"]]
        for key in ("interval", "interval95"):
            a, b = row[key]
            assert lo <= a <= b <= hi
        a80, b80 = row["interval"]
        a95, b95 = row["interval95"]
        assert a95 <= a80 and b80 <= b95
    assert doc["monte_carlo"]["draws"] == 3000


def test_uncertainty_cli_forecast_same_with_dask(tmp_path, run_cli):
    path = _toy_file(tmp_path)
    args = ("forecast", path, "-m", "compromise", "--draws", "2048", "--json", "--no-store")
    _, out1, _ = run_cli(*args)
    code, out2, err = run_cli(*args, "--dask", "threads:2")
    assert code == 0, err
    r1 = [r["interval"] for r in json.loads(out1)["results"]]
    r2 = [r["interval"] for r in json.loads(out2)["results"]]
    assert r1 == r2


def test_uncertainty_cli_sensitivity_json_and_table(tmp_path, run_cli):
    path = _toy_file(tmp_path)
    code, out, err = run_cli("sensitivity", path, "-m", "compromise", "--n", "128", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["model"] == "compromise" and doc["inputs"] == 5
    x = doc["issues"][0]
    assert x["issue"] == "x" and x["tornado"] and x["sobol"]
    assert np.isclose(sum(r["S1"] for r in x["sobol"]), 1.0, atol=0.25)
    code, out, err = run_cli("sensitivity", path, "-m", "compromise", "--n", "128")
    assert code == 0, err
    assert "had no effect" in out and "a.position.x" in out


def test_uncertainty_cli_sensitivity_same_seed_same_bytes(tmp_path, run_cli):
    # seed 0 included: SALib ignores a falsy seed and bootstraps from numpy's global state
    path = _toy_file(tmp_path)
    for seed in ("0", "3"):
        runs = [
            run_cli("sensitivity", path, "-m", "compromise", "--n", "64", "--seed", seed, "--json")
            for _ in range(2)
        ]
        assert runs[0][0] == 0 and runs[0][1] == runs[1][1]
    code, _, err = run_cli("sensitivity", path, "-m", "compromise", "--seed", "-1")
    assert code == 2 and "--seed" in err


def test_uncertainty_cli_bad_inputs_exit_2(tmp_path, run_cli):
    path = _toy_file(tmp_path)
    code, _, err = run_cli("sensitivity", path, "-m", "compromise", "--n", "100")
    assert code == 2 and "power of 2" in err
    code, _, err = run_cli(
        "forecast", path, "-m", "median", "--draws", "10", "--no-store", "--distribution", "normal"
    )
    assert code == 2 and "distribution" in err
    code, _, err = run_cli(
        "forecast", path, "-m", "median", "--draws", "10", "--no-store", "--dask", "nope"
    )
    assert code == 2 and "--dask" in err
