"""Distribution-over-outcomes models: no leakage, determinism, sanity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.backtest import backtest, cross_val_predict, group_folds, load_deu
from accord.backtest._capability import capability_matrix
from accord.backtest._distributional import (
    GRID,
    GRID_FEATURES,
    NESTED_FAMILIES,
    CandidateModel,
    OutcomeMixModel,
    _GridDist,
    grid_features,
    grid_median,
)
from accord.backtest._harness import FITTED, features, run_base
from tests.conftest import shared_file

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_deu.tsv"


@pytest.fixture(scope="module")
def deu_feat():
    p = shared_file("deu3/deu3_part_a.tsv")
    d = load_deu(p).scored()
    cap = capability_matrix(d, "equal")
    base = run_base(d, cap, ["compromise"])
    f = features(d, cap, base.forecasts)
    # the first ~110 issues (whole proposals) keep these tests fast
    rows = np.arange(110)
    return f.take(rows), d.outcome[rows], np.asarray(d.prnr, dtype=str)[rows]


def _factory(name: str, seed: int = 0):
    cls = NESTED_FAMILIES[name]

    def make():
        m = cls(inner_k=3, seed=seed)
        if name in ("fit-council-mix", "fit-procedural-mix", "fit-boosted-mix"):
            m.grid = (32.0, 8.0)
        if name == "fit-mix-select":
            m.grid = (("outcome-mix", 32.0), ("procedural", 32.0), ("council", 32.0))
        return m

    return make


def test_backtest_dist_models_are_registered() -> None:
    for n in NESTED_FAMILIES:
        assert n in FITTED


@pytest.mark.parametrize(
    "name",
    [
        "fit-candidates",
        "fit-outcome-mix",
        "fit-mix-select",
        "fit-boosted-mix",
    ],
)
def test_backtest_dist_test_outcomes_never_used(deu_feat, name: str) -> None:
    """Permuting (and wrecking) the held-out fold's outcomes leaves its predictions unchanged."""
    f, y, g = deu_feat
    folds = group_folds(g, 5, seed=0)
    test = folds == 0
    pred1, _ = cross_val_predict(_factory(name), f, y, g, 5, 0)
    y2 = y.copy()
    rng = np.random.default_rng(1)
    y2[test] = rng.permutation(100.0 - y[test])
    pred2, _ = cross_val_predict(_factory(name), f, y2, g, 5, 0)
    np.testing.assert_array_equal(pred1[test], pred2[test])
    # ... while the other folds, whose training data changed, may move
    assert np.all(np.isfinite(pred1)) and pred1.min() >= 0 and pred1.max() <= 100


@pytest.mark.parametrize("name", sorted(NESTED_FAMILIES))
def test_backtest_dist_deterministic(deu_feat, name: str) -> None:
    f, y, g = deu_feat
    a, pa = cross_val_predict(_factory(name, 3), f, y, g, 4, 3)
    b, pb = cross_val_predict(_factory(name, 3), f, y, g, 4, 3)
    np.testing.assert_array_equal(a, b)
    assert [p.get("inner_cv_mae") for p in pa] == [p.get("inner_cv_mae") for p in pb]


