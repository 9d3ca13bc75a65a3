"""Round-based negotiation simulator over any scenario, batched over Monte Carlo draws.

A round is a week. Each round, while the parties talk and fight:

1. **Power** (Powell 2006). Each side's strength ``K`` grows at its war rate plus the aid
   flowing to it; intelligence multiplies its effectiveness. B's win probability is the
   contest ``p = K_B^g / (K_A^g + K_B^g)`` (Tullock 1980). Aid and intelligence can pause.
2. **Value of going on** (Fearon 1995). Every actor's reservation value is its expected
   utility of the war lottery at the battlefield balance projected ``horizon_weeks`` ahead,
   minus its cost of war: ``R_i = p u_i(x_B) + (1-p) u_i(x_A) - c_i``. Costs are private
   information (drawn per draw; others believe the mean) and each side may be optimistic
   about its chances; fighting and credible mediators erode the optimism.
3. **Demands** (Axelrod 1984; Osgood 1962). Each actor's strategy updates its stated demand.
4. **Offer.** With no mediator, a proposer recognised at random makes the offer: its demand
   (Baron & Ferejohn 1989). A mediator proposes instead: on the segment between the two
   sides' demands it picks the point maximising the Nash product of believed surpluses
   (diplomatic; Nash 1950, Binmore, Rubinstein & Wolinsky 1986) or the acceptable point that
   pays it most (transactional), then pulls it towards its own ideal by its ``bias``.
5. **Agreement** when every required party accepts, i.e. prefers the terms to going on.
6. **Mediator leverage** (Kydd 2003; Savun 2008). Without agreement the mediator presses
   the side(s) it blames: cutting aid and intelligence, adding sanctions; it may attach
   recognition to agreeing. Its information corrects a side's optimism only as far as it is
   credible to that side: fully if it favours that side, half if neutral, not at all if it
   favours the other side.
7. **Ceasefire and breach.** During a ceasefire each side rebuilds at its own rate, scaled by
   the terms (e.g. army caps, a halt to aid). A side breaks the ceasefire when the terms fall
   out of its bargaining range (Fearon), when Powell's shifting-power condition
   ``delta (q_t - q_{t+1}) > (1 - delta)(1 - q_t + c_D)`` holds for the declining side, when a
   bad-faith strategy reneges, or when a baseline hazard fires (which the durability model can
   set: :func:`hazard_from_survival`). Guarantees add to the cost of breaking (Fortna 2003).
   After a breach the war resumes; no second agreement is modelled.

Everything is numpy over the draws axis; the only Python loops are over rounds and actors.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from accord.errors import InputError
from accord.scenario import Scenario, ScenarioDraws, to_arrays
from accord.strategies._base import (
    ActorView,
    Strategy,
    make_strategy,
)


class _S(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AidPause(_S):
    """A pause of an aid flow: from round ``start`` for ``weeks`` rounds."""

    start: int = Field(0, ge=0)
    weeks: int = Field(ge=0)
    aid: bool = True
    intel: bool = True


class AidFlow(_S):
    """Military aid and intelligence from one actor to a side.

    ``growth`` is the weekly growth of the receiver's strength the aid supplies (at war and,
    scaled by the terms, during a ceasefire); ``intel`` multiplies its effectiveness
    (strength x (1 + intel)) while intelligence flows.
    """

    source: str = Field(alias="from")
    to: str
    growth: float = 0.004
    intel: float = 0.0
    pauses: list[AidPause] = Field(default_factory=list)


class TermEffect(_S):
    """How agreed terms change a rate during a ceasefire: ``rate x (1 - weight x z01)`` with
    z01 the agreed position on ``issue`` rescaled to 0-1 (a negative weight raises the rate)."""

    issue: str
    actor: str
    affects: Literal["rebuild", "aid"]
    weight: float = 1.0


class PowerConfig(_S):
    """Battlefield strength and how it changes."""

    gamma: float = Field(1.0, gt=0)
    aid: list[AidFlow] = Field(default_factory=list)
    growth_war: dict[str, float] = Field(default_factory=dict)
    rebuild: dict[str, float] = Field(default_factory=dict)
    default_rebuild: float = 0.003
    horizon_weeks: int = Field(26, ge=0)
    term_effects: list[TermEffect] = Field(default_factory=list)
    front_issue: str | None = None
    front_speed: float = 20.0
    powell_period_weeks: int = Field(1, ge=1)


class Leverage(_S):
    """A mediator's leverage over one party (utility units except ``aid``, a 0-1 share cut)."""

    aid: float = Field(0.0, ge=0, le=1)
    sanctions: float = Field(0.0, ge=0)
    recognition: float = Field(0.0, ge=0)


class MediatorConfig(_S):
    """A mediator: an actor of the scenario or an outside party with an ideal point."""

    actor: str | None = None
    ideal: dict[str, float] | None = None
    style: Literal["diplomatic", "transactional"] | None = None
    bias: float = Field(0.0, ge=0, le=1)
    favours: str | None = None
    information: float = Field(0.1, ge=0, le=1)
    leverage: dict[str, Leverage] = Field(default_factory=dict)
    guarantee: float = Field(0.0, ge=0)
    credulity: float = Field(0.5, ge=0, le=1)
    pay_issues: list[str] = Field(default_factory=list)


class SurvivalCurve(_S):
    """A survival curve S(day) (e.g. from the durability model) to set the baseline hazard."""

    days: list[float]
    survival: list[float]


