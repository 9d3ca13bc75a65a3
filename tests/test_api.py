"""The top-level API: one import, no private module, results as a DataFrame, YAML saved."""

from __future__ import annotations

import subprocess
import sys

import pytest

import accord


def test_api_names_are_listed_and_documented():
    for name in ("load_scenario", "run_forecast", "save_scenario", "scenario_to_yaml",
                 "available_models", "example_path", "InputError"):
        assert name in accord.__all__ and name in dir(accord)
        assert getattr(accord, name).__doc__
    with pytest.raises(AttributeError):
        accord.no_such_thing  # noqa: B018


def test_load_forecast_frame_save_round_trip(tmp_path):
    sc = accord.load_scenario(accord.example_path("eu-emissions-1994"))
    df = accord.run_forecast(sc, ["median", "compromise"]).to_frame()
    assert list(df["model"]) == ["median", "compromise"]
    assert df.set_index("model").loc["median", "forecast"] == pytest.approx(7.0)
    for name in ("s.yaml", "s.json", "s.xlsx"):
        path = accord.save_scenario(sc, tmp_path / name)
        again = accord.load_scenario(path)
        assert again.actor_ids == sc.actor_ids and again.name == sc.name
    assert accord.scenario_to_yaml(sc) == (tmp_path / "s.yaml").read_text()
    run = accord.run_forecast(accord.example_path("ukraine-ceasefire-2025.yaml"), "median",
                              draws=20, seed=1)
    assert {"low", "high"} <= set(run.to_frame().columns)


def test_api_errors_are_input_errors(tmp_path):
    with pytest.raises(accord.InputError, match="no bundled example"):
        accord.example_path("nope")
    with pytest.raises(accord.InputError, match="suffix"):
        accord.save_scenario(accord.load_scenario(accord.example_path("eu-emissions-1994")),
                             tmp_path / "x.txt")
    assert "median" in accord.available_models()


def test_import_accord_is_cheap():
    code = ("import sys, accord; heavy = [m for m in ('numpy', 'pandas', 'numba', 'scipy') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
