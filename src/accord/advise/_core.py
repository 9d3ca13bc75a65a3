"""Advice for one side: the moves that raise an actor's expected utility most.

Utility (documented in ``docs/explain-advise.md``): for actor *a* with ideal point ``x_ak``
and salience ``s_ak`` (0-1) on the issues it takes part in, and forecasts ``F_k``,

    U_a = - sum_k s_ak * 100 |F_k - x_ak| / R_k  /  sum_k s_ak

the salience-weighted mean distance between forecast and ideal, in points of a 0-100 scale
(0 is best: every forecast at the actor's ideal). Its *expected* utility is the mean over the
Monte Carlo draws of the scenario's ranges; the ideal and the salience are those of each draw
(what the actor wants is uncertain to the analyst, not to the actor), and they stay fixed when
the actor's *stated* inputs move: a move changes what the model sees, not what the actor wants.

Moves (each applied to every draw, then clipped to the scale; common random numbers: every
move is evaluated on the same draws, so differences between moves are not sampling noise):

``own_position``
    the actor states another position on one issue (shifts of 5, 10, 20, 40 % of the scale);
``own_salience``
    it states that it cares more or less (10 or 25 points of 0-100);
``persuade_position``
    another actor is persuaded to move 5, 10 or 20 % of the scale towards the actor's ideal
    (not beyond it) or away from it;
``persuade_salience``
    another actor is persuaded to care 10 or 25 points more or less;
``coalition``
    two or three other actors each move the same distance towards the actor's ideal (drawn
    from the :data:`COALITION_POOL` most useful single persuasions on that issue).

The gain of a move is ``U_a(with the move) - U_a(without)`` per draw; reported: its mean
(``gain``), a central interval over the draws, and the share of draws in which it helps
(gain > 1e-9). Search in two stages: every move (each size) is screened on an independent
sample of :data:`SCREEN_DRAWS` draws (another random stream, so the selection does not flatter
the reported figures); for each (kind, actors, issue) the best size is kept, and the best
:data:`CONFIRM` of those (plus the best :data:`PER_KIND` of every kind) are evaluated on all
draws. Models that solve issues one by one (``IssueModel``) only re-run the issue a move
touches.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from accord.errors import InputError
from accord.models import IssueModel, Model
from accord.scenario import Scenario, ScenarioDraws, to_arrays

#: The model advice uses unless told otherwise (any registered model works).
DEFAULT_MODEL = "eum"
#: Own stated position: shifts as shares of the scale range, both directions.
OWN_SHIFTS = (0.05, 0.10, 0.20, 0.40)
#: Persuading others (and coalitions): shifts as shares of the scale range.
PERSUADE_SHIFTS = (0.05, 0.10, 0.20)
#: Salience changes, in points of 0-100 (both directions).
SALIENCE_SHIFTS = (10.0, 25.0)
#: Screening sample size (independent draws).
SCREEN_DRAWS = 64
#: Screening draws for models that solve all issues at once (slower per draw).
SCREEN_DRAWS_JOINT = 8
#: Moves confirmed on all draws: the best overall, and the best of every kind.
CONFIRM = 30
PER_KIND = 3
#: Other actors considered for coalitions, per issue.
COALITION_POOL = 5
#: A coalition must beat its best smaller group by this much utility (screening draws).
COALITION_MARGIN = 0.01
#: Draws per model call (bounds memory: candidates x draws x actors x issues).
BATCH = 1 << 16
KINDS = ("own_position", "own_salience", "persuade_position", "persuade_salience", "coalition")
HELPS = 1e-9


@dataclass(frozen=True)
class Move:
    """One candidate: changes to stated inputs on one issue.

    ``edits`` are ``(actor index, "position" | "salience", delta)``. With ``toward`` set (an
    actor index), a position edit moves up to ``|delta|`` towards that actor's ideal in each
    draw and stops there, never past it. ``group`` names the move up to its size.
    """

    kind: str
    actors: tuple[int, ...]
    issue: int
    edits: tuple[tuple[int, str, float], ...]
    toward: int | None = None
    group: tuple[Any, ...] = field(default=(), compare=False)

    def apply(self, draws: ScenarioDraws, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
        """Positions (n_draws, n_actors) and saliences of the move's issue, per draw."""
        k = self.issue
        pos = draws.positions[:, :, k].copy()
        sal = draws.salience[:, :, k].copy()
        for i, what, delta in self.edits:
            if what == "salience":
                sal[:, i] = np.clip(sal[:, i] + delta / 100.0, 0.0, 1.0)
            elif self.toward is not None:
                gap = draws.positions[:, self.toward, k] - pos[:, i]
                pos[:, i] += np.clip(gap, -abs(delta), abs(delta))
            else:
                pos[:, i] = np.clip(pos[:, i] + delta, lo, hi)
        return pos, sal