class BreachConfig(_S):
    """What can break a ceasefire."""

    baseline_hazard: float | SurvivalCurve = 0.002
    cost: dict[str, float] = Field(default_factory=dict)
    default_cost: float = 0.05
    range: bool = True
    powell: bool = True

    @field_validator("baseline_hazard")
    @classmethod
    def _prob(cls, v: Any) -> Any:
        if isinstance(v, float) and not 0 <= v <= 1:
            raise ValueError("baseline_hazard must be a weekly probability in [0, 1]")
        return v


class SimConfig(_S):
    """All simulator settings (the scenario's ``strategy:`` block, merged with overrides).

    Defaults are assumptions, written down in docs/strategies.md; an experiment file states
    every value it relies on.
    """

    rounds: int = Field(52, ge=1, le=1000)
    talks_start: int = Field(0, ge=0)
    follow_weeks: int = Field(52, ge=0, le=1000)
    sides: list[str] | None = None
    required: list[str] | None = None
    strategies: dict[str, dict[str, Any]] = Field(default_factory=dict)
    default_strategy: dict[str, Any] = Field(default_factory=lambda: {"name": "tit-for-tat"})
    mediator: MediatorConfig | None = None
    power: PowerConfig = Field(default_factory=PowerConfig)
    war_cost: dict[str, tuple[float, float]] = Field(default_factory=dict)
    side_war_cost: tuple[float, float] = (0.05, 0.15)
    other_war_cost: tuple[float, float] = (0.0, 0.05)
    discount: dict[str, float] = Field(default_factory=dict)
    default_discount: float = Field(0.9, gt=0, lt=1)
    optimism: dict[str, tuple[float, float]] = Field(default_factory=dict)
    side_optimism: tuple[float, float] = (0.0, 0.1)
    war_learning: float = Field(0.02, ge=0, le=1)
    recognition: Literal["equal", "capability"] = "equal"
    start_in_ceasefire: bool = False
    initial_terms: Literal["status_quo", "midpoint"] | dict[str, float] = "status_quo"
    breach: BreachConfig = Field(default_factory=BreachConfig)
    grid: int = Field(21, ge=3, le=201)
    trace_draws: int = Field(3, ge=0, le=100)
    #: Per issue, which end of its scale side A wants: ``a_low`` (A at the minimum) or
    #: ``a_high``; undeclared issues are read from the sides' positions (:func:`directions`).
    scale_direction: dict[str, Literal["a_low", "a_high"]] = Field(default_factory=dict)


