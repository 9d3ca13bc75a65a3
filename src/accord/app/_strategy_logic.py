"""The web app's "Strategies" what-if view as plain functions, testable without Streamlit.

A user changes a few knobs of the strategy simulator (:mod:`accord.strategies`): how the
mediator behaves, each side's negotiating strategy, a bad-faith side's reneging hazard, how
fast each side rebuilds during a ceasefire. The view runs the baseline (the seed-claims
defaults for the flagship scenario, else the scenario's own ``strategy:`` block) and the
variant with the same seed and draws (common random numbers), as an experiment arm is built
in :mod:`accord.strategies._experiment`, and compares them with paired bootstrap intervals.

Every number is an assumption-driven simulation, not a forecast (docs/strategies.md).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from accord.errors import InputError
from accord.scenario import Scenario
from accord.strategies import (
    ArmRun,
    Metric,
    SimulationResult,
    all_strategies,
    deep_merge,
    load_experiment,
    paired_bootstrap,
    parse_config,
    scenario_path,
)
from accord.strategies import run_arm as run_experiment_arm

__all__ = [
    "DEFAULT_DRAWS",
    "MAX_DRAWS",
    "STRATEGY_LABELS",
    "StrategyBaseline",
    "Comparison",
    "baseline_knobs",
    "comparison_figure",
    "compare_runs",
    "describe_changes",
    "headline",
    "docs_path",
    "run_arm",
    "seed_claims_path",
    "strategy_baseline",
    "strategy_help",
    "strategy_label",
    "strategy_params",
    "variant_settings",
]

#: Draws per arm the view starts with (a run of both arms takes about a second).
DEFAULT_DRAWS = 200
#: The most draws per arm the view allows (keeps a rerun under ~10 s).
MAX_DRAWS = 5000
#: Interval level of every interval shown (as the seed claims).
LEVEL = 0.9
#: Bootstrap resamples per interval.
N_BOOT = 400

#: Short plain-language names of the registered strategies (others show their registry name).
STRATEGY_LABELS = {
    "tit-for-tat": "Tit-for-tat (reciprocates)",
    "generous-tit-for-tat": "Generous tit-for-tat",
    "grit": "Up-front concessions (GRIT)",
    "hardline": "Hardline",
    "bad-faith": "Bad faith (may renege)",
    "transactional": "Transactional",
    "persuadable": "Persuadable",
}
#: What each strategy does, in one sentence (shown under the choice).
STRATEGY_HELP = {
    "tit-for-tat": "Concedes in the first week, then only in return for the other side's "
    "concessions, and takes back ground when the other side does (conditional reciprocity).",
    "generous-tit-for-tat": "Like tit-for-tat, but sometimes concedes even when the other "
    "side did not (forgiveness).",
    "grit": "Makes concessions every week for a set number of weeks whatever the other side "
    "does, with no guarantee of reciprocity, then reciprocates.",
    "hardline": "States its ideal position every week and never concedes.",
    "bad-faith": "Pockets the other side's concessions, signs deals slightly worse than "
    "fighting on, and breaks the deal at a weekly chance or once the war turns its way.",
    "transactional": "Agrees to any deal that pays it enough on the issues it cares about; "
    "concedes fast elsewhere.",
    "persuadable": "Its position drifts towards whoever it met last.",
}

#: Strategy parameters the view exposes (others keep the baseline's or the default value).
PARAMS = ("step", "rounds", "hazard")


def strategy_label(name: str) -> str:
    """The journalist-readable name of a registered strategy."""
    return STRATEGY_LABELS.get(name, name)


def strategy_help(name: str) -> str:
    """What a registered strategy does, in one sentence (its docstring's first line if new)."""
    if name in STRATEGY_HELP:
        return STRATEGY_HELP[name]
    doc = (all_strategies()[name].__doc__ or "").strip()
    return doc.split("\n\n")[0].replace("\n", " ").replace("``", "")


def seed_claims_path() -> Path | None:
    """``experiments/seed-claims.yaml`` as shipped (wheel or source tree), if present."""
    from accord.resources import path

    return path("experiments/seed-claims.yaml")


def docs_path() -> Path | None:
    """``docs/strategies.md`` as shipped (wheel or source tree), shown in the view."""
    from accord.resources import path

    return path("docs/strategies.md")


@dataclass(frozen=True)
class StrategyBaseline:
    """The baseline a what-if is compared with.

    Attributes
    ----------
    settings : dict
        Full simulator settings of the baseline (the variant starts from them).
    source : str
        Where they come from, for the caption.
    seed : int
        Suggested seed (the seed claims' seed for the flagship).
    sides : tuple of str
        The two sides (A: 0 end of the scales, B: 100 end).
    names : dict
        Actor id -> display name.
    """

    settings: dict[str, Any]
    source: str
    seed: int
    sides: tuple[str, str]
    names: dict[str, str]


def _check_runs(scenario: Scenario, settings: dict[str, Any], source: str) -> tuple[str, str]:
    """Run a 2-draw, 1-week simulation: bad settings raise InputError here; returns the sides."""
    tiny = deep_merge(settings, {"rounds": 1, "follow_weeks": 0, "trace_draws": 0})
    try:
        res = run_experiment_arm(scenario, tiny, Metric(name="p_agreement"), 2, 0, source).result
    except (ValueError, TypeError) as e:
        raise InputError(str(e), path=source) from None
    a, b = res.sides
    return res.actor_ids[a], res.actor_ids[b]


def strategy_baseline(scenario: Scenario) -> StrategyBaseline:
    """The baseline settings of a scenario for the what-if view.

    The seed claims' ``defaults`` (merged over the scenario's ``strategy:`` block) when they
    fit the scenario (they name its actors: the flagship), else the scenario's own
    ``strategy:`` block; a scenario with neither raises :class:`InputError`.
    """
    names = {a.id: a.name or a.id for a in scenario.actors}
    own = dict(scenario.strategy or {})
    exp_file = seed_claims_path()
    if exp_file is not None:
        exp = load_experiment(exp_file)
        merged = deep_merge(own, exp.defaults)
        try:
            sides = _check_runs(scenario, merged, str(exp_file))
        except InputError:
            pass  # the seed claims are about other actors
        else:
            src = (
                f"the seed claims' assumptions ({exp_file.parent.name}/{exp_file.name}, "
                f"scenario {scenario_path(exp, exp_file).name})"
            )
            return StrategyBaseline(merged, src, exp.seed, sides, names)
    if own:
        sides = _check_runs(scenario, own, "scenario strategy: block")
        return StrategyBaseline(own, "the scenario's own strategy: block", 0, sides, names)
    raise InputError(
        f"scenario {scenario.name!r} has no simulator settings (no strategy: block, and the "
        "seed claims' settings name other actors).",
        field="strategy",
        fix="choose the flagship scenario (ukraine-ceasefire-2025) or add a strategy: block; "
        "see docs/strategies.md.",
    )


def strategy_params(name: str) -> dict[str, Any]:
    """Default values of a registered strategy's keyword parameters."""
    cls = all_strategies()[name]
    sig = inspect.signature(cls.__init__)
    return {
        p.name: p.default
        for p in sig.parameters.values()
        if p.kind == p.KEYWORD_ONLY and p.default is not p.empty
    }


def _strategy_of(settings: Mapping[str, Any], actor: str) -> dict[str, Any]:
    spec = (
        (settings.get("strategies") or {}).get(actor)
        or settings.get("default_strategy")
        or {"name": "tit-for-tat"}
    )
    return dict(spec)


def baseline_knobs(base: StrategyBaseline) -> dict[str, Any]:
    """The knobs' values in the baseline (the widgets start there, so an untouched view shows
    no difference).

    Keys: ``mediator`` (``"none"``, ``"neutral"`` or the favoured actor), ``bias``,
    ``style``, ``guarantee``; per side ``strategy.<id>``, ``step.<id>``, ``rounds.<id>``,
    ``hazard.<id>`` (strategy parameters) and ``rebuild.<id>`` (weekly rebuild rate during
    a ceasefire).
    """
    s = parse_config(base.settings, source=base.source)
    k: dict[str, Any] = {}
    med = s.mediator
    if med is None:
        k.update(mediator="none", bias=0.0, style="diplomatic", guarantee=0.0)
    else:
        k.update(
            mediator=med.favours or "neutral",
            bias=med.bias,
            style=med.style or "diplomatic",
            guarantee=med.guarantee,
        )
    for side in base.sides:
        spec = _strategy_of(base.settings, side)
        name = spec.pop("name")
        params = {**strategy_params(name), **spec}
        k[f"strategy.{side}"] = name
        for p in PARAMS:
            if p in params:
                k[f"{p}.{side}"] = params[p]
        k[f"rebuild.{side}"] = s.power.rebuild.get(side, s.power.default_rebuild)
    return k


def variant_settings(base: StrategyBaseline, knobs: Mapping[str, Any]) -> dict[str, Any]:
    """The baseline's settings with the knobs applied.

    Only knobs that differ from the baseline's change anything, so an untouched view gives
    exactly the baseline's settings (and the cached baseline run).
    """
    k0 = baseline_knobs(base)
    new = {key: v for key, v in knobs.items() if k0.get(key) != v}
    k = {**k0, **new}
    out = copy.deepcopy(base.settings)
    if new.keys() & {"mediator", "bias", "style", "guarantee"}:
        if k["mediator"] == "none":
            out["mediator"] = None
        else:
            med = dict(out.get("mediator") or {})
            fav = None if k["mediator"] == "neutral" else k["mediator"]
            if fav is not None and fav not in base.names:
                raise InputError(
                    f"the mediator cannot favour {fav!r}: no such actor.",
                    field="mediator.favours",
                    fix=f"one of {', '.join(base.sides)}.",
                )
            med.update(
                favours=fav,
                bias=float(k["bias"]),
                style=k["style"],
                guarantee=float(k["guarantee"]),
            )
            out["mediator"] = med
    for side in base.sides:
        name = k[f"strategy.{side}"]
        changed = name != k0[f"strategy.{side}"]
        given = {
            p: knobs[f"{p}.{side}"]
            for p in PARAMS
            if f"{p}.{side}" in knobs and (changed or f"{p}.{side}" in new)
        }
        if changed or given:
            if name not in all_strategies():
                raise InputError(
                    f"unknown strategy {name!r}.",
                    field=f"strategies.{side}",
                    fix=f"one of {', '.join(all_strategies())}.",
                )
            spec = {"name": name} if changed else _strategy_of(base.settings, side)
            takes = strategy_params(name)
            for p, v in given.items():
                if p in takes:
                    spec[p] = int(v) if p == "rounds" else float(v)
            out["strategies"] = {**(out.get("strategies") or {}), side: spec}
        if f"rebuild.{side}" in new:
            rate = float(new[f"rebuild.{side}"])
            if not -0.05 <= rate <= 0.05:
                raise InputError(
                    f"a weekly rebuild rate of {rate:.1%} is outside ±5 %.",
                    field=f"power.rebuild.{side}",
                    fix="choose 0-2 % a week.",
                )
            power = dict(out.get("power") or {})
            power["rebuild"] = {**(power.get("rebuild") or {}), side: rate}
            out["power"] = power
    parse_config(out, source="what-if settings")  # bad values -> one InputError
    return out


def run_arm(
    scenario: Scenario,
    settings: dict[str, Any],
    draws: int,
    seed: int,
    *,
    source: str = "what-if settings",
) -> SimulationResult:
    """One arm: the experiments' own arm builder (same seed -> same draws and random numbers
    in every arm, i.e. common random numbers). Bad settings raise :class:`InputError`."""
    if not 10 <= int(draws) <= MAX_DRAWS:
        raise InputError(f"{draws} draws: choose between 10 and {MAX_DRAWS}.", field="draws")
    try:
        return run_experiment_arm(
            scenario, settings, Metric(name="p_agreement"), int(draws), int(seed), source
        ).result
    except (ValueError, TypeError) as e:  # a strategy refusing a parameter, etc.
        raise InputError(str(e), path=source, fix="see docs/strategies.md.") from None


def describe_changes(base: StrategyBaseline, knobs: Mapping[str, Any]) -> list[str]:
    """The knobs moved away from the baseline, in words."""
    k0 = baseline_knobs(base)
    names = base.names
    out = []
    for key, v in knobs.items():
        if k0.get(key) == v:
            continue
        what, _, side = key.partition(".")
        who = names.get(side, side)
        if what == "mediator":
            out.append(
                {"neutral": "a neutral mediator", "none": "no mediator"}.get(
                    v, f"the mediator sides with {names.get(v, v)}"
                )
            )
        elif what == "bias":
            out.append(f"mediator's pull on proposals {v:g}")
        elif what == "style":
            out.append(f"{v} mediation")
        elif what == "guarantee":
            out.append(f"guarantees worth {v:g}")
        elif what == "strategy":
            out.append(f"{who} plays {strategy_label(v).split(' (')[0].lower()}")
        elif what == "step":
            out.append(f"{who} concedes {100 * v:g} % of the gap a week")
        elif what == "rounds":
            out.append(f"{who} concedes up front for {v} weeks")
        elif what == "hazard":
            out.append(f"{who} reneges with a {100 * v:g} % weekly chance")
        elif what == "rebuild":
            out.append(f"{who} rebuilds {100 * v:g} % a week in a ceasefire")
        else:
            out.append(f"{key} = {v}")
    return out


# ---- comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Baseline vs variant: ``table`` (one row per measure, numbers) and ``text`` (the same,
    formatted with intervals for display)."""

    table: pd.DataFrame
    text: pd.DataFrame


def _measures(
    res: SimulationResult, base: StrategyBaseline, scenario: Scenario
) -> list[tuple[str, str, np.ndarray, np.ndarray]]:
    """(label, unit, per-draw value, which draws count) of every measure shown."""
    a = res.agreed
    out: list[tuple[str, str, np.ndarray, np.ndarray]] = []

    def metric(label: str, unit: str, m: Metric) -> None:
        x, inc = m.per_draw(res)
        out.append((label, unit, x.astype(float), inc))

    metric("Runs that reach an agreement", "%", Metric(name="p_agreement"))
    out.append(
        (
            "Weeks of talks until the agreement (average)",
            "weeks",
            np.where(a, res.agree_round, 0).astype(float),
            a.copy(),
        )
    )
    metric("Agreements still holding after 90 days", "%", Metric(name="p_holds", days=90))
    x, inc = Metric(name="p_holds", days=365).per_draw(res)
    out.append(("Agreements that break down within a year", "%", 1.0 - x, inc))
    for side in base.sides:
        metric(
            f"How good the deal is for {base.names[side]} (0-1)",
            "utility",
            Metric(name="terms_utility", actor=side),
        )
    for side in base.sides:
        metric(
            f"Overall outcome for {base.names[side]}, talks and after (0-1)",
            "utility",
            Metric(name="value", actor=side),
        )
    for j, issue in enumerate(scenario.issues):
        lo, hi = issue.scale
        out.append(
            (
                f"Agreed terms: {issue.label or issue.id} ({lo:g}-{hi:g})",
                "scale",
                np.nan_to_num(res.terms[:, j]),
                a.copy(),
            )
        )
    return out


def _zero(arm: ArmRun) -> ArmRun:
    """An arm whose mean is 0 on every resample: paired with it, the bootstrap interval of a
    difference is the interval of the other arm's mean."""
    return ArmRun(np.zeros_like(arm.x), np.ones_like(arm.inc), arm.result)


