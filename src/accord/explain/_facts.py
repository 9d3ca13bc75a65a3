"""Why a model's forecast of one issue lands where it does, from the model's own result.

One function per model, each a pure function of the :class:`~accord.models.ModelResult` (first
draw), the scenario's arrays and the actors' display names; it returns the facts (numbers and
ids) and a summary sentence built only from those facts. Models without their own function get
:func:`_generic` (the pivotal actors still say whose inputs matter).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from accord.explain._settling import settling_note
from accord.models import ModelResult
from accord.scenario import ScenarioDraws

Names = Mapping[str, str]
Facts = dict[str, Any]


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x)) < 5e-3 else f"{x:.2f}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class IssueView:
    """The first draw of one issue: participants' ids, positions, weights and the forecast."""

    def __init__(self, result: ModelResult, draws: ScenarioDraws, k: int, names: Names) -> None:
        self.k = k
        self.issue = result.issue_ids[k]
        sel = np.flatnonzero(draws.mask[:, k])
        self.ids = [draws.actor_ids[i] for i in sel]
        self.x = draws.positions[0, sel, k].astype(float)
        self.c = draws.capability[0, sel].astype(float)
        self.s = draws.salience[0, sel, k].astype(float)
        self.w = self.c * self.s
        total = self.w.sum()
        self.share = self.w / total if total > 0 else np.full(len(sel), 1.0 / max(len(sel), 1))
        self.lo, self.hi = (float(v) for v in draws.scale[k])
        self.r = self.hi - self.lo
        sq = float(draws.status_quo[k])
        self.status_quo = None if math.isnan(sq) else sq
        self.forecast = float(result.forecast[0, k])
        self.names = names
        self.capability = dict(zip(draws.actor_ids, draws.capability[0].tolist(), strict=True))

    def name(self, actor: str) -> str:
        return self.names.get(actor, actor)

    def at(self, j: int) -> str:
        return f"{self.name(self.ids[j])} (at {_num(self.x[j])})"


def _compromise(result: ModelResult, v: IssueView) -> Facts:
    """Weighted mean: who carries the weight and who pulls the mean furthest."""
    f = v.forecast
    # leaving actor i out moves the mean by share_i (f - x_i) / (1 - share_i)
    with np.errstate(divide="ignore", invalid="ignore"):
        loo = np.where(v.share < 1, v.share * (f - v.x) / (1 - v.share), 0.0)
    heavy = int(np.argmax(v.share))
    up, down = int(np.argmin(loo)), int(np.argmax(loo))  # leaving out an upward puller lowers
    facts = {
        "rule": "capability x salience weighted mean of the positions",
        "heaviest": {"actor": v.ids[heavy], "share": round(float(v.share[heavy]), 4)},
        "without": {a: round(float(f + d), 6) for a, d in zip(v.ids, loo, strict=True)},
    }
    text = (
        f"Compromise: the capability × salience weighted mean of the positions is {_num(f)}. "
        f"{v.at(heavy)} carries the most weight ({v.share[heavy]:.0%})."
    )
    if loo[up] < 0:
        text += f" {v.name(v.ids[up])} pulls it up most: without it the mean would be " \
                f"{_num(f + loo[up])}."
        facts["pulls_up"] = v.ids[up]
    if loo[down] > 0:
        text += f" {v.name(v.ids[down])} pulls it down most: without it the mean would be " \
                f"{_num(f + loo[down])}."
        facts["pulls_down"] = v.ids[down]
    facts["key_actors"] = list(dict.fromkeys([v.ids[heavy], v.ids[up], v.ids[down]]))
    return {"summary": text, "facts": facts}