def test_backtest_dist_learns_lumpy_outcomes() -> None:
    """Synthetic issues whose outcome is always the Commission's position: the candidate model
    learns a large Commission weight and forecasts it almost exactly, the mean cannot."""
    rng = np.random.default_rng(0)
    n, a = 300, 6
    x = rng.choice([0.0, 30.0, 50.0, 70.0, 100.0], size=(n, a))
    s = rng.uniform(0.2, 1.0, size=(n, a))
    from accord.backtest._fitted import Features

    f = Features(
        x=x,
        s=s,
        ok=np.ones((n, a), bool),
        c=np.ones((n, a)),
        rp=np.full(n, np.nan),
        cod=np.ones(n, bool),
        unan=np.zeros(n, bool),
        actors=("com", "ep", "de", "fr", "it", "nl"),
    )
    y = x[:, 0].copy()
    g = np.repeat(np.arange(n // 3), 3).astype(str)
    m = CandidateModel(g, inner_k=3).fit(f, y)
    coef = m.params["candidates"]
    assert coef["com"] > 0.5 and coef["com"] == max(v for k, v in coef.items() if k != "epsilon")
    assert np.mean(np.abs(m.predict(f) - y)) < 3.0
    mean = (x * s).sum(1) / s.sum(1)
    assert np.mean(np.abs(mean - y)) > 15.0


def test_backtest_dist_distribution_is_proper(deu_feat) -> None:
    f, y, g = deu_feat
    m = OutcomeMixModel(g, inner_k=3).fit(f, y)
    p = m.distribution(f)
    assert p.shape == (f.n, GRID.size)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-9)
    assert (p >= 0).all()
    med = m.predict(f)
    c = np.cumsum(p, axis=1)
    idx = med.astype(int)
    assert np.all(c[np.arange(f.n), idx] >= 0.5 - 1e-9)
    assert np.all((idx == 0) | (c[np.arange(f.n), np.maximum(idx - 1, 0)] < 0.5))


def test_backtest_dist_gradient_matches_finite_differences(deu_feat) -> None:
    """The exact gradient used by L-BFGS agrees with a numerical one (both model kinds)."""
    f, y, _ = deu_feat
    z, cand = grid_features(f.take(np.arange(60)))
    yy = y[:60]
    for restrict in (True, False):
        use = GRID_FEATURES[:5]
        fun, x0 = _GridDist(use, 3.0, restrict).objective(z, cand, yy)
        th = np.random.default_rng(0).normal(0, 0.3, size=x0.shape)
        _, grad = fun(th)
        num = np.array(
            [(fun(th + 1e-6 * e)[0] - fun(th - 1e-6 * e)[0]) / 2e-6 for e in np.eye(th.size)]
        )
        np.testing.assert_allclose(grad, num, rtol=1e-4, atol=1e-6)


def test_backtest_dist_features_shapes(deu_feat) -> None:
    f, _, _ = deu_feat
    z, cand = grid_features(f)
    assert z.shape == (f.n, GRID.size, len(GRID_FEATURES))
    assert cand[:, [0, 50, 100]].all()
    assert grid_median(np.eye(GRID.size)[[3, 70]]).tolist() == [3.0, 70.0]


def test_backtest_dist_in_harness_train_mode() -> None:
    res = backtest(str(MINI), train=str(MINI), models=["fit-candidates", "fit-grid-logit"],
                   n_boot=20)
    rows = {r["model"]: r for r in res.doc["models"]}
    for n in ("fit-candidates", "fit-grid-logit"):
        assert rows[n]["status"] == "ok", rows[n]
        assert "fit on" in rows[n]["evaluation"]


def test_backtest_dist_winset_features() -> None:
    """Four equal member states at 20/40/60/80, reference point 0: a state prefers v to 0 iff
    0 < v < 2x, so v = 50 or 70 has 3/4 of the votes (QMV winset), 90 only 1/2; under
    unanimity 30 is in the winset and 50 is not. Council features ignore the Commission."""
    from accord.backtest._fitted import Features

    x = np.array([[100.0, 20.0, 40.0, 60.0, 80.0]] * 2)
    f = Features(
        x=x,
        s=np.full((2, 5), 0.5),
        ok=np.ones((2, 5), bool),
        c=np.ones((2, 5)),
        rp=np.array([0.0, 0.0]),
        cod=np.zeros(2, bool),
        unan=np.array([False, True]),
        actors=("com", "de", "fr", "it", "nl"),
        vw=np.full((2, 5), 0.25),
    )
    z, _ = grid_features(f)
    col = {k: z[:, :, GRID_FEATURES.index(k)] for k in GRID_FEATURES}
    np.testing.assert_allclose(col["rp_share"][0, [0, 30, 50, 70, 90]], [1, 1, 0.75, 0.75, 0.5])
    assert col["winset_qmv"][0, [0, 50, 70]].all() and not col["winset_qmv"][0, 90]
    assert not col["winset_qmv"][1].any()
    assert col["winset_unan"][1, 30] == 1 and col["winset_unan"][1, 50] == 0
    assert col["support_council"][0, 100] == 0 and col["support_council"][0, 20] == 0.25
    np.testing.assert_allclose(col["dist_council_mean"][0, 50], 0.0)
    assert col["between_rp_com"][0].all() and col["council_top"][0].sum() == 4