def _fmt(v: float, unit: str) -> str:
    if not np.isfinite(v):
        return "–"
    if unit == "%":
        return f"{100 * v:.0f} %"
    if unit == "utility":
        return f"{v:.3f}"
    return f"{v:.1f}"


def _fmt_ci(lo: float, hi: float, unit: str) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return ""
    ends = (_fmt(x, unit).removesuffix(" %") for x in (lo, hi))  # the unit once, after the value
    return " [{}, {}]".format(*ends)


def compare_runs(
    b: SimulationResult,
    v: SimulationResult,
    base: StrategyBaseline,
    scenario: Scenario,
    *,
    seed: int = 0,
    level: float = LEVEL,
    n_boot: int = N_BOOT,
) -> Comparison:
    """Every measure in both arms, with bootstrap intervals; the change with a paired one
    (the experiments' :func:`paired_bootstrap`, resampling draws jointly)."""
    if b.n_draws != v.n_draws:
        raise InputError("the two arms must have the same draws.", field="draws")
    rows, text = [], []
    mb, mv = _measures(b, base, scenario), _measures(v, base, scenario)
    for k, ((label, unit, xb, ib), (_, _, xv, iv)) in enumerate(zip(mb, mv, strict=True)):
        ab, av = ArmRun(xb, ib, b), ArmRun(xv, iv, v)

        def ci(x: ArmRun, y: ArmRun, k: int = k, j: int = 0) -> tuple[float, float]:
            return paired_bootstrap(x, y, n_boot, level, np.random.default_rng([seed, 7, k, j]))

        # the same resamples for both arms: identical arms get identical intervals
        cb, cv, cd = ci(_zero(ab), ab, j=0), ci(_zero(av), av, j=0), ci(ab, av, j=1)
        eff = av.mean - ab.mean
        rows.append(
            {
                "measure": label,
                "unit": unit,
                "baseline": ab.mean,
                "baseline_lo": cb[0],
                "baseline_hi": cb[1],
                "what_if": av.mean,
                "what_if_lo": cv[0],
                "what_if_hi": cv[1],
                "change": eff,
                "change_lo": cd[0],
                "change_hi": cd[1],
                "n_baseline": int(ib.sum()),
                "n_what_if": int(iv.sum()),
            }
        )
        sign = "+" if np.isfinite(eff) and eff > 0 else ""
        text.append(
            {
                "measure": label,
                "baseline": _fmt(ab.mean, unit) + _fmt_ci(*cb, unit),
                "what-if": _fmt(av.mean, unit) + _fmt_ci(*cv, unit),
                # a change of a share is in percentage points
                "change": (sign + _fmt(eff, unit).replace(" %", " pts") + _fmt_ci(*cd, unit))
                if np.isfinite(eff)
                else "–",
            }
        )
    return Comparison(pd.DataFrame(rows), pd.DataFrame(text))