def _participants(draws: ScenarioDraws, k: int) -> list[int]:
    return [int(i) for i in np.flatnonzero(draws.mask[:, k])]


def candidate_moves(point: ScenarioDraws, a: int) -> list[Move]:
    """Every single move of :data:`KINDS` but coalitions, sized from the point values."""
    moves: list[Move] = []
    for k in range(point.n_issues):
        if not point.mask[a, k]:
            continue
        lo, hi = (float(v) for v in point.scale[k])
        r = hi - lo
        xa = float(point.positions[0, a, k])
        for f in OWN_SHIFTS:
            for sign in (1.0, -1.0):
                moves.append(Move("own_position", (a,), k, ((a, "position", sign * f * r),),
                                  group=("own_position", (a,), k, a)))
        for ds in SALIENCE_SHIFTS:
            for sign in (1.0, -1.0):
                moves.append(Move("own_salience", (a,), k, ((a, "salience", sign * ds),),
                                  group=("own_salience", (a,), k, a)))
        for j in _participants(point, k):
            if j == a:
                continue
            xj = float(point.positions[0, j, k])
            to = 1.0 if xa > xj else -1.0
            for f in PERSUADE_SHIFTS:
                moves.append(Move("persuade_position", (j,), k, ((j, "position", f * r),),
                                  toward=a, group=("persuade_position", (j,), k, "toward", a)))
                moves.append(Move("persuade_position", (j,), k, ((j, "position", -to * f * r),),
                                  group=("persuade_position", (j,), k, "away", a)))
            for ds in SALIENCE_SHIFTS:
                for sign in (1.0, -1.0):
                    moves.append(Move("persuade_salience", (j,), k, ((j, "salience", sign * ds),),
                                      group=("persuade_salience", (j,), k, sign, a)))
    return [m for m in moves if _changes_something(m, point)]


def coalition_moves(point: ScenarioDraws, a: int, k: int, pool: Sequence[int]) -> list[Move]:
    """Two- and three-actor coalitions from ``pool`` moving together towards ``a``'s ideal."""
    r = float(point.scale[k, 1] - point.scale[k, 0])
    out = []
    for size in (2, 3):
        for members in itertools.combinations(sorted(pool), size):
            for f in PERSUADE_SHIFTS:
                edits = tuple((j, "position", f * r) for j in members)
                m = Move("coalition", tuple(members), k, edits, toward=a,
                         group=("coalition", tuple(members), k, a))
                if _changes_something(m, point):
                    out.append(m)
    return out


def _changes_something(m: Move, point: ScenarioDraws) -> bool:
    lo, hi = (float(v) for v in point.scale[m.issue])
    pos, sal = m.apply(point, lo, hi)
    k = m.issue
    return bool(np.any(pos != point.positions[:, :, k]) or np.any(sal != point.salience[:, :, k]))


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


