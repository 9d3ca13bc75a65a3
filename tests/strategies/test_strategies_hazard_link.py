"""The durability model's survival curve can set the simulator's baseline breach hazard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.errors import InputError
from accord.strategies._experiment import hazard_from_durability

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "durability" / "fixtures" / "ceasefires_tiny.csv"
FLAGSHIP = ROOT / "examples" / "ukraine-ceasefire-2025.yaml"


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    from accord.durability import fit_durability, read_ceasefires, save_model

    data = read_ceasefires(FIXTURE)
    model = fit_durability(data.table, rng=np.random.default_rng(1), n_boot=5, folds=3,
                           penalties=(0.3,))
    path = tmp_path_factory.mktemp("dur") / "model.json"
    save_model(model, path)
    return path


def test_hazard_curve_from_durability(model_file):
    h = hazard_from_durability(model_file, FLAGSHIP, "energy-moratorium")
    days, surv = np.array(h["days"]), np.array(h["survival"])
    assert len(days) == len(surv) > 10
    assert np.all(np.diff(days) > 0)
    assert np.all((surv >= 0) & (surv <= 1))
    assert np.all(np.diff(surv) <= 1e-12)  # a survival curve never rises
    assert "energy-moratorium" in h["source"]


def test_hazard_curve_unknown_ceasefire(model_file):
    with pytest.raises(InputError, match="no ceasefire"):
        hazard_from_durability(model_file, FLAGSHIP, "nope")


def test_curve_is_accepted_by_simulator(model_file):
    from accord.strategies._simulator import parse_config

    h = hazard_from_durability(model_file, FLAGSHIP)
    cfg = parse_config({"breach": {"baseline_hazard": {"days": h["days"],
                                                       "survival": h["survival"]}}})
    assert cfg.breach.baseline_hazard.days[0] == h["days"][0]


def test_hazard_curve_from_the_bundled_model():
    h = hazard_from_durability(None, FLAGSHIP, "energy-moratorium")
    assert "bundled" in h["source"] and "1989-2014" in h["source"]
    assert np.all(np.diff(np.array(h["survival"])) <= 1e-12)


def test_experiment_hazard_from_bundled_is_parsed(monkeypatch, run_cli):
    """``--hazard-from bundled:ID`` and ``:ID`` name the shipped model; the curve reaches the
    experiment as its baseline hazard."""
    import accord.strategies._experiment as E

    seen = []

    def fake_run(path, **kw):
        seen.append(kw["baseline_hazard"])
        raise InputError("stop here", path=str(path))

    monkeypatch.setattr(E, "run_experiment", fake_run)
    exp = ROOT / "experiments" / "seed-claims.yaml"
    for spec in ("bundled:energy-moratorium", ":energy-moratorium"):
        code, _out, err = run_cli("experiment", exp, "--hazard-from", spec, "--no-store")
        assert code == 2 and "stop here" in err
        assert "fitted on" in err  # the source of the baseline hazard is said
    assert len(seen) == 2 and seen[0]["survival"] == seen[1]["survival"]
    assert "bundled" in seen[0]["source"]