def headline(cmp: Comparison) -> str:
    """One sentence: agreement share and breakdowns within a year, variant vs baseline."""
    t = cmp.table.set_index("measure")

    def pair(label: str) -> tuple[str, str]:
        r = t.loc[label]
        return _fmt(r["what_if"], "%"), _fmt(r["baseline"], "%")

    agree = pair("Runs that reach an agreement")
    brk = pair("Agreements that break down within a year")
    return (
        f"With your changes, **{agree[0]}** of the runs reach an agreement (baseline "
        f"{agree[1]}), and **{brk[0]}** of those agreements break down within a year "
        f"(baseline {brk[1]})."
    )


# ---- figure ----------------------------------------------------------------------------------


def comparison_figure(b: SimulationResult, v: SimulationResult) -> Any:
    """Two panels: share of runs with an agreement by week of talks; share of agreements
    still holding by weeks after signing (followed only as long as every agreement is)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    cfg = b.config
    rounds, follow = int(cfg.get("rounds", 52)), int(cfg.get("follow_weeks", 0))
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.12,
        subplot_titles=(
            "Runs with an agreement, by week of talks",
            "Agreements still holding, by weeks after signing",
        ),
    )
    weeks = np.arange(rounds + 1)
    after = np.arange(max(follow, 1) + 1)
    for res, name, color, dash in (
        (b, "baseline", "#7f7f7f", "dash"),
        (v, "what-if", "#1f77b4", "solid"),
    ):
        agreed_by = [(res.agreed & (res.agree_round <= w)).mean() for w in weeks]
        fig.add_trace(
            go.Scatter(
                x=weeks,
                y=agreed_by,
                name=name,
                legendgroup=name,
                line={"color": color, "dash": dash},
                hovertemplate=f"{name}, week %{{x}}: %{{y:.0%}}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        if res.agreed.any():
            holding = [res.holds(7 * w)[res.agreed].mean() for w in after]
            fig.add_trace(
                go.Scatter(
                    x=after,
                    y=holding,
                    name=name,
                    legendgroup=name,
                    showlegend=False,
                    line={"color": color, "dash": dash},
                    hovertemplate=f"{name}, week %{{x}} after signing: "
                    "%{y:.0%} holding<extra></extra>",
                ),
                row=1,
                col=2,
            )
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    fig.update_xaxes(title_text="week of talks", row=1, col=1)
    fig.update_xaxes(title_text="weeks after the agreement", row=1, col=2)
    fig.update_layout(
        template="plotly_white",
        height=380,
        margin={"t": 60, "b": 40},
        legend={"orientation": "h", "y": -0.2},
    )
    return fig
