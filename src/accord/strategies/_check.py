"""Check a scenario's ``strategy:`` and ``ceasefire:`` blocks before anything runs.

``accord validate`` and ``accord experiment`` call :func:`check_strategy`: every actor, issue,
strategy and style the settings name must exist, numbers must be finite and ``[low, high]``
pairs ordered, and a declared scale direction must agree with the sides' positions. Each
problem is one :class:`~accord.errors.InputError` naming the file, the field and the fix.
"""

from __future__ import annotations

import math
from typing import Any

from accord.errors import InputError
from accord.scenario import Scenario
from accord.strategies._base import all_strategies, make_strategy
from accord.strategies._simulator import (
    SimConfig,
    SurvivalCurve,
    hazard_from_survival,
    parse_config,
)

_DOC = "see 'Settings' in docs/strategies.md"


def _walk_numbers(node: Any, path: str, source: str, where: str) -> None:
    if isinstance(node, float) and not math.isfinite(node):
        raise InputError(f"{node!r} is not a finite number.", path=source,
                         field=f"{where}.{path}" if path else where,
                         fix="write a finite number (NaN and infinity are not allowed).")
    if isinstance(node, dict):
        for k, v in node.items():
            _walk_numbers(v, f"{path}.{k}" if path else str(k), source, where)
    elif isinstance(node, list | tuple):
        for k, v in enumerate(node):
            _walk_numbers(v, f"{path}.{k}" if path else str(k), source, where)


class _Names:
    """Resolves the actor and issue names a strategy block uses, with one message style."""

    def __init__(self, scenario: Scenario, source: str, where: str) -> None:
        self.actors = scenario.actor_ids
        self.issues = {i.id: i for i in scenario.issues}
        self.source, self.where = source, where

    def fail(self, field: str, message: str, fix: str) -> None:
        raise InputError(message, path=self.source, field=f"{self.where}.{field}", fix=fix)

    def actor(self, name: Any, field: str) -> None:
        if name not in self.actors:
            self.fail(field, f"unknown actor {name!r}.",
                      f"use one of the scenario's actor ids: {', '.join(self.actors)}.")

    def issue(self, name: Any, field: str) -> None:
        if name not in self.issues:
            self.fail(field, f"unknown issue {name!r}.",
                      f"use one of the scenario's issue ids: {', '.join(self.issues)}.")

    def on_scale(self, name: str, value: float, field: str) -> None:
        self.issue(name, field)
        lo, hi = self.issues[name].scale
        if not lo <= value <= hi:
            self.fail(field, f"{value:g} lies outside issue {name!r}'s scale [{lo:g}, {hi:g}].",
                      f"give a value within [{lo:g}, {hi:g}].")

    def pair(self, value: tuple[float, float], field: str) -> None:
        lo, hi = value
        if lo > hi:
            self.fail(field, f"[{lo:g}, {hi:g}] has its low end above its high end.",
                      "write [low, high] with low <= high.")


def _strategy_spec(names: _Names, spec: dict[str, Any], field: str) -> Any:
    params = dict(spec)
    name = params.pop("name", None)
    known = all_strategies()
    if name is None or name not in known:
        names.fail(field, "the strategy has no name." if name is None
                   else f"unknown strategy {name!r}.", f"name one of: {', '.join(known)}.")
    try:
        return make_strategy(name, **params)
    except (ValueError, TypeError) as err:
        names.fail(field, f"{err}.", "see the 'Strategies' table in docs/strategies.md for "
                   "each strategy's parameters.")
    return None  # pragma: no cover - fail() raises


