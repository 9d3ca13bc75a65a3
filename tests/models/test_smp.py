"""KTAB SMP: primitives checked by hand, and the two KTAB reference runs (logs parsed here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from accord.models import get_model
from accord.models._smp import (
    SMP,
    _challenges,
    _State,
    big_r,
    coalitions,
    cond_pce,
    estimated_risk,
    interpolate,
    markov_incentive_pce,
    markov_uniform_pce,
    round4,
    sal_distance,
    scalar_pce,
    unique_positions,
    utility,
    victory_prob,
    vote,
)
from accord.scenario import load_scenario, to_arrays
from tests.conftest import shared_file

#: KTAB's example inputs and final positions (MIT, small): fixtures of these tests.
KTAB = Path(__file__).resolve().parents[1] / "fixtures" / "ktab"
REF = {"SOE-Pol-Comp.csv": "SOE-Pol-Comp", "dummyData_3Dim.csv": "dummyData_3Dim"}


def _need_data() -> None:
    """The inputs travel with the tests; kept as a guard against a broken checkout."""
    assert (KTAB / "final_positions.json").exists()


def _log(name: str) -> dict:
    """KTAB's full reference log of a run (large: read from ../shared, else skip)."""
    return _parse_log(shared_file(f"ktab/20170530_ref-{REF[name]}.txt"))


# ---------------------------------------------------------------- primitives (hand-checked)


def test_smp_distance_by_hand() -> None:
    # sqrt(((.24*.15)^2 + (.48*.45)^2) / (.24^2 + .48^2)) = sqrt(.047952/.288)
    d = sal_distance(np.array([0.3, 0.2]), np.array([0.45, 0.65]), np.array([0.24, 0.48]))
    assert d == pytest.approx(np.sqrt(0.047952 / 0.288), abs=1e-12)
    assert d == pytest.approx(0.408, abs=1e-3)  # KTAB log: risk-neutral value 0.592
    # zero salience: indifferent
    assert sal_distance(np.array([0.0]), np.array([1.0]), np.array([0.0])) == 0.0


def test_smp_utility_by_hand() -> None:
    assert utility(np.array(0.4), 1.0) == pytest.approx(0.6 * 1.4)
    assert utility(np.array(0.4), -0.5) == pytest.approx(0.6 * 0.8)
    assert utility(np.array(1.2), 0.5) == pytest.approx(-0.2 * 1.5)  # d > 1 branch
    assert utility(np.array(0.0), 0.7) == 1.0


def test_smp_votes_by_hand() -> None:
    assert vote(2.0, np.array(0.3)) == pytest.approx(0.6)
    assert vote(2.0, np.array(1e-9), "binary") == pytest.approx(0.2)
    assert vote(2.0, np.array(0.5), "binary") == pytest.approx(2.0)
    assert vote(3.0, np.array(0.3), "asym_prosp") == pytest.approx(0.6)
    assert vote(3.0, np.array(-0.3), "asym_prosp") == pytest.approx(-0.9)
    assert vote(1.0, np.array(0.5), "cubic") == pytest.approx(0.125)
    assert vote(1.0, np.array(0.5), "prop_cbc") == pytest.approx(0.5 * 0.5 + 0.5 * 0.125)
    assert vote(1.0, np.array(0.5), "prop_bin") == pytest.approx(0.8 * 0.5 + 0.2)


def test_smp_coalitions_and_victory_by_hand() -> None:
    u = np.array([[1.0, 0.5], [0.2, 0.6]])  # actor x option
    c = coalitions(u, np.array([1.0, 2.0]))
    assert c[0, 1] == pytest.approx(1e-8 + 0.5)
    assert c[1, 0] == pytest.approx(1e-8 + 0.8)
    assert c[0, 0] == c[1, 1] == 1e-8
    p = victory_prob(c)
    assert p[0, 1] == pytest.approx(0.5 / 1.3, rel=1e-7)
    assert p[0, 0] == 0.5 and p[0, 1] + p[1, 0] == pytest.approx(1.0)
    assert victory_prob(c, "square")[0, 1] == pytest.approx(0.25 / 0.89, rel=1e-7)
    # binary: 0.8 >= 1.1 * 0.5, so option 1 wins for sure (up to 1e-6)
    assert victory_prob(c, "binary")[1, 0] == pytest.approx(1.0, abs=2e-6)