def _median(result: ModelResult, v: IssueView) -> Facts:
    """Weighted median: the pivotal actor where the cumulative weight reaches half."""
    f = v.forecast
    at = np.flatnonzero(np.abs(v.x - f) <= 1e-9 * v.r)
    below = float(v.share[v.x < f - 1e-9 * v.r].sum())
    above = float(v.share[v.x > f + 1e-9 * v.r].sum())
    pivot = [v.ids[j] for j in at]
    facts: Facts = {
        "rule": "position where the cumulative weight, sorted by position, first reaches half",
        "pivotal": pivot,
        "share_below": round(below, 4),
        "share_at": round(1 - below - above, 4),
        "share_above": round(above, 4),
        "key_actors": pivot,
    }
    who = _join([v.name(a) for a in pivot]) or "no actor"
    text = (
        f"Median: {who} at {_num(f)} {'is' if len(pivot) == 1 else 'are'} pivotal: actors below "
        f"hold {below:.0%} of the weight, at {_num(f)} {1 - below - above:.0%}, above "
        f"{above:.0%}, so neither side has half without {who}. Moves by others that do not "
        f"cross {_num(f)} leave the forecast where it is."
    )
    return {"summary": text, "facts": facts}


def _nash(result: ModelResult, v: IssueView) -> Facts:
    """Nash bargaining: which actors bound the agreements that beat the status quo."""
    f = v.forecast
    use_sq = bool(result.params.get("use_status_quo", True))
    d = v.status_quo if use_sq else None
    active = v.w > 0
    if d is None:
        mean = float((v.share * v.x).sum())
        why = "none is given" if v.status_quo is None else "use_status_quo is off"
        text = (
            f"Nash: no status quo ({why}), so disagreement is taken to be far away for "
            f"everyone; the weighted product of gains peaks at {_num(f)}, close to the "
            f"compromise mean {_num(mean)}."
        )
        heavy = int(np.argmax(v.share))
        return {
            "summary": text,
            "facts": {"status_quo": None, "compromise_mean": round(mean, 6),
                      "key_actors": [v.ids[heavy]]},
        }
    tol = 1e-9 * v.r
    a = np.minimum(d, 2 * v.x - d)
    b = np.maximum(d, 2 * v.x - d)
    left = max(float(np.where(active, a, -np.inf).max()), v.lo)
    right = min(float(np.where(active, b, np.inf).min()), v.hi)
    facts: Facts = {"status_quo": d, "feasible": [round(left, 6), round(right, 6)]}
    if right - left <= 1e-12 * v.r:
        at_sq = [j for j in np.flatnonzero(active) if abs(v.x[j] - d) <= tol]
        if at_sq:
            who = _join([v.name(v.ids[j]) for j in at_sq])
            text = (
                f"Nash: {who} {'sits' if len(at_sq) == 1 else 'sit'} at the status quo "
                f"{_num(d)}; no agreement beats it for {who}, so the status quo stands."
            )
            facts.update(reason="actor at the status quo", blockers=[v.ids[j] for j in at_sq])
        else:
            lo_side = [j for j in np.flatnonzero(active) if v.x[j] < d]
            hi_side = [j for j in np.flatnonzero(active) if v.x[j] > d]
            jl = max(lo_side, key=lambda j: v.share[j])
            jh = max(hi_side, key=lambda j: v.share[j])
            text = (
                f"Nash: {v.at(jl)} wants less than the status quo {_num(d)} and {v.at(jh)} "
                f"wants more; no agreement is better than {_num(d)} for both, so the status "
                "quo stands."
            )
            facts.update(reason="actors on both sides of the status quo",
                         blockers=[v.ids[jl], v.ids[jh]])
        facts["key_actors"] = facts["blockers"]
        return {"summary": text, "facts": facts}
    bounds = []
    jl = int(np.argmax(np.where(active, a, -np.inf)))
    jr = int(np.argmin(np.where(active, b, np.inf)))
    # a bound other than the status quo itself and the scale's end is 2 x_j - d: actor j,
    # beyond which it would rather keep the status quo
    if v.lo + tol < left < d - tol:
        bounds.append(f"below by {v.at(jl)}")
        facts["bound_below"] = v.ids[jl]
    if d + tol < right < v.hi - tol:
        bounds.append(f"above by {v.at(jr)}")
        facts["bound_above"] = v.ids[jr]
    text = (
        f"Nash: every actor must gain over the status quo {_num(d)}, which leaves agreements "
        f"between {_num(left)} and {_num(right)}"
        + (f" (bounded {' and '.join(bounds)})" if bounds else "")
        + f"; within them the weighted product of gains peaks at {_num(f)}."
    )
    if min(abs(f - left), abs(f - right)) <= 1e-6 * v.r:
        text += " The forecast sits on that bound: the bounding actor decides it."
    facts["key_actors"] = [facts[k] for k in ("bound_below", "bound_above") if k in facts]
    return {"summary": text, "facts": facts}


