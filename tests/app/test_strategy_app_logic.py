"""Logic of the web app's "Strategies: what if?" view (no Streamlit)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.app import _logic as L
from accord.app import _strategy_logic as SL
from accord.errors import InputError
from accord.strategies import all_strategies

DRAWS = 120


@pytest.fixture(scope="module")
def flagship():
    if L.FLAGSHIP not in L.bundled_scenarios() or SL.seed_claims_path() is None:
        pytest.skip("flagship scenario or experiments/seed-claims.yaml not found")
    sc, _ = L.load_bundled(L.FLAGSHIP)
    return sc, SL.strategy_baseline(sc)


@pytest.fixture(scope="module")
def baseline_run(flagship):
    sc, base = flagship
    return SL.run_arm(sc, base.settings, DRAWS, base.seed)


def _what_if(flagship, baseline_run, knobs, draws=DRAWS):
    sc, base = flagship
    v = SL.run_arm(sc, SL.variant_settings(base, knobs), draws, base.seed)
    return SL.compare_runs(baseline_run, v, base, sc, seed=base.seed).table.set_index("measure")


def test_strategy_app_baseline_is_the_seed_claims(flagship):
    sc, base = flagship
    assert base.sides == ("ukraine", "russia")
    assert "seed-claims.yaml" in base.source
    k = SL.baseline_knobs(base)
    assert k["mediator"] == "neutral" and k["bias"] == 0.0 and k["style"] == "diplomatic"
    assert k["strategy.russia"] == "bad-faith" and k["hazard.russia"] == pytest.approx(0.01)
    assert k["strategy.ukraine"] == "tit-for-tat" and k["step.ukraine"] == pytest.approx(0.05)
    assert k["rebuild.russia"] == pytest.approx(0.002)
    # untouched knobs reproduce the baseline's settings exactly
    assert SL.variant_settings(base, {}) == SL.variant_settings(base, k)

    assert SL.variant_settings(base, {}) == base.settings
    # a new strategy takes the parameters given, even one equal to the old strategy's
    s = SL.variant_settings(base, {"strategy.ukraine": "grit", "step.ukraine": 0.05})
    assert s["strategies"]["ukraine"] == {"name": "grit", "step": 0.05}
    s = SL.variant_settings(base, {"hazard.russia": 0.0})
    assert s["strategies"]["russia"] == {**base.settings["strategies"]["russia"], "hazard": 0.0}


def test_strategy_app_no_change_no_difference(flagship, baseline_run):
    t = _what_if(flagship, baseline_run, {})
    assert np.allclose(t["change"].fillna(0), 0.0)
    assert (t["baseline_lo"] == t["what_if_lo"]).all()


def test_strategy_app_removing_bad_faith_makes_deals_last(flagship, baseline_run):
    """Russia reciprocating instead of reneging: fewer agreements break down within a year
    (the reneging hazard and the pocketed concessions are gone)."""
    t = _what_if(flagship, baseline_run, {"strategy.russia": "tit-for-tat"})
    row = t.loc["Agreements that break down within a year"]
    assert row["change"] < -0.2 and row["change_hi"] < 0
    assert t.loc["Agreements still holding after 90 days", "change_lo"] > 0
    # no reneging hazard alone already helps, less
    t0 = _what_if(flagship, baseline_run, {"hazard.russia": 0.0})
    assert t0.loc["Agreements that break down within a year", "change"] < 0


def test_strategy_app_mediator_siding_with_russia(flagship, baseline_run):
    """The hostile-mediator claim's variant: fewer agreements, worse terms for Ukraine."""
    t = _what_if(flagship, baseline_run, {"mediator": "russia", "bias": 0.5})
    assert t.loc["Runs that reach an agreement", "change_hi"] < 0
    assert t.loc["How good the deal is for Ukraine (0-1)", "change"] < 0
    assert t.loc["Agreed terms: Territory (0-100)", "change"] > 0  # towards Russia's end


def test_strategy_app_rebuild_during_ceasefire(flagship, baseline_run):
    t = _what_if(flagship, baseline_run, {"rebuild.russia": 0.006})
    assert t.loc["Agreements that break down within a year", "change_lo"] > 0


def test_strategy_app_same_seed_same_numbers(flagship, baseline_run):
    a = _what_if(flagship, baseline_run, {"strategy.ukraine": "grit", "rounds.ukraine": 8})
    b = _what_if(flagship, baseline_run, {"strategy.ukraine": "grit", "rounds.ukraine": 8})
    assert a.equals(b)
    sc, base = flagship
    other = SL.run_arm(sc, base.settings, DRAWS, base.seed + 1)
    assert not np.array_equal(other.agree_round, baseline_run.agree_round)


def test_strategy_app_every_registered_strategy_runs(flagship):
    sc, base = flagship
    for name in all_strategies():
        res = SL.run_arm(sc, SL.variant_settings(base, {"strategy.ukraine": name}), 10, 1)
        assert res.n_draws == 10
        assert SL.strategy_label(name)


def test_strategy_app_text_table_figure_and_words(flagship, baseline_run):
    sc, base = flagship
    knobs = {"mediator": "none", "strategy.russia": "hardline", "rebuild.ukraine": 0.004}
    v = SL.run_arm(sc, SL.variant_settings(base, knobs), DRAWS, base.seed)
    cmp = SL.compare_runs(baseline_run, v, base, sc, seed=base.seed)
    assert list(cmp.text.columns) == ["measure", "baseline", "what-if", "change"]
    assert len(cmp.text) == 8 + len(sc.issues)
    assert cmp.text.loc[0, "baseline"].endswith("]") and "%" in cmp.text.loc[0, "baseline"]
    assert "reach an agreement" in SL.headline(cmp)
    words = SL.describe_changes(base, knobs)
    assert words == [
        "no mediator",
        "Russia plays hardline",
        "Ukraine rebuilds 0.4 % a week in a ceasefire",
    ]
    assert SL.describe_changes(base, SL.baseline_knobs(base)) == []
    fig = SL.comparison_figure(baseline_run, v)
    assert {tr.name for tr in fig.data} == {"baseline", "what-if"}


def test_strategy_app_bad_settings_one_clear_error(flagship):
    sc, base = flagship
    for knobs, field in (
        ({"strategy.russia": "nonsense"}, "strategies.russia"),
        ({"mediator": "atlantis"}, "mediator.favours"),
        ({"rebuild.russia": 0.5}, "power.rebuild.russia"),
        ({"bias": 2.0}, "strategy.mediator.bias"),
    ):
        with pytest.raises(InputError) as e:
            SL.variant_settings(base, knobs)
        assert e.value.field == field
    with pytest.raises(InputError, match="draws"):
        SL.run_arm(sc, base.settings, 5, 0)
    bad = SL.variant_settings(base, {"strategy.russia": "transactional"})
    bad["strategies"]["russia"]["pay_issues"] = ["no-such-issue"]
    with pytest.raises(InputError, match="no-such-issue"):
        SL.run_arm(sc, bad, 10, 0)


def test_strategy_app_scenario_without_settings():
    others = [n for n in L.bundled_scenarios() if n != L.FLAGSHIP]
    for name in others:
        sc, _ = L.load_bundled(name)
        if sc.strategy:
            continue
        with pytest.raises(InputError, match="no simulator settings"):
            SL.strategy_baseline(sc)
        return
    pytest.skip("every bundled scenario has simulator settings")
