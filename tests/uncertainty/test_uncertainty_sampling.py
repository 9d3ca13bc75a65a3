"""Draws follow their distributions, are reproducible and independent of chunking."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from accord.errors import InputError
from accord.scenario import to_arrays
from accord.uncertainty.sampling import (
    BLOCK,
    Inputs,
    add_intervals,
    chunk_bounds,
    monte_carlo,
    ppf,
    sample_scenario,
    scenario_inputs,
    seed_sequence,
    summarise,
    uniforms,
)

LO, MODE, HI = 10.0, 16.0, 40.0


def _draw_one(dist: str, n: int = 20_000, seed: int = 7) -> np.ndarray:
    inp = Inputs.from_bounds(["v"], [LO], [HI], [MODE], distribution=dist)
    return ppf(inp, uniforms(np.random.SeedSequence(seed), 0, n, 1))[:, 0]


@pytest.mark.parametrize(
    ("dist", "reference"),
    [
        ("uniform", stats.uniform(loc=LO, scale=HI - LO)),
        ("triangular", stats.triang(c=(MODE - LO) / (HI - LO), loc=LO, scale=HI - LO)),
        (
            "pert",
            stats.beta(
                1 + 4 * (MODE - LO) / (HI - LO),
                1 + 4 * (HI - MODE) / (HI - LO),
                loc=LO,
                scale=HI - LO,
            ),
        ),
    ],
)
def test_uncertainty_draws_match_distribution(dist, reference):
    x = _draw_one(dist)
    assert x.min() >= LO and x.max() <= HI
    assert stats.kstest(x, reference.cdf).pvalue > 0.01
    assert abs(x.mean() - reference.mean()) < 4 * reference.std() / np.sqrt(x.size)


def test_uncertainty_ks_detects_wrong_distribution():
    """The KS check above has power: PERT draws are not uniform."""
    x = _draw_one("pert")
    assert stats.kstest(x, stats.uniform(loc=LO, scale=HI - LO).cdf).pvalue < 1e-6


def test_uncertainty_pert_mode_at_end_of_range():
    inp = Inputs.from_bounds(["v"], [0.0], [1.0], [0.0], distribution="pert")
    x = ppf(inp, uniforms(np.random.SeedSequence(1), 0, 20_000, 1))[:, 0]
    assert stats.kstest(x, stats.beta(1, 5).cdf).pvalue > 0.01


def test_uncertainty_inputs_of_scenario(toy):
    inp = scenario_inputs(toy)
    assert inp.names == (
        "a.capability",
        "a.position.x",
        "a.salience.x",
        "a.position.y",
        "b.position.x",
    )
    assert inp.fixed == ("b.position.y",)  # range [9, 9]: a constant
    assert set(inp.dist.tolist()) == {0}
    inp2 = scenario_inputs(
        toy, distribution="uniform", overrides={"*.capability": "triangular", "b.*": "pert"}
    )
    assert inp2.distribution_of("a.capability") == "triangular"
    assert inp2.distribution_of("b.position.x") == "pert"
    assert inp2.distribution_of("a.position.x") == "uniform"


def test_uncertainty_unknown_distribution_is_input_error(toy):
    with pytest.raises(InputError, match="unknown distribution"):
        scenario_inputs(toy, distribution="normal")


def test_uncertainty_sample_scenario_ranges_and_units(toy):
    d = sample_scenario(toy, 5000, rng=np.random.default_rng(3))
    base = to_arrays(toy, 1)
    assert d.positions.shape == (5000, 3, 2)
    x = d.positions[:, 0, 0]
    assert 10 <= x.min() and x.max() <= 40 and x.std() > 1
    s = d.salience[:, 0, 0]
    assert 0.6 <= s.min() and s.max() <= 0.9  # stored on 0-1
    assert 2 <= d.capability[:, 0].min() and d.capability[:, 0].max() <= 5
    # inputs without a range stay at their point value
    np.testing.assert_array_equal(d.positions[:, 2, 0], base.positions[0, 2, 0])
    np.testing.assert_array_equal(d.capability[:, 1], 2.0)
    np.testing.assert_array_equal(
        d.salience[:, 1, :], np.broadcast_to(base.salience[0, 1], (5000, 2))
    )
    np.testing.assert_array_equal(d.positions[:, 1, 1], 9.0)


def test_uncertainty_same_seed_same_draws_and_generator_semantics(toy):
    a = sample_scenario(toy, 100, rng=5)
    b = sample_scenario(toy, 100, rng=np.random.SeedSequence(5))
    np.testing.assert_array_equal(a.positions, b.positions)
    g = np.random.default_rng(5)
    c, d = sample_scenario(toy, 100, rng=g), sample_scenario(toy, 100, rng=g)
    assert not np.array_equal(c.positions, d.positions)  # a reused generator moves on
    e = sample_scenario(toy, 100, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(c.positions, e.positions)  # a fresh one repeats
    assert not np.array_equal(a.positions, sample_scenario(toy, 100, rng=6).positions)


@pytest.mark.parametrize(("k", "n"), [(1, 10), (37, 3000), (BLOCK, 5 * BLOCK + 3)])
def test_uncertainty_first_k_of_n_draws(toy, k, n):
    small = sample_scenario(toy, k, rng=11)
    big = sample_scenario(toy, n, rng=11)
    np.testing.assert_array_equal(small.positions, big.positions[:k])
    np.testing.assert_array_equal(small.salience, big.salience[:k])
    np.testing.assert_array_equal(small.capability, big.capability[:k])


def test_uncertainty_chunks_reassemble_any_way(toy):
    whole = sample_scenario(toy, 4000, rng=2).positions
    ones = [sample_scenario(toy, 1, rng=2, start=s).positions for s in range(50)]
    np.testing.assert_array_equal(np.concatenate(ones), whole[:50])
    for size in (700, BLOCK, 3000):
        parts = [
            sample_scenario(toy, n, rng=2, start=s).positions for s, n in chunk_bounds(4000, size)
        ]
        np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_uncertainty_distribution_choice_keeps_other_draws(toy):
    """Common random numbers: changing one input's distribution leaves the others as they were."""
    a = sample_scenario(toy, 500, rng=4)
    b = sample_scenario(toy, 500, rng=4, overrides={"a.capability": "uniform"})
    np.testing.assert_array_equal(a.positions, b.positions)
    assert not np.array_equal(a.capability, b.capability)


