"""The "Strategies: what if?" view of the web app (widgets only; logic in
``_strategy_logic.py``).

Every widget key starts with ``sx_``; the widgets start at the baseline's values, and only the
ones the user moved away from them are applied to the variant.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from accord.app import _strategy_logic as SL
from accord.app._plain import plain
from accord.errors import InputError
from accord.scenario import Scenario, scenario_from_text
from accord.strategies import SimulationResult, all_strategies

S = st.session_state

CAVEAT = (
    "**Every number here is an assumption, not a forecast.** The simulator's settings (costs "
    "of war, how optimistic each side is, how fast forces rebuild, how a mediator behaves) "
    "are plausible orders of magnitude written down in the project's seed claims, not "
    "estimates. Read the *change* between the two columns, under these assumptions, rather "
    "than the levels. Mechanisms, sources and every default: `docs/strategies.md` (below)."
)


@st.cache_data(max_entries=8, show_spinner=False)
def _baseline(scenario_json: str) -> SL.StrategyBaseline:
    return SL.strategy_baseline(scenario_from_text(scenario_json, "scenario.json"))


@st.cache_data(max_entries=32, show_spinner=False)
def _arm(scenario_json: str, settings_json: str, draws: int, seed: int) -> SimulationResult:
    sc = scenario_from_text(scenario_json, "scenario.json")
    return SL.run_arm(sc, json.loads(settings_json), draws, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def _docs() -> str | None:
    p = SL.docs_path()
    return p.read_text(encoding="utf-8") if p else None


def _reset(origin: str) -> None:
    """Forget the what-if widgets (another scenario, or the reset button)."""
    for k in [k for k in S if str(k).startswith("sx_")]:
        del S[k]
    S["sx_origin"] = origin


def _pct(x: float) -> float:
    return round(100.0 * float(x), 4)


def _controls(base: SL.StrategyBaseline, scenario: Scenario) -> tuple[dict[str, Any], int, int]:
    """Lay out the knobs; return those moved away from the baseline, draws and seed."""
    k0 = SL.baseline_knobs(base)
    moved: dict[str, Any] = {}

    def keep(knob: str, value: Any) -> None:
        """Record a widget's value as a knob if it differs from the baseline's."""
        if value != k0.get(knob):
            moved[knob] = value

    names = {k: plain(v) for k, v in base.names.items()}  # user text: shown literally
    a, b = base.sides
    med_actor = (base.settings.get("mediator") or {}).get("actor")
    med_name = names.get(med_actor, "an outside mediator") if med_actor else "an outside mediator"
    c_med, c_a, c_b = st.columns(3, gap="large")
    with c_med:
        st.markdown(f"**The mediator** ({med_name})")
        opts = ["neutral", a, b, "none"]
        labels = {
            "neutral": "Neutral: presses whichever side blocks a deal",
            a: f"Sides with {names[a]}",
            b: f"Sides with {names[b]}",
            "none": "No mediator: the sides trade offers directly",
        }
        stance = st.radio(
            "Whose side is the mediator on?",
            opts,
            index=opts.index(k0["mediator"]),
            format_func=labels.get,
            key="sx_mediator",
        )
        keep("mediator", stance)
        off = stance == "none"
        towards = (
            "the side it favours"
            if stance in (a, b)
            else "its own position"
            if med_actor
            else "its own position (none set)"
        )
        bias = st.slider(
            f"How far it pulls its proposals towards {towards} (0: not at all, 1: all the way)",
            0.0,
            1.0,
            float(k0["bias"]),
            step=0.05,
            format="%.2f",
            key="sx_bias",
            disabled=off,
        )
        keep("bias", bias)
        styles = {
            "diplomatic": "the deal both sides gain most from (Nash point)",
            "transactional": "the acceptable deal that pays the mediator most",
        }
        style = st.selectbox(
            "Style",
            list(styles),
            index=list(styles).index(k0["style"]),
            format_func=str.capitalize,
            key="sx_style",
            disabled=off,
        )
        st.caption(f"Proposes {styles[style]}.")
        keep("style", style)
        guar = st.slider(
            "Guarantees and monitoring (extra cost of breaking the deal, utility 0-0.2)",
            0.0,
            0.2,
            float(k0["guarantee"]),
            step=0.01,
            format="%.2f",
            key="sx_guarantee",
            disabled=off,
        )
        keep("guarantee", guar)
    strategies = list(all_strategies())
    for side, col in ((a, c_a), (b, c_b)):
        with col:
            st.markdown(f"**{names[side]}**")
            name = st.selectbox(
                f"How {names[side]} negotiates",
                strategies,
                index=strategies.index(k0[f"strategy.{side}"]),
                format_func=SL.strategy_label,
                key=f"sx_strategy_{side}",
            )
            st.caption(SL.strategy_help(name))
            keep(f"strategy.{side}", name)
            params = SL.strategy_params(name)
            same = name == k0[f"strategy.{side}"]

            def start(
                p: str, side: str = side, params: dict[str, Any] = params, same: bool = same
            ) -> Any:
                return k0[f"{p}.{side}"] if same and f"{p}.{side}" in k0 else params[p]

            if "step" in params:
                v = st.slider(
                    "Concession each week (% of the gap to the other side's demand)",
                    0.0,
                    30.0,
                    _pct(start("step")),
                    step=1.0,
                    format="%.0f %%",
                    key=f"sx_step_{side}_{name}",
                )
                _keep_param(moved, f"step.{side}", v / 100.0, start("step"))
            if "rounds" in params:
                v = st.slider(
                    "Weeks of concessions made up front, whatever the other side does",
                    0,
                    52,
                    int(start("rounds")),
                    key=f"sx_rounds_{side}_{name}",
                )
                _keep_param(moved, f"rounds.{side}", int(v), start("rounds"))
            if "hazard" in params:
                v = st.slider(
                    "Chance each week of reneging on a signed deal (%)",
                    0.0,
                    10.0,
                    _pct(start("hazard")),
                    step=0.1,
                    format="%.1f %%",
                    key=f"sx_hazard_{side}_{name}",
                )
                _keep_param(moved, f"hazard.{side}", v / 100.0, start("hazard"))
            v = st.slider(
                f"Rebuilding during a ceasefire (% of {names[side]}'s strength per week)",
                0.0,
                1.5,
                _pct(k0[f"rebuild.{side}"]),
                step=0.05,
                format="%.2f %%",
                key=f"sx_rebuild_{side}",
            )
            _keep_param(moved, f"rebuild.{side}", v / 100.0, k0[f"rebuild.{side}"])
    c1, c2, c3 = st.columns([2, 2, 3])
    draws = int(
        c1.number_input(
            "Simulated runs (each arm)",
            10,
            SL.MAX_DRAWS,
            SL.DEFAULT_DRAWS,
            step=50,
            key="sx_draws",
            help="More runs: narrower intervals, slower.",
        )
    )
    seed = int(
        c2.number_input(
            "Seed (same seed, same numbers)", 0, 2**31 - 1, int(base.seed), key="sx_seed"
        )
    )
    with c3:
        st.write("")
        if st.button("Reset to the baseline", key="sx_reset_button"):
            S["sx_reset"] = True
            st.rerun()
    return moved, draws, seed


def _keep_param(moved: dict[str, Any], knob: str, value: Any, start: Any) -> None:
    """A slider shows a rounded percentage: apply it only if it differs from where it started
    (so an untouched view reproduces the baseline exactly)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value != int(start):
            moved[knob] = value
    elif abs(value - float(start)) > 1e-9:
        moved[knob] = value


