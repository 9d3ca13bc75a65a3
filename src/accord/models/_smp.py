"""KTAB's Spatial Model of Politics (SMP): probabilistic Condorcet elections and bargaining.

A pure-compute reimplementation of the SMP of KTAB v1.4 (KAPSARC Toolkit for Behavioral
Analysis, MIT licence; ``examples/smp/libsrc/smp.cpp``, ``smpbcn.cpp`` and
``KTAB/kmodel/libsrc/kmodel.cpp``), as described in ``docs/models.md`` §3. With the default
parameters it reproduces KTAB's reference runs (same number of turns, the same positions and
"prob" values).

Differences from KTAB, none of which changes the dynamics:

* no SQLite, no logging and no O(n^4) ``calcUtils`` diagnostic work;
* everything per turn is vectorised over actors with numpy (target choice is one (n, n, n)
  tensor computation, processed in blocks to bound memory); draws are looped over, because
  every draw stops after its own number of turns;
* a bargain list is ordered status quo first, then by initiator index (KTAB uses thread
  completion order; it only matters for exact ties, which did not occur on the reference
  inputs);
* zero voting weights give a zero vote (KTAB aborts), and an actor with zero salience on every
  dimension is indifferent between all positions (distance 0; KTAB aborts);
* when every actor's PCE probability is equal (for example all at one position) the risk
  attitudes are set to 0 and ``extra["risk_neutral_fallback"]`` says in which states.

Inputs outside KTAB's CSV format are mapped as follows: each issue is rescaled to [0, 1]
(``(x - lo) / (hi - lo)``); an actor absent from an issue gets salience 0 there and the
capability-weighted mean of the participants' positions as its coordinate (others still see
that coordinate; the actor itself does not care about it); an actor whose saliences sum to more
than 1 (possible in YAML scenarios, where each issue's salience is 0-100 on its own) has them
divided by their sum, since KTAB requires the sum to be at most 1.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

import numba
import numpy as np

from accord.models._base import Check, IssueTrace, Model, ModelResult
from accord.models._registry import register
from accord.models._settle import CONVERGED, CYCLE, NOT_SETTLED, Settling
from accord.models._static import weighted_mean, weighted_median
from accord.scenario import ScenarioDraws

# --------------------------------------------------------------------------------------------
# Options (KTAB's enum names in lower snake case)

VICTORY_MODELS = ("linear", "square", "quartic", "octic", "binary")
PCE_MODELS = ("conditional", "markov_incentive", "markov_uniform")
VOTING_RULES = ("proportional", "binary", "prop_bin", "prop_cbc", "cubic", "asym_prosp")
BIG_R_RANGES = ("min", "mid", "max")
BIG_R_ADJUSTS = ("full", "two_thirds", "half", "one_third", "none")
THIRD_PARTY_COMMITS = ("full", "semi", "none")
INTERPOLATIONS = ("s1p1", "s2p2", "s2pmax")
BARGAIN_MODELS = ("init_only", "init_rcvr", "pw_compromise")
STATE_TRANSITIONS = ("deterministic", "stochastic")

MIN_COALITION = 1e-8  # Model::coalitions minC
MIN_CHALLENGE_COALITION = 1e-10  # SMPState::probEduChlg minCltn
MIN_SIG_EDU = 1e-5  # SMPState::bestChallenge minSigEDU
MIN_INTERP_WEIGHT = 1e-6  # SMPActor::interpBrgnSnPm minW
_BLOCK = 2_000_000  # elements per (block, n, n) tensor


# --------------------------------------------------------------------------------------------
# Primitives (kmodel.cpp, smp.cpp)


def sal_distance(a: np.ndarray, b: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Salience-weighted distance ``sqrt(sum_k (s_k (a_k - b_k))^2 / sum_k s_k^2)``.

    KTAB ``SMPModel::bvDiff``: the *judging* actor's saliences ``s`` weight the dimensions;
    on the [0, 1] scale the value is in [0, 1]. Broadcasts over leading axes (last axis =
    dimensions). Zero total salience gives distance 0 (indifference).
    """
    ds = s * (a - b)
    num = np.sum(ds * ds, axis=-1)
    den = np.sum(s * s, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(num / den)
    return np.where(den > 0, d, 0.0)


def distance_matrix(x: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``D[i, j] = d_{s_i}(x_i - x_j)``: i judges j's position with i's saliences, (n, n)."""
    return sal_distance(x[:, None, :], x[None, :, :], s[:, None, :])


def utility(d: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """KTAB ``bsUtil``: ``(1 - d)(1 + d R)`` for d <= 1, else ``(1 - d)(1 + R)``.

    R is the risk attitude (R > 0 risk-averse: concave utility; R < 0 risk-acceptant).
    """
    return np.where(d <= 1.0, (1.0 - d) * (1.0 + d * r), (1.0 - d) * (1.0 + r))


def vote(w: np.ndarray | float, du: np.ndarray, rule: str = "proportional") -> np.ndarray:
    """KTAB ``Model::vote``: actor of weight w choosing between options with ``du = u1 - u2``.

    Proportional ``w du``; Binary ``w clip(du / 1e-8, -1, 1)``; PropBin 0.8 prop + 0.2 binary;
    PropCbc 0.5 prop + 0.5 cubic; Cubic ``w du^3``; ASymProsp ``w du`` for losses and
    ``2 w du / 3`` for gains.
    """
    if rule == "proportional":
        return w * du
    if rule == "binary":
        return w * np.clip(du / 1e-8, -1.0, 1.0)
    if rule == "prop_bin":
        return w * (0.8 * du + 0.2 * np.clip(du / 1e-8, -1.0, 1.0))
    if rule == "prop_cbc":
        return w * (0.5 * du + 0.5 * du * du * du)
    if rule == "cubic":
        return w * (du * du * du)
    if rule == "asym_prosp":
        return np.where(du < 0, w * du, np.where(du > 0, (2.0 * w * du) / 3.0, 0.0 * du))
    raise ValueError(f"unknown voting rule {rule!r}")


def coalitions(u: np.ndarray, w: np.ndarray, rule: str = "proportional") -> np.ndarray:
    """KTAB ``Model::coalitions``: ``C[i, j] = 1e-8 + sum_k max(v_k(i:j), 0)``.

    ``u[k, i]`` is actor k's utility of option i, ``w[k]`` its voting weight. The diagonal is
    1e-8. Returns (n_options, n_options).
    """
    if rule in _RULE_CODE:
        return _coalitions_nb(
            np.ascontiguousarray(u, dtype=float),
            np.ascontiguousarray(w, dtype=float),
            _RULE_CODE[rule],
        )
    return coalitions_np(u, w, rule)


def coalitions_np(u: np.ndarray, w: np.ndarray, rule: str = "proportional") -> np.ndarray:
    """Numpy version of :func:`coalitions` (reference for the compiled kernel).

    Like KTAB, only ``v_k(i:j)`` with i > j is evaluated: ``C[i, j]`` sums its positive parts
    and ``C[j, i]`` its negative parts (this matters for the asymmetric ASymProsp rule).
    """
    n_act, n_opt = u.shape
    pos = np.empty((n_opt, n_opt))
    neg = np.empty((n_opt, n_opt))
    step = max(1, _BLOCK // max(1, n_act * n_opt))
    for lo in range(0, n_opt, step):
        hi = min(n_opt, lo + step)
        du = u[:, lo:hi, None] - u[:, None, :]  # (k, i-block, j)
        v = vote(w[:, None, None], du, rule)
        pos[lo:hi] = np.maximum(v, 0.0).sum(axis=0)
        neg[lo:hi] = np.maximum(-v, 0.0).sum(axis=0)
    c = MIN_COALITION + np.tril(pos, -1) + np.triu(neg.T, 1)
    np.fill_diagonal(c, MIN_COALITION)
    return c


def victory_prob(c: np.ndarray, model: str = "linear") -> np.ndarray:
    """KTAB ``Model::vProb``: ``P[i, j] = f(C_ij) / (f(C_ij) + f(C_ji))``, diagonal 0.5.

    f is the identity (Linear), square, 4th or 8th power. Binary: a 10 % advantage either way
    wins for sure (the loser keeps 1e-6), with linear interpolation in between.
    """
    ct = c.T
    if model == "binary":
        thresh, min_x = 1.10, 1e-6
        with np.errstate(invalid="ignore", divide="ignore"):
            r12 = c / (c + ct)
        p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
        x1 = np.where(c >= thresh * ct, 1.0, np.where(ct >= thresh * c, min_x, p12))
        x2 = np.where(c >= thresh * ct, min_x, np.where(ct >= thresh * c, 1.0, 1.0 - p12))
    else:
        power = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}[model]
        x1, x2 = c**power, ct**power
    p = x1 / (x1 + x2)
    np.fill_diagonal(p, 0.5)
    return p


def cond_pce(pv: np.ndarray) -> np.ndarray:
    """KTAB ``condPCE``: ``p_i ∝ prod_j P[i, j]`` (diagonal 0.5 included), normalised."""
    p = np.prod(pv, axis=1)
    total = p.sum()
    if not np.isfinite(total) or total <= 0.0:  # underflow: same ratios in log space
        lp = np.log(np.maximum(pv, 1e-300)).sum(axis=1)
        p = np.exp(lp - lp.max())
        total = p.sum()
    return p / total


def markov_uniform_pce(pv: np.ndarray, tol: float = 1e-6, max_iter: int = 1000) -> np.ndarray:
    """KTAB ``markovUniformPCE``: challenges uniform, ``q_i = sum_j P_ij (p_i + p_j) / n``.

    Iterates ``p <- (p + q) / 2`` until ``max|q - p| <= tol`` (KTAB: 1e-6, at most 1000).
    """
    n = pv.shape[0]
    p = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        q = (pv * (p[:, None] + p[None, :])).sum(axis=1) / n
        change = np.abs(q - p).max()
        p = (p + q) / 2.0
        if change <= tol:
            break
    return p


def markov_incentive_pce(
    c: np.ndarray, pv: np.ndarray, tol: float = 1e-8, max_iter: int = 1000
) -> np.ndarray:
    """KTAB ``markovIncentivePCE``: challenge probability proportional to the incentive.

    Incentive ``n[i -> j] = C_ij P_ij`` (+1e-10 on the diagonal); ``chlg[i, j]`` is its share in
    column j; ``ct[i, j] = p_i chlg[j, i]``; ``q_i = sum_j P_ij (ct_ij + ct_ji)``; iterate
    ``p <- (p + q) / 2`` until ``max|q - p| <= 1e-8``.
    """
    n = c.shape[0]
    inct = c * pv + np.eye(n) * 1e-10
    chlg = inct / inct.sum(axis=0, keepdims=True)
    p = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        ct = p[:, None] * chlg.T
        q = (pv * (ct + ct.T)).sum(axis=1)
        change = np.abs(q - p).max()
        p = (p + q) / 2.0
        if change <= tol:
            break
    return p


def pce(c: np.ndarray, victory_model: str = "linear", pce_model: str = "conditional") -> np.ndarray:
    """KTAB ``Model::probCE2``: option probabilities from coalition strengths."""
    if victory_model in _VPM_CODE and pce_model in _PCE_CODE:
        return _pce_nb(
            np.ascontiguousarray(c, dtype=float), _VPM_CODE[victory_model], _PCE_CODE[pce_model]
        )
    return pce_np(c, victory_model, pce_model)


def pce_np(
    c: np.ndarray, victory_model: str = "linear", pce_model: str = "conditional"
) -> np.ndarray:
    """Numpy version of :func:`pce` (reference for the compiled kernel)."""
    pv = victory_prob(c, victory_model)
    if pce_model == "conditional":
        return cond_pce(pv)
    if pce_model == "markov_uniform":
        return markov_uniform_pce(pv)
    if pce_model == "markov_incentive":
        return markov_incentive_pce(c, pv)
    raise ValueError(f"unknown PCE model {pce_model!r}")


def scalar_pce(
    u: np.ndarray,
    w: np.ndarray,
    rule: str = "proportional",
    victory_model: str = "linear",
    pce_model: str = "conditional",
) -> np.ndarray:
    """KTAB ``Model::scalarPCE``: votes -> coalitions -> victory probabilities -> PCE.

    ``u`` is (n_actors, n_options), ``w`` (n_actors,). Returns (n_options,).
    """
    return pce(coalitions(u, w, rule), victory_model, pce_model)


def big_r(p: np.ndarray, rng_: str = "mid") -> tuple[np.ndarray, bool]:
    """KTAB ``Model::bigRfromProb``: risk attitudes from PCE probabilities.

    Mid: ``R = (3p - (pMax + 2 pMin)) / (2 (pMax - pMin))`` in [-0.5, 1]; Min: in [0, 1];
    Max: in [-1, 1]. The most likely actor is the most risk-averse. When pMax = pMin
    (KTAB divides by zero) every R is 0; the flag says so.
    """
    pmin, pmax = p.min(), p.max()
    if not pmax > pmin:
        return np.zeros_like(p), True
    if rng_ == "min":
        return (p - pmin) / (pmax - pmin), False
    if rng_ == "mid":
        return (3 * p - (pmax + 2 * pmin)) / (2 * (pmax - pmin)), False
    if rng_ == "max":
        return (2 * p - (pmax + pmin)) / (pmax - pmin), False
    raise ValueError(f"unknown risk range {rng_!r}")


def estimated_risk(r: np.ndarray, adjust: str = "one_third") -> np.ndarray:
    """KTAB ``Model::estNRA``: ``r[h, i]`` = h's estimate of i's risk attitude."""
    rh, ri = r[:, None], r[None, :]
    if adjust == "full":
        return np.broadcast_to(ri, (r.size, r.size)).copy()
    if adjust == "two_thirds":
        return (rh + (2.0 * ri)) / 3.0
    if adjust == "half":
        return (rh + ri) / 2
    if adjust == "one_third":
        return ((2.0 * rh) + ri) / 3.0
    if adjust == "none":
        return np.broadcast_to(rh, (r.size, r.size)).copy()
    raise ValueError(f"unknown risk adjustment {adjust!r}")


def round4(x: np.ndarray) -> np.ndarray:
    """KTAB's ``round4``: ``(int)(0.5 + 10000 x) / 10000`` (positions are >= 0)."""
    return np.trunc(0.5 + (x * 10000.0)) / 10000.0


def interpolate(
    xi: np.ndarray,
    si: np.ndarray,
    prb_i: float | np.ndarray,
    xj: np.ndarray,
    sj: np.ndarray,
    prb_j: float | np.ndarray,
    method: str = "s2p2",
) -> tuple[np.ndarray, np.ndarray]:
    """KTAB ``SMPActor::interpolateBrgn``: the bargain (new i, new j) per dimension.

    SnPm: ``W_i = s_i^n prb_i^m``, ``W_j = s_j^n prb_j^m``,
    ``b_i = round4(((W_i + 1e-6) x_i + W_j x_j) / (W_i + 1e-6 + W_j))`` and
    ``b_j = round4((W_i x_i + (W_j + 1e-6) x_j) / (W_i + 1e-6 + W_j))``.
    S2PMax moves only the likelier loser, by a share set by the probability gap (no rounding).
    """
    if method in ("s1p1", "s2p2"):
        n = 1 if method == "s1p1" else 2
        wi = np.power(si, n) * (prb_i**n)
        wj = np.power(sj, n) * (prb_j**n)
        den = wi + MIN_INTERP_WEIGHT + wj
        bi = round4(((wi + MIN_INTERP_WEIGHT) * xi + wj * xj) / den)
        bj = round4((wi * xi + (MIN_INTERP_WEIGHT + wj) * xj) / den)
        return bi, bj
    if method == "s2pmax":
        di = np.maximum(np.subtract(prb_j, prb_i), 0.0)
        dj = np.maximum(np.subtract(prb_i, prb_j), 0.0)
        si2, sj2 = si * si, sj * sj
        dik = (di * sj2) / ((di * sj2) + MIN_INTERP_WEIGHT + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + MIN_INTERP_WEIGHT + ((1 - dj) * sj2))
        return xi + dik * (xj - xi), xj + djk * (xi - xj)
    raise ValueError(f"unknown interpolation {method!r}")


def unique_positions(x: np.ndarray, tol: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """KTAB ``ueIndices`` with ``equivNdx``: representatives and each actor's unique index.

    Actor i joins the first earlier representative within Euclidean distance ``tol``;
    otherwise it becomes a new representative. Returns (reps, eq).
    """
    near = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1)) < tol
    reps: list[int] = []
    eq = np.empty(x.shape[0], dtype=int)
    for i, row in enumerate(near.tolist()):
        for u, rep in enumerate(reps):
            if row[rep]:
                eq[i] = u
                break
        else:
            reps.append(i)
            eq[i] = len(reps) - 1
    return np.array(reps, dtype=int), eq


# --------------------------------------------------------------------------------------------
# numba kernels (same arithmetic, in KTAB's sequential order; the numpy versions above are the
# readable reference and are tested against these)

_RULE_CODE = {r: k for k, r in enumerate(VOTING_RULES)}
_TPC_CODE = {"full": 0, "semi": 1, "none": 2}


@numba.njit(cache=True)
def _vote_nb(w: float, du: float, rule: int) -> float:  # pragma: no cover - compiled
    if rule == 0:
        return w * du
    rbin = du / 1e-8
    if rbin > 1.0:
        rbin = 1.0
    elif rbin < -1.0:
        rbin = -1.0
    if rule == 1:
        return w * rbin
    if rule == 2:
        return w * (0.8 * du + 0.2 * rbin)
    if rule == 3:
        return w * (0.5 * du + 0.5 * du * du * du)
    if rule == 4:
        return w * (du * du * du)
    if du < 0.0:
        return w * du
    if du > 0.0:
        return (2.0 * w * du) / 3.0
    return 0.0


@numba.njit(cache=True)
def _util_nb(d: float, r: float) -> float:  # pragma: no cover - compiled
    if d <= 1.0:
        return (1.0 - d) * (1.0 + d * r)
    return (1.0 - d) * (1.0 + r)


@numba.njit(cache=True)
def _coalitions_nb(u: np.ndarray, w: np.ndarray, rule: int) -> np.ndarray:  # pragma: no cover
    n_act, n_opt = u.shape
    c = np.empty((n_opt, n_opt))
    for i in range(n_opt):
        for j in range(i):
            cij = 1e-8
            cji = 1e-8
            for k in range(n_act):
                v = _vote_nb(w[k], u[k, i] - u[k, j], rule)
                if v > 0.0:
                    cij += v
                if v < 0.0:
                    cji -= v
            c[i, j] = cij
            c[j, i] = cji
        c[i, i] = 1e-8
    return c


@numba.njit(cache=True)
def _challenges_nb(
    dist: np.ndarray, r_est: np.ndarray, sig: np.ndarray, cap: np.ndarray, rule: int, tpc: int
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    n = dist.shape[0]
    prob = np.empty((n, n))  # every cell is set below; the diagonal is NaN
    gain = np.empty((n, n))
    a = np.empty((n, n))
    for i in range(n):
        prob[i, i] = np.nan
        gain[i, i] = np.nan
        for row in range(n):
            rr = r_est[i, row]
            for col in range(n):
                a[row, col] = _util_nb(dist[row, col], rr)
        uii = a[i, i]
        for j in range(n):
            if j == i:
                continue
            uij = a[i, j]
            ci = _vote_nb(sig[i] * cap[i], uii - uij, rule)
            cj = _vote_nb(sig[j] * cap[j], a[j, i] - a[j, j], rule)
            chij = 1e-10
            chji = 1e-10
            if ci > 0.0:
                chij += ci
            if ci < 0.0:
                chji -= ci
            if cj > 0.0:
                chij += cj
            if cj < 0.0:
                chji -= cj
            c_i = chij
            c_j = chji
            for m in range(n):
                if m == i or m == j:
                    continue
                wn = sig[m] * cap[m]
                uni = a[m, i]
                unj = a[m, j]
                unn = a[m, m]
                v0 = _vote_nb(wn, uni - unj, rule)
                cni = c_i + v0 if v0 > 0.0 else c_i
                cnj = c_j - v0 if v0 < 0.0 else c_j
                pin = cni / (cni + cnj)
                pjn = 1.0 - pin
                if tpc == 1:
                    u_ik_j = pin * (uni + uni + unn) + pjn * (unj + unj + unj)
                    u_i_jk = pin * (uni + uni + uni) + pjn * (unj + unj + unn)
                elif tpc == 0:
                    u_ik_j = pin * (uni + uni + uni) + pjn * (unj + unj + unj)
                    u_i_jk = u_ik_j
                else:
                    u_ik_j = pin * (uni + uni + unn) + pjn * (unj + unj + unn)
                    u_i_jk = u_ik_j
                vn = _vote_nb(wn, u_ik_j - u_i_jk, rule)
                if vn > 0.0:
                    chij += vn
                if vn < 0.0:
                    chji -= vn
            phij = chij / (chij + chji)
            phji = chji / (chij + chji)
            eu_vict = uii + uii
            u_hkji = uij + uij
            eu_sq = uii + uij
            eu_chlg = (1 - sig[j]) * eu_vict + sig[j] * (phij * eu_vict + phji * u_hkji)
            prob[i, j] = phij
            gain[i, j] = eu_chlg - eu_sq
    return prob, gain


_VPM_CODE = {m: k for k, m in enumerate(VICTORY_MODELS)}
_PCE_CODE = {m: k for k, m in enumerate(PCE_MODELS)}


@numba.njit(cache=True)
def _vprob_nb(c: np.ndarray, vpm: int) -> np.ndarray:  # pragma: no cover - compiled
    n = c.shape[0]
    p = np.empty((n, n))
    for i in range(n):
        for j in range(i):
            s1 = c[i, j]
            s2 = c[j, i]
            if vpm == 4:
                if s1 >= 1.10 * s2:
                    x1, x2 = 1.0, 1e-6
                elif s2 >= 1.10 * s1:
                    x1, x2 = 1e-6, 1.0
                else:
                    r12 = s1 / (s1 + s2)
                    x1 = (r12 * (1.10 + 1.0) - 1.0) / (1.10 - 1.0)
                    x2 = 1 - x1
            else:
                power = 1 if vpm == 0 else (2 if vpm == 1 else (4 if vpm == 2 else 8))
                x1 = s1**power
                x2 = s2**power
            p[i, j] = x1 / (x1 + x2)
            p[j, i] = x2 / (x1 + x2)
        p[i, i] = 0.5
    return p


@numba.njit(cache=True)
def _pce_nb(c: np.ndarray, vpm: int, pcem: int) -> np.ndarray:  # pragma: no cover - compiled
    # plain loops, no array expressions: each of those is compiled as its own ufunc loop,
    # which made this function's first compile several seconds longer (measured)
    pv = _vprob_nb(c, vpm)
    n = c.shape[0]
    p = np.empty(n)
    if pcem == 0:
        total = 0.0
        for i in range(n):
            pi = 1.0
            for j in range(n):
                pi *= pv[i, j]
            p[i] = pi
            total += pi
        if total > 0.0 and np.isfinite(total):
            for i in range(n):
                p[i] /= total
            return p
        lp = np.zeros(n)
        for i in range(n):
            for j in range(n):
                lp[i] += np.log(max(pv[i, j], 1e-300))
        top = lp.max()
        total = 0.0
        for i in range(n):
            p[i] = np.exp(lp[i] - top)
            total += p[i]
        for i in range(n):
            p[i] /= total
        return p
    for i in range(n):
        p[i] = 1.0 / n
    q = np.empty(n)
    if pcem == 2:
        for _ in range(1000):
            change = 0.0
            for i in range(n):
                acc = 0.0
                for j in range(n):
                    acc += pv[i, j] * (p[i] + p[j])
                q[i] = acc / n
                change = max(change, abs(q[i] - p[i]))
            for i in range(n):
                p[i] = (p[i] + q[i]) / 2.0
            if change <= 1e-6:
                break
        return p
    inct = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            inct[i, j] = c[i, j] * pv[i, j]
        inct[i, i] += 1e-10
    chlg = np.empty((n, n))
    for j in range(n):
        col = 0.0
        for i in range(n):
            col += inct[i, j]
        for i in range(n):
            chlg[i, j] = inct[i, j] / col
    ct = np.empty((n, n))
    for _ in range(1000):
        for i in range(n):
            for j in range(n):
                ct[i, j] = p[i] * chlg[j, i]
        change = 0.0
        for i in range(n):
            acc = 0.0
            for j in range(n):
                acc += pv[i, j] * (ct[i, j] + ct[j, i])
            q[i] = acc
            change = max(change, abs(q[i] - p[i]))
        for i in range(n):
            p[i] = (p[i] + q[i]) / 2.0
        if change <= 1e-8:
            break
    return p


@numba.njit(cache=True)
def _choose_nb(
    u_sq: np.ndarray,
    u_bar: np.ndarray,
    init_a: np.ndarray,
    rcvr_a: np.ndarray,
    w: np.ndarray,
    rule: int,
    vpm: int,
    pcem: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    """Per actor: its options (SQ, then its bargains in initiator order) and their PCE."""
    n, nb = u_bar.shape
    counts = np.zeros(n, dtype=np.int64)
    for b in range(nb):
        counts[init_a[b]] += 1
        if rcvr_a[b] != init_a[b]:
            counts[rcvr_a[b]] += 1
    width = 1
    for k in range(n):
        width = max(width, counts[k] + 1)
    opts = np.empty((n, width), dtype=np.int64)  # -1: no option (loops, not np.full: a
    probs = np.zeros((n, width))  # shorter first compile)
    for k in range(n):
        for t in range(width):
            opts[k, t] = -1
    for k in range(n):
        if counts[k] == 0:
            continue
        m = 1
        for b in range(nb):
            if init_a[b] == k or rcvr_a[b] == k:
                opts[k, m] = b
                m += 1
        u = np.empty((n, m))
        for a in range(n):
            u[a, 0] = u_sq[a]
            for t in range(1, m):
                u[a, t] = u_bar[a, opts[k, t]]
        p = _pce_nb(_coalitions_nb(u, w, rule), vpm, pcem)
        for t in range(m):
            probs[k, t] = p[t]
    return counts, opts, probs


def _choose_py(
    u_sq: np.ndarray,
    u_bar: np.ndarray,
    init_a: np.ndarray,
    rcvr_a: np.ndarray,
    w: np.ndarray,
    rule: int,
    vpm: int,
    pcem: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_choose_nb` with the loop over actors in Python around the same compiled
    :func:`_coalitions_nb` and :func:`_pce_nb`: for a single forecast, where compiling the
    wrapper (which re-optimises both) costs more than the loop. Same values, same bits."""
    n, _ = u_bar.shape
    counts = np.zeros(n, dtype=np.int64)
    np.add.at(counts, init_a, 1)
    np.add.at(counts, rcvr_a[rcvr_a != init_a], 1)
    width = max(1, int(counts.max(initial=0)) + 1)
    opts = np.full((n, width), -1, dtype=np.int64)
    probs = np.zeros((n, width))
    for k in np.flatnonzero(counts):
        mine = np.flatnonzero((init_a == k) | (rcvr_a == k))
        m = mine.size + 1
        opts[k, 1:m] = mine
        u = np.empty((n, m))
        u[:, 0] = u_sq
        u[:, 1:] = u_bar[:, mine]
        probs[k, :m] = _pce_nb(_coalitions_nb(u, w, rule), vpm, pcem)
    return counts, opts, probs


# --------------------------------------------------------------------------------------------
# One state and one bargaining turn


class _Opts:
    """Validated, normalised options (plain attributes, for speed)."""

    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)


class _State:
    """Per-state quantities (KTAB ``SMPState::setAllAUtil``)."""

    def __init__(self, x: np.ndarray, s: np.ndarray, c: np.ndarray, o: _Opts) -> None:
        self.x = x
        self.dist = distance_matrix(x, s)  # vDiff (ideals = positions)
        u0 = utility(self.dist, 0.0)
        self.p_all = pce(coalitions(u0, c, o.voting_rule), o.victory_model, o.pce_model)
        self.risk, self.fallback = big_r(self.p_all, o.big_r_range)
        self.r_est = estimated_risk(self.risk, o.big_r_adjust)  # r[h, i]
        # own-perspective utilities aUtil[a](a, j), with r_aa
        self.u_own = utility(self.dist, np.diag(self.r_est)[:, None])

    def perspective(self, h: np.ndarray) -> np.ndarray:
        """``A[b, i, j] = aUtil[h_b](i, j) = u(D[i, j], r[h_b, i])`` for the given h's."""
        return utility(self.dist[None, :, :], self.r_est[h][:, :, None])


def _pdist(st: _State, c: np.ndarray, o: _Opts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """KTAB ``SMPState::pDist(-1)`` + ``posProb``: PCE over unique positions, per-actor "prob".

    Own-perspective utilities over the unique positions, weights c, Proportional votes.
    An actor's "prob" is that of the last representative within tolerance (``posProb``).
    """
    reps, _eq = unique_positions(st.x, o.pos_tol)
    p_u = scalar_pce(st.u_own[:, reps], c, "proportional", o.victory_model, o.pce_model)
    d = np.sqrt(((st.x[:, None, :] - st.x[reps][None, :, :]) ** 2).sum(axis=-1))
    within = d < o.pos_tol
    last = within.shape[1] - 1 - np.argmax(within[:, ::-1], axis=1)
    return reps, p_u, p_u[last]


def _vote_pos(v: np.ndarray) -> np.ndarray:
    return np.maximum(v, 0.0)


def _challenges(
    st: _State, sig: np.ndarray, c: np.ndarray, o: _Opts
) -> tuple[np.ndarray, np.ndarray]:
    """``probEduChlg(h=i, k=i, i, j)`` for every pair: (P[i beats j], dU_i) as (n, n) arrays.

    Third parties n vote on (i:j) independently, each against the principals only, with
    the SemiCommit (or Full/No) utilities of ``Actor::thirdPartyVoteSU``. Diagonal: NaN.
    """
    n = st.x.shape[0]
    wt = sig * c
    vr = o.voting_rule
    prob = np.full((n, n), np.nan)
    gain = np.full((n, n), np.nan)
    step = max(1, _BLOCK // (n * n))
    idx = np.arange(n)
    for lo in range(0, n, step):
        hs = idx[lo : lo + step]
        b = hs.size
        a = st.perspective(hs)  # (b, n, n): A[b, row, col]
        u_ii = a[np.arange(b), hs, hs][:, None]  # (b, 1)
        u_ij = a[np.arange(b), hs, :]  # (b, j)
        u_ji = a[np.arange(b), :, hs]  # (b, j)  A[h_b, j, i]
        diag = np.einsum("bnn->bn", a)  # (b, n) A[h_b, n, n]
        u_jj = diag  # (b, j)
        ci = vote(wt[hs][:, None], u_ii - u_ij, vr)
        cj = vote(wt[None, :], u_ji - u_jj, vr)
        c_i = (MIN_CHALLENGE_COALITION + _vote_pos(ci)) + _vote_pos(cj)
        c_j = (MIN_CHALLENGE_COALITION + _vote_pos(-ci)) + _vote_pos(-cj)
        # third parties: axes (b, j, n)
        uni = u_ji[:, None, :]  # A[h, n, i]
        unj = np.swapaxes(a, 1, 2)  # A[h, n, j] at [b, j, n]
        unn = diag[:, None, :]
        v0 = vote(wt[None, None, :], uni - unj, vr)
        cni = c_i[:, :, None] + _vote_pos(v0)
        cnj = c_j[:, :, None] + _vote_pos(-v0)
        pin = cni / (cni + cnj)
        pjn = 1.0 - pin
        if o.third_party_commit == "semi":
            u_ik_j = pin * (uni + uni + unn) + pjn * (unj + unj + unj)
            u_i_jk = pin * (uni + uni + uni) + pjn * (unj + unj + unn)
        elif o.third_party_commit == "full":
            u_ik_j = pin * (uni + uni + uni) + pjn * (unj + unj + unj)
            u_i_jk = u_ik_j
        else:  # no commitment
            u_ik_j = pin * (uni + uni + unn) + pjn * (unj + unj + unn)
            u_i_jk = u_ik_j
        vn = vote(wt[None, None, :], u_ik_j - u_i_jk, vr)
        third = np.ones((b, n, n), dtype=bool)
        third[np.arange(b), :, hs] = False  # n == i
        third[:, idx, idx] = False  # n == j
        vn = np.where(third, vn, 0.0)
        chij = c_i + _vote_pos(vn).sum(axis=2)
        chji = c_j + _vote_pos(-vn).sum(axis=2)
        phij = chij / (chij + chji)
        eu_vict = u_ii + u_ii
        u_hkji = u_ij + u_ij
        eu_sq = u_ii + u_ij
        sj = sig[None, :]
        eu_chlg = (1 - sj) * eu_vict + sj * (phij * eu_vict + (1.0 - phij) * u_hkji)
        prob[hs] = phij
        gain[hs] = eu_chlg - eu_sq
    prob[idx, idx] = np.nan
    gain[idx, idx] = np.nan
    return prob, gain


def _prob_edu(
    st: _State, sig: np.ndarray, c: np.ndarray, o: _Opts, h: int, k: int, i: int, j: int
) -> tuple[float, float]:
    """``probEduChlg(h, k, i, j)`` for one quadruple (used by the non-default bargain models)."""
    a = st.perspective(np.array([h]))[0]
    wt = sig * c
    vr = o.voting_rule
    ci = float(vote(wt[i], a[i, i] - a[i, j], vr))
    cj = float(vote(wt[j], a[j, i] - a[j, j], vr))
    c_i = MIN_CHALLENGE_COALITION + max(ci, 0.0) + max(cj, 0.0)
    c_j = MIN_CHALLENGE_COALITION + max(-ci, 0.0) + max(-cj, 0.0)
    third = np.array([m for m in range(len(sig)) if m not in (i, j)], dtype=int)
    uni, unj, unn = a[third, i], a[third, j], a[third, third]
    v0 = vote(wt[third], uni - unj, vr)
    pin = (c_i + np.maximum(v0, 0)) / (c_i + np.maximum(v0, 0) + c_j + np.maximum(-v0, 0))
    if o.third_party_commit == "semi":
        u1 = pin * (2 * uni + unn) + (1 - pin) * 3 * unj
        u2 = pin * 3 * uni + (1 - pin) * (2 * unj + unn)
    elif o.third_party_commit == "full":
        u1 = u2 = pin * 3 * uni + (1 - pin) * 3 * unj
    else:
        u1 = u2 = pin * (2 * uni + unn) + (1 - pin) * (2 * unj + unn)
    vn = vote(wt[third], u1 - u2, vr)
    chij = c_i + np.maximum(vn, 0).sum()
    chji = c_j + np.maximum(-vn, 0).sum()
    p = chij / (chij + chji)
    eu_sq = a[k, i] + a[k, j]
    eu_vict, u_kji = 2 * a[k, i], 2 * a[k, j]
    eu_chlg = (1 - sig[j]) * eu_vict + sig[j] * (p * eu_vict + (1 - p) * u_kji)
    return float(p), float(eu_chlg - eu_sq)


def _turn(
    st: _State,
    s: np.ndarray,
    sig: np.ndarray,
    c: np.ndarray,
    o: _Opts,
    rng: np.random.Generator | None,
    log: bool,
) -> tuple[np.ndarray, list[dict[str, Any]], list[dict[str, Any]]]:
    """One bargaining turn (KTAB ``SMPState::doBCN``): targets, bargains, per-actor choice."""
    n = st.x.shape[0]
    x = st.x
    prob, gain = _challenges_nb(
        st.dist, st.r_est, sig, c, _RULE_CODE[o.voting_rule], _TPC_CODE[o.third_party_commit]
    )
    g = np.where(np.isnan(gain), -np.inf, gain)
    # ascending j, strict '>' -> first maximum; must exceed minSigEDU
    best_j = np.argmax(g, axis=1)
    best_g = g[np.arange(n), best_j]
    act = np.flatnonzero(best_g > MIN_SIG_EDU)
    tgt = best_j[act]
    p_act = prob[act, tgt]
    bi_all, bj_all = interpolate(
        x[act], s[act], p_act[:, None], x[tgt], s[tgt], 1 - p_act[:, None], o.interpolation
    )
    blog: list[dict[str, Any]] = []
    if log:
        for r, (i, j) in enumerate(zip(act.tolist(), tgt.tolist(), strict=True)):
            blog.append(
                {
                    "initiator": i,
                    "target": j,
                    "p_win": float(p_act[r]),
                    "gain": float(best_g[i]),
                    "initiator_to": bi_all[r].tolist(),
                    "target_to": bj_all[r].tolist(),
                }
            )
    new_x = x.copy()
    choice: list[dict[str, Any]] = []
    if act.size == 0:
        return new_x, blog, choice
    if o.bargain_model == "init_only":
        init_a, rcvr_a, pi_a, pr_a = act, tgt, bi_all, bj_all
    else:
        init: list[int] = []
        rcvr: list[int] = []
        pos_i: list[np.ndarray] = []
        pos_r: list[np.ndarray] = []
        for r, (i, j) in enumerate(zip(act.tolist(), tgt.tolist(), strict=True)):
            bi, bj = bi_all[r], bj_all[r]
            # KTAB (smpbcn.cpp) forms j's bargain with prbI = j's estimate of i's *utility
            # gain* (the second output of probEduChlg), not a probability; kept for fidelity.
            _p, du = _prob_edu(st, sig, c, o, j, i, i, j)
            ji_i, ji_j = interpolate(x[i], s[i], du, x[j], s[j], 1 - du, o.interpolation)
            if o.bargain_model == "init_rcvr":
                cands = [(bi, bj), (ji_i, ji_j)]
            else:  # power-weighted compromise; KTAB weights j's side by c_i * sigma_j
                wi, wj = c[i] * sig[i], c[i] * sig[j]
                cands = [((wi * bi + wj * ji_i) / (wi + wj), (wi * bj + wj * ji_j) / (wi + wj))]
            for a_, b_ in cands:
                init.append(i)
                rcvr.append(j)
                pos_i.append(a_)
                pos_r.append(b_)
        init_a, rcvr_a = np.array(init), np.array(rcvr)
        pi_a, pr_a = np.array(pos_i), np.array(pos_r)
    nb = init_a.size
    # value of each bargain's resulting state to each actor (brgnUtil), and of the SQ
    u_own = st.u_own
    r_self = st.risk[:, None]
    up_i = utility(sal_distance(x[:, None, :], pi_a[None, :, :], s[:, None, :]), r_self)
    up_r = utility(sal_distance(x[:, None, :], pr_a[None, :, :], s[:, None, :]), r_self)
    keep = np.ones((nb, n))
    keep[np.arange(nb), init_a] = 0.0
    keep[np.arange(nb), rcvr_a] = 0.0
    u_bar = ((up_i + up_r) + u_own @ keep.T) / n  # (actors, bargains)
    u_sq = u_own.sum(axis=1) / n
    choose = _choose_nb if getattr(o, "compiled_choice", True) else _choose_py
    counts, opts, probs = choose(
        u_sq,
        np.ascontiguousarray(u_bar),
        init_a,
        rcvr_a,
        c,
        _RULE_CODE[o.voting_rule],
        _VPM_CODE[o.victory_model],
        _PCE_CODE[o.pce_model],
    )
    for k in np.flatnonzero(counts):
        p = probs[k, : counts[k] + 1]
        if o.state_transitions == "deterministic":
            m = int(np.argmax(p))
        else:
            assert rng is not None
            m = int(rng.choice(p.size, p=p / p.sum()))
        if m > 0:
            b = int(opts[k, m])
            new_x[k] = pi_a[b] if init_a[b] == k else pr_a[b]
            if log:
                choice.append(
                    {
                        "actor": int(k),
                        "initiator": int(init_a[b]),
                        "receiver": int(rcvr_a[b]),
                        "p": float(p[m]),
                    }
                )
    return new_x, blog, choice


def _prepare(
    draws: ScenarioDraws, d: int, normalize_salience: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One draw on KTAB's scale: positions on [0, 1], saliences (absent -> 0), capabilities."""
    lo = draws.scale[:, 0]
    rng_ = draws.scale[:, 1] - lo
    x = (draws.positions[d] - lo) / rng_
    s = np.where(draws.mask, draws.salience[d], 0.0)
    c = draws.capability[d].astype(float)
    mask = draws.mask
    for k in range(x.shape[1]):
        absent = ~mask[:, k]
        if absent.any():
            part = mask[:, k]
            fill = (c[part] * x[part, k]).sum() / c[part].sum() if part.any() else 0.5
            x[absent, k] = fill
    if normalize_salience:
        tot = s.sum(axis=1, keepdims=True)
        s = np.where(tot > 1.0, s / np.where(tot > 0, tot, 1.0), s)
    return x, s, c


def run_smp(
    x0: np.ndarray,
    s: np.ndarray,
    c: np.ndarray,
    o: _Opts,
    rng: np.random.Generator | None = None,
    log: bool = True,
) -> dict[str, Any]:
    """Run KTAB's SMP from positions ``x0`` (n, m) on [0, 1] to its stop rule.

    Stop (``smpStopFn``): after turn t, ``ratio = dist(s_{t-1}, s_t) / (dist(s_0, s_1) + 1e-4)``
    with ``dist`` the sum over actors of Euclidean moves; stop when t >= max_turns or
    (t >= min_turns and ratio < min_delta_ratio). Returns states, probabilities and logs.
    """
    sig = s.sum(axis=1)
    states = [_State(x0, s, c, o)]
    ratios: list[float] = []
    bargains: list[list[dict[str, Any]]] = []
    choices: list[list[dict[str, Any]]] = []
    stopped_by = "max_turns"
    t = 0
    while True:
        t += 1
        new_x, blog, choice = _turn(states[-1], s, sig, c, o, rng, log)
        states.append(_State(new_x, s, c, o))
        bargains.append(blog)
        choices.append(choice)
        d01 = np.sqrt(((states[1].x - states[0].x) ** 2).sum(axis=1)).sum() + o.min_sig_delta
        dxy = np.sqrt(((states[t].x - states[t - 1].x) ** 2).sum(axis=1)).sum()
        ratio = float(dxy / d01)
        ratios.append(ratio)
        if t >= o.max_turns:
            break
        if t >= o.min_turns and ratio < o.min_delta_ratio:
            stopped_by = "fractional_change"
            break
    return {
        "states": states,
        "ratios": ratios,
        "bargains": bargains,
        "choices": choices,
        "stopped_by": stopped_by,
    }


# --------------------------------------------------------------------------------------------
# The model


def _one_of(options: tuple[str, ...]) -> Check:
    return (lambda v: str(v).lower() in options, "one of " + ", ".join(options))


@register
class SMP(Model):
    """KTAB's Spatial Model of Politics (multi-dimensional, probabilistic Condorcet elections).

    Each turn every actor estimates, from its own perspective (risk attitudes inferred from
    the PCE of all positions), the gain from challenging each other actor, with third parties
    voting on each contest; it proposes a bargain to its most advantageous target
    (positions interpolated with weights s^2 p^2), and every actor then picks, by a PCE over
    all actors' valuations, one of its bargains or the status quo. Stops when the total move is
    below 2 % of the first turn's.

    Source: KTAB v1.4 (KAPSARC Toolkit for Behavioral Analysis, MIT licence), ``smpc``;
    B. Wise et al., "KTAB: Probabilistic Condorcet Elections" (KAPSARC 2015) and
    ``docs/models.md`` §3. Defaults are KTAB's for CSV input.

    Forecast per issue: the PCE-probability-weighted mean of the final unique positions
    (the own-perspective PCE KTAB prints as "prob", over unique positions), on the issue's
    scale. ``extra["forecast_mode"]`` gives the coordinate of the most probable final position.
    A draw that runs to ``max_turns`` without meeting the stop rule has not converged: it is
    checked for a cycle and its forecast read from the cycle (or the second half of the turns)
    instead of the last state; ``trace.settling`` says which (see :func:`_settling`).
    Traces: coordinate of each participant on that issue per state (draws that stopped earlier
    are padded with their final state); ``median``/``mean`` are the capability x salience
    weighted median/mean of the participants' coordinates in that state.
    ``state_transitions="stochastic"`` draws each actor's bargain from its PCE with the ``rng``
    passed to ``run`` (``default_rng(0)`` when none is given).
    """

    name = "smp"
    citation = "KTAB v1.4 (KAPSARC), Spatial Model of Politics"
    dynamic = True
    _parameter_checks: ClassVar[dict[str, Check]] = {
        "victory_model": _one_of(VICTORY_MODELS),
        "pce_model": _one_of(PCE_MODELS),
        "voting_rule": _one_of(VOTING_RULES),
        "big_r_range": _one_of(BIG_R_RANGES),
        "big_r_adjust": _one_of(BIG_R_ADJUSTS),
        "third_party_commit": _one_of(THIRD_PARTY_COMMITS),
        "interpolation": _one_of(INTERPOLATIONS),
        "bargain_model": _one_of(BARGAIN_MODELS),
        "state_transitions": _one_of(STATE_TRANSITIONS),
        "max_turns": (lambda v: int(v) == v and int(v) >= 1, "an integer >= 1"),
        "min_turns": (lambda v: int(v) == v and int(v) >= 1, "an integer >= 1"),
        "min_delta_ratio": (lambda v: float(v) >= 0, "a number >= 0"),
        "pos_tol": (lambda v: float(v) > 0, "a number > 0 (on the [0, 1] scale)"),
        "normalize_salience": (lambda v: isinstance(v, bool), "true or false"),
    }

    def __init__(
        self,
        *,
        victory_model: str = "linear",
        pce_model: str = "conditional",
        voting_rule: str = "proportional",
        big_r_range: str = "mid",
        big_r_adjust: str = "one_third",
        third_party_commit: str = "semi",
        interpolation: str = "s2p2",
        bargain_model: str = "init_only",
        state_transitions: str = "deterministic",
        max_turns: int = 100,
        min_turns: int = 2,
        min_delta_ratio: float = 0.02,
        pos_tol: float = 1e-3,
        normalize_salience: bool = True,
    ) -> None:
        self.victory_model = victory_model
        self.pce_model = pce_model
        self.voting_rule = voting_rule
        self.big_r_range = big_r_range
        self.big_r_adjust = big_r_adjust
        self.third_party_commit = third_party_commit
        self.interpolation = interpolation
        self.bargain_model = bargain_model
        self.state_transitions = state_transitions
        self.max_turns = max_turns
        self.min_turns = min_turns
        self.min_delta_ratio = min_delta_ratio
        self.pos_tol = pos_tol
        self.normalize_salience = normalize_salience

    def _opts(self) -> _Opts:
        p = self.get_params()
        kw: dict[str, Any] = {k: str(v).lower() for k, v in p.items() if isinstance(v, str)}
        kw.update(
            max_turns=int(self.max_turns),
            min_turns=int(self.min_turns),
            min_delta_ratio=float(self.min_delta_ratio),
            pos_tol=float(self.pos_tol),
            min_sig_delta=1e-4,
        )
        return _Opts(**kw)

    def _run(self, draws: ScenarioDraws, *, rng: np.random.Generator | None) -> ModelResult:
        o = self._opts()
        # one draw: the per-actor choice loop runs in Python (no wrapper to compile)
        o.compiled_choice = draws.n_draws > 1
        if o.state_transitions == "stochastic" and rng is None:
            rng = np.random.default_rng(0)
        n_draws, n, m = draws.positions.shape
        lo = draws.scale[:, 0]
        width = draws.scale[:, 1] - lo
        runs = []
        f_mean = np.empty((n_draws, m))
        f_mode = np.empty((n_draws, m))
        finals = []
        for d in range(n_draws):
            x0, s, c = _prepare(draws, d, bool(self.normalize_salience))
            out = run_smp(x0, s, c, o, rng, log=(d == 0))
            reps, p_u, _ = _pdist(out["states"][-1], c, o)
            xr = out["states"][-1].x[reps]
            f_mean[d] = lo + width * (p_u @ xr)
            f_mode[d] = lo + width * xr[int(np.argmax(p_u))]
            finals.append((reps, p_u))
            runs.append(out)
        settling = _settling(runs, draws, o, f_mean)
        n_states = max(len(r["states"]) for r in runs)
        # (draws, states, actors, issues) on the issue scale, padded with the final state
        path = np.empty((n_draws, n_states, n, m))
        for d, r in enumerate(runs):
            xs = np.array([st.x for st in r["states"]])
            path[d, : len(xs)] = xs
            path[d, len(xs) :] = xs[-1]
        path = lo + width * path
        traces: dict[str, IssueTrace] = {}
        index: dict[str, np.ndarray] = {}
        for k, issue_id in enumerate(draws.issue_ids):
            sel = np.flatnonzero(draws.mask[:, k])
            index[issue_id] = sel
            pos = path[:, :, sel, k]
            w = (draws.capability[:, sel] * draws.salience[:, sel, k])[:, None, :]
            w = np.broadcast_to(w, pos.shape)
            moves = _moves(runs[0], sel, k, draws.actor_ids, lo[k], width[k])
            traces[issue_id] = IssueTrace(
                positions=pos,
                median=weighted_median(pos, w),
                mean=weighted_mean(pos, w),
                moves=moves,
                settling=settling[k],
            )
        extra = _extra(runs[0], finals[0], draws, o, lo, width)
        extra["turns_per_draw"] = [len(r["states"]) - 1 for r in runs]
        extra["forecast_mean"] = f_mean.tolist()
        extra["forecast_mode"] = f_mode.tolist()
        extra["forecast_definition"] = (
            "PCE-probability-weighted mean of the final unique positions (forecast_mode: the "
            "most probable final position)"
        )
        return self._result(draws, f_mean, traces=traces, actor_index=index, extra=extra)


def _settling(
    runs: list[dict[str, Any]], draws: ScenarioDraws, o: _Opts, f_mean: np.ndarray
) -> list[Settling]:
    """Per issue, how each draw ended (see :mod:`accord.models._settle`); updates ``f_mean``.

    A draw stopped by KTAB's fractional-change rule has converged and keeps its forecast. A draw
    that ran to ``max_turns`` is checked for a cycle (its last state equal, to 1e-9, to the
    state ``p`` turns earlier): its forecast becomes the median, over the cycle's states, of the
    forecast each state would give (or, with no cycle, over the second half of the turns), and
    the range is taken over the same states.
    """
    n_draws, m = f_mean.shape
    lo = draws.scale[:, 0]
    width = draws.scale[:, 1] - lo
    status = np.full(n_draws, CONVERGED, dtype=np.int8)
    period = np.ones(n_draws, dtype=np.int64)
    turns = np.array([len(r["states"]) - 1 for r in runs], dtype=np.int64)
    start = turns.copy()
    low, high = f_mean.copy(), f_mean.copy()
    for d, run in enumerate(runs):
        if run["stopped_by"] == "fractional_change":
            continue
        states = run["states"]
        t_end = len(states) - 1
        p = next(
            (q for q in range(1, t_end + 1)
             if np.abs(states[t_end].x - states[t_end - q].x).max() <= 1e-9),
            0,
        )
        if p == 1:
            continue  # nothing moved any more: converged after all
        status[d], period[d] = (CYCLE, p) if p else (NOT_SETTLED, 0)
        window = p if p else t_end - t_end // 2
        start[d] = t_end - window + 1
        c = draws.capability[d].astype(float)
        vals = []
        for st in states[start[d] :]:
            reps, p_u, _ = _pdist(st, c, o)
            vals.append(lo + width * (p_u @ st.x[reps]))
        arr = np.array(vals)
        f_mean[d], low[d], high[d] = np.median(arr, axis=0), arr.min(axis=0), arr.max(axis=0)
    rule = (
        "converged: stopped by KTAB's fractional-change rule (forecast from the final state); "
        "cycle: median over the cycle's states; not settled: median over the second half of "
        "the turns"
    )
    return [
        Settling(
            status=status,
            period=np.where(status == NOT_SETTLED, 0, period),
            start=start,
            forecast=f_mean[:, k].copy(),
            low=low[:, k],
            high=high[:, k],
            rounds=int(turns.max()) if n_draws else 0,
            rule=rule,
        )
        for k in range(m)
    ]


def _moves(
    run: dict[str, Any], sel: np.ndarray, k: int, ids: tuple[str, ...], lo: float, width: float
) -> list[list[dict[str, Any]]]:
    """Per turn (draw 0): participants whose coordinate on issue k moved, and in which bargain."""
    out: list[list[dict[str, Any]]] = []
    states = run["states"]
    part = set(int(i) for i in sel)
    for t, choice in enumerate(run["choices"]):
        rec = []
        for ch in choice:
            a = ch["actor"]
            x0, x1 = states[t].x[a, k], states[t + 1].x[a, k]
            if a in part and x0 != x1:
                partner = ch["receiver"] if ch["initiator"] == a else ch["initiator"]
                rec.append(
                    {
                        "round": t + 1,
                        "actor": ids[a],
                        "challenger": ids[ch["initiator"]],
                        "bargain_with": ids[partner],
                        "from": float(lo + width * x0),
                        "to": float(lo + width * x1),
                    }
                )
        out.append(rec)
    return out


def _extra(
    run: dict[str, Any],
    final: tuple[np.ndarray, np.ndarray],
    draws: ScenarioDraws,
    o: _Opts,
    lo: np.ndarray,
    width: np.ndarray,
) -> dict[str, Any]:
    """JSON-serialisable per-turn record of draw 0 (KTAB's log, in compact form)."""
    states = run["states"]
    c = draws.capability[0].astype(float)
    prob_hist = []
    for st in states:
        _r, _p, per_actor = _pdist(st, c, o)
        prob_hist.append([float(v) for v in per_actor])

    def scale(x: np.ndarray) -> list[list[float]]:
        return (lo + width * x).tolist()

    ids = draws.actor_ids
    reps, p_u = final
    return {
        "turns": len(states) - 1,
        "stopped_by": run["stopped_by"],
        "fractional_change": run["ratios"],
        "positions": [scale(st.x) for st in states],
        "prob": prob_hist,
        "pce_all": [st.p_all.tolist() for st in states],
        "risk": [st.risk.tolist() for st in states],
        "risk_neutral_fallback": [t for t, st in enumerate(states) if st.fallback],
        "bargains": [
            [
                {
                    **b,
                    "initiator": ids[b["initiator"]],
                    "target": ids[b["target"]],
                    "initiator_to": (lo + width * np.array(b["initiator_to"])).tolist(),
                    "target_to": (lo + width * np.array(b["target_to"])).tolist(),
                }
                for b in turn
            ]
            for turn in run["bargains"]
        ],
        "chosen": [
            [
                {
                    **ch,
                    "actor": ids[ch["actor"]],
                    "initiator": ids[ch["initiator"]],
                    "receiver": ids[ch["receiver"]],
                }
                for ch in turn
            ]
            for turn in run["choices"]
        ],
        "final_unique_positions": scale(states[-1].x[reps]),
        "final_unique_probs": p_u.tolist(),
        "final_unique_actors": [ids[int(i)] for i in reps],
    }


# --------------------------------------------------------------------------------------------
# Benchmark


def bench_smp_files(data_dir: str | Path) -> list[dict[str, Any]]:
    """Time the SMP (default parameters, one draw) on every KTAB CSV in ``data_dir``.

    Returns ``[{"name", "seconds", "cpu_seconds", "turns", "actors", "dims"}]``: wall and CPU
    time of ``SMP().run`` after loading, best of 3, after one warm-up run that compiles the
    numba kernels (cached on disk afterwards). KTAB's smpc on the same files: SOE-Pol-Comp
    0.47 s, SOE-Policy 1.7 s, SOE-Competitive 7.5 s, dummyData-a040 7.1 s, dummyData-a080 57 s.
    """
    from accord.scenario import load_scenario, to_arrays

    files = sorted(Path(data_dir).glob("*.csv"))
    model = SMP()
    if files:
        model.run(to_arrays(load_scenario(files[0])))  # warm-up / JIT compile
    out = []
    for path in files:
        draws = to_arrays(load_scenario(path))
        wall, cpu = np.inf, np.inf
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            res = model.run(draws)
            wall = min(wall, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
        out.append(
            {
                "name": path.name,
                "seconds": wall,
                "cpu_seconds": cpu,
                "turns": int(res.extra["turns"]),
                "actors": draws.n_actors,
                "dims": draws.n_issues,
            }
        )
    return out
