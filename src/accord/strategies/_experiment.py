"""Claims as experiments: two variants of a scenario, a metric, an effect and a verdict.

An experiment file names a scenario, the simulator settings every claim shares
(``defaults``: the assumptions, all in the file), the uncertain parameters to sweep
(``sensitivity``) and the claims. Each claim compares a ``baseline`` and a ``variant`` (setting
overrides) on one metric, with common random numbers (same seed, same draws), so the effect
``variant - baseline`` is paired. The interval is a paired bootstrap over draws; the verdict
says whether the effect has the direction the claim predicts; the robustness is the share of
a Latin-hypercube sweep over the uncertain parameters (McKay, Beckman & Conover 1979) in
which that verdict holds.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.errors import InputError
from accord.limits import SEED_MAX
from accord.scenario import Scenario, load_scenario
from accord.strategies._simulator import (
    SimulationResult,
    deep_merge,
    parse_config,
    sample_draws,
    simulate,
)


class _S(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Metric(_S):
    """What a claim is judged on.

    ``name``: ``terms_utility`` (an actor's utility of the agreed terms, over draws with an
    agreement), ``value`` (an actor's discounted mean weekly payoff over the whole run),
    ``p_agreement``, ``p_holds`` (share of agreements still holding ``days`` after they
    formed; ``given_agreement: false`` counts draws without one as not holding), ``position``
    (an actor's salience-weighted mean stated position, 0-100, at ``round`` or at the end of
    talks), ``advance`` (front change on the front issue, scale points towards side B).
    """

    name: Literal["terms_utility", "value", "p_agreement", "p_holds", "position", "advance"]
    actor: str | None = None
    days: float = 365.0
    given_agreement: bool = True
    round: int | None = None

    def label(self) -> str:
        bits = [self.name]
        if self.actor:
            bits.append(self.actor)
        if self.name == "p_holds":
            bits.append(f"{self.days:g}d" + ("|agreement" if self.given_agreement else ""))
        if self.name == "position" and self.round is not None:
            bits.append(f"round {self.round}")
        return ":".join(bits)

    def per_draw(self, r: SimulationResult) -> tuple[np.ndarray, np.ndarray]:
        """(x, include): the per-draw quantity and which draws count (mean = sum x / count)."""
        d = r.n_draws
        if self.name in ("terms_utility", "value", "position") and self.actor is None:
            raise InputError(f"metric {self.name} needs an actor", field="metric.actor")
        if self.name == "terms_utility":
            i = r.actor(self.actor)
            return np.nan_to_num(r.terms_utility[:, i]), r.agreed.copy()
        if self.name == "value":
            return r.value[:, r.actor(self.actor)], np.ones(d, bool)
        if self.name == "p_agreement":
            return r.agreed.astype(float), np.ones(d, bool)
        if self.name == "p_holds":
            inc = r.agreed.copy() if self.given_agreement else np.ones(d, bool)
            return r.holds(self.days).astype(float), inc
        if self.name == "position":
            i = r.actor(self.actor)
            last = r.position.shape[1] - 1
            if self.round is None:
                rr = np.where(r.agreed, np.minimum(r.agree_round, last), last)
                return r.position[np.arange(d), rr, i], np.ones(d, bool)
            if not 0 <= self.round <= last:
                raise InputError(f"metric round {self.round} is outside 0-{last}",
                                 field="metric.round")
            return r.position[:, self.round, i], np.ones(d, bool)
        return r.advance, np.ones(d, bool)


class Arm(_S):
    label: str = ""
    settings: dict[str, Any] = Field(default_factory=dict)


class Claim(_S):
    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    claim: str
    metric: Metric
    expect: Literal["increase", "decrease"]
    min_effect: float = Field(0.0, ge=0)
    variant_below: float | None = None
    variant_above: float | None = None
    baseline: Arm
    variant: Arm
    sensitivity: dict[str, tuple[float, float]] = Field(default_factory=dict)
    assumptions: list[str] = Field(default_factory=list)
    secondary: list[Metric] = Field(default_factory=list)


class Sweep(_S):
    points: int = Field(8, ge=0, le=1000)
    draws: int = Field(250, ge=10)


class Experiment(_S):
    name: str = "experiment"
    description: str | None = None
    scenario: str
    draws: int = Field(1000, ge=10)
    seed: int = Field(0, ge=0, le=SEED_MAX)
    level: float = Field(0.9, gt=0.5, lt=1)
    bootstrap: int = Field(400, ge=50, le=10000)
    defaults: dict[str, Any] = Field(default_factory=dict)
    sensitivity: dict[str, tuple[float, float]] = Field(default_factory=dict)
    sweep: Sweep = Field(default_factory=Sweep)
    claims: list[Claim]
    meta: dict[str, Any] = Field(default_factory=dict)


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file (YAML or JSON)."""
    from accord.scenario import read_text

    p = Path(path)
    try:
        raw = yaml.safe_load(read_text(p))
    except yaml.YAMLError as e:
        raise InputError(f"is not valid YAML ({e.__class__.__name__}).", path=str(p),
                         fix="check indentation and quoting.") from None
    if not isinstance(raw, dict):
        raise InputError("must be a mapping with scenario: and claims:", path=str(p))
    try:
        exp = Experiment.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        raise InputError(first["msg"], path=str(p),
                         field=".".join(str(x) for x in first["loc"]),
                         fix="see docs/strategies.md for the experiment format.") from None
    ids = [c.id for c in exp.claims]
    if len(set(ids)) != len(ids):
        raise InputError("claim ids must be unique", path=str(p), field="claims")
    return exp


def set_path(d: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of the settings ``d`` with the dotted ``path`` set (list items by index)."""
    out = copy.deepcopy(d)
    keys = path.split(".")
    cur: Any = out
    for k in keys[:-1]:
        if isinstance(cur, list):
            cur = cur[int(k)]
        else:
            cur = cur.setdefault(k, {})
        if cur is None:
            raise InputError(f"sensitivity path {path!r} goes through {k!r}, which is not set",
                             field="sensitivity", fix=f"set {k} in defaults or the claim.")
    last = keys[-1]
    if isinstance(cur, list):
        cur[int(last)] = value
    else:
        cur[last] = value
    return out


@dataclass
class ArmRun:
    x: np.ndarray
    inc: np.ndarray
    result: SimulationResult

    @property
    def mean(self) -> float:
        return float(self.x[self.inc].mean()) if self.inc.any() else float("nan")


def _run_arm(scenario: Scenario, settings: dict[str, Any], metric: Metric, n: int, seed: int,
             source: str) -> ArmRun:
    cfg = parse_config(settings, source=source)
    rng = np.random.default_rng(seed)
    draws = sample_draws(scenario, n, rng)
    res = simulate(draws, cfg, rng=rng)
    x, inc = metric.per_draw(res)
    return ArmRun(x, inc, res)


def paired_bootstrap(b: ArmRun, v: ArmRun, n_boot: int, level: float,
                     rng: np.random.Generator) -> tuple[float, float]:
    """Percentile interval of mean(v) - mean(b), resampling draws jointly (paired)."""
    d = b.x.shape[0]
    counts = rng.multinomial(d, np.full(d, 1.0 / d), size=n_boot).astype(float)

    def means(a: ArmRun) -> np.ndarray:
        num = counts @ (a.x * a.inc)
        den = counts @ a.inc.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return num / den

    diff = means(v) - means(b)
    diff = diff[np.isfinite(diff)]
    if diff.size < n_boot // 2:
        return float("nan"), float("nan")
    a = (1 - level) / 2
    return float(np.quantile(diff, a)), float(np.quantile(diff, 1 - a))


def verdict(effect: float, ci: tuple[float, float], claim: Claim, variant_value: float) -> str:
    """``supported`` if the interval lies wholly in the predicted direction beyond 0, the
    effect is at least ``min_effect`` and any stated level for the variant holds;
    ``not supported`` if it lies wholly on the other side of 0, inside
    (-min_effect, min_effect), or the stated level fails; else ``inconclusive``."""
    lo, hi = ci
    if not (np.isfinite(lo) and np.isfinite(hi) and np.isfinite(effect)):
        return "inconclusive"
    sign = 1.0 if claim.expect == "increase" else -1.0
    slo, shi = sorted((sign * lo, sign * hi))
    level_ok = True
    if claim.variant_below is not None:
        level_ok &= variant_value < claim.variant_below
    if claim.variant_above is not None:
        level_ok &= variant_value > claim.variant_above
    if slo > 0 and sign * effect >= claim.min_effect:
        return "supported" if level_ok else "not supported"
    if shi < 0 or (claim.min_effect > 0 and -claim.min_effect < lo and hi < claim.min_effect):
        return "not supported"
    return "inconclusive"


def _claim_settings(
    claim: Claim, base_settings: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    return deep_merge(base_settings, claim.baseline.settings), deep_merge(
        base_settings, claim.variant.settings
    )


def _sweep_points(
    exp: Experiment, claim: Claim, seed: int, source: str, s_b: dict[str, Any],
    s_v: dict[str, Any],
) -> list[tuple[dict[str, float], dict[str, Any], dict[str, Any]]]:
    """The claim's sweep: (point, baseline settings, variant settings) per Latin-hypercube
    point; checked here, before any work is sent out."""
    from scipy.stats import qmc

    ranges = {**exp.sensitivity, **claim.sensitivity}
    k = exp.sweep.points
    if not (k and ranges):
        return []
    names = sorted(ranges)
    unit = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng([seed, 11])).random(k)
    full_b = parse_config(s_b, source=source).model_dump(mode="json", by_alias=True)
    full_v = parse_config(s_v, source=source).model_dump(mode="json", by_alias=True)
    out = []
    for j in range(k):
        point = {nm: float(ranges[nm][0] + unit[j, q] * (ranges[nm][1] - ranges[nm][0]))
                 for q, nm in enumerate(names)}
        sb, sv = full_b, full_v
        for nm, val in point.items():
            arm, _, path = nm.partition(":") if ":" in nm else ("", "", nm)
            if arm not in ("", "baseline", "variant"):
                raise InputError(f"sensitivity key {nm!r}: prefix must be baseline: or "
                                 "variant:", field="sensitivity")
            if arm in ("", "baseline"):
                sb = set_path(sb, path, val)
            if arm in ("", "variant"):
                sv = set_path(sv, path, val)
        parse_config(sb, source=source)  # a bad swept value fails here, not on a worker
        parse_config(sv, source=source)
        out.append((point, sb, sv))
    return out


def _main_comparison(exp: Experiment, claim: Claim, scenario: Scenario, draws: int, seed: int,
                     source: str, s_b: dict[str, Any], s_v: dict[str, Any]) -> dict[str, Any]:
    """Both arms of a claim, the effect, its paired interval, the verdict and secondary
    metrics: everything of the claim but its sweep."""
    b = _run_arm(scenario, s_b, claim.metric, draws, seed, source)
    v = _run_arm(scenario, s_v, claim.metric, draws, seed, source)
    boot_rng = np.random.default_rng([seed, 7])
    effect = v.mean - b.mean
    ci = paired_bootstrap(b, v, exp.bootstrap, exp.level, boot_rng)
    secondary = []
    for met in claim.secondary:
        xb, ib = met.per_draw(b.result)
        xv, iv = met.per_draw(v.result)
        bb, vv = ArmRun(xb, ib, b.result), ArmRun(xv, iv, v.result)
        secondary.append({"metric": met.label(), "baseline": _f(bb.mean), "variant": _f(vv.mean),
                          "effect": _f(vv.mean - bb.mean),
                          "ci": [_f(x) for x in paired_bootstrap(bb, vv, exp.bootstrap,
                                                                 exp.level, boot_rng)]})
    return {
        "id": claim.id,
        "claim": claim.claim,
        "metric": claim.metric.label(),
        "expect": claim.expect,
        "baseline": _f(b.mean),
        "variant": _f(v.mean),
        "baseline_label": claim.baseline.label,
        "variant_label": claim.variant.label,
        "effect": _f(effect),
        "ci": [_f(ci[0]), _f(ci[1])],
        "level": exp.level,
        "verdict": verdict(effect, ci, claim, v.mean),
        "robustness": None,
        "sweep": [],
        "secondary": secondary,
        "draws": draws,
        "n_included": [int(b.inc.sum()), int(v.inc.sum())],
        "assumptions": claim.assumptions,
        "summary": {"baseline": _clean(b.result.summary()), "variant": _clean(v.result.summary())},
        "mechanism_notes": mechanism_notes(b.result, v.result, s_b, s_v),
        "scale_direction": b.result.directions,
    }


def _paths(d: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted path -> leaf value of nested settings."""
    if isinstance(d, dict) and d:
        out: dict[str, Any] = {}
        for k, v in d.items():
            out.update(_paths(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: d}


def mechanism_notes(b: SimulationResult, v: SimulationResult, s_b: dict[str, Any],
                    s_v: dict[str, Any]) -> list[dict[str, str]]:
    """What a claim varies that never acted in either arm: a deal at the first offer leaves
    strategies nothing to do; a mediator that never moved its proposal nor pressed anyone, a
    reneging hazard that never fired, a demand that never moved, or settings of a ceasefire
    that never formed cannot explain a difference. Said next to the verdict."""
    pb, pv = _paths(s_b), _paths(s_v)
    changed = {k for k in pb.keys() | pv.keys() if pb.get(k) != pv.get(k)}
    arms = (b, v)
    notes = []

    def note(code: str, text: str) -> None:
        notes.append({"code": code, "note": text})

    if all(r.activity.get("offers") is not None and not r.activity["offers"].any()
           for r in arms):
        note("no_offers", "no offer was made in either arm (talks never started)")
    elif all(r.agreed.all() and (r.activity["offers"][r.agreed] <= 1).all() for r in arms):
        week = int(b.agree_round.max())
        note("deal_at_first_offer",
             f"every draw of both arms agreed at the first offer (week {week}): strategies, "
             "mediator pressure and learning had no round to act")
    if any(k.startswith("mediator") for k in changed):
        mediated = [r for r in arms if r.config.get("mediator") is not None]
        if mediated and not any(r.activity["mediator_moved"].any() for r in mediated):
            if not any(r.activity["pressure"].any() for r in mediated):
                note("mediator_idle", "the mediator never moved its proposal and never "
                     "pressed a side, in either arm")
            else:
                note("mediator_still", "the mediator never moved its proposal in either arm")
        elif (any(k.startswith("mediator.leverage") for k in changed)
              and not any(r.activity["pressure"].any() for r in mediated)):
            note("leverage_idle", "the mediator never used its leverage in either arm")
    if any(k.startswith(("power.rebuild", "power.default_rebuild", "power.term_effects",
                         "breach.")) for k in changed) and not any(r.agreed.any() for r in arms):
        note("no_ceasefire", "no ceasefire formed in either arm, so rebuilding and breach "
             "settings never acted")
    from accord.strategies._base import all_strategies

    registry = all_strategies()
    for actor in sorted({k.split(".")[1] for k in changed if k.startswith("strategies.")}):
        if actor not in b.actor_ids:
            continue
        i = b.actor(actor)
        names = {(s.get("strategies", {}).get(actor) or {}).get("name") for s in (s_b, s_v)}
        if any(registry.get(n) is not None and registry[n].classifier["reneges"]
               for n in names):
            fired = sum(int(((r.break_cause == 3) & (r.breaker == i)).sum()) for r in arms)
            if not fired:
                note("reneging_never_fired", f"{actor}'s reneging never fired in either arm")
        if not any(r.activity["demand_moved"][:, i].any() or r.activity["ideal_moved"][:, i].any()
                   for r in arms):
            note("strategy_idle", f"{actor}'s stated demand never moved in either arm")
    return notes


def _sweep_comparison(exp: Experiment, claim: Claim, scenario: Scenario, seed: int, source: str,
                      s_b: dict[str, Any], s_v: dict[str, Any], j: int) -> tuple[float, str]:
    """Effect and verdict at sweep point ``j`` (its own draws, seed ``seed + 1 + j``)."""
    bj = _run_arm(scenario, s_b, claim.metric, exp.sweep.draws, seed + 1 + j, source)
    vj = _run_arm(scenario, s_v, claim.metric, exp.sweep.draws, seed + 1 + j, source)
    ej = vj.mean - bj.mean
    cij = paired_bootstrap(bj, vj, max(100, exp.bootstrap // 2), exp.level,
                           np.random.default_rng([seed, 13, j]))
    return ej, verdict(ej, cij, claim, vj.mean)


def _experiment_task(exp: Experiment, scenario: Scenario, draws: int, seed: int, source: str,
                     c: int, j: int, s_b: dict[str, Any], s_v: dict[str, Any]) -> Any:
    """One independent, seeded unit of an experiment (top level, so Dask can pickle it):
    claim ``c``'s main comparison (``j = -1``) or its sweep point ``j``."""
    claim = exp.claims[c]
    if j < 0:
        return _main_comparison(exp, claim, scenario, draws, seed, source, s_b, s_v)
    return _sweep_comparison(exp, claim, scenario, seed, source, s_b, s_v, j)


def run_claims(exp: Experiment, scenario: Scenario, *, draws: int, seed: int, source: str,
               base_settings: dict[str, Any], progress: bool = False,
               dask: str | None = None) -> list[dict[str, Any]]:
    """Every claim: main comparison, interval, verdict and sensitivity sweep.

    The comparisons are independent and each is seeded by its place (claim, sweep point), so
    they run in any order, here or on a Dask cluster (``dask``), with the same result.
    """
    tasks = []
    points: dict[int, list[dict[str, float]]] = {}
    for c, claim in enumerate(exp.claims):
        s_b, s_v = _claim_settings(claim, base_settings)
        tasks.append((c, -1, s_b, s_v))
        sweep = _sweep_points(exp, claim, seed, source, s_b, s_v)
        points[c] = [pt for pt, _, _ in sweep]
        tasks += [(c, j, sb, sv) for j, (_, sb, sv) in enumerate(sweep)]
    from accord.uncertainty.distributed import map_chunks

    done: dict[tuple[int, int], Any] = {}
    run = map_chunks(_experiment_task, tasks, shared=(exp, scenario, draws, seed, source),
                     dask=dask, progress=progress, label="experiment",
                     weights=[draws if j < 0 else exp.sweep.draws for _, j, _, _ in tasks])
    for (c, j, _, _), res in run:
        done[c, j] = res
    claims = []
    for c in range(len(exp.claims)):
        doc = done[c, -1]
        rows = []
        for j, point in enumerate(points[c]):
            ej, vdj = done[c, j]
            rows.append({"point": {kk: round(vv, 6) for kk, vv in point.items()},
                         "effect": _f(ej), "verdict": vdj})
        if rows:
            held = sum(r["verdict"] == doc["verdict"] for r in rows)
            doc["robustness"] = round(held / len(rows), 4)
        doc["sweep"] = rows
        claims.append(doc)
    return claims


def _f(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 6)


def _clean(d: Any) -> Any:
    if isinstance(d, dict):
        return {k: _clean(v) for k, v in d.items()}
    if isinstance(d, float):
        return _f(d)
    return d


def hazard_from_durability(model_path: str | Path | None, scenario_path: str | Path,
                           ceasefire_id: str | None = None) -> dict[str, Any]:
    """The fitted durability model's survival curve for a ceasefire described in a scenario.

    Returns ``{"days", "survival", "source"}``, usable as ``breach.baseline_hazard``: the
    simulator turns it into a weekly hazard, so the baseline breach rate comes from the
    ETH/PRIO survival model instead of an assumed constant. ``model_path`` None: the bundled
    model (fitted on civil-conflict ceasefires 1989-2014).
    """
    from accord.durability import (
        describe_model,
        load_or_bundled,
        predict_ceasefire,
        read_ceasefire_block,
    )

    model = load_or_bundled(model_path)
    items = read_ceasefire_block(scenario_path)
    if ceasefire_id is not None:
        chosen = [c for c in items if c.get("id") == ceasefire_id]
        if not chosen:
            raise InputError(
                f"no ceasefire with id {ceasefire_id!r} (have: "
                f"{', '.join(str(c.get('id')) for c in items)}).",
                path=str(scenario_path), field="ceasefire", fix="name one of those ids.")
        item = chosen[0]
    else:
        item = items[0]
    pred = predict_ceasefire(model, item, path=str(scenario_path))
    return {"days": pred["curve"]["days"], "survival": pred["curve"]["p"],
            "source": f"durability model {model_path or 'bundled'} "
                      f"({describe_model(model)}), ceasefire {item.get('id')}"}


def scenario_path(exp: Experiment, path: str | Path) -> Path:
    """The experiment's scenario file (a relative path is read from the experiment's folder)."""
    return Path(exp.scenario) if Path(exp.scenario).is_absolute() else \
        Path(path).parent / exp.scenario


def run_experiment(path: str | Path, *, draws: int | None = None, seed: int | None = None,
                   progress: bool = False, baseline_hazard: dict[str, Any] | None = None,
                   dask: str | None = None) -> dict[str, Any]:
    """Run every claim of an experiment file; returns the contract's JSON document.

    ``dask`` (``local:N``, ``threads:N`` or ``tcp://host:port``) runs the comparisons on a Dask
    cluster; the document is the same as without.

    ``progress``: a progress bar on stderr (a terminal only).
    ``baseline_hazard`` (``{"days", "survival"}``, e.g. from :func:`hazard_from_durability`)
    replaces ``breach.baseline_hazard`` in both arms of every claim.
    """
    p = Path(path)
    exp = load_experiment(p)
    sc_path = scenario_path(exp, p)
    if not sc_path.is_file():
        raise InputError(
            f"scenario file {sc_path} not found (a relative path is read from the experiment "
            "file's folder).",
            path=str(p),
            field="scenario",
            fix="correct the path in the experiment file.",
        )
    scenario = load_scenario(sc_path)
    n = draws if draws is not None else exp.draws
    if n < 10:
        raise InputError("--draws must be at least 10", field="draws")
    s = exp.seed if seed is None else seed
    from accord import limits

    # per draw, both arms' simulated states (actors x issues) and the bootstrap's counts
    cells = max(1, len(scenario.actors)) * max(1, len(scenario.issues))
    limits.check_work("--draws", n, 2 * 8.0 * 64 * cells + 16.0 * exp.bootstrap,
                      what=f"two arms of {len(scenario.actors)} actors x "
                      f"{len(scenario.issues)} issue(s) and {exp.bootstrap} bootstrap resamples")
    base = deep_merge(scenario.strategy or {}, exp.defaults)
    hazard_note = None
    if baseline_hazard is not None:
        curve = {"days": baseline_hazard["days"], "survival": baseline_hazard["survival"]}
        base = deep_merge(base, {"breach": {"baseline_hazard": curve}})
        hazard_note = baseline_hazard.get("source", "survival curve")
    from accord.strategies._check import check_strategy

    if scenario.strategy is not None:
        check_strategy(scenario.strategy, scenario, source=str(sc_path))
    for c, claim in enumerate(exp.claims):  # every arm checked before any work starts
        for arm, settings in zip(("baseline", "variant"), _claim_settings(claim, base),
                                 strict=True):
            check_strategy(settings, scenario, source=str(p),
                           where=f"claims[{c}] ({claim.id}) {arm}")
    claims = run_claims(exp, scenario, draws=n, seed=s, source=str(p), base_settings=base,
                        progress=progress, dask=dask)
    return {"experiment": exp.name, "scenario": str(exp.scenario), "draws": n, "seed": s,
            "sweep": {"points": exp.sweep.points, "draws": exp.sweep.draws,
                      "parameters": {k: list(v) for k, v in sorted(exp.sensitivity.items())}},
            "baseline_hazard": hazard_note or "as in the experiment file",
            "scale_direction": claims[0]["scale_direction"] if claims else {},
            "claims": claims}


def bench_simulator(quick: bool = False) -> list[dict[str, Any]]:
    """``accord bench`` case: simulated negotiations of the flagship scenario, 52 rounds each,
    batched over 10,000 draws (1,000 with ``quick``), with the seed-claims settings."""
    import time

    from accord import resources

    scenario = load_scenario(resources.example_path("ukraine-ceasefire-2025.yaml"))
    settings: dict[str, Any] = dict(scenario.strategy or {})
    exp_file = resources.path("experiments/seed-claims.yaml")
    if exp_file is not None:
        settings = deep_merge(settings, load_experiment(exp_file).defaults)
    settings = deep_merge(settings, {"rounds": 52, "follow_weeks": 0, "trace_draws": 0})
    cfg = parse_config(settings)
    n = 1000 if quick else 10_000
    draws = sample_draws(scenario, n, np.random.default_rng(0))
    simulate(draws.take(slice(0, 20)), cfg, rng=np.random.default_rng(1))  # warm-up / JIT
    t0 = time.perf_counter()
    simulate(draws, cfg, rng=np.random.default_rng(1))
    t = time.perf_counter() - t0
    return [{"name": "simulator flagship 52 rounds", "per_second": n / t,
             "actors": draws.n_actors, "draws": n, "seconds": t}]