def test_uncertainty_seed_sequence_rejects_bad_seed():
    with pytest.raises(TypeError):
        seed_sequence("7")  # type: ignore[arg-type]
    assert seed_sequence(0).entropy == 0  # 0 is a seed, not "no seed"


def test_uncertainty_monte_carlo_chunk_size_invariance(toy):
    specs = [("compromise", {}), ("median", {}), ("nash", {})]
    a = monte_carlo(toy, specs, 3000, seed=9, chunk_size=BLOCK)
    b = monte_carlo(toy, specs, 3000, seed=9, chunk_size=3000)
    c = monte_carlo(toy, specs, 3000, seed=9, chunk_size=2 * BLOCK)
    for name, _ in specs:
        np.testing.assert_array_equal(a.forecasts[name], b.forecasts[name])
        np.testing.assert_array_equal(a.forecasts[name], c.forecasts[name])
        assert a.forecasts[name].dtype == np.float32


def test_uncertainty_summarise_shapes():
    rng = np.random.default_rng(0)
    v = rng.uniform(0, 100, (10_000, 2)).astype(np.float32)
    interval, i95, summary = summarise(v, np.array([[0, 100], [0, 100]]), level=0.8)
    np.testing.assert_allclose(interval, [[10, 90], [10, 90]], atol=1.5)
    np.testing.assert_allclose(i95, [[2.5, 97.5], [2.5, 97.5]], atol=1)
    assert len(summary[0]["percentiles"]) == 99
    assert summary[0]["percentiles"][49] == pytest.approx(50, abs=2)
    assert len(summary[0]["histogram"]["counts"]) == 50
    assert sum(summary[0]["histogram"]["counts"]) == 10_000


def test_uncertainty_add_intervals_within_sampled_positions(toy):
    from accord.forecast import forecast

    run = forecast(toy, ["compromise", "median"])
    add_intervals(run, n_draws=2000, seed=1)
    d = sample_scenario(toy, 2000, rng=1)
    for k in range(2):
        held = d.positions[:, d.mask[:, k], k]
        lo, hi = held.min(), held.max()
        for name in ("compromise", "median"):
            for iv in (run.intervals[name][k], run.extra["intervals95"][name][k]):
                assert lo - 1e-9 <= iv[0] <= iv[1] <= hi + 1e-9
    assert run.distributions["median"].shape == (2000, 2)
    assert run.n_draws == 2000 and run.extra["monte_carlo"]["draws"] == 2000