def _settle_text(result: ModelResult, v: IssueView) -> tuple[str, dict[str, Any] | None]:
    tr = result.traces.get(v.issue)
    st = getattr(tr, "settling", None)
    if st is None:
        return "", None
    rec = st.record(0)
    note = settling_note({"model": result.model, "issue": v.issue, "forecast": v.forecast, **rec})
    if note is None:
        return f" It converged after {rec['rounds_run']} rounds.", rec
    return " " + note.split(": ", 1)[1][0].upper() + note.split(": ", 1)[1][1:], rec


def _eum(result: ModelResult, v: IssueView) -> Facts:
    """EUM: who challenged whom, who gave way, in which round; where the median went."""
    tr = result.traces.get(v.issue)
    moves = [m for rnd in (tr.moves if tr is not None else []) for m in rnd]
    med = tr.median[0] if tr is not None else np.array([v.forecast])
    settle_txt, rec = _settle_text(result, v)
    big = sorted(moves, key=lambda m: -abs(m["to"] - m["from"]))[:3]
    gave = Counter(m["actor"] for m in moves)
    won = Counter(m["challenger"] for m in moves)
    facts: Facts = {
        "rounds": int(len(med) - 1),
        "median_path": [round(float(x), 6) for x in med],
        "moves": len(moves),
        "largest_moves": [
            {k: m[k] for k in ("round", "actor", "challenger", "kind", "from", "to")} for m in big
        ],
        "gave_way": dict(gave.most_common()),
        "prevailed": dict(won.most_common()),
        "settling": rec,
    }
    if not moves:
        text = (
            f"EUM: in {len(med) - 1} rounds nobody expected to gain from challenging anybody, "
            f"so the positions stay and the forecast is the weighted median {_num(v.forecast)} "
            "of the stated positions."
        )
        facts["key_actors"] = []
        return {"summary": text, "facts": facts}
    parts = [
        f"in round {m['round']} {v.name(m['actor'])} gave way to {v.name(m['challenger'])} "
        f"({m['kind']}: {_num(m['from'])} → {_num(m['to'])})"
        for m in big
    ]
    top = won.most_common(1)[0][0]
    text = (
        f"EUM: the median starts at {_num(float(med[0]))} (weighted median of the stated "
        f"positions) and is at {_num(float(med[-1]))} after round {len(med) - 1}. "
        f"{_count(len(moves), 'move')}; the largest: {'; '.join(parts)}. "
        f"{v.name(top)} prevailed most often ({_count(won[top], 'challenge')})."
        + settle_txt
    )
    facts["key_actors"] = list(dict.fromkeys([top, *(m["actor"] for m in big)]))
    return {"summary": text, "facts": facts}