def render(scenario: Scenario, origin: str) -> None:
    """The whole view for the loaded scenario (``origin`` identifies it across reruns)."""
    if S.pop("sx_reset", False) or S.get("sx_origin") != origin:
        _reset(origin)
    st.markdown(
        "**What if…?** Change how the mediator and the two sides behave; the simulator runs "
        "the talks week by week (a year of talks, then a year of ceasefire) many times, for "
        "the baseline and for your variant, with the same random numbers."
    )
    st.info(CAVEAT)
    sc_json = scenario.model_dump_json()
    try:
        base = _baseline(sc_json)
    except InputError as err:
        st.error(f"The what-if view cannot run on this scenario: {plain(err)}")
        return
    st.caption(
        f"Baseline: {plain(base.source)}. Side A: {plain(base.names[base.sides[0]])} (the 0 "
        f"end of the scales); side B: {plain(base.names[base.sides[1]])} (the 100 end)."
    )
    moved, draws, seed = _controls(base, scenario)
    try:
        var_settings = SL.variant_settings(base, moved)
        with st.spinner("Simulating…"):
            rb = _arm(sc_json, json.dumps(base.settings, sort_keys=True), draws, seed)
            rv = _arm(sc_json, json.dumps(var_settings, sort_keys=True), draws, seed)
            cmp = SL.compare_runs(rb, rv, base, scenario, seed=seed)
    except InputError as err:
        st.error(f"These settings cannot be simulated: {plain(err)}")
        return
    changes = SL.describe_changes(base, moved)
    st.markdown(
        "**Your what-if:** "
        + ("; ".join(plain(c) for c in changes) if changes
           else "nothing changed yet: move a control above.")
    )
    st.markdown(SL.headline(cmp))
    st.dataframe(
        cmp.text,
        hide_index=True,
        width="stretch",
        key="sx_table",
        height=35 * (len(cmp.text) + 1) + 3,
    )
    st.caption(
        f"{draws} runs per column, seed {seed}; [brackets]: {SL.LEVEL:.0%} bootstrap "
        "intervals; 'change' is paired (same runs, same random numbers), in "
        "percentage points (pts) for shares. Deal measures count only the runs that "
        "reach an agreement."
    )
    st.plotly_chart(SL.comparison_figure(rb, rv), width="stretch", key="sx_figure")
    text = _docs()
    if text:
        with st.expander("How the simulator works (docs/strategies.md)"):
            st.markdown(text)