def test_smp_pce_by_hand() -> None:
    pv = np.array([[0.5, 0.4], [0.6, 0.5]])
    np.testing.assert_allclose(cond_pce(pv), [0.4, 0.6])
    # Markov uniform fixed point: p0 = (p0 + 0.4)/2 * ... -> 0.4 as well
    np.testing.assert_allclose(markov_uniform_pce(pv), [0.4, 0.6], atol=1e-5)
    p = markov_incentive_pce(np.array([[1e-8, 2.0], [3.0, 1e-8]]), pv)
    assert p.sum() == pytest.approx(1.0) and p[1] > p[0]


def test_smp_scalar_pce_matches_ktab_log() -> None:
    # KTAB log, SOE-Pol-Comp turn 0, actor 0's two bargains: u_im, w -> C = [2.987, 2.485],
    # P(opt0) = 0.5458
    u = np.array(
        [
            [0.94150, 0.94751],
            [0.69179, 0.67532],
            [0.71776, 0.74029],
            [0.87007, 0.86260],
            [0.67225, 0.65335],
            [0.67007, 0.68595],
            [0.71761, 0.73395],
            [0.69479, 0.67761],
            [0.77034, 0.78700],
            [0.91551, 0.91426],
            [0.75654, 0.73696],
            [0.78723, 0.79725],
            [0.64686, 0.64403],
        ]
    )
    w = np.array([100, 60.2, 35, 35, 40, 20, 15, 25, 20, 35, 20, 20, 40.0])
    c = coalitions(u, w)
    assert c[0, 1] == pytest.approx(2.987, abs=2e-3)
    assert c[1, 0] == pytest.approx(2.485, abs=2e-3)
    assert scalar_pce(u, w)[0] == pytest.approx(0.5458, abs=2e-4)


def test_smp_risk_attitude_by_hand() -> None:
    r, flag = big_r(np.array([0.1, 0.3, 0.6]))
    np.testing.assert_allclose(r, [-0.5, 0.1, 1.0])
    assert not flag
    r, flag = big_r(np.array([0.5, 0.5]))
    assert flag and (r == 0).all()
    np.testing.assert_allclose(big_r(np.array([0.1, 0.3, 0.6]), "min")[0], [0, 0.4, 1])
    np.testing.assert_allclose(big_r(np.array([0.1, 0.3, 0.6]), "max")[0], [-1, -0.2, 1])
    est = estimated_risk(np.array([1.0, -0.5]))
    assert est[0, 1] == pytest.approx((2 * 1.0 - 0.5) / 3)
    assert est[1, 0] == pytest.approx((2 * -0.5 + 1.0) / 3)


def test_smp_interpolation_matches_ktab_log() -> None:
    # turn 0: actor 0 (30, 20) targets actor 10 (50, 50) with P = 0.7676 -> (34.83, 22.50)
    bi, bj = interpolate(
        np.array([0.3, 0.2]),
        np.array([0.24, 0.48]),
        0.7676,
        np.array([0.5, 0.5]),
        np.array([0.447, 0.478]),
        1 - 0.7676,
    )
    np.testing.assert_allclose(bi * 100, [34.83, 22.50], atol=0.011)
    np.testing.assert_allclose(bi, bj, atol=2e-4)
    assert round4(np.array(0.123449)) == 0.1234 and round4(np.array(0.12345)) == 0.1235


def test_smp_unique_positions() -> None:
    x = np.array([[0.1, 0.1], [0.1005, 0.1], [0.5, 0.5], [0.1009, 0.1]])
    reps, eq = unique_positions(x, 1e-3)
    assert reps.tolist() == [0, 2] and eq.tolist() == [0, 0, 1, 0]


# ---------------------------------------------------------------- reference runs


def _parse_log(path: Path) -> dict:
    text = path.read_text()
    lines = text.splitlines()
    out: dict = {"frac": [float(v) for v in re.findall(r"Fractional change[^:]*: ([0-9.]+)", text)]}
    a = lines.index(next(ln for ln in lines if ln.startswith("History of actor positions")))
    b = lines.index(next(ln for ln in lines if ln.startswith("History of actors' winning")))
    out["pos"] = [[float(v) for v in ln.rsplit(":", 1)[1].split()] for ln in lines[a + 1 : b]]
    out["prob"] = [
        [float(v) for v in ln.split(":", 1)[1].split()] for ln in lines[b + 1 :] if ", prob :" in ln
    ]
    # turn 0: risk attitudes and each actor's best target, P and gain from its own view
    r0 = lines.index("Inferred risk attitudes: ")
    out["risk0"] = [float(lines[r0 + 1 + k]) for k in range(len(out["prob"]))]
    first = text.split("Bargains to be resolved")[0]
    out["targets0"] = {
        int(i): int(j)
        for i, j in re.findall(
            r"In turn 0 actor (\d+) has most advantageous "
            r"target (\d+)",
            first,
        )
    }
    out["est0"] = {
        (int(h), int(j)): (float(p), float(g))
        for h, p, i, j, k, g in re.findall(
            r"Est by +(\d+) of prob ([0-9.]+) that \[ *(\d+)> *(\d+)\], with expected gain to "
            r"+(\d+) of ([-+0-9.]+)",
            first,
        )
        if h == i == k
    }
    return out


