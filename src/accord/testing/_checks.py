"""Common model checks (the interface contract of :class:`accord.models.Model`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator

import numpy as np

from accord.models import Model, get_model
from accord.scenario import ScenarioDraws


def random_draws(
    n_draws: int = 6, n_actors: int = 6, n_issues: int = 2, *, seed: int = 0
) -> ScenarioDraws:
    """Random valid draws on 0-100 scales, with one actor absent from the last issue."""
    rng = np.random.default_rng(seed)
    pos = rng.integers(0, 101, (n_draws, n_actors, n_issues)).astype(float)
    sal = rng.uniform(0.1, 1.0, (n_draws, n_actors, n_issues))
    cap = rng.uniform(0.1, 1.0, (n_draws, n_actors))
    mask = np.ones((n_actors, n_issues), dtype=bool)
    if n_issues > 1 and n_actors > 3:
        mask[-1, -1] = False
        pos[:, -1, -1] = 0.0
        sal[:, -1, -1] = 0.0
    return ScenarioDraws(
        positions=pos,
        salience=sal,
        capability=cap,
        mask=mask,
        scale=np.tile([0.0, 100.0], (n_issues, 1)),
        status_quo=np.full(n_issues, np.nan),
        actor_ids=tuple(f"a{i}" for i in range(n_actors)),
        issue_ids=tuple(f"i{k}" for k in range(n_issues)),
    )


def check_init_params_only(name: str) -> None:
    cls = type(get_model(name))
    sig = inspect.signature(cls.__init__)
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        assert p.kind == p.KEYWORD_ONLY, f"{name}: parameter {p.name} must be keyword-only"
        assert p.default is not p.empty, f"{name}: parameter {p.name} needs a default"
    model = get_model(name)
    params = model.get_params()
    assert get_model(name, **params).get_params() == params


def check_output_shape_and_bounds(name: str) -> None:
    d = random_draws()
    res = get_model(name).run(d, rng=np.random.default_rng(0))
    assert res.forecast.shape == (d.n_draws, d.n_issues), res.forecast.shape
    assert np.isfinite(res.forecast).all()
    for k in range(d.n_issues):
        x = d.positions[:, d.mask[:, k], k]
        lo, hi = x.min(axis=1) - 1e-6, x.max(axis=1) + 1e-6
        f = res.forecast[:, k]
        assert ((f >= lo) & (f <= hi)).all(), f"{name}: forecast outside the positions' range"


def check_no_mutation(name: str) -> None:
    d = random_draws()
    before = [a.copy() for a in (d.positions, d.salience, d.capability, d.mask)]
    model = get_model(name)
    params = dict(model.get_params())
    model.run(d, rng=np.random.default_rng(0))
    for a, b in zip(before, (d.positions, d.salience, d.capability, d.mask), strict=True):
        np.testing.assert_array_equal(a, b)
    assert model.get_params() == params


def check_deterministic(name: str) -> None:
    d = random_draws()
    a = get_model(name).run(d, rng=np.random.default_rng(5)).forecast
    b = get_model(name).run(d, rng=np.random.default_rng(5)).forecast
    np.testing.assert_array_equal(a, b)


def check_subset_invariance(name: str) -> None:
    """The first k of n draws equal a k-draw run."""
    d = random_draws(n_draws=6)
    full = get_model(name).run(d, rng=np.random.default_rng(1)).forecast
    part = get_model(name).run(d.take(slice(0, 3)), rng=np.random.default_rng(1)).forecast
    np.testing.assert_allclose(part, full[:3], rtol=0, atol=1e-9)


CHECKS: list[Callable[[str], None]] = [
    check_init_params_only,
    check_output_shape_and_bounds,
    check_no_mutation,
    check_deterministic,
    check_subset_invariance,
]


def model_checks(names: list[str]) -> Iterator[tuple[str, Callable[[str], None]]]:
    for name in names:
        for check in CHECKS:
            yield name, check


def check_model(model: str | Model) -> None:
    """Run every common check on a registered model (by name or instance)."""
    name = model if isinstance(model, str) else model.name
    for check in CHECKS:
        check(name)