def _smp(result: ModelResult, v: IssueView) -> Facts:
    """SMP: the winning coalition (most probable final position) and the bargains on it."""
    ex = result.extra
    reps = list(ex.get("final_unique_actors", []))
    probs = list(ex.get("final_unique_probs", []))
    finals = ex.get("positions", [[]])[-1]
    settle_txt, rec = _settle_text(result, v)
    if not reps or not finals:
        return _generic(result, v)
    ids = list(result.actor_ids)
    final = np.asarray(finals, dtype=float)  # (actors, issues) on the issues' scales
    rep_rows = np.array([final[ids.index(a)] for a in reps])
    # every actor belongs to the unique final position nearest its own (KTAB merges within tol)
    group = [int(np.argmin(np.abs(rep_rows - final[i]).sum(axis=1))) for i in range(len(ids))]
    best = int(np.argmax(probs))
    members = [ids[i] for i in range(len(ids)) if group[i] == best]
    coord = float(rep_rows[best, v.k])
    facts: Facts = {
        "turns": ex.get("turns"),
        "stopped_by": ex.get("stopped_by"),
        "clusters": [
            {"position": round(float(rep_rows[g, v.k]), 6), "probability": round(float(p), 6),
             "actors": [ids[i] for i in range(len(ids)) if group[i] == g]}
            for g, p in enumerate(probs)
        ],
        "winning_coalition": members,
        "settling": rec,
    }
    cap = sum(v.capability[a] for a in members) / sum(v.capability.values())
    facts["coalition_capability_share"] = round(float(cap), 4)
    tr = result.traces.get(v.issue)
    moved = Counter(m["actor"] for rnd in (tr.moves if tr is not None else []) for m in rnd)
    stop = (
        "moves fell below the stop threshold" if ex.get("stopped_by") == "fractional_change"
        else "the turn limit was reached"
    )
    text = (
        f"SMP: after {ex.get('turns')} turns ({stop}) the actors' final positions form "
        f"{_count(len(reps), 'cluster')}; the most probable "
        f"({probs[best]:.0%}) is "
        + (
            f"the winning coalition {_join([v.name(a) for a in members])} ({cap:.0%} of "
            "capability)"
            if len(members) > 1
            else f"held by {v.name(members[0])} alone ({cap:.0%} of capability)"
        )
        + f", at {_num(coord)} on this issue. The forecast {_num(v.forecast)} is the "
        "probability-weighted mean of the clusters' positions."
    )
    if moved:
        text += " Bargains moved " + _join(
            [f"{v.name(a)} ({_count(n, 'turn')})" for a, n in moved.most_common(3)]
        ) + " on this issue."
    text += settle_txt if rec and not rec["converged"] else ""
    facts["key_actors"] = members
    return {"summary": text, "facts": facts}


def _exchange(result: ModelResult, v: IssueView) -> Facts:
    """Exchange model: which trades moved the issue, from the compromise mean to the forecast."""
    trades = [e for e in result.extra.get("exchanges", []) if v.issue in e.get("issues", [])]
    tr = result.traces.get(v.issue)
    start = float(tr.mean[0, 0]) if tr is not None else v.forecast
    facts: Facts = {
        "start": round(start, 6),
        "trades": [
            {"step": e["step"], "actors": e["actors"], "issues": e["issues"],
             "summary": e["summary"], "outcome": e["outcome_shift"][v.issue]}
            for e in trades
        ],
    }
    if not trades:
        text = (
            f"Exchange: no trade involved this issue, so the forecast is the expected outcome "
            f"before trading, the compromise mean {_num(v.forecast)}."
        )
        facts["key_actors"] = []
        return {"summary": text, "facts": facts}
    parts = []
    for e in sorted(trades, key=lambda e: -abs(e["outcome_shift"][v.issue][1]
                                               - e["outcome_shift"][v.issue][0]))[:3]:
        a, b = e["outcome_shift"][v.issue]
        give = next(g for g in e["gives"] if g["issue"] == v.issue)
        other = next(i for i in e["issues"] if i != v.issue)
        parts.append(
            f"#{e['step']} {v.name(give['actor'])} moved towards {v.name(give['to_benefit_of'])} "
            f"in return for a move on {other} ({_num(a)} → {_num(b)})"
        )
    text = (
        f"Exchange: the expected outcome starts at the compromise mean {_num(start)}; "
        f"{_count(len(trades), 'trade')} moved it to {_num(v.forecast)}. "
        f"Largest: {'; '.join(parts)}."
    )
    facts["key_actors"] = list(dict.fromkeys(a for e in trades for a in e["actors"]))
    return {"summary": text, "facts": facts}


