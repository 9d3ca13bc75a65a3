"""Backtest harness: published baselines, grouped CV, determinism, failing models, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from accord.backtest import backtest, cross_val_predict, group_folds, load_deu
from accord.backtest._distributional import GridLogitModel
from accord.backtest._harness import features, run_base
from accord.backtest.cli import app
from accord.models import REGISTRY, IssueModel, register
from tests.conftest import shared_file

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_deu.tsv"


@pytest.fixture
def deu_a() -> Path:
    return shared_file("deu3/deu3_part_a.tsv")


def _by_model(doc: dict) -> dict:
    return {r["model"]: r for r in doc["models"]}


def test_backtest_reproduces_published_baselines(deu_a: Path) -> None:
    res = backtest(str(deu_a), models=["compromise", "median", "constant50"], n_boot=200)
    assert res.doc["n_issues"] == 245
    m = _by_model(res.doc)
    assert m["compromise"]["mae"] == pytest.approx(24.46, abs=0.005)
    assert m["median"]["mae"] == pytest.approx(29.36, abs=0.005)
    assert m["constant50"]["mae"] == pytest.approx(27.50, abs=0.005)
    lo, hi = m["compromise"]["ci"]
    assert lo < 24.46 < hi and hi - lo > 1.0
    assert m["compromise"]["diff_ci"] == [0.0, 0.0]


def test_backtest_cv_never_splits_a_proposal(deu_a: Path) -> None:
    d = load_deu(deu_a).scored()
    folds = group_folds(d.prnr, 5, seed=3)
    for p in set(d.prnr):
        assert len(set(folds[d.prnr == p])) == 1
    assert len(set(folds)) == 5
    sizes = np.bincount(folds)
    assert sizes.max() - sizes.min() <= 0.3 * sizes.mean()


def test_backtest_cv_predictions_are_out_of_fold() -> None:
    """A model fitted on the test fold would see its outcomes; check folds hold out groups."""
    d = load_deu(MINI).scored()
    cap = np.ones((d.n_issues, len(d.actors)))
    base = run_base(d, cap, ["compromise"])
    f = features(d, cap, base.forecasts)
    seen: list[set] = []

    class Spy(GridLogitModel):
        grid = (8.0,)

        def fit(self, ff, y):  # noqa: ANN001
            seen.append(set(np.round(y, 6)))
            return super().fit(ff, y)

    pred, params = cross_val_predict(lambda: Spy(inner_k=2), f, d.outcome, d.prnr, 3, seed=0)
    assert np.all(np.isfinite(pred)) and len(params) == 3
    folds = group_folds(d.prnr, 3, seed=0)
    for j, ys in enumerate(seen):
        held = set(np.round(d.outcome[folds == j], 6)) - set(np.round(d.outcome[folds != j], 6))
        assert not (held & ys)


def test_backtest_deterministic_json(deu_a: Path) -> None:
    runner = CliRunner()
    args = [
        "deu",
        str(deu_a),
        "--model",
        "compromise",
        "--model",
        "fit-candidates",
        "--model",
        "calibrated",
        "--model",
        "compromise-errors",
        "--json",
        "--seed",
        "7",
        "--bootstrap",
        "300",
    ]
    a = runner.invoke(app, args)
    b = runner.invoke(app, args)
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    assert doc["n_issues"] == 245 and doc["seed"] == 7
    c = json.loads(
        runner.invoke(app, [*args[:-4], "--json", "--seed", "8", "--bootstrap", "300"]).stdout
    )
    assert _by_model(c)["compromise"]["ci"] != _by_model(doc)["compromise"]["ci"]


def test_backtest_failing_model_is_reported(tmp_path: Path) -> None:
    @register
    class Broken(IssueModel):
        """Always fails (test double)."""

        name = "broken-test-model"

        def __init__(self) -> None:
            pass

        def solve_issue(self, issue):  # noqa: ANN001
            raise RuntimeError("boom")

    try:
        res = backtest(str(MINI), models=["base"], n_boot=50)
    finally:
        REGISTRY.pop("broken-test-model", None)
    m = _by_model(res.doc)
    assert m["broken-test-model"]["status"] == "failed"
    assert "boom" in m["broken-test-model"]["error"]
    assert m["compromise"]["status"] == "ok"
    assert res.doc["n_issues"] == 4 and res.doc["n_proposals"] == 3


def test_backtest_cli_outputs(tmp_path: Path) -> None:
    runner = CliRunner()
    csv, html = tmp_path / "issues.csv", tmp_path / "board.html"
    r = runner.invoke(
        app,
        [
            "deu",
            str(MINI),
            "--model",
            "compromise",
            "--model",
            "constant50",
            "--csv",
            str(csv),
            "--html",
            str(html),
            "--bootstrap",
            "50",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "compromise" in r.stdout and "MAE" in r.stdout
    lines = csv.read_text().splitlines()
    assert len(lines) == 5 and "abs_err_compromise" in lines[0]
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<script" not in page


def test_backtest_train_test_mode(tmp_path: Path) -> None:
    res = backtest(str(MINI), train=str(MINI),
                   models=["fit-candidates", "calibrated", "compromise-errors", "uniform"],
                   n_boot=20)
    m = _by_model(res.doc)
    for n in ("calibrated", "compromise-errors", "uniform"):
        assert m[n]["status"] == "ok" and 0 <= m[n]["coverage"]["0.8"] <= 1 and m[n]["crps"] > 0
        assert len(m[n]["pit_histogram"]) == 10
    assert "fit on" in m["calibrated"]["evaluation"] and "penalty" in m["calibrated"]["params"]
    assert m["fit-candidates"]["status"] == "ok"
    assert "fit on" in m["fit-candidates"]["evaluation"]
    assert set(m["fit-candidates"]["coverage"]) == {"0.5", "0.8", "0.9"}


def test_backtest_bad_input() -> None:
    from accord.errors import InputError

    with pytest.raises(InputError, match="unknown model"):
        backtest(str(MINI), models=["nope"])
    with pytest.raises(InputError):
        backtest(str(MINI), capability="votes")
    assert isinstance(app, typer.Typer)
