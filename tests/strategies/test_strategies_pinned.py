"""Each strategy pinned by a short deterministic exchange (Axelrod's versus_test), plus
registry and metadata checks."""

import numpy as np
import pytest

from accord.strategies import (
    CLASSIFIER_KEYS,
    ActorView,
    Strategy,
    all_strategies,
    filtered_strategies,
    make_strategy,
)

R = np.array([100.0, 100.0])


def view(rnd=1, demand=(10.0, 10.0), opp_now=(90.0, 90.0), opp_prev=(90.0, 90.0),
         reservation=0.0, ideal=(0.0, 0.0), sal=(0.5, 0.5), win=0.5, win_at=np.nan):
    dem = np.array([[demand, opp_now]], float)
    prev = np.array([[demand, opp_prev]], float)
    return ActorView(
        index=0, round=rnd, ideal=np.array([ideal], float), ideal0=np.array([ideal], float),
        demand=np.array([demand], float), prev_demand=np.array([demand], float), demands=dem,
        prev_demands=prev, salience=np.array([sal], float), reservation=np.array([reservation]),
        target=np.array([opp_now], float), counterpart=1, win_prob=np.array([win]),
        win_prob_at_agreement=np.array([win_at]), scale_range=R, lo=np.zeros(2),
        hi=np.full(2, 100.0), actor_ids=("a", "b"), issue_ids=("x", "m"))


rng = np.random.default_rng(0)


def test_registry_discovered_unique_and_complete():
    reg = all_strategies()
    assert {"hardline", "grit", "tit-for-tat", "generous-tit-for-tat", "bad-faith",
            "transactional", "persuadable"} <= set(reg)
    for name, cls in reg.items():
        assert cls.name == name and issubclass(cls, Strategy)
        assert set(cls.classifier) == set(CLASSIFIER_KEYS)
        assert cls.__doc__ and "Names" in cls.__doc__


@pytest.mark.parametrize("name", sorted(all_strategies()))
def test_params_roundtrip_and_clone(name):
    s = make_strategy(name)
    assert make_strategy(name, **s.get_params()).get_params() == s.get_params()
    assert s.clone().get_params() == s.get_params() and s.clone() is not s


def test_metadata_filter_and_bad_params():
    assert filtered_strategies(reneges=True) == ["bad-faith"]
    assert "grit" in filtered_strategies(concedes_unconditionally=True)
    assert set(filtered_strategies(stochastic=True)) == {"bad-faith", "generous-tit-for-tat"}
    with pytest.raises(ValueError, match="step"):
        make_strategy("tit-for-tat", step=2.0)
    with pytest.raises(ValueError, match="no parameter"):
        make_strategy("hardline", step=0.1)
    with pytest.raises(ValueError, match="unknown strategy"):
        make_strategy("nope")


def test_hardline_states_its_ideal():
    out = make_strategy("hardline").propose(view(demand=(30, 30)), rng)
    assert out.tolist() == [[0.0, 0.0]]


def test_tit_for_tat_versus():
    tft = make_strategy("tit-for-tat", step=0.1)
    # round 0: opens with a concession of 0.1 * (1 - s/2) = 7.5 % of the gap of 80
    assert tft.propose(view(rnd=0), rng) == pytest.approx(np.array([[16.0, 16.0]]))
    # counterpart conceded (90 -> 80 is better for us): concede
    assert tft.propose(view(opp_prev=(90, 90), opp_now=(80, 80)), rng)[0, 0] > 10
    # counterpart held: hold
    assert tft.propose(view(), rng).tolist() == [[10.0, 10.0]]
    # counterpart retracted (80 -> 90): retract towards the ideal
    assert tft.propose(view(opp_prev=(80, 80), opp_now=(90, 90)), rng)[0, 0] < 10


def test_grit_concedes_regardless_then_reciprocates():
    g = make_strategy("grit", rounds=2, step=0.1, reciprocal_step=0.05)
    assert g.propose(view(rnd=1), rng)[0, 0] == pytest.approx(10 + 0.075 * 80)
    assert g.propose(view(rnd=2), rng).tolist() == [[10.0, 10.0]]


def test_concessions_never_below_reservation():
    # reservation 0.85 allows at most 15 points of mean loss from the ideal (0)
    g = make_strategy("grit", rounds=5, step=1.0)
    out = g.propose(view(rnd=0, reservation=0.85), rng)
    u = 1 - np.abs(out).mean() / 100
    assert u >= 0.85 - 1e-3 and u < 0.86


def test_generous_tft_forgives_at_its_rate():
    v = view()
    v.demand = np.repeat(v.demand, 4000, 0)
    for f in ("ideal", "ideal0", "prev_demand", "salience", "target"):
        setattr(v, f, np.repeat(getattr(v, f), 4000, 0))
    v.demands, v.prev_demands = (np.repeat(v.demands, 4000, 0), np.repeat(v.prev_demands, 4000, 0))
    v.reservation, v.win_prob = np.zeros(4000), np.full(4000, 0.5)
    v.win_prob_at_agreement = np.full(4000, np.nan)
    out = make_strategy("generous-tit-for-tat", generosity=0.25).propose(
        v, np.random.default_rng(1))
    assert np.mean(out[:, 0] > 10) == pytest.approx(0.25, abs=0.03)


def test_bad_faith_accepts_with_slack_and_reneges_once_ahead():
    bf = make_strategy("bad-faith", slack=0.1, hazard=0.0, margin=0.05)
    terms = np.array([[30.0, 30.0]])  # utility 0.7
    assert bf.accepts(view(reservation=0.75), terms, rng)[0]
    assert not make_strategy("tit-for-tat").accepts(view(reservation=0.75), terms, rng)[0]
    assert not bf.breaks(view(win=0.52, win_at=0.5), terms, rng)[0]
    assert bf.breaks(view(win=0.56, win_at=0.5), terms, rng)[0]
    always = make_strategy("bad-faith", hazard=1.0, margin=float("inf"))
    assert always.breaks(view(win=0.5, win_at=0.5), terms, rng)[0]


def test_transactional_accepts_what_pays():
    tr = make_strategy("transactional", pay_issues=("m",), threshold=0.8)
    v = view(reservation=0.99)
    assert tr.accepts(v, np.array([[100.0, 10.0]]), rng)[0]      # pays on m, ignores x
    assert not tr.accepts(v, np.array([[0.0, 50.0]]), rng)[0]
    out = tr.propose(view(rnd=3), rng)
    assert out[0, 1] == 10.0 and out[0, 0] > 10.0                 # holds m, concedes x


def test_persuadable_drifts_to_last_visitor():
    p = make_strategy("persuadable", meetings=[[0, "b"]], drift=0.5, anchor=0.0)
    v = view(rnd=0, ideal=(50, 50), opp_now=(90, 90))
    assert p.update_ideal(v).tolist() == [[70.0, 70.0]]
    v1 = view(rnd=1, ideal=(50, 50), opp_now=(90, 90))
    assert p.update_ideal(v1).tolist() == [[50.0, 50.0]]
    with pytest.raises(ValueError, match="unknown actor"):
        make_strategy("persuadable", meetings=[[0, "zz"]]).update_ideal(v)