@pytest.fixture(scope="module", params=sorted(REF))
def ktab_case(request: pytest.FixtureRequest) -> tuple:
    _need_data()
    name = request.param
    draws = to_arrays(load_scenario(KTAB / name))
    res = get_model("smp").run(draws)
    ref = json.loads((KTAB / "final_positions.json").read_text())[name]
    return name, draws, res, _log, ref


def test_smp_reference_turns_and_final_positions(ktab_case: tuple) -> None:
    _name, draws, res, _log, ref = ktab_case
    assert res.extra["turns"] == ref["turns"]
    final = np.array(res.extra["positions"][-1])
    want = np.array([v["position"] for v in ref["final"].values()])
    assert np.abs(final - want).max() <= 0.1
    got_p = np.array(res.extra["prob"][-1])
    want_p = np.array([v["p"] for v in ref["final"].values()])
    np.testing.assert_allclose(got_p, want_p, atol=1.5e-4)


def test_smp_reference_log_every_state(ktab_case: tuple) -> None:
    name, draws, res, log_of, _ref = ktab_case
    log = log_of(name)
    n, m = draws.n_actors, draws.n_issues
    pos = np.array(res.extra["positions"])  # (states, n, m)
    want = np.array(log["pos"]).reshape(n, m, -1).transpose(2, 0, 1)
    assert pos.shape == want.shape
    assert np.abs(pos - want).max() <= 0.05 + 1e-9  # the log prints 1 decimal
    np.testing.assert_allclose(np.array(res.extra["prob"]).T, log["prob"], atol=5.1e-5)
    np.testing.assert_allclose(res.extra["fractional_change"], log["frac"], atol=5.1e-5)


def test_smp_reference_first_turn_internals(ktab_case: tuple) -> None:
    name, draws, _res, log_of, _ref = ktab_case
    log = log_of(name)
    opts = SMP()._opts()
    x = draws.positions[0] / 100.0
    s = draws.salience[0]
    c = draws.capability[0]
    st = _State(x, s, c, opts)
    np.testing.assert_allclose(st.risk, log["risk0"], atol=5.1e-4)
    prob, gain = _challenges(st, s.sum(axis=1), c, opts)
    g = np.where(np.isnan(gain), -np.inf, gain)
    for i, j in log["targets0"].items():
        assert int(np.argmax(g[i])) == j
        p_log, g_log = log["est0"][(i, j)]
        assert prob[i, j] == pytest.approx(p_log, abs=5.1e-5)
        assert gain[i, j] == pytest.approx(g_log, abs=5.1e-5)


# ---------------------------------------------------------------- behaviour


def test_smp_deterministic_and_traces() -> None:
    _need_data()
    draws = to_arrays(load_scenario(KTAB / "dummyData_3Dim.csv"), n_draws=2)
    a = SMP().run(draws)
    b = SMP().run(draws)
    np.testing.assert_array_equal(a.forecast, b.forecast)
    assert a.extra == b.extra
    tr = a.traces["d1"]
    assert tr.positions.shape == (2, a.extra["turns"] + 1, 7)
    np.testing.assert_allclose(tr.positions[0, -1], np.array(a.extra["positions"][-1])[:, 0])
    json.dumps(a.extra)
    # forecast = probability-weighted mean of final unique positions
    p = np.array(a.extra["final_unique_probs"])
    xs = np.array(a.extra["final_unique_positions"])
    np.testing.assert_allclose(a.forecast[0], p @ xs)