def hazard_from_survival(days: np.ndarray, survival: np.ndarray, weeks: int) -> np.ndarray:
    """Weekly breach hazards h_w = 1 - S(7(w+1)) / S(7w), w = 0..weeks-1, from a survival
    curve (linear interpolation; flat beyond the last day). Any survival model (the
    durability model's fitted curve) can set the simulator's baseline this way."""
    days = np.asarray(days, float)
    s = np.asarray(survival, float)
    if days.ndim != 1 or days.shape != s.shape or days.size < 2 or np.any(np.diff(days) <= 0):
        raise ValueError("survival curve needs increasing days and matching survival values")
    if np.any((s < 0) | (s > 1)) or np.any(np.diff(s) > 1e-12):
        raise ValueError("survival must lie in [0, 1] and not increase")
    t = 7.0 * np.arange(weeks + 1)
    st = np.interp(t, days, s, left=1.0, right=s[-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(st[:-1] > 0, 1.0 - st[1:] / st[:-1], 1.0)
    return np.clip(h, 0.0, 1.0)


def parse_config(raw: dict[str, Any] | None, *, source: str = "<strategy>",
                 where: str = "strategy") -> SimConfig:
    """Validate a ``strategy:`` mapping, turning errors into one :class:`InputError` (the
    scenario's words for the same kinds of mistake)."""
    from accord.scenario import describe_error

    try:
        return SimConfig.model_validate(raw or {})
    except ValidationError as e:
        loc, msg, fix = describe_error(e.errors(include_url=False)[0])
        if fix.startswith(("remove it or fix", "correct the value")):
            fix = "see 'Settings' in docs/strategies.md for every setting and its range."
        field = ".".join(str(x) for x in loc)
        raise InputError(msg, path=source, field=f"{where}.{field}" if field else where,
                         fix=fix) from None


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with ``over`` merged in (dicts merge recursively; the rest replaces;
    a dict naming a different strategy ``name`` replaces the old one whole)."""
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        old = out.get(k)
        if (isinstance(v, dict) and isinstance(old, dict)
                and not ("name" in v and v.get("name") != old.get("name"))):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


@dataclass(frozen=True)
class SimulationResult:
    """Outputs of :func:`simulate` (arrays over draws first).

    Attributes
    ----------
    agreed : ndarray of bool, shape (n_draws,)
    agree_round : ndarray of int, shape (n_draws,)
        Round at which the agreement formed (-1: none).
    terms : ndarray, shape (n_draws, n_issues)
        Agreed terms per issue (NaN where none).
    terms_utility : ndarray, shape (n_draws, n_actors)
        Each actor's utility of the terms (NaN where none), against its original ideal.
    broken : ndarray of bool, shape (n_draws,)
    break_round : ndarray of int, shape (n_draws,)
        Round of the breach (-1: none).
    breaker : ndarray of int, shape (n_draws,)
        Index of the actor that broke it; -2 the baseline hazard; -1 none.
    break_cause : ndarray of int8, shape (n_draws,)
        0 none, 1 out of range, 2 Powell, 3 strategy (bad faith), 4 baseline hazard.
    value : ndarray, shape (n_draws, n_actors)
        Discounted mean per-week payoff over the whole run (war weeks: expected war utility
        minus cost; ceasefire weeks: utility of the terms).
    win_prob_b : ndarray, shape (n_draws, n_rounds_total + 1)
        B's win probability each round.
    phase : ndarray of int8, shape (n_draws, n_rounds_total + 1)
        0 talks/war, 1 ceasefire, 2 war after a breach.
    position : ndarray, shape (n_draws, n_rounds + 1, n_actors)
        Salience-weighted mean stated demand of each actor (0-100 of the scales) per round.
    advance : ndarray, shape (n_draws,)
        Change of the front on ``power.front_issue`` (scale points; + towards B).
    strength : ndarray, shape (n_draws, n_rounds_total + 1, n_actors)
        Battlefield strength of the two sides (others 0) — only for the first trace draws.
    trace_demands : ndarray, shape (trace_draws, n_rounds + 1, n_actors, n_issues)
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    sides: tuple[int, int]
    agreed: np.ndarray
    agree_round: np.ndarray
    terms: np.ndarray
    terms_utility: np.ndarray
    broken: np.ndarray
    break_round: np.ndarray
    breaker: np.ndarray
    break_cause: np.ndarray
    value: np.ndarray
    win_prob_b: np.ndarray
    phase: np.ndarray
    position: np.ndarray
    advance: np.ndarray
    strength: np.ndarray
    trace_demands: np.ndarray
    config: dict[str, Any] = field(default_factory=dict)
    #: Per issue: ``{"a_end": "low"|"high", "source": "declared"|"positions"|"undetermined"}``.
    directions: dict[str, dict[str, str]] = field(default_factory=dict)
    #: What the mechanisms did, per draw: ``offers`` (offer rounds held), ``mediator_moved``
    #: (its proposal changed at least once), ``pressure`` (it cut aid or added sanctions at
    #: least once), ``demand_moved`` (n_draws, n_actors: an actor's stated demand left its
    #: ideal), ``ideal_moved`` (a persuadable actor's ideal drifted).
    activity: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n_draws(self) -> int:
        return self.agreed.shape[0]

    def actor(self, actor_id: str) -> int:
        if actor_id not in self.actor_ids:
            raise InputError(f"unknown actor {actor_id!r}; actors: {', '.join(self.actor_ids)}")
        return self.actor_ids.index(actor_id)

    def holds(self, days: float) -> np.ndarray:
        """True where an agreement formed and still held ``days`` days after it formed."""
        weeks = int(np.ceil(days / 7.0))
        lasted = np.where(self.broken, self.break_round - self.agree_round, 10**9)
        return self.agreed & (lasted >= weeks)

    def summary(self) -> dict[str, Any]:
        """Headline numbers (JSON-ready)."""
        a = self.agreed
        out: dict[str, Any] = {
            "draws": int(self.n_draws),
            "p_agreement": float(a.mean()),
            "median_agree_week": float(np.median(self.agree_round[a])) if a.any() else None,
            "p_holds_90_given_agreement": float(self.holds(90)[a].mean()) if a.any() else None,
            "p_holds_365_given_agreement": float(self.holds(365)[a].mean()) if a.any() else None,
        }
        if a.any():
            out["terms_mean"] = {k: float(np.mean(self.terms[a, j]))
                                 for j, k in enumerate(self.issue_ids)}
            out["terms_utility_mean"] = {k: float(np.mean(self.terms_utility[a, i]))
                                         for i, k in enumerate(self.actor_ids)}
        return out


# ---------------------------------------------------------------------------------------------
# sampling the scenario's ranges


def sample_draws(scenario: Scenario, n_draws: int, rng: np.random.Generator) -> ScenarioDraws:
    """Draws of the scenario: positions, saliences and capabilities uniform within their
    ``ranges``, ``salience_ranges`` and ``capability_range`` (point values where none)."""
    base = to_arrays(scenario, n_draws)
    pos, sal, cap = base.positions.copy(), base.salience.copy(), base.capability.copy()
    col = {k: j for j, k in enumerate(base.issue_ids)}
    for i, a in enumerate(scenario.actors):
        for key, (lo, hi) in sorted(a.ranges.items()):
            pos[:, i, col[key]] = rng.uniform(lo, hi, n_draws)
        for key, (lo, hi) in sorted(a.salience_ranges.items()):
            sal[:, i, col[key]] = rng.uniform(lo, hi, n_draws) / 100.0
        if a.capability_range is not None:
            cap[:, i] = rng.uniform(*a.capability_range, n_draws)
    return ScenarioDraws(positions=pos, salience=sal, capability=cap, mask=base.mask,
                         scale=base.scale, status_quo=base.status_quo,
                         actor_ids=base.actor_ids, issue_ids=base.issue_ids, meta=base.meta)


# ---------------------------------------------------------------------------------------------
# the simulator


def _index(ids: tuple[str, ...], name: str, what: str) -> int:
    if name not in ids:
        raise InputError(f"{what} names unknown actor {name!r}; actors: {', '.join(ids)}",
                         field=f"strategy.{what}")
    return ids.index(name)


def _default_sides(d: ScenarioDraws, a_high: np.ndarray) -> tuple[int, int]:
    """The two actors furthest apart: lowest and highest salience-weighted mean position,
    each issue counted from the end its ``a_high`` flag gives to side A."""
    lo, r = d.scale[:, 0], d.scale_range
    z = (d.positions[0] - lo) / r
    z = np.where(a_high, 1.0 - z, z)
    s = d.salience[0]
    mean = (z * s).sum(1) / np.maximum(s.sum(1), 1e-12)
    return int(np.argmin(mean)), int(np.argmax(mean))


def simulate(draws: ScenarioDraws, config: SimConfig, *,
             rng: np.random.Generator) -> SimulationResult:
    """Run the negotiation on every draw at once.

    Parameters
    ----------
    draws : ScenarioDraws
        The scenario, (n_draws, n_actors, n_issues) arrays.
    config : SimConfig
        Simulator settings (see :func:`parse_config`).
    rng : numpy.random.Generator
        The run's generator; independent child streams (costs, optimism, recognition,
        hazard, each actor's strategy) are derived from one draw of it, so changing one
        actor's strategy does not shift the others' random numbers (common random numbers
        across experiment variants).

    Returns
    -------
    SimulationResult
    """
    # numba (imported by the kernel) only when a scenario is simulated, not on import
    from accord.strategies._mediator_kernel import grid_best

    cfg = config
    ids, iss = draws.actor_ids, draws.issue_ids
    D, n, m = draws.positions.shape
    R = draws.scale_range
    lo_s, hi_s = draws.scale[:, 0], draws.scale[:, 1]
    mask = draws.mask
    root = int(rng.integers(2**63))

    def child(*key: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence(root, spawn_key=key))

    # sides, required parties, strategies
    if cfg.sides is not None:
        if len(cfg.sides) != 2:
            raise InputError("sides must name exactly two actors (A, then B)",
                             field="strategy.sides")
        a_i, b_i = (_index(ids, s, "sides") for s in cfg.sides)
    else:
        declared = np.array([cfg.scale_direction.get(k) == "a_high" for k in iss])
        a_i, b_i = _default_sides(draws, declared)
    if a_i == b_i:
        raise InputError("the two sides must differ", field="strategy.sides")
    side = np.zeros(n)
    side[a_i], side[b_i] = -1.0, 1.0
    dirs = directions(draws, a_i, b_i, cfg.scale_direction)
    a_high = np.array([dirs[k]["a_end"] == "high" for k in iss])
    required = ([_index(ids, r, "required") for r in cfg.required]
                if cfg.required else [a_i, b_i])
    strategies: list[Strategy] = []
    for aid in ids:
        spec = dict(cfg.strategies.get(aid, cfg.default_strategy))
        name = spec.pop("name", None)
        if name is None:
            raise InputError(f"strategy of {aid!r} has no name", field=f"strategy.strategies.{aid}")
        try:
            strategies.append(make_strategy(name, **spec))
        except (ValueError, TypeError) as e:
            raise InputError(str(e), field=f"strategy.strategies.{aid}") from None
    for key in cfg.strategies:
        _index(ids, key, "strategies")

    # mediator
    med = cfg.mediator
    med_i = _index(ids, med.actor, "mediator.actor") if med and med.actor else None
    med_ideal = None
    if med is not None and med.ideal is not None:
        med_ideal = np.full(m, np.nan)
        for k, v in med.ideal.items():
            if k not in iss:
                raise InputError(f"mediator ideal names unknown issue {k!r}",
                                 field="strategy.mediator.ideal")
            med_ideal[iss.index(k)] = v
    style = None
    if med is not None:
        style = med.style or ("transactional" if med_i is not None and
                              strategies[med_i].classifier["transactional"] else "diplomatic")
    fav = _index(ids, med.favours, "mediator.favours") if med and med.favours else None
    lev_aid, lev_sanc, lev_rec = np.zeros(n), np.zeros(n), np.zeros(n)
    if med is not None:
        for aid, lv in med.leverage.items():
            j = _index(ids, aid, "mediator.leverage")
            lev_aid[j], lev_sanc[j], lev_rec[j] = lv.aid, lv.sanctions, lv.recognition
    cred = np.zeros(n)
    if med is not None:
        cred[[a_i, b_i]] = 0.5
        if fav is not None:
            cred[[a_i, b_i]] = 0.0
            cred[fav] = 1.0
    pay_mask = np.zeros(m, dtype=bool)
    if med is not None:
        pays = list(med.pay_issues) or list(getattr(strategies[med_i], "pay_issues", ())
                                            if med_i is not None else ())
        for k in pays:
            if k not in iss:
                raise InputError(f"pay issue {k!r} is not an issue of the scenario",
                                 field="strategy.mediator.pay_issues")
            pay_mask[iss.index(k)] = True

    # per-actor parameters
    setup = child(0)

    def per_actor_range(
        table: dict[str, tuple[float, float]],
        side_def: tuple[float, float],
        other_def: tuple[float, float],
    ) -> np.ndarray:
        out = np.empty((D, n))
        for i, aid in enumerate(ids):
            lo, hi = table.get(aid, side_def if side[i] != 0 else other_def)
            out[:, i] = setup.uniform(lo, hi, D) if hi > lo else lo
        return out

    for table, what in ((cfg.war_cost, "war_cost"), (cfg.optimism, "optimism"),
                        (cfg.discount, "discount"), (cfg.breach.cost, "breach.cost"),
                        (cfg.power.rebuild, "power.rebuild"),
                        (cfg.power.growth_war, "power.growth_war")):
        for key in table:
            _index(ids, key, what)
    cost = per_actor_range(cfg.war_cost, cfg.side_war_cost, cfg.other_war_cost)
    optim = per_actor_range(cfg.optimism, cfg.side_optimism, (0.0, 0.0)) * (side != 0)
    delta_w = np.array([cfg.discount.get(a, cfg.default_discount) for a in ids]) ** (1 / 52)
    breach_cost = np.array([cfg.breach.cost.get(a, cfg.breach.default_cost) for a in ids])
    if med is not None:
        breach_cost = breach_cost + med.guarantee
    rebuild = np.array([cfg.power.rebuild.get(a, cfg.power.default_rebuild) for a in ids])
    growth_war = np.array([cfg.power.growth_war.get(a, 0.0) for a in ids])
    cost_belief = cost.mean(axis=0)  # others know only the distribution (private information)

    T_neg, T = cfg.rounds, cfg.rounds + cfg.follow_weeks
    if isinstance(cfg.breach.baseline_hazard, SurvivalCurve):
        try:
            h0 = hazard_from_survival(cfg.breach.baseline_hazard.days,
                                      cfg.breach.baseline_hazard.survival, T + 1)
        except ValueError as e:
            raise InputError(str(e), field="strategy.breach.baseline_hazard") from None
    else:
        h0 = np.full(T + 1, float(cfg.breach.baseline_hazard))

    # aid flows
    flows = cfg.power.aid
    F = len(flows)
    f_to = np.array([_index(ids, f.to, "power.aid.to") for f in flows], dtype=int)
    for f in flows:
        _index(ids, f.source, "power.aid.from")
    f_growth = np.array([f.growth for f in flows])
    f_intel = np.array([f.intel for f in flows])
    aid_on = np.ones((T + 1, F))
    intel_on = np.ones((T + 1, F))
    for j, f in enumerate(flows):
        for p in f.pauses:
            sl = slice(p.start, min(T + 1, p.start + p.weeks))
            if p.aid:
                aid_on[sl, j] = 0.0
            if p.intel:
                intel_on[sl, j] = 0.0
    eff = []
    for te in cfg.power.term_effects:
        if te.issue not in iss:
            raise InputError(f"term effect names unknown issue {te.issue!r}",
                             field="strategy.power.term_effects")
        eff.append((iss.index(te.issue), _index(ids, te.actor, "power.term_effects"),
                    te.affects, te.weight))
    front_k = None
    if cfg.power.front_issue is not None:
        if cfg.power.front_issue not in iss:
            raise InputError(f"front_issue {cfg.power.front_issue!r} is not an issue",
                             field="strategy.power.front_issue")
        front_k = iss.index(cfg.power.front_issue)

    # state
    ideal0 = np.where(mask, draws.positions, 0.0)
    sal = np.where(mask, draws.salience, 0.0)
    wn = sal / (R * np.maximum(sal.sum(-1, keepdims=True), 1e-12))  # u = 1 - sum wn |z - x|
    ideal = ideal0.copy()
    demand = ideal0.copy()
    prev = ideal0.copy()
    strength = np.zeros((D, n))
    strength[:, a_i] = draws.capability[:, a_i]
    strength[:, b_i] = draws.capability[:, b_i]
    wcap = draws.capability[:, :, None] * sal  # c*s weights (D, n, m)
    sq = draws.status_quo
    phase = np.zeros(D, dtype=np.int8)
    terms = np.full((D, m), np.nan)
    tu_now = np.zeros((D, n))   # utility of the terms against the ideal held at agreement
    tu0 = np.zeros((D, n))      # ... and against the original ideal
    agree_round = np.full(D, -1)
    break_round = np.full(D, -1)
    breaker = np.full(D, -1)
    cause = np.zeros(D, dtype=np.int8)
    p_agree = np.full((D, n), np.nan)
    aid_cut = np.zeros((D, n))
    sanc = np.zeros((D, n))
    value = np.zeros((D, n))
    disc_sum = np.zeros(n)
    front = np.zeros(D)
    win_b = np.zeros((D, T + 1))
    phases = np.zeros((D, T + 1), dtype=np.int8)
    position = np.zeros((D, T_neg + 1, n))
    k_tr = min(cfg.trace_draws, D)
    tr_dem = np.zeros((k_tr, T_neg + 1, n, m))
    tr_str = np.zeros((k_tr, T + 1, n))
    rec_rng, haz_rng = child(1), child(2)
    # what the mechanisms did (SimulationResult.activity)
    offers = np.zeros(D, dtype=int)
    med_moved = np.zeros(D, dtype=bool)
    pressed = np.zeros(D, dtype=bool)
    dem_moved = np.zeros((D, n), dtype=bool)
    last_z = np.full((D, m), np.nan)
    strat_rng = [child(10 + i) for i in range(n)]
    lam = np.linspace(0.0, 1.0, cfg.grid)
    req = np.array(required)
    not_a, not_b = ~mask[a_i], ~mask[b_i]
    drifting = any(hasattr(s, "update_ideal") for s in strategies)
    third = [i for i in range(n) if side[i] == 0]
    pay_w = np.zeros((D, m))
    if med_i is not None and pay_mask.any():
        sp = sal[:, med_i] * pay_mask
        pay_w = sp / (R * np.maximum(sp.sum(-1, keepdims=True), 1e-12))

    def util(z: np.ndarray, idl: np.ndarray) -> np.ndarray:
        """Every actor's utility of z (D, m) -> (D, n)."""
        return 1.0 - (wn * np.abs(z[:, None, :] - idl)).sum(-1)

    def wpos(d: np.ndarray) -> np.ndarray:
        z = (d - lo_s) / R * 100.0
        z = np.where(a_high, 100.0 - z, z)  # 0 = side A's end of every issue
        return (z * sal).sum(-1) / np.maximum(sal.sum(-1), 1e-12)

    def winner_points(idl: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What a war won by A / by B imposes on each issue (D, m)."""
        xa = np.where(not_a, np.where(np.isnan(sq), idl[:, b_i], sq), idl[:, a_i])
        xb = np.where(not_b, np.where(np.isnan(sq), idl[:, a_i], sq), idl[:, b_i])
        return xa, xb

    def lottery(idl: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xa, xb = winner_points(idl)
        return util(xa, idl), util(xb, idl)

    def growth(ph: np.ndarray) -> np.ndarray:
        aid_g = np.zeros((D, n))
        for j in range(F):
            aid_g[:, f_to[j]] += f_growth[j] * aid_on[t, j] * (1 - aid_cut[:, f_to[j]])
        g = growth_war + aid_g
        cf = ph == 1
        if cf.any():
            reb = np.broadcast_to(rebuild, (D, n)).copy()
            aid_f = np.ones((D, n))
            z = np.nan_to_num((terms - lo_s) / R)
            z = np.where(a_high, 1.0 - z, z)  # how far the terms lie towards B's end
            for k, i, on, w in eff:
                fac = np.clip(1.0 - w * z[:, k], 0.0, None)
                if on == "rebuild":
                    reb[:, i] *= fac
                else:
                    aid_f[:, i] *= fac
            g = np.where(cf[:, None], reb + aid_g * aid_f, g)
        g[:, third] = 0.0
        return g

    def eff_strength(st: np.ndarray) -> np.ndarray:
        k = st.copy()
        for j in range(F):
            k[:, f_to[j]] *= 1.0 + f_intel[j] * intel_on[t, j] * (1 - aid_cut[:, f_to[j]])
        return k

    def pwin(k: np.ndarray) -> np.ndarray:
        ka, kb = k[:, a_i] ** cfg.power.gamma, k[:, b_i] ** cfg.power.gamma
        return kb / (ka + kb)

    def war_value(
        pb: np.ndarray, c: np.ndarray, opt: np.ndarray | float, lot: tuple[np.ndarray, np.ndarray]
    ) -> np.ndarray:
        """Expected utility of the war lottery minus cost, (D, n); p perceived with optimism."""
        ua, ub = lot
        pp = np.clip(pb[:, None] + side * opt, 0.0, 1.0)
        return pp * ub + (1 - pp) * ua - c

    def views(res: np.ndarray, target: np.ndarray, wp: np.ndarray) -> list[ActorView]:
        out = []
        for i in range(n):
            cp = b_i if i == a_i else a_i if i == b_i else int(cpart[i])
            out.append(ActorView(
                index=i, round=t, ideal=np.ascontiguousarray(ideal[:, i]), ideal0=ideal0[:, i],
                demand=np.ascontiguousarray(demand[:, i]), prev_demand=prev[:, i],
                demands=demand, prev_demands=prev, salience=sal_c[i], weights=wn_c[i],
                reservation=res[:, i], target=target[:, i], counterpart=cp,
                win_prob=wp[:, i], win_prob_at_agreement=p_agree[:, i], scale_range=R,
                lo=lo_s, hi=hi_s, actor_ids=ids, issue_ids=iss))
        return out

    sal_c = [np.ascontiguousarray(sal[:, i]) for i in range(n)]
    wn_c = [np.ascontiguousarray(wn[:, i]) for i in range(n)]
    lot0 = lottery(ideal0)
    lot = lot0
    # counterpart of third parties: the side further from them at the start
    cpart = np.where(lot0[0][0] < lot0[1][0], a_i, b_i)

    if cfg.start_in_ceasefire:
        it = cfg.initial_terms
        mid = 0.5 * (ideal0[:, a_i] + ideal0[:, b_i])
        if it == "midpoint":
            z0 = mid
        elif it == "status_quo":
            z0 = np.where(np.isnan(sq), mid, sq)
        else:
            z0 = mid.copy()
            for k, v in it.items():
                if k not in iss:
                    raise InputError(f"initial_terms names unknown issue {k!r}",
                                     field="strategy.initial_terms")
                z0[:, iss.index(k)] = v
        terms[:] = z0
        phase[:] = 1
        agree_round[:] = 0
        tu_now[:] = tu0[:] = util(z0, ideal0)

    t = 0
    for t in range(T + 1):
        k_eff = eff_strength(strength)
        pb = pwin(k_eff)
        wp = np.where(side == 1, pb[:, None], 1 - pb[:, None])
        if t == 0:
            k_ref = strength.copy()
            for j in range(F):
                k_ref[:, f_to[j]] *= 1.0 + f_intel[j]
            pb0 = pwin(k_ref)  # the front holds still at the balance with all support flowing
            if cfg.start_in_ceasefire:
                p_agree[:] = wp
        win_b[:, t] = pb
        phases[:, t] = phase
        if k_tr:
            tr_str[:, t] = k_eff[:k_tr]
        g_war = growth(np.zeros(D, dtype=np.int8))
        proj = strength * (1.0 + g_war) ** cfg.power.horizon_weeks
        pb_hat = pwin(eff_strength(proj))
        res = war_value(pb_hat, cost + sanc, optim, lot)
        # flow payoff of this week (true costs, no optimism, original ideals)
        at_war = phase != 1
        flow = np.where(at_war[:, None], war_value(pb, cost, 0.0, lot0), tu0)
        dw = delta_w**t
        value += dw * flow
        disc_sum += dw
        if front_k is not None:
            front += np.where(at_war, cfg.power.front_speed * (pb - pb0) / 52.0, 0.0)

        talking = phase == 0
        if t < T_neg and talking.any():
            if drifting:  # persuadable ideals
                vs = views(res, demand, wp)
                for i, s in enumerate(strategies):
                    if hasattr(s, "update_ideal"):
                        ideal[:, i] = np.where(talking[:, None], s.update_ideal(vs[i]),
                                               ideal[:, i])
                lot = lottery(ideal)
                res = war_value(pb_hat, cost + sanc, optim, lot)
            # targets: counterpart's demand, else the compromise of the other required parties
            w = wcap[:, req] * mask[req][None]
            tot = (w * demand[:, req]).sum(1)
            wsum = w.sum(1)
            target = np.empty_like(demand)
            for i in range(n):
                cp = b_i if i == a_i else a_i if i == b_i else int(cpart[i])
                if i in required:
                    r_pos = required.index(i)
                    ti, wi = tot - w[:, r_pos] * demand[:, i], wsum - w[:, r_pos]
                else:
                    ti, wi = tot, wsum
                comp = np.where(wi > 0, ti / np.where(wi > 0, wi, 1), demand[:, i])
                target[:, i] = np.where(mask[cp], demand[:, cp], comp)
            vs = views(res, target, wp)
            new = np.stack([strategies[i].propose(vs[i], strat_rng[i]) for i in range(n)], 1)
            new = np.clip(np.where(mask, new, 0.0), lo_s, hi_s)
            prev = demand
            demand = np.where(talking[:, None, None], new, demand)
            dem_moved |= talking[:, None] & (np.abs(demand - ideal0) > 1e-9).any(-1)
            position[:, t] = wpos(demand)
            if k_tr:
                tr_dem[:, t] = demand[:k_tr]
            # the offer on the table (none before talks start: consultations only)
            if t < cfg.talks_start:
                optim = np.where(talking[:, None], optim * (1 - cfg.war_learning), optim)
                continue_talks = False
            else:
                continue_talks = True
            if not continue_talks:
                pass
            elif med is None:
                if cfg.recognition == "capability":
                    pr = draws.capability[:, req] / draws.capability[:, req].sum(1, keepdims=True)
                else:
                    pr = np.full((D, len(req)), 1.0 / len(req))
                u = rec_rng.random(D)
                who = req[np.minimum((u[:, None] > np.cumsum(pr, 1)).sum(1), len(req) - 1)]
                z = demand[np.arange(D), who]
            else:
                # believed reservations: true balance, mean costs (private information), capped
                # by what each party's own stated demand reveals it would accept (a concession
                # signals a lower reservation; Fearon 1995)
                believed = war_value(pb_hat, cost_belief + sanc, 0.0, lot)[:, req]
                u_dem = util_pairs(wn, demand, ideal)[:, req]
                believed = believed + med.credulity * (u_dem - believed)
                comp_w = wcap[:, req] * mask[req][None]
                comp = (comp_w * demand[:, req]).sum(1) / np.maximum(comp_w.sum(1), 1e-12)
                lo_end = np.where(mask[a_i], demand[:, a_i], comp)
                hi_end = np.where(mask[b_i], demand[:, b_i], comp)
                best = grid_best(lo_end, hi_end, np.ascontiguousarray(ideal[:, req]),
                                  np.ascontiguousarray(wn[:, req]), believed, lev_rec[req], lam,
                                  pay_w, np.ascontiguousarray(ideal[:, med_i] if med_i is not None
                                                              else lo_end),
                                  style == "transactional" and bool(pay_mask.any()))
                z = lo_end + lam[best][:, None] * (hi_end - lo_end)
                step = np.abs(z - last_z)
                med_moved |= talking & (np.nan_to_num(step, nan=0.0) > 1e-9).any(-1)
                last_z = np.where(talking[:, None], z, last_z)
                if med.bias > 0:
                    if fav is not None:
                        x_med = np.where(mask[fav], demand[:, fav], z)
                    elif med_i is not None:
                        x_med = np.where(mask[med_i], ideal[:, med_i], z)
                    else:
                        x_med = np.where(np.isnan(med_ideal), z, med_ideal)
                    z = (1 - med.bias) * z + med.bias * x_med
            # acceptance
            if continue_talks:
                offers += talking
            vs = views(res, target, wp)
            ok = np.full(D, continue_talks)
            acc = {}
            for i in required if continue_talks else ():
                acc[i] = strategies[i].accepts(vs[i], z, strat_rng[i], bonus=lev_rec[i])
                ok &= acc[i]
            new_deal = talking & ok
            if new_deal.any():
                terms[new_deal] = z[new_deal]
                phase[new_deal] = 1
                agree_round[new_deal] = t
                p_agree[new_deal] = wp[new_deal]
                aid_cut[new_deal] = 0.0
                sanc[new_deal] = 0.0
                tu_now[new_deal] = util(z, ideal)[new_deal]
                tu0[new_deal] = util(z, ideal0)[new_deal]
            still = talking & ~ok
            # mediator pressure and information (Kydd 2003)
            if med is not None and still.any() and continue_talks:
                for i in (a_i, b_i):
                    if fav is not None:
                        blamed = still & (i != fav)
                    else:
                        blamed = still & ~acc.get(i, np.ones(D, dtype=bool))
                    aid_cut[:, i] = np.where(blamed, lev_aid[i],
                                             np.where(still, 0.0, aid_cut[:, i]))
                    sanc[:, i] = np.where(blamed, lev_sanc[i], np.where(still, 0.0, sanc[:, i]))
                pressed |= (aid_cut > 0).any(1) | (sanc > 0).any(1)
                optim = np.where(still[:, None], optim * (1 - med.information * cred), optim)
            if continue_talks:
                optim = np.where(still[:, None], optim * (1 - cfg.war_learning), optim)
        elif t <= T_neg:
            position[:, t] = wpos(demand)
            if k_tr:
                tr_dem[:, t] = demand[:k_tr]

        # ceasefire: breach checks (not in the week it was agreed)
        cf = (phase == 1) & (agree_round < t)
        if cf.any():
            z = np.nan_to_num(terms)
            hit = np.zeros(D, dtype=bool)
            who = np.full(D, -1)
            why = np.zeros(D, dtype=np.int8)
            nxt = strength * (1.0 + growth(phase)) ** cfg.power.powell_period_weeks
            pb_next = pwin(eff_strength(nxt))
            vs = None
            for i in (a_i, b_i):
                q_now = wp[:, i]
                q_next = pb_next if side[i] == 1 else 1 - pb_next
                conds = []
                if cfg.breach.range:
                    conds.append((tu_now[:, i] + breach_cost[i] < res[:, i], 1))
                if cfg.breach.powell:
                    dl = delta_w[i] ** cfg.power.powell_period_weeks
                    conds.append((dl * (q_now - q_next)
                                  > (1 - dl) * (1 - q_now + cost[:, i] + breach_cost[i]), 2))
                if strategies[i].classifier["reneges"]:
                    vs = vs or views(res, demand, wp)
                    conds.append((strategies[i].breaks(vs[i], z, strat_rng[i]), 3))
                for c_, code in conds:
                    new_hit = cf & c_ & ~hit
                    who[new_hit], why[new_hit] = i, code
                    hit |= new_hit
            since = np.clip(t - agree_round, 0, T)
            nat = cf & ~hit & (haz_rng.random(D) < h0[since])
            who[nat], why[nat] = -2, 4
            hit |= nat
            phase[hit] = 2
            break_round[hit] = t
            breaker[hit] = who[hit]
            cause[hit] = why[hit]

        if t < T:
            strength = strength * (1.0 + growth(phase))

    agreed = agree_round >= 0
    return SimulationResult(
        actor_ids=ids, issue_ids=iss, sides=(a_i, b_i), agreed=agreed, agree_round=agree_round,
        terms=np.where(agreed[:, None], terms, np.nan),
        terms_utility=np.where(agreed[:, None], tu0, np.nan),
        broken=break_round >= 0, break_round=break_round, breaker=breaker, break_cause=cause,
        value=value / disc_sum, win_prob_b=win_b, phase=phases, position=position,
        advance=front, strength=tr_str, trace_demands=tr_dem,
        config=cfg.model_dump(mode="json", by_alias=True), directions=dirs,
        activity={"offers": offers, "mediator_moved": med_moved, "pressure": pressed,
                  "demand_moved": dem_moved,
                  "ideal_moved": (np.abs(ideal - ideal0) > 1e-9).any(-1)},
    )


def directions(draws: ScenarioDraws, a_i: int, b_i: int,
               declared: dict[str, str]) -> dict[str, dict[str, str]]:
    """Which end of each issue's scale side A wants: as ``declared`` (``a_low``/``a_high``),
    else from the sides' mean positions (A below B: low), else (a side takes no part, or
    both stand at the same point) the low end, marked ``undetermined``."""
    out = {}
    pos = draws.positions.mean(axis=0)
    for k, key in enumerate(draws.issue_ids):
        if key in declared:
            out[key] = {"a_end": "low" if declared[key] == "a_low" else "high",
                        "source": "declared"}
        elif draws.mask[a_i, k] and draws.mask[b_i, k] and pos[a_i, k] != pos[b_i, k]:
            out[key] = {"a_end": "low" if pos[a_i, k] < pos[b_i, k] else "high",
                        "source": "positions"}
        else:
            out[key] = {"a_end": "low", "source": "undetermined"}
    return out


def util_pairs(wn: np.ndarray, points: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    """Utility of each actor for its own point: (D, n, m) x2 -> (D, n)."""
    return 1.0 - (wn * np.abs(points - ideal)).sum(-1)
