"""Bueno de Mesquita's expected-utility model: published trace, equations, fast path = reference."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.models import get_model
from accord.models._eum import (
    _vexp,
    _vlog,
    eum_expected_utility,
    eum_probabilities,
    eum_reference,
    eum_risk_exponents,
    eum_round,
    eum_security,
    eum_solve,
    eum_utilities,
)
from accord.scenario import ScenarioDraws, load_scenario, to_arrays

ROOT = Path(__file__).resolve().parents[2]
VECTOR = ROOT / "tests" / "fixtures" / "eu_emissions_bdm1994.json"  # published; see its README
EXAMPLE = ROOT / "examples" / "eu-emissions-1994.yaml"
IDS = [
    "netherlands",
    "belgium",
    "luxembourg",
    "germany",
    "france",
    "italy",
    "uk",
    "ireland",
    "denmark",
    "greece",
]


@pytest.fixture(scope="module")
def vector() -> dict:
    return json.loads(VECTOR.read_text())


@pytest.fixture(scope="module")
def emissions(vector) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a = vector["actors"]
    x = np.array([[v["position"] for v in a]], float)
    c = np.array([[v["capability"] for v in a]], float)
    s = np.array([[v["salience"] for v in a]], float) / 100.0
    return x, c, s


# ---------------------------------------------------------------- the published example


def test_eum_vector_global_trace(vector, emissions):
    x, c, s = emissions
    sol = eum_solve(x, c, s, 4.0, 10.0, q=1.0, rounds=10, probability="global")
    tr = vector["reproduced_trace"]
    np.testing.assert_allclose(sol.median[0], tr["median"], atol=1e-3, rtol=0)
    np.testing.assert_allclose(sol.mean[0], tr["mean"], atol=1e-3, rtol=0)
    risk = [tr["risk_exponents_round1"][v["name"]] for v in vector["actors"]]
    np.testing.assert_allclose(sol.risk[0, 0], risk, atol=1e-4, rtol=0)


def test_eum_vector_closed_forms(vector, emissions):
    x, c, s = emissions
    sol = eum_solve(x, c, s, 4.0, 10.0, rounds=0)
    cf = vector["closed_form_before_bargaining"]
    assert sol.median[0, 0] == cf["weighted_median"] == 7.0
    assert sol.mean[0, 0] == pytest.approx(cf["capability_x_salience_weighted_mean"], abs=1e-6)


def test_eum_vector_reference_solver(vector, emissions):
    x, c, s = emissions
    pos, med, mean, risk, moves = eum_reference(x[0], c[0], s[0], 4.0, 10.0)
    tr = vector["reproduced_trace"]
    np.testing.assert_allclose(med, tr["median"], atol=1e-3, rtol=0)
    np.testing.assert_allclose(mean, tr["mean"], atol=1e-3, rtol=0)
    sol = eum_solve(x, c, s, 4.0, 10.0)
    np.testing.assert_allclose(sol.positions[0], pos, atol=1e-9, rtol=0)
    np.testing.assert_allclose(sol.risk[0], risk, atol=1e-12, rtol=0)


def test_eum_example_file_round_one_moves(vector):
    sc = load_scenario(EXAMPLE)
    assert sc.actor_ids == tuple(IDS)
    model = get_model("eum", **sc.model_settings("eum"))
    assert model.get_params()["probability"] == "global"
    res = model.run(to_arrays(sc, 2))
    tr = vector["reproduced_trace"]
    np.testing.assert_allclose(res.traces["delay"].median[0], tr["median"], atol=1e-3)
    np.testing.assert_allclose(res.traces["delay"].mean[1], tr["mean"], atol=1e-3)
    # the run has not settled after 10 rounds: the headline is the median of the round medians
    # over the second half (rounds 6-10), not the last round's 7.0 (see _settle)
    assert res.forecast[0, 0] == pytest.approx(np.median(tr["median"][6:]), abs=1e-3)
    assert res.traces["delay"].settling.record(0)["settling"] == "not settled"
    moves = res.trace_records("delay")[1]["moves"]
    got = {(m["actor"], m["challenger"], m["kind"]): m["to"] for m in moves}
    assert got.keys() == {
        ("belgium", "france", "compromise"),
        ("luxembourg", "belgium", "conflict"),
        ("ireland", "luxembourg", "conflict"),
    }
    assert got[("belgium", "france", "compromise")] == pytest.approx(8.415932, abs=1e-6)
    assert got[("luxembourg", "belgium", "conflict")] == 7.0
    assert got[("ireland", "luxembourg", "conflict")] == 4.0
    for m in moves:  # a compromise has b > 0 > a with b > |a|; a conflict b > a > 0
        a, b = m["eu_actor"], m["eu_challenger"]
        assert (b > a > 0) if m["kind"] == "conflict" else (b > 0 > a and b > -a)


def test_eum_vector_pairwise_as_printed(emissions):
    x, c, s = emissions
    sol = eum_solve(x, c, s, 4.0, 10.0, rounds=10, probability="pairwise")
    np.testing.assert_allclose(sol.median[0], 7.0, atol=1e-9)
    np.testing.assert_allclose(sol.positions[0, 3:], 7.0, atol=1e-9)
    assert not np.allclose(sol.positions[0, 2], 7.0)  # not before round 3
    ref = eum_reference(x[0], c[0], s[0], 4.0, 10.0, probability="pairwise")
    np.testing.assert_allclose(sol.positions[0], ref[0], atol=1e-9)


# ---------------------------------------------------------------- the equations


def test_eum_utilities_hand_values():
    us, uf, ub, uw, usq = eum_utilities(0.25, 0.5, 1.0)
    assert (us, uf, usq) == pytest.approx((0.5, -0.5, 0.0))  # 2d, -2d, 0 when r = 1
    assert (ub, uw) == pytest.approx((0.75, -0.75))  # (d_mu + d), -(d_mu + d)
    us, uf, _, _, usq = eum_utilities(1.0, 0.0, 2.0)
    assert us == 2.0 and uf == pytest.approx(-2.0)
    assert usq == pytest.approx(2 - 4 * 0.25)
    _, _, _, _, usq = eum_utilities(0.0, 0.0, 0.5)
    assert usq == pytest.approx(2 - 4 * np.sqrt(0.5))
    d = np.linspace(0, 1, 11)
    for r in (0.5, 1.0, 2.0):
        us, uf, ub, uw, usq = eum_utilities(d, 0.3, r)
        assert np.all(np.diff(us) > 0) and np.all(np.diff(uf) < 0)
        assert us[0] == pytest.approx(usq) and uf[0] == pytest.approx(usq)
        assert np.all((us >= uf) & (ub >= uw)) and np.all(np.abs([us, uf, ub, uw]) <= 2)


def test_eum_probabilities_hand_values():
    x, w = np.array([0.0, 1.0, 2.0]), np.ones(3)
    p = eum_probabilities(x, w, np.ones(3), 2.0, "global")
    # numerator of 0 over 2: voter 0 gives 1, voter 1 is indifferent; D = 4 + 2 + 4
    assert p[0, 2] == pytest.approx(0.1) and p[2, 0] == pytest.approx(0.1)
    assert p.sum() == pytest.approx(0.5)  # D counts every |vote| twice over ordered pairs
    assert np.all(np.diag(p) == 0)
    pp = eum_probabilities(x, w, np.ones(3), 2.0, "pairwise")
    assert pp[0, 2] == pytest.approx(0.5)
    off = ~np.eye(3, dtype=bool)
    np.testing.assert_allclose((pp + pp.T)[off], 1.0)
    # voters' exponents enter the votes: voter 2 (risk averse) cares less about small gaps
    p2 = eum_probabilities(x, np.array([0.0, 0.0, 1.0]), np.array([1.0, 1.0, 2.0]), 2.0)
    assert p2[2, 1] == pytest.approx((0.25 - 0.0) / (2 * (0.25 + 1.0 + 0.75)))
    with pytest.raises(ValueError, match="probability"):
        eum_probabilities(x, w, np.ones(3), 2.0, "local")


def test_eum_expected_utility_hand_values():
    us, uf, _, _, usq = eum_utilities(0.5, 0.0, 1.0)
    # a target that does not care (s = 0) never resists: pure success
    assert eum_expected_utility(0.5, 0.0, 0.0, 0.2, 1.0) == pytest.approx(us - usq)
    # a fully resisting target and a sure loss
    assert eum_expected_utility(0.5, 0.0, 1.0, 0.0, 1.0) == pytest.approx(uf - usq)
    e = eum_expected_utility(0.5, 0.0, 0.6, 0.3, 1.0)
    assert e == pytest.approx(0.6 * (0.3 * us + 0.7 * uf) + 0.4 * us - usq)
    # Q < 1 brings in the no-challenge utilities
    _, _, ub, uw, usq2 = eum_utilities(0.5, 0.2, 2.0)
    e2 = eum_expected_utility(0.5, 0.2, 1.0, 1.0, 2.0, q=0.5, t=0.25)
    us2 = eum_utilities(0.5, 0.2, 2.0)[0]
    assert e2 == pytest.approx(us2 - 0.5 * usq2 - 0.5 * (0.25 * ub + 0.75 * uw))


def test_eum_risk_exponents_mapping():
    r = eum_risk_exponents(np.array([-3.0, 1.0, 5.0, 0.0]))
    assert r[2] == pytest.approx(0.5) and r[0] == pytest.approx(2.0)  # most secure: acceptant
    assert r[1] == pytest.approx(1.0)
    assert np.all((r >= 0.5) & (r <= 2.0))
    np.testing.assert_array_equal(eum_risk_exponents(np.full(4, 0.7)), 1.0)
    rng = np.random.default_rng(3)
    r = eum_risk_exponents(rng.normal(size=(50, 7)))
    assert np.all((r >= 0.5 - 1e-12) & (r <= 2.0 + 1e-12))


def test_eum_security_two_actors():
    x, c, s = np.array([0.0, 1.0]), np.ones(2), np.ones(2)
    # global: P = 1/4 each way; E = P*2 + (1 - P)*(-2) = -1
    np.testing.assert_allclose(eum_security(x, c, s, 1.0, 0.0, probability="global"), -1.0)
    # pairwise: P = 1/2, E = 0
    np.testing.assert_allclose(eum_security(x, c, s, 1.0, 0.0, probability="pairwise"), 0.0)
    # an actor sharing a position with another is not challenged by it
    sec3 = eum_security(np.array([0.0, 1.0, 1.0]), np.ones(3), np.ones(3), 1.0, 1.0)
    assert sec3[1] == pytest.approx(sec3[2])


def test_eum_vectorised_log_exp():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(0, 2, 500), [1.0, 2.0, 0.5, 1e-300, 0.0, np.sqrt(2)]])
    out, scratch = np.empty_like(x), np.empty_like(x)
    _vlog(x, out, scratch, x.size)
    np.testing.assert_allclose(out, np.log(np.maximum(x, 1e-300)), rtol=1e-15, atol=1e-15)
    y = np.concatenate([rng.uniform(-50, 2, 500), [0.0, -700.5, -np.inf, 1.0]])
    out, scratch = np.empty_like(y), np.empty_like(y)
    _vexp(y, out, scratch, y.size)
    np.testing.assert_allclose(out, np.where(y >= -700, np.exp(y), 0.0), rtol=1e-15, atol=0)


@pytest.mark.parametrize("m", [1, 3, 4, 15, 16, 17, 31, 32, 33, 100])
def test_eum_log_exp_short_path_same_bits(m):
    # short arrays take a one-loop path, long ones the multi-loop one: same bits either way
    rng = np.random.default_rng(m)
    x = np.concatenate([[1e-300, 0.0, np.sqrt(2)], rng.uniform(0, 2, 200)])
    y = np.concatenate([[-700.5, 0.0, -np.inf], rng.uniform(-50, 2, 200)])
    for fn, v in ((_vlog, x), (_vexp, y)):
        long_out, short_out = np.empty_like(v), np.empty_like(v)
        fn(v.copy(), long_out, np.empty_like(v), v.size)
        fn(v.copy(), short_out, np.empty_like(v), m)
        np.testing.assert_array_equal(short_out[:m], long_out[:m])


def test_eum_offer_threshold_bounds():
    # the offer step decides most dyads without powers from t* = (1 - u)/(v - u),
    # u = (1 - d)^r, v = (1 + d)^r, lying between the chord 1/2 + (2^-r - 1/2) d and the
    # tangent 1/2 - (r - 1) d / 4; the kernel widens the bounds by 1e-9 (relative)
    d = np.concatenate([np.geomspace(1e-4, 1e-2, 300), np.linspace(1e-2, 1.0, 3000)])[:, None]
    r = np.concatenate([np.linspace(0.5, 2.0, 301), [1 - 1e-6, 1 + 1e-6]])[None, :]
    with np.errstate(divide="ignore"):
        one_minus_u = -np.expm1(r * np.log1p(-d))
        t_star = one_minus_u / (np.expm1(r * np.log1p(d)) + one_minus_u)
    chord = 0.5 + (2.0**-r - 0.5) * d
    tangent = 0.5 - 0.25 * (r - 1.0) * d
    assert np.all(t_star >= np.minimum(chord, tangent) * (1 - 1e-12))
    assert np.all(t_star <= np.maximum(chord, tangent) * (1 + 1e-12))


# ---------------------------------------------------------------- fast path = reference


def _draw(data, n, positions, generic):
    x = np.array(data.draw(st.lists(positions, min_size=n, max_size=n)), float)
    fl = st.floats(0.05, 1.0, allow_nan=False, allow_subnormal=False)
    c = np.array(data.draw(st.lists(fl, min_size=n, max_size=n)))
    s = np.array(data.draw(st.lists(fl, min_size=n, max_size=n)))
    if generic:  # break exact ties (equal t of both sides of a dyad) the reference would
        c = c * (1 + 1e-3 * np.arange(n))  # resolve by rounding noise
        s = s * (1 - 1e-3 * np.sqrt(np.arange(1, n + 1)))
    return x, c, s


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=st.data())
def test_eum_fast_equals_reference(data):
    n = data.draw(st.integers(1, 8))
    dup = data.draw(st.booleans())
    positions = st.integers(0, 10) if dup else st.floats(0, 10, allow_nan=False)
    x, c, s = _draw(data, n, positions, generic=True)
    q = data.draw(st.sampled_from([1.0, 1.0, 0.5, 0.8]))
    t = data.draw(st.sampled_from([1.0, 0.3]))
    prob = data.draw(st.sampled_from(["global", "pairwise"]))
    risk = data.draw(st.booleans())
    ref = eum_reference(x, c, s, 0.0, 10.0, q=q, t=t, rounds=6, probability=prob, risk=risk)
    # two copies: moves are recorded for draw 0 only, and draw 1 takes the unrecorded path
    sol = eum_solve(
        *(np.repeat(a[None], 2, axis=0) for a in (x, c, s)),
        0.0,
        10.0,
        q=q,
        t=t,
        rounds=6,
        probability=prob,
        risk=risk,
    )
    np.testing.assert_allclose(sol.positions[1], ref[0], atol=1e-9, rtol=0)
    np.testing.assert_allclose(sol.positions[0], ref[0], atol=1e-9, rtol=0)
    np.testing.assert_allclose(sol.median[0], ref[1], atol=1e-9, rtol=0)
    np.testing.assert_allclose(sol.mean[0], ref[2], atol=1e-9, rtol=0)
    np.testing.assert_allclose(sol.risk[0], ref[3], atol=1e-9, rtol=0)
    assert [[(m["actor"], m["challenger"], m["kind"]) for m in r] for r in sol.moves] == [
        [(m["actor"], m["challenger"], m["kind"]) for m in r] for r in ref[4]
    ]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(data=st.data())
def test_eum_one_round_probabilities_security(data):
    """Quantities of one round (no decisions involved) agree to rounding, ties included."""
    n = data.draw(st.integers(2, 9))
    x, c, s = _draw(data, n, st.integers(0, 6), generic=False)
    mu = float(np.median(x))
    for prob in ("global", "pairwise"):
        sec = eum_security(x, c, s, 6.0, mu, probability=prob)
        r = eum_risk_exponents(sec)
        _, r_fast = eum_round(x[None], c[None], s[None], 0.0, 6.0, probability=prob)
        np.testing.assert_allclose(r_fast[0], r, atol=1e-9)


def test_eum_batched_draws_match_single_draws():
    rng = np.random.default_rng(11)
    x = rng.integers(0, 101, (40, 12)).astype(float)
    c, s = rng.uniform(0.1, 1, (40, 12)), rng.uniform(0.1, 1, (40, 12))
    sol = eum_solve(x, c, s, 0, 100, rounds=8)
    for d in (0, 17, 39):
        one = eum_solve(x[d : d + 1], c[d : d + 1], s[d : d + 1], 0, 100, rounds=8)
        np.testing.assert_array_equal(one.positions[0], sol.positions[d])
        np.testing.assert_array_equal(one.median[0], sol.median[d])
    fast = eum_solve(x, c, s, 0, 100, rounds=8, trace=False)
    np.testing.assert_array_equal(fast.median, sol.median)
    np.testing.assert_array_equal(fast.mean, sol.mean)
    np.testing.assert_array_equal(fast.final, sol.positions[:, -1])
    assert fast.positions.shape == (40, 0, 12) and fast.moves == []


# ---------------------------------------------------------------- invariants


def _random_issue(seed, n_draws=30, n=9):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, (n_draws, n))
    x[:, 1] = x[:, 0]  # a duplicate position in every draw
    return x, rng.uniform(0.1, 1, (n_draws, n)), rng.uniform(0.1, 1, (n_draws, n))


def test_eum_forecast_within_positions():
    x, c, s = _random_issue(1)
    sol = eum_solve(x, c, s, 0, 100, rounds=10)
    for arr in (sol.median, sol.mean):
        assert np.all(arr >= x.min(axis=1, keepdims=True) - 1e-9)
        assert np.all(arr <= x.max(axis=1, keepdims=True) + 1e-9)
    assert np.all(sol.positions >= x.min(axis=1)[:, None, None] - 1e-9)
    assert np.all(sol.positions <= x.max(axis=1)[:, None, None] + 1e-9)


@pytest.mark.parametrize("prob", ["global", "pairwise"])
def test_eum_actor_order_invariance(prob, emissions):
    rng = np.random.default_rng(5)
    x, c, s = (np.vstack([a, b]) for a, b in zip(_random_issue(2, n=10), emissions, strict=True))
    sol = eum_solve(x, c, s, 0, 100, probability=prob)
    for _ in range(3):
        perm = rng.permutation(x.shape[1])
        other = eum_solve(x[:, perm], c[:, perm], s[:, perm], 0, 100, probability=prob)
        np.testing.assert_allclose(other.median, sol.median, atol=1e-9)
        np.testing.assert_allclose(other.mean, sol.mean, atol=1e-9)
        np.testing.assert_allclose(other.positions, sol.positions[:, :, perm], atol=1e-9)


def test_eum_capability_scale_invariance(vector, emissions):
    x, c, s = emissions
    base = eum_solve(x, c, s, 4.0, 10.0)
    for k in (4.0, 3.7, 1e-3):
        other = eum_solve(x, c * k, s, 4.0, 10.0)
        np.testing.assert_allclose(other.median, base.median, atol=1e-9)
        np.testing.assert_allclose(other.mean, base.mean, atol=1e-9)
    xr, cr, sr = _random_issue(4)
    a = eum_solve(xr, cr, sr, 0, 100)
    b = eum_solve(xr, cr * 7.5, sr, 0, 100)
    np.testing.assert_allclose(a.median, b.median, atol=1e-9)


def test_eum_deterministic_and_input_untouched():
    x, c, s = _random_issue(6)
    keep = [a.copy() for a in (x, c, s)]
    a = eum_solve(x, c, s, 0, 100)
    b = eum_solve(x, c, s, 0, 100)
    np.testing.assert_array_equal(a.positions, b.positions)
    assert a.moves == b.moves
    for k, v in zip(keep, (x, c, s), strict=True):
        np.testing.assert_array_equal(k, v)


def test_eum_salience_must_be_zero_one(emissions):
    x, c, s = emissions
    with pytest.raises(ValueError, match="0-1"):
        eum_solve(x, c, s * 100, 4.0, 10.0)  # pitfall 3: 0-100 must not pass silently
    d = to_arrays(load_scenario(EXAMPLE))
    assert d.salience.max() <= 1.0


def test_eum_degenerate_inputs():
    one = eum_solve(np.array([[3.0]]), np.ones((1, 1)), np.ones((1, 1)), 0, 10)
    np.testing.assert_array_equal(one.positions, 3.0)
    same = eum_solve(np.full((2, 4), 5.0), np.ones((2, 4)), np.ones((2, 4)), 0, 10)
    np.testing.assert_array_equal(same.median, 5.0)
    np.testing.assert_array_equal(same.risk, 1.0)
    zero = eum_solve(np.array([[1.0, 9.0]]), np.ones((1, 2)), np.zeros((1, 2)), 0, 10)
    assert np.isfinite(zero.median).all() and np.isfinite(zero.mean).all()
    r0 = eum_solve(
        np.array([[1.0, 9.0, 4.0]]), np.ones((1, 3)), np.full((1, 3), 0.5), 0, 10, rounds=0
    )
    assert r0.positions.shape == (1, 1, 3) and r0.risk.shape == (1, 0, 3) and r0.moves == []


def test_eum_model_parameters_checked():
    d = to_arrays(load_scenario(EXAMPLE))
    for bad in (
        {"q": 1.5},
        {"t": -0.1},
        {"rounds": -1},
        {"rounds": 2.5},
        {"probability": "local"},
        {"risk": "yes"},
        {"trace": 1},
    ):
        with pytest.raises(ValueError, match="eum"):
            get_model("eum", **bad).run(d)
    with pytest.raises(ValueError, match="no parameter"):
        get_model("eum", Q=1.0)


def test_eum_model_trace_off_and_multi_issue():
    rng = np.random.default_rng(9)
    n_draws, n, m = 5, 7, 2
    mask = np.ones((n, m), dtype=bool)
    mask[-1, 1] = False
    pos = rng.integers(0, 101, (n_draws, n, m)).astype(float)
    sal = rng.uniform(0.1, 1, (n_draws, n, m))
    pos[:, -1, 1] = 0.0
    sal[:, -1, 1] = 0.0
    draws = ScenarioDraws(
        positions=pos,
        salience=sal,
        capability=rng.uniform(0.1, 1, (n_draws, n)),
        mask=mask,
        scale=np.tile([0.0, 100.0], (m, 1)),
        status_quo=np.full(m, np.nan),
        actor_ids=tuple(f"a{i}" for i in range(n)),
        issue_ids=("x", "y"),
    )
    full = get_model("eum", rounds=5).run(draws)
    lean = get_model("eum", rounds=5, trace=False).run(draws)
    np.testing.assert_array_equal(full.forecast, lean.forecast)
    assert full.traces["y"].positions.shape == (n_draws, 6, n - 1)
    assert lean.traces["y"].positions.shape[1] == 0
    np.testing.assert_array_equal(lean.traces["y"].median, full.traces["y"].median)
    recs = full.trace_records("x")
    assert [r["round"] for r in recs] == list(range(6))
    for rnd in recs[1:]:
        for mv in rnd.get("moves", []):
            assert mv["actor"] in draws.actor_ids and mv["challenger"] in draws.actor_ids