def test_smp_options_run_and_validate() -> None:
    _need_data()
    draws = to_arrays(load_scenario(KTAB / "dummyData_3Dim.csv"))
    for kw in (
        {"victory_model": "quartic"},
        {"pce_model": "markov_uniform"},
        {"pce_model": "markov_incentive"},
        {"voting_rule": "asym_prosp"},
        {"big_r_range": "max", "big_r_adjust": "half"},
        {"third_party_commit": "full"},
        {"interpolation": "s2pmax"},
        {"bargain_model": "init_rcvr"},
        {"bargain_model": "pw_compromise"},
    ):
        res = SMP(**kw).run(draws)
        assert np.isfinite(res.forecast).all()
        assert ((res.forecast >= 0) & (res.forecast <= 100)).all()
    stoch = SMP(state_transitions="stochastic")
    r1 = stoch.run(draws, rng=np.random.default_rng(3))
    r2 = stoch.run(draws, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(r1.forecast, r2.forecast)
    with pytest.raises(ValueError, match="victory_model"):
        SMP(victory_model="cubic").run(draws)


def test_smp_absent_actor_and_collapse() -> None:
    from accord.scenario import scenario_from_mapping

    sc = scenario_from_mapping(
        {
            "name": "t",
            "issues": [{"id": "a"}, {"id": "b", "scale": [0, 10]}],
            "actors": [
                {
                    "id": "x",
                    "capability": 3,
                    "positions": {"a": 10, "b": 2},
                    "salience": {"a": 80, "b": 60},
                },
                {"id": "y", "capability": 2, "positions": {"a": 90}, "salience": {"a": 50}},
                {
                    "id": "z",
                    "capability": 1,
                    "positions": {"a": 40, "b": 9},
                    "salience": {"a": 30, "b": 90},
                },
            ],
        }
    )
    res = SMP().run(to_arrays(sc))
    assert res.traces["b"].positions.shape[-1] == 2  # y takes no part in b
    assert 0 <= res.forecast[0, 1] <= 10
    # everyone at one point: risk attitudes fall back to 0, nothing moves
    same = scenario_from_mapping(
        {
            "name": "t",
            "issues": [{"id": "a"}],
            "actors": [
                {"id": k, "capability": 1, "positions": {"a": 50}, "salience": {"a": 50}}
                for k in "pqr"
            ],
        }
    )
    res = SMP().run(to_arrays(same))
    assert res.forecast[0, 0] == pytest.approx(50.0)
    assert res.extra["risk_neutral_fallback"]


@pytest.mark.parametrize(
    ("rule", "tpc", "vpm", "pcem"),
    [
        ("proportional", "semi", "linear", "conditional"),
        ("asym_prosp", "full", "square", "markov_uniform"),
        ("prop_bin", "none", "binary", "markov_incentive"),
        ("cubic", "semi", "octic", "conditional"),
    ],
)
def test_smp_compiled_kernels_match_numpy(rule: str, tpc: str, vpm: str, pcem: str) -> None:
    from accord.models._smp import _RULE_CODE, _TPC_CODE, _challenges_nb, coalitions_np, pce, pce_np

    gen = np.random.default_rng(5)
    n, m = 9, 3
    x = gen.uniform(0, 1, (n, m))
    s = gen.uniform(0.05, 0.33, (n, m))
    c = gen.uniform(10, 100, n)
    opts = SMP(voting_rule=rule, third_party_commit=tpc, victory_model=vpm, pce_model=pcem)._opts()
    st = _State(x, s, c, opts)
    p_np, g_np = _challenges(st, s.sum(axis=1), c, opts)
    p_nb, g_nb = _challenges_nb(
        st.dist, st.r_est, s.sum(axis=1), c, _RULE_CODE[rule], _TPC_CODE[tpc]
    )
    np.testing.assert_allclose(p_nb, p_np, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g_nb, g_np, rtol=1e-10, atol=1e-12)
    u = st.u_own
    np.testing.assert_allclose(coalitions(u, c, rule), coalitions_np(u, c, rule), rtol=1e-10)
    cm = coalitions(u, c, rule)
    np.testing.assert_allclose(pce(cm, vpm, pcem), pce_np(cm, vpm, pcem), atol=1e-6)


def test_smp_eighty_actors_runs() -> None:
    from accord.scenario import scenario_from_mapping

    gen = np.random.default_rng(1)
    sc = scenario_from_mapping(
        {
            "name": "big",
            "issues": [{"id": "a"}, {"id": "b"}],
            "actors": [
                {
                    "id": f"a{i}",
                    "capability": float(gen.uniform(5, 100)),
                    "positions": {"a": float(gen.uniform(0, 100)), "b": float(gen.uniform(0, 100))},
                    "salience": {"a": float(gen.uniform(5, 50)), "b": float(gen.uniform(5, 50))},
                }
                for i in range(80)
            ],
        }
    )
    res = SMP(max_turns=5).run(to_arrays(sc))
    assert res.extra["turns"] <= 5 and np.isfinite(res.forecast).all()