def check_strategy(raw: dict[str, Any] | None, scenario: Scenario, *, source: str,
                   where: str = "strategy") -> SimConfig:
    """Validate a ``strategy:`` mapping against its scenario; returns the parsed settings."""
    _walk_numbers(raw or {}, "", source, where)
    cfg = parse_config(raw, source=source, where=where)
    nm = _Names(scenario, source, where)
    if cfg.sides is not None:
        if len(cfg.sides) != 2:
            nm.fail("sides", f"sides names {len(cfg.sides)} actors.",
                    "name exactly two actors: side A, then side B.")
        for k, a in enumerate(cfg.sides):
            nm.actor(a, f"sides[{k}]")
        if cfg.sides[0] == cfg.sides[1]:
            nm.fail("sides", "the two sides are the same actor.", "name two different actors.")
    for k, a in enumerate(cfg.required or []):
        nm.actor(a, f"required[{k}]")
    for a, spec in cfg.strategies.items():
        nm.actor(a, f"strategies.{a}")
        _strategy_spec(nm, spec, f"strategies.{a}")
    _strategy_spec(nm, cfg.default_strategy, "default_strategy")
    med = cfg.mediator
    if med is not None:
        if med.actor is not None:
            nm.actor(med.actor, "mediator.actor")
        if med.favours is not None:
            nm.actor(med.favours, "mediator.favours")
        for a in med.leverage:
            nm.actor(a, f"mediator.leverage.{a}")
        for k, v in (med.ideal or {}).items():
            nm.on_scale(k, v, f"mediator.ideal.{k}")
        for k, key in enumerate(med.pay_issues):
            nm.issue(key, f"mediator.pay_issues[{k}]")
    pw = cfg.power
    for k, flow in enumerate(pw.aid):
        nm.actor(flow.source, f"power.aid[{k}].from")
        nm.actor(flow.to, f"power.aid[{k}].to")
    for table in ("growth_war", "rebuild"):
        for a in getattr(pw, table):
            nm.actor(a, f"power.{table}.{a}")
    for k, te in enumerate(pw.term_effects):
        nm.issue(te.issue, f"power.term_effects[{k}].issue")
        nm.actor(te.actor, f"power.term_effects[{k}].actor")
    if pw.front_issue is not None:
        nm.issue(pw.front_issue, "power.front_issue")
    for table in ("war_cost", "optimism", "discount"):
        for a in getattr(cfg, table):
            nm.actor(a, f"{table}.{a}")
    for a in cfg.breach.cost:
        nm.actor(a, f"breach.cost.{a}")
    for table in ("war_cost", "optimism"):
        for a, pair in getattr(cfg, table).items():
            nm.pair(pair, f"{table}.{a}")
    for key in ("side_war_cost", "other_war_cost", "side_optimism"):
        nm.pair(getattr(cfg, key), key)
    for a, d in cfg.discount.items():
        if not 0 < d < 1:
            nm.fail(f"discount.{a}", f"discount factor {d:g} is outside (0, 1).",
                    "give an annual discount factor between 0 and 1, e.g. 0.9.")
    if isinstance(cfg.initial_terms, dict):
        for k, v in cfg.initial_terms.items():
            nm.on_scale(k, v, f"initial_terms.{k}")
    if isinstance(cfg.breach.baseline_hazard, SurvivalCurve):
        curve = cfg.breach.baseline_hazard
        try:
            hazard_from_survival(curve.days, curve.survival, 1)
        except ValueError as err:
            nm.fail("breach.baseline_hazard", f"{err}.",
                    "give increasing days and survival values in [0, 1] that never rise.")
    for key in cfg.scale_direction:
        nm.issue(key, f"scale_direction.{key}")
    if cfg.sides is not None:
        check_directions(cfg, scenario, source=source, where=where)
    return cfg


def check_directions(cfg: SimConfig, scenario: Scenario, *, source: str,
                     where: str = "strategy") -> None:
    """A declared direction must agree with the sides' own positions: a side A that wants
    the high end of an issue declared ``a_low`` would turn every position metric upside down."""
    a, b = (next(x for x in scenario.actors if x.id == s) for s in cfg.sides or ())
    for key, declared in cfg.scale_direction.items():
        if key not in a.positions or key not in b.positions:
            continue
        xa, xb = a.positions[key], b.positions[key]
        if xa == xb or (xa < xb) == (declared == "a_low"):
            continue
        truth = "a_low" if xa < xb else "a_high"
        raise InputError(
            f"issue {key!r} is declared {declared}, but side A ({a.id}) stands at {xa:g} and "
            f"side B ({b.id}) at {xb:g}.",
            path=source, field=f"{where}.scale_direction.{key}",
            fix=f"declare {key}: {truth}, or check the sides and their positions.",
        )


def check_ceasefire(block: Any, *, source: str) -> int:
    """Check a ``ceasefire:`` block as ``accord durability predict`` reads it; returns the
    number of ceasefires it describes."""
    from accord.durability import ceasefire_items, features_from_mapping

    items = ceasefire_items(block, source)
    many = isinstance(block, list)
    for k, item in enumerate(items):
        features_from_mapping(item, path=source, where=f"ceasefire[{k}]" if many else "ceasefire")
    return len(items)


def check_blocks(scenario: Scenario, *, source: str) -> dict[str, Any]:
    """Both blocks of a scenario, where present: what ``accord validate`` reports."""
    out: dict[str, Any] = {}
    if scenario.strategy is not None:
        cfg = check_strategy(scenario.strategy, scenario, source=source)
        out["strategy"] = {"sides": cfg.sides, "mediator": cfg.mediator is not None}
    if scenario.ceasefire is not None:
        out["ceasefires"] = check_ceasefire(scenario.ceasefire, source=source)
    return out