def utility(forecast: np.ndarray, draws: ScenarioDraws, a: int) -> np.ndarray:
    """``U_a`` per draw (see the module docstring); forecast (n_draws, n_issues)."""
    r = draws.scale[:, 1] - draws.scale[:, 0]
    s = np.where(draws.mask[a], draws.salience[:, a, :], 0.0)
    dist = 100.0 * np.abs(forecast - draws.positions[:, a, :]) / r
    total = s.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, -(s * dist).sum(axis=1) / total, 0.0)


def _issue_draws(draws: ScenarioDraws, k: int) -> ScenarioDraws:
    """The scenario restricted to issue ``k`` (for models that solve issues one by one)."""
    return replace(
        draws,
        positions=draws.positions[:, :, k : k + 1],
        salience=draws.salience[:, :, k : k + 1],
        mask=draws.mask[:, k : k + 1],
        scale=draws.scale[k : k + 1],
        status_quo=draws.status_quo[k : k + 1],
        issue_ids=(draws.issue_ids[k],),
    )


@dataclass
class _Evaluator:
    """Runs a model on stacks of moved scenarios; forecasts (n_moves, n_draws, n_issues)."""

    model: Model
    draws: ScenarioDraws
    seed: int
    runs: int = 0

    @property
    def per_issue(self) -> bool:
        return isinstance(self.model, IssueModel)

    def _run(self, d: ScenarioDraws) -> np.ndarray:
        self.runs += d.n_draws
        return self.model.run(d, rng=np.random.default_rng(self.seed)).forecast

    def baseline(self) -> np.ndarray:
        return self._run(self.draws)

    def forecasts(self, moves: Sequence[Move], base: np.ndarray) -> np.ndarray:
        """Forecast of every issue under each move; only the moved issue is re-run for
        issue-by-issue models (the others keep ``base``)."""
        d = self.draws
        n = d.n_draws
        out = np.broadcast_to(base, (len(moves), *base.shape)).copy()
        per_call = max(1, BATCH // max(n, 1))
        groups: dict[int, list[int]] = {}
        for idx, m in enumerate(moves):
            groups.setdefault(m.issue if self.per_issue else -1, []).append(idx)
        for k, idxs in groups.items():
            src = _issue_draws(d, k) if k >= 0 else d
            for start in range(0, len(idxs), per_call):
                chunk = idxs[start : start + per_call]
                pos = np.repeat(src.positions[None], len(chunk), axis=0)
                sal = np.repeat(src.salience[None], len(chunk), axis=0)
                for c, idx in enumerate(chunk):
                    m = moves[idx]
                    lo, hi = (float(v) for v in d.scale[m.issue])
                    col = 0 if k >= 0 else m.issue
                    pos[c, :, :, col], sal[c, :, :, col] = m.apply(d, lo, hi)
                stacked = replace(
                    src,
                    positions=pos.reshape(len(chunk) * n, *src.positions.shape[1:]),
                    salience=sal.reshape(len(chunk) * n, *src.salience.shape[1:]),
                    capability=np.tile(src.capability, (len(chunk), 1)),
                )
                fc = self._run(stacked).reshape(len(chunk), n, -1)
                if k >= 0:
                    out[chunk, :, k] = fc[:, :, 0]
                else:
                    out[chunk] = fc
        return out


# --------------------------------------------------------------------------------------------
# The search
# --------------------------------------------------------------------------------------------


def _best_per_group(moves: list[Move], gains: np.ndarray) -> dict[tuple[Any, ...], int]:
    """Index of the best-sized move of every (kind, actors, issue, direction) group."""
    best: dict[tuple[Any, ...], int] = {}
    mean = gains.mean(axis=1)
    for idx, m in enumerate(moves):
        g = m.group
        if g not in best or mean[idx] > mean[best[g]]:
            best[g] = idx
    return best


def _screen(
    ev: _Evaluator, point: ScenarioDraws, a: int
) -> tuple[list[Move], np.ndarray, int]:
    """Stage 1: every move on the screening draws; returns the best size per group, its
    gains and how many moves were screened."""
    base = ev.baseline()
    u0 = utility(base, ev.draws, a)
    singles = candidate_moves(point, a)
    g1 = utility_gain(ev, singles, base, u0, a)
    best = _best_per_group(singles, g1)
    chosen = [singles[i] for i in best.values()]
    gains = [g1[i] for i in best.values()]
    # coalitions: from the most useful single persuasions towards the ideal, per issue
    coalitions: list[Move] = []
    for k in range(point.n_issues):
        if not point.mask[a, k]:
            continue
        ranked = sorted(
            (
                (float(g1[i].mean()), singles[i].actors[0])
                for i in best.values()
                if singles[i].kind == "persuade_position" and singles[i].issue == k
                and singles[i].group[3] == "toward"
            ),
            reverse=True,
        )
        pool = list(dict.fromkeys(j for _, j in ranked))[:COALITION_POOL]
        if len(pool) >= 2:
            coalitions += coalition_moves(point, a, k, pool)
    if coalitions:
        gc = utility_gain(ev, coalitions, base, u0, a)
        bestc = _best_per_group(coalitions, gc)
        chosen += [coalitions[i] for i in bestc.values()]
        gains += [gc[i] for i in bestc.values()]
    return chosen, np.array(gains).reshape(len(chosen), -1), len(singles) + len(coalitions)


def utility_gain(
    ev: _Evaluator, moves: Sequence[Move], base: np.ndarray, u0: np.ndarray, a: int
) -> np.ndarray:
    """Gain in ``U_a`` of each move in each draw, shape (n_moves, n_draws)."""
    if not moves:
        return np.empty((0, ev.draws.n_draws))
    fc = ev.forecasts(moves, base)
    return np.stack([utility(f, ev.draws, a) - u0 for f in fc])


def _select(moves: list[Move], gains: np.ndarray) -> list[Move]:
    """The moves worth confirming: the best :data:`CONFIRM` overall, the best of every kind.

    A coalition is dropped unless it beats, on the screening draws, every smaller group of its
    members (each member alone and every pair) by :data:`COALITION_MARGIN`: a partner that
    adds nothing is not worth asking.
    """
    mean = gains.mean(axis=1)
    by_group = {m.group: float(mean[i]) for i, m in enumerate(moves)}

    def adds_value(m: Move) -> bool:
        if m.kind != "coalition":
            return True
        k, a = m.issue, m.group[-1]
        subs = [("persuade_position", (j,), k, "toward", a) for j in m.actors]
        subs += [("coalition", pair, k, a) for pair in itertools.combinations(m.actors, 2)
                 if len(m.actors) == 3]
        best_sub = max((by_group.get(g, -np.inf) for g in subs), default=-np.inf)
        return by_group[m.group] > best_sub + COALITION_MARGIN

    order = [i for i in np.argsort(-mean, kind="stable") if adds_value(moves[i])]
    keep = list(order[:CONFIRM])
    for kind in KINDS:
        keep += [i for i in order if moves[i].kind == kind][:PER_KIND]
    return [moves[i] for i in dict.fromkeys(int(i) for i in keep)]


def advise(
    scenario: Scenario,
    actor: str,
    *,
    model: str | None = None,
    n_draws: int = 1000,
    seed: int = 0,
    level: float = 0.8,
    overrides: dict[str, dict[str, Any]] | None = None,
    source: str = "<scenario>",
    progress: Any = None,
) -> dict[str, Any]:
    """The ``accord advise --json`` document for ``actor`` (see the module docstring).

    ``progress``, when given, is called with a short message at each stage.
    """
    from accord.forecast import build_models
    from accord.uncertainty.sampling import (
        child_seed,
        sample_scenario,
        scenario_inputs,
        seed_sequence,
    )

    ids = [x.id for x in scenario.actors]
    if actor not in ids:
        raise InputError(
            f"unknown actor {actor!r}.", field="--actor", fix=f"use one of: {', '.join(ids)}."
        )
    name = model or DEFAULT_MODEL
    m = build_models(scenario, [name], overrides, source=source)[0]
    if "trace" in m._param_names():
        m.set_params(trace=False)  # per-draw traces are not read here
    a = ids.index(actor)
    point = to_arrays(scenario, 1)
    # no ranges, or no draws asked for (n_draws=0): the scenario as written, one evaluation
    ranged = scenario_inputs(scenario).n_inputs > 0 and n_draws > 0
    root = seed_sequence(seed)
    n_eval = n_draws if ranged else 1
    draws = sample_scenario(scenario, n_eval, rng=root) if ranged else point
    screen_n = SCREEN_DRAWS if isinstance(m, IssueModel) else SCREEN_DRAWS_JOINT
    screen = (
        sample_scenario(scenario, min(screen_n, n_draws), rng=child_seed(root, 7))
        if ranged
        else point
    )
    say = progress or (lambda _msg: None)
    say(f"screening moves on {screen.n_draws} draws")
    ev1 = _Evaluator(m, screen, seed)
    moves, g1, n_screened = _screen(ev1, point, a)
    finalists = _select(moves, g1)
    say(f"confirming {len(finalists)} moves on {draws.n_draws} draws")
    ev2 = _Evaluator(m, draws, seed)
    base = ev2.baseline()
    u0 = utility(base, draws, a)
    g2 = utility_gain(ev2, finalists, base, u0, a)
    fc2 = ev2.forecasts(finalists, base) if finalists else np.empty((0, *base.shape))
    tail = (1.0 - level) / 2.0
    rows = []
    for idx, mv in enumerate(finalists):
        g = g2[idx]
        rows.append(
            _row(scenario, point, mv, a, g, fc2[idx, :, mv.issue] - base[:, mv.issue], tail)
        )
    rows.sort(key=lambda r: (-r["gain"], r["kind"], r["actor"], r["issue"]))
    for rank, r in enumerate(rows, start=1):
        r["rank"] = rank
    return {
        "scenario": scenario.name,
        "actor": actor,
        "model": name,
        "params": m.get_params(),
        "draws": n_draws,
        "draws_evaluated": draws.n_draws,
        "seed": seed,
        "level": level,
        "note": None if ranged else (
            "evaluated on the scenario as written (no input has an uncertainty range, or no "
            "draws were asked for): intervals are single points and share_helping is 0 or 1"
        ),
        "utility": _utility_doc(scenario, draws, base, u0, a, tail),
        "moves": rows,
        "search": {
            "screened": n_screened,
            "groups": len(moves),
            "screening_draws": screen.n_draws,
            "confirmed": len(finalists),
            "model_runs": ev1.runs + ev2.runs,
            "definition": (
                "gain = change of the actor's utility U = -(salience-weighted mean distance "
                "between forecast and ideal, points of a 0-100 scale); mean over draws, "
                f"{level:.0%} interval, share of draws with gain > 0"
            ),
        },
    }


def _r(x: float) -> float:
    return round(float(x), 6)


def _row(
    scenario: Scenario,
    point: ScenarioDraws,
    mv: Move,
    a: int,
    gain: np.ndarray,
    dfc: np.ndarray,
    tail: float,
) -> dict[str, Any]:
    ids = point.actor_ids
    k = mv.issue
    lo, hi = (float(v) for v in point.scale[k])
    pos, sal = mv.apply(point, lo, hi)
    members = {}
    for i in mv.actors:
        if mv.kind in ("own_salience", "persuade_salience"):
            members[ids[i]] = {"salience_from": _r(100 * point.salience[0, i, k]),
                               "salience_to": _r(100 * sal[0, i])}
        else:
            members[ids[i]] = {"from": _r(point.positions[0, i, k]), "to": _r(pos[0, i])}
    first = next(iter(members.values()))
    if "from" in first:
        change: dict[str, Any] = {"what": "position", "by": _r(first["to"] - first["from"]),
                                  **first}
    else:
        change = {"what": "salience", "by": _r(first["salience_to"] - first["salience_from"]),
                  **first}
    if mv.kind == "coalition":
        change = {"what": "position", "towards": ids[a], "members": members,
                  "by": _r(abs(mv.edits[0][2]))}
    qlo, qhi = np.quantile(gain, [tail, 1.0 - tail]) if gain.size else (0.0, 0.0)
    return {
        "kind": mv.kind,
        "actor": "+".join(ids[i] for i in mv.actors),
        "actors": [ids[i] for i in mv.actors],
        "issue": point.issue_ids[k],
        "change": change,
        "gain": _r(gain.mean()),
        "interval": [_r(qlo), _r(qhi)],
        "share_helping": _r((gain > HELPS).mean()),
        "share_hurting": _r((gain < -HELPS).mean()),
        "forecast_change": _r(dfc.mean()),
        "description": describe(scenario, mv.kind, members, point.issue_ids[k], ids[a]),
    }


def describe(
    scenario: Scenario, kind: str, members: dict[str, dict[str, float]], issue: str, actor: str
) -> str:
    """One sentence for a move (names and labels from the scenario)."""
    names = {x.id: x.name or x.id for x in scenario.actors}
    label = next((i.label or i.id for i in scenario.issues if i.id == issue), issue)
    who = " + ".join(names.get(x, x) for x in members)
    first = next(iter(members.values()))
    if kind == "own_position":
        return f"state {_fmt(first['to'])} instead of {_fmt(first['from'])} on {label}"
    if kind == "own_salience":
        more = "more" if first["salience_to"] > first["salience_from"] else "less"
        return (f"say it cares {more} about {label} (salience {_fmt(first['salience_from'])} → "
                f"{_fmt(first['salience_to'])})")
    if kind == "persuade_salience":
        more = "more" if first["salience_to"] > first["salience_from"] else "less"
        return (f"persuade {who} to care {more} about {label} (salience "
                f"{_fmt(first['salience_from'])} → {_fmt(first['salience_to'])})")
    if kind == "persuade_position":
        return (f"persuade {who} to move from {_fmt(first['from'])} to {_fmt(first['to'])} "
                f"on {label}")
    moves = ", ".join(f"{names.get(x, x)} {_fmt(v['from'])} → {_fmt(v['to'])}"
                      for x, v in members.items())
    return f"coalition {who} moves towards {names.get(actor, actor)} on {label} ({moves})"


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _utility_doc(
    scenario: Scenario, draws: ScenarioDraws, base: np.ndarray, u0: np.ndarray, a: int,
    tail: float,
) -> dict[str, Any]:
    per_issue = {}
    for k, iss in enumerate(scenario.issues):
        if not draws.mask[a, k]:
            continue
        r = float(draws.scale[k, 1] - draws.scale[k, 0])
        per_issue[iss.id] = {
            "ideal": _r(draws.positions[:, a, k].mean()),
            "salience": _r(100 * draws.salience[:, a, k].mean()),
            "forecast": _r(base[:, k].mean()),
            "distance": _r((100 * np.abs(base[:, k] - draws.positions[:, a, k]) / r).mean()),
        }
    lo, hi = np.quantile(u0, [tail, 1.0 - tail])
    return {
        "expected": _r(u0.mean()),
        "interval": [_r(lo), _r(hi)],
        "best_possible": 0.0,
        "definition": (
            "U = -(sum over issues of salience x 100 |forecast - ideal| / scale range) / (sum "
            "of salience): minus the salience-weighted mean distance, points of a 0-100 scale"
        ),
        "issues": per_issue,
    }


__all__ = ["DEFAULT_MODEL", "KINDS", "Move", "advise", "candidate_moves", "utility"]
