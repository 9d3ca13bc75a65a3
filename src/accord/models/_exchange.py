"""Stokman & Van Oosten's exchange model: trading voting positions across pairs of issues.

Stokman, F. N. & Van Oosten, R. (1994), "The exchange of voting positions: an object-oriented
model of policy networks", in Bueno de Mesquita, B. & Stokman, F. N. (eds.), *European
Community Decision Making*, Yale University Press, 105-127. Written from the model's
equations (see also Van Assen, Stokman & Van Oosten 2003, *Rationality and Society* 15(1),
and Arregui, Stokman & Thomson 2006 in *The European Union Decides*).

Model (positions rescaled to [0, 1] per issue, salience s on 0-1, capability c):

* expected outcome of issue d: the compromise mean of *voting positions* v,
  ``O_d = sum_i c_i s_id v_id / sum_i c_i s_id`` (v starts at the actors' positions x);
* utility: ``U_i = -sum_d s_id |x_id - O_d|``; a shift of O_d by ``dO`` towards x_id is
  worth ``s_id |dO|`` to i, away from it ``-s_id |dO|``;
* an exchange (i, j, p, q): j shifts its voting position on p towards i, i shifts on q
  towards j. It needs i and j on opposite sides of O_p and of O_q, and i relatively more
  interested in p than j (``s_ip s_jq > s_iq s_jp``), so both can gain;
* equal-gain rule: with ``a = |dO_p|`` and ``b = |dO_q|``, i gains ``s_ip a - s_iq b`` and j
  gains ``s_jq b - s_jp a``; equal gains give ``b = a (s_ip + s_jp) / (s_iq + s_jq)`` and the
  common gain ``G = a (s_ip s_jq - s_iq s_jp) / (s_iq + s_jq)``;
* size: as large as possible until a mover reaches its partner's voting position, or an
  outcome reaches the position of the actor it moves towards (beyond it, that actor would
  stop gaining), whichever binds first.

Sequence (documented choices): all feasible exchanges are evaluated against the current
voting positions and outcomes; the one with the largest gain is made; outcomes are updated;
repeat until no exchange gains more than ``min_gain``. An actor shifts its voting position on
a given issue at most once (it may still receive concessions on it), which bounds the number
of exchanges by n_actors x n_issues. Third parties gain or lose as the outcomes move: these
externalities are reported for every exchange. Actors absent from an issue take no part in it.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numba as nb
import numpy as np

from accord.models._base import Check, IssueTrace, Model, ModelResult
from accord.models._registry import register
from accord.models._settle import settled_by_stop_rule
from accord.models._static import weighted_median
from accord.scenario import ScenarioDraws


def expected_outcome(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Compromise mean per issue: ``sum_i w_id v_id / sum_i w_id``; (n, m) -> (m,)."""
    tot = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        o = (w * v).sum(axis=0) / tot
    return np.where(tot > 0, o, v.mean(axis=0))


def best_exchange(
    x: np.ndarray,
    v: np.ndarray,
    s: np.ndarray,
    w: np.ndarray,
    locked: np.ndarray,
) -> tuple[float, tuple[int, int, int, int], float, float] | None:
    """The most profitable feasible exchange under the equal-gain rule, or None.

    Parameters
    ----------
    x, v, s, w : ndarray (n, m)
        Positions, voting positions, saliences and weights ``c s`` (0 where absent).
    locked : ndarray of bool (n, m)
        True where the actor has already shifted its voting position on the issue.

    Returns
    -------
    (gain, (i, j, p, q), a, b) : i receives on p (j moves), j receives on q (i moves);
    a = |dO_p|, b = |dO_q|.
    """
    n, m = x.shape
    wt = w.sum(axis=0)
    o = expected_outcome(v, w)
    side = np.sign(x - o)  # (n, m): which side of the outcome each actor is on
    # axes: i, j, p, q
    sip = s[:, None, :, None]
    siq = s[:, None, None, :]
    sjp = s[None, :, :, None]
    sjq = s[None, :, None, :]
    rel = sip * sjq - siq * sjp  # > 0: i relatively more interested in p
    opp_p = (side[:, None, :] * side[None, :, :] < 0)[:, :, :, None]
    opp_q = (side[:, None, :] * side[None, :, :] < 0)[:, :, None, :]
    wjp = w[None, :, :, None]
    wiq = w[:, None, None, :]
    can_move = (~locked[None, :, :, None]) & (~locked[:, None, None, :]) & (wjp > 0) & (wiq > 0)
    denom = siq + sjq
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (sip + sjp) / denom  # b = rho * a
        # bounds on a
        a1 = wjp * np.abs(v[:, None, :] - v[None, :, :])[:, :, :, None] / wt[None, None, :, None]
        a2 = np.abs(x - o)[:, None, :, None] * np.ones((1, n, 1, 1))
        b1 = wiq * np.abs(v[None, :, :] - v[:, None, :])[:, :, None, :] / wt[None, None, None, :]
        b2 = np.abs(x - o)[None, :, None, :] * np.ones((n, 1, 1, 1))
        a = np.minimum(np.minimum(a1, a2), np.minimum(b1, b2) / rho)
        gain = a * rel / denom
    ok = opp_p & opp_q & can_move & (rel > 0) & (denom > 0) & np.isfinite(gain)
    ii = np.arange(n)
    pp = np.arange(m)
    ok[ii, ii] = False
    ok[:, :, pp, pp] = False
    gain = np.where(ok, gain, -np.inf)
    flat = int(np.argmax(gain))
    g = float(gain.reshape(-1)[flat])
    if not np.isfinite(g):
        return None
    i, j, p, q = (int(t) for t in np.unravel_index(flat, gain.shape))
    a_ = float(a[i, j, p, q])
    return g, (i, j, p, q), a_, float(rho[i, j, p, q] * a_)