def _calibrated(result: ModelResult, v: IssueView) -> Facts:
    """Fitted distribution: its median and interval, and the features that moved it most."""
    from accord.headline import CAVEAT
    from accord.models import (
        FEATURE_LABELS,
        calibrated_quantiles,
        feature_effects,
        load_coefficients,
    )

    coef = load_coefficients(result.params.get("coefficients"))
    sq = math.nan if v.status_quo is None else v.status_quo
    eff = feature_effects(coef, v.x[None], v.s[None], v.c[None], v.lo, v.hi, sq)[:3]
    p = result.predictive
    q = calibrated_quantiles(p.dist[0, v.k], (0.1, 0.9), p.table)
    lo, hi = (v.lo + float(x) * v.r / 100.0 for x in q)
    at = [j for j in range(len(v.ids)) if abs(v.x[j] - v.forecast) <= 0.005 * v.r]
    heavy = int(np.argmax(v.share))
    drivers = [
        {"feature": e["feature"], "label": FEATURE_LABELS[e["feature"]],
         "moved": round(e["moved"], 4), "median_without": round(e["median_without"], 6)}
        for e in eff
    ]
    verb = "holds" if len(at) == 1 else "hold"
    held = f"; {_join([v.at(j) for j in at])} {verb} it" if at else ""
    text = (
        f"Calibrated: the median of a distribution fitted on real decisions is "
        f"{_num(v.forecast)} (80 % interval {_num(lo)}–{_num(hi)}){held}. Moved most by "
        + _join([d["label"] for d in drivers]) + f". {CAVEAT}"
    )
    facts = {
        "rule": "median of a fitted predictive distribution over the scale",
        "interval80": [round(lo, 6), round(hi, 6)],
        "drivers": drivers,
        "caveat": CAVEAT,
        "key_actors": [v.ids[j] for j in at] or [v.ids[heavy]],
    }
    return {"summary": text, "facts": facts}


def _generic(result: ModelResult, v: IssueView) -> Facts:
    heavy = int(np.argmax(v.share))
    text = (
        f"{result.model}: forecast {_num(v.forecast)}. This model has no explanation of its own "
        f"yet; the pivotal actors below show whose inputs move it. {v.at(heavy)} carries the "
        f"most weight ({v.share[heavy]:.0%})."
    )
    return {"summary": text, "facts": {"key_actors": [v.ids[heavy]]}}


EXPLAINERS: dict[str, Callable[[ModelResult, IssueView], Facts]] = {
    "compromise": _compromise,
    "median": _median,
    "nash": _nash,
    "eum": _eum,
    "smp": _smp,
    "exchange": _exchange,
    "calibrated": _calibrated,
}


def explain_issue(
    result: ModelResult, draws: ScenarioDraws, k: int, names: Names | None = None
) -> dict[str, Any]:
    """Summary, facts and key actors of one model on issue ``k`` (first draw)."""
    v = IssueView(result, draws, k, names or {})
    out = EXPLAINERS.get(result.model, _generic)(result, v)
    return {
        "model": result.model,
        "issue": v.issue,
        "forecast": round(v.forecast, 6),
        "summary": out["summary"],
        "key_actors": out["facts"].pop("key_actors", []),
        "facts": out["facts"],
        "actors": [
            {"actor": a, "position": round(float(x), 6), "weight_share": round(float(s), 6)}
            for a, x, s in zip(v.ids, v.x, v.share, strict=True)
        ],
    }