@nb.njit(cache=True)
def _pair_table(
    x: np.ndarray,
    v: np.ndarray,
    s: np.ndarray,
    w: np.ndarray,
    wt: np.ndarray,
    o: np.ndarray,
    side: np.ndarray,
    locked: np.ndarray,
    cols: np.ndarray,
    best_g: np.ndarray,
    best_ij: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Best (i, j) of every issue pair (p, q) with p or q in ``cols``, into the tables.

    Arrays are issue-major, (m, n). The same arithmetic, in the same order, as
    :func:`best_exchange` (the reference), so the gains are bit-identical; ties go to the
    first (i, j) in row-major order, as argmax does. An exchange on (p, q) depends only on
    columns p and q, so after one exchange only the pairs touching its two issues are
    recomputed: O(m n^2) per exchange instead of O(m^2 n^2). Actors are grouped by their
    sides of O_p and O_q: i only meets the js on both opposite sides (a quarter of them).
    """
    m, n = x.shape
    in_cols = np.zeros(m, dtype=np.bool_)
    for c in cols:
        in_cols[c] = True
    grp = np.empty((4, n), dtype=np.int64)  # js (able to move on p) by side pattern
    cnt = np.zeros(4, dtype=np.int64)
    for p in range(m):
        for q in range(m):
            if p == q or not (in_cols[p] or in_cols[q]):
                continue
            for g in range(4):
                cnt[g] = 0
            for j in range(n):
                if locked[p, j] or not w[p, j] > 0.0:
                    continue
                sp = side[p, j]
                sq = side[q, j]
                if sp == 0.0 or sq == 0.0 or not (sp == sp and sq == sq):
                    continue
                g = (2 if sp > 0.0 else 0) + (1 if sq > 0.0 else 0)
                grp[g, cnt[g]] = j
                cnt[g] += 1
            g_best = -np.inf
            bi = -1
            bj = -1
            wtp = wt[p]
            wtq = wt[q]
            op = o[p]
            oq = o[q]
            for i in range(n):
                wiq = w[q, i]
                if locked[q, i] or not wiq > 0.0:
                    continue
                sp = side[p, i]
                sq = side[q, i]
                if sp == 0.0 or sq == 0.0 or not (sp == sp and sq == sq):
                    continue
                g = (0 if sp > 0.0 else 2) + (0 if sq > 0.0 else 1)  # the opposite pattern
                sip = s[p, i]
                siq = s[q, i]
                vip = v[p, i]
                viq = v[q, i]
                a2 = abs(x[p, i] - op)
                # no exchange of i gains more than a2 sip (a <= a2, rel / denom <= sip): skip
                # i when that cannot beat the best so far (margin for rounding; ties kept)
                if a2 * sip * (1.0 + 1e-9) < g_best:
                    continue
                for t in range(cnt[g]):
                    j = grp[g, t]
                    sjp = s[p, j]
                    sjq = s[q, j]
                    rel = sip * sjq - siq * sjp
                    denom = siq + sjq
                    if not (rel > 0.0 and denom > 0.0):
                        continue
                    rho = (sip + sjp) / denom
                    a1 = w[p, j] * abs(vip - v[p, j]) / wtp
                    b1 = wiq * abs(v[q, j] - viq) / wtq
                    b2 = abs(x[q, j] - oq)
                    a = min(a1, a2)
                    bb = min(b1, b2) / rho
                    if bb < a:
                        a = bb
                    gain = a * rel / denom
                    if gain > g_best and np.isfinite(gain):
                        g_best = gain
                        bi = i
                        bj = j
            best_g[p, q] = g_best
            best_ij[p, q, 0] = bi
            best_ij[p, q, 1] = bj


class _Tables:
    """Best exchange per issue pair, kept up to date column by column (see :func:`_pair_table`)."""

    def __init__(self, x: np.ndarray, s: np.ndarray, w: np.ndarray, wt: np.ndarray) -> None:
        n, m = x.shape
        self.g = np.full((m, m), -np.inf)
        self.ij = np.full((m, m, 2), -1, dtype=np.int64)
        # issue-major copies; x, s and w never change, v and locked are updated in place
        self.x, self.s, self.w, self.wt = x, s, w, wt
        self.xt, self.st, self.wtr = (np.ascontiguousarray(a.T) for a in (x, s, w))
        self.vt = np.empty((m, n))
        self.lt = np.empty((m, n), dtype=bool)

    def update(self, v: np.ndarray, locked: np.ndarray, cols: np.ndarray, o: np.ndarray) -> None:
        """Recompute the pairs touching ``cols``; ``o`` is the current expected outcome."""
        self.vt[:] = v.T
        self.lt[:] = locked.T
        side = np.sign(self.xt - o[:, None])
        _pair_table(self.xt, self.vt, self.st, self.wtr, self.wt, o, side, self.lt,
                    np.ascontiguousarray(cols, dtype=np.int64), self.g, self.ij)

    def best(
        self, v: np.ndarray, o: np.ndarray
    ) -> tuple[float, tuple[int, int, int, int], float, float] | None:
        """What :func:`best_exchange` returns: the largest gain, first in (i, j, p, q) order."""
        g = float(self.g.max()) if self.g.size else -np.inf
        if not np.isfinite(g):
            return None
        p_, q_ = np.nonzero(self.g == g)
        keys = [(int(self.ij[p, q, 0]), int(self.ij[p, q, 1]), int(p), int(q))
                for p, q in zip(p_, q_, strict=True)]
        i, j, p, q = min(keys)
        x, s, w, wt = self.x, self.s, self.w, self.wt
        rho = (s[i, p] + s[j, p]) / (s[i, q] + s[j, q])
        a1 = w[j, p] * abs(v[i, p] - v[j, p]) / wt[p]
        a2 = abs(x[i, p] - o[p])
        b1 = w[i, q] * abs(v[j, q] - v[i, q]) / wt[q]
        b2 = abs(x[j, q] - o[q])
        a = float(min(min(a1, a2), min(b1, b2) / rho))
        return g, (i, j, p, q), a, float(rho * a)


def run_exchange(
    x: np.ndarray,
    s: np.ndarray,
    c: np.ndarray,
    mask: np.ndarray,
    *,
    min_gain: float = 1e-9,
    max_exchanges: int | None = None,
    reference: bool = False,
) -> dict[str, Any]:
    """Make exchanges best-first on one draw; positions on [0, 1]. Returns states and a log.

    ``reference=True`` searches all O(n^2 m^2) candidates with :func:`best_exchange` at every
    step (the readable specification); the default keeps the best exchange of each issue pair
    in a table and recomputes only the pairs touching the two issues just traded (compiled,
    same results bit for bit; tests compare both).
    """
    n, m = x.shape
    s = np.where(mask, s, 0.0)
    w = c[:, None] * s
    wt = w.sum(axis=0)
    v = np.where(mask, x, 0.0).astype(float)
    locked = np.zeros((n, m), dtype=bool)
    states = [v.copy()]
    outcomes = [expected_outcome(v, w)]
    log: list[dict[str, Any]] = []
    limit = n * m if max_exchanges is None else max_exchanges
    stopped_by = "max_exchanges"
    u_prev: np.ndarray | None = None  # utilities at the current outcome (= last step's u1)
    tables = None if reference or m < 2 else _Tables(x, s, w, wt)
    if tables is not None:
        tables.update(v, locked, np.arange(m), outcomes[-1])

    def search() -> tuple[float, tuple[int, int, int, int], float, float] | None:
        if m < 2:
            return None
        if tables is None:
            return best_exchange(x, v, s, w, locked)
        return tables.best(v, outcomes[-1])

    while len(log) < limit:
        found = search()
        if found is None or found[0] <= min_gain:
            stopped_by = "no_gain"
            break
        g, (i, j, p, q), a, b = found
        o0 = outcomes[-1]
        dir_p = np.sign(x[i, p] - o0[p])
        dir_q = np.sign(x[j, q] - o0[q])
        old_jp, old_iq = v[j, p], v[i, q]
        v[j, p] = old_jp + dir_p * a * wt[p] / w[j, p]
        v[i, q] = old_iq + dir_q * b * wt[q] / w[i, q]
        # snap to the partner's position when that bound binds (round-off)
        if abs(v[j, p] - v[i, p]) < 1e-12:
            v[j, p] = v[i, p]
        if abs(v[i, q] - v[j, q]) < 1e-12:
            v[i, q] = v[j, q]
        locked[j, p] = locked[i, q] = True
        o1 = expected_outcome(v, w)
        if tables is not None:
            tables.update(v, locked, np.array([p, q]), o1)
        if u_prev is None:
            u_prev = -(s * np.abs(x - o0)).sum(axis=1)
        u0 = u_prev
        u1 = u_prev = -(s * np.abs(x - o1)).sum(axis=1)
        du = np.where(mask.any(axis=1), u1 - u0, 0.0)
        log.append(
            {
                "i": i,
                "j": j,
                "p": p,
                "q": q,
                "gain": g,
                "gain_i": float(du[i]),
                "gain_j": float(du[j]),
                "j_on_p": (float(old_jp), float(v[j, p])),
                "i_on_q": (float(old_iq), float(v[i, q])),
                "outcome_p": (float(o0[p]), float(o1[p])),
                "outcome_q": (float(o0[q]), float(o1[q])),
                "delta_u": du,
            }
        )
        states.append(v.copy())
        outcomes.append(o1)
    if stopped_by == "max_exchanges":  # the limit binds only if a profitable exchange is left
        found = search()
        if found is None or found[0] <= min_gain:
            stopped_by = "no_gain"
    return {"states": states, "outcomes": outcomes, "log": log, "stopped_by": stopped_by}


#: Up to this many candidate exchanges (draws x (n m)^2) the numpy search is used.
REFERENCE_WORK = 50_000

_STOP_RULE = "converged: no profitable exchange left; else stopped by max_exchanges"


@register
class Exchange(Model):
    """Stokman & Van Oosten (1994) exchange of voting positions between pairs of issues.

    Actors trade support: the actor relatively more interested in issue p obtains a move of
    its partner's voting position on p and moves its own on q in return, sized by the
    equal-gain rule; exchanges are made best-first until none is profitable. Forecast per
    issue: the expected outcome (compromise mean of voting positions) after the exchanges.
    ``extra["exchanges"]`` lists, for draw 0, who moved on which issue towards whom, the gains
    and the externalities to third parties. Traces: participants' voting positions after each
    exchange (round = exchange number; shorter draws padded), ``mean`` = expected outcome,
    ``median`` = capability x salience weighted median.

    Reference: Stokman & Van Oosten (1994), in Bueno de Mesquita & Stokman (eds.),
    *European Community Decision Making*, Yale UP.
    """

    name = "exchange"
    citation = "Stokman & Van Oosten 1994"
    dynamic = True
    _parameter_checks: ClassVar[dict[str, Check]] = {
        "min_gain": (lambda v: float(v) >= 0, "a number >= 0"),
        "max_exchanges": (
            lambda v: v is None or (int(v) == v and int(v) >= 0),
            "an integer >= 0, or null for no limit",
        ),
    }

    def __init__(self, *, min_gain: float = 1e-9, max_exchanges: int | None = None) -> None:
        self.min_gain = min_gain
        self.max_exchanges = max_exchanges

    def _run(self, draws: ScenarioDraws, *, rng: np.random.Generator | None) -> ModelResult:
        n_draws, n, m = draws.positions.shape
        lo = draws.scale[:, 0]
        width = draws.scale[:, 1] - lo
        mask = draws.mask
        runs = []
        forecast = np.empty((n_draws, m))
        # the compiled table search pays for its first compile (about a second) only on
        # sizeable work; a small scenario forecast once uses the numpy search (same bits)
        small = n_draws * (n * m) ** 2 <= REFERENCE_WORK
        for d in range(n_draws):
            x = (draws.positions[d] - lo) / width
            out = run_exchange(
                x,
                draws.salience[d],
                draws.capability[d].astype(float),
                mask,
                min_gain=float(self.min_gain),
                max_exchanges=None if self.max_exchanges is None else int(self.max_exchanges),
                reference=small,
            )
            forecast[d] = lo + width * out["outcomes"][-1]
            runs.append(out)
        n_states = max(len(r["states"]) for r in runs)
        path = np.empty((n_draws, n_states, n, m))
        outc = np.empty((n_draws, n_states, m))
        for d, r in enumerate(runs):
            k = len(r["states"])
            path[d, :k] = r["states"]
            path[d, k:] = r["states"][-1]
            outc[d, :k] = r["outcomes"]
            outc[d, k:] = r["outcomes"][-1]
        path = lo + width * path
        outc = lo + width * outc
        traces: dict[str, IssueTrace] = {}
        index: dict[str, np.ndarray] = {}
        ids = draws.actor_ids
        # exchanges only lock moves, so the model always stops; it has converged unless
        # max_exchanges cut it short with a profitable exchange left (it never cycles)
        done = np.array([r["stopped_by"] == "no_gain" for r in runs], dtype=bool)
        for k, issue_id in enumerate(draws.issue_ids):
            sel = np.flatnonzero(mask[:, k])
            index[issue_id] = sel
            pos = path[:, :, sel, k]
            w = (draws.capability[:, sel] * draws.salience[:, sel, k])[:, None, :]
            moves = []
            for t, e in enumerate(runs[0]["log"]):
                rec = []
                for mover, partner, iss, (a0, a1) in (
                    (e["j"], e["i"], e["p"], e["j_on_p"]),
                    (e["i"], e["j"], e["q"], e["i_on_q"]),
                ):
                    if iss == k:
                        rec.append(
                            {
                                "round": t + 1,
                                "actor": ids[mover],
                                "challenger": ids[partner],
                                "from": float(lo[k] + width[k] * a0),
                                "to": float(lo[k] + width[k] * a1),
                            }
                        )
                moves.append(rec)
            traces[issue_id] = IssueTrace(
                positions=pos,
                median=weighted_median(pos, np.broadcast_to(w, pos.shape)),
                mean=outc[:, :, k],
                moves=moves,
                settling=settled_by_stop_rule(done, outc[:, :, k], _STOP_RULE),
            )
        extra = {
            "exchanges": _describe(runs[0], draws, lo, width),
            "n_exchanges_per_draw": [len(r["log"]) for r in runs],
            "initial_outcome": (lo + width * runs[0]["outcomes"][0]).tolist(),
            "final_outcome": (lo + width * runs[0]["outcomes"][-1]).tolist(),
        }
        return self._result(draws, forecast, traces=traces, actor_index=index, extra=extra)


def _describe(
    run: dict[str, Any], draws: ScenarioDraws, lo: np.ndarray, width: np.ndarray
) -> list[dict[str, Any]]:
    """The exchange log of one draw in issue units and ids (JSON-serialisable)."""
    ids, iss = draws.actor_ids, draws.issue_ids
    out = []
    for t, e in enumerate(run["log"]):
        i, j, p, q = e["i"], e["j"], e["p"], e["q"]
        du = e["delta_u"]
        ext = {
            ids[k]: float(du[k]) for k in range(len(ids)) if k not in (i, j) and abs(du[k]) > 1e-12
        }
        out.append(
            {
                "step": t + 1,
                "actors": [ids[i], ids[j]],
                "issues": [iss[p], iss[q]],
                "summary": (
                    f"{ids[j]} moves on {iss[p]} towards {ids[i]}; "
                    f"{ids[i]} moves on {iss[q]} towards {ids[j]}"
                ),
                "gives": [
                    {
                        "actor": ids[j],
                        "issue": iss[p],
                        "to_benefit_of": ids[i],
                        "from": float(lo[p] + width[p] * e["j_on_p"][0]),
                        "to": float(lo[p] + width[p] * e["j_on_p"][1]),
                    },
                    {
                        "actor": ids[i],
                        "issue": iss[q],
                        "to_benefit_of": ids[j],
                        "from": float(lo[q] + width[q] * e["i_on_q"][0]),
                        "to": float(lo[q] + width[q] * e["i_on_q"][1]),
                    },
                ],
                "gain": e["gain"],
                "gains": {ids[i]: e["gain_i"], ids[j]: e["gain_j"]},
                "outcome_shift": {
                    iss[p]: [float(lo[p] + width[p] * v) for v in e["outcome_p"]],
                    iss[q]: [float(lo[q] + width[q] * v) for v in e["outcome_q"]],
                },
                "externalities": ext,
                "externality_positive": float(sum(v for v in ext.values() if v > 0)),
                "externality_negative": float(sum(v for v in ext.values() if v < 0)),
            }
        )
    return out
