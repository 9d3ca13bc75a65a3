"""Bueno de Mesquita's expected-utility model (EUM) of group decisions on one issue.

Two layers, as elsewhere in :mod:`accord.models`:

* readable numpy functions, one per equation of models.md §2 (utilities, win probabilities,
  expected utility, security, risk exponents) and a slow per-draw reference solver
  :func:`eum_reference` built from them — the specification;
* a numba kernel (:func:`eum_solve`, :func:`eum_round`) that does the same arithmetic in
  O(n²) per round instead of O(n³) and runs the draws in parallel — what the model class uses.
  The tests check that both agree.

O(n²) win probabilities: voter k's vote for x_i over x_j,
``v_k = w_k ((|x_k - x_j|/R)^r_k - (|x_k - x_i|/R)^r_k)``, is positive exactly when x_k is
strictly closer to x_i than to x_j (a power is monotone), so ``sum_k max(0, v_k)`` is a prefix
(or suffix) sum, over voters sorted by position, of ``G[k, j] - G[k, i]`` with
``G[k, a] = w_k (|x_k - x_a|/R)^r_k``; voters on the midpoint contribute 0 either way. The
global denominator ``D = sum_k sum_a sum_b |v_k(a over b)|`` equals twice the sum of all those
numerators, so it costs nothing extra.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar, NamedTuple

import numba as nb
import numpy as np
from llvmlite import ir
from numba.core import types as nbt
from numba.extending import intrinsic

from accord.models._base import Check, IssueModel, IssueTrace, ModelResult
from accord.models._registry import register
from accord.models._settle import settle
from accord.models._static import median_of_sorted, weighted_mean, weighted_median
from accord.scenario import IssueDraws, ScenarioDraws

PROBABILITY_MODES = ("global", "pairwise")

#: Move kinds recorded by the kernel (0 = no move).
MOVE_KINDS = {1: "conflict", 2: "compromise"}
_OCTANTS = {
    1: "conflict: both expect to gain, the challenger more (b > a > 0); actor gives in",
    2: "compromise: only the challenger expects to gain and dominates (b > 0 > a, b > |a|); "
    "actor moves part of the way",
}

# --------------------------------------------------------------------------------------------
# The equations, in readable numpy (leading axes broadcast; distances already divided by R)
# --------------------------------------------------------------------------------------------


def eum_utilities(
    dist: np.ndarray | float, dist_mu: np.ndarray | float, r: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The five utilities of the EUM (Bueno de Mesquita 1994; Scholz et al. 2011, eqs 2-6).

    Parameters
    ----------
    dist : array_like
        ``|x_i - x_j| / R``, distance of the evaluator to the other actor, in [0, 1].
    dist_mu : array_like
        ``|x_i - mu| / R``, distance of the evaluator to the median (for U_b, U_w).
    r : array_like
        Risk exponent of the evaluator (1 = risk neutral; 0.5 acceptant, 2 averse).

    Returns
    -------
    us, uf, ub, uw, usq : ndarray
        Success, failure, better / worse without a challenge, status quo; each in [-2, 2].
    """
    dist, dist_mu, r = np.asarray(dist, float), np.asarray(dist_mu, float), np.asarray(r, float)
    us = 2.0 - 4.0 * (0.5 - 0.5 * dist) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * dist) ** r
    ub = 2.0 - 4.0 * (0.5 - 0.25 * (dist_mu + dist)) ** r
    uw = 2.0 - 4.0 * (0.5 + 0.25 * (dist_mu + dist)) ** r
    usq = 2.0 - 4.0 * 0.5**r
    return us, uf, ub, uw, usq


def eum_probabilities(
    x: np.ndarray, w: np.ndarray, r: np.ndarray, scale_range: float, probability: str = "global"
) -> np.ndarray:
    """Win probabilities ``P[..., i, j] = P(x_i beats x_j)`` from the voters' weighted votes.

    ``v_k(i over j) = w_k ((|x_k - x_j|/R)^r_k - (|x_k - x_i|/R)^r_k)``;
    ``P_ij = sum_k max(0, v_k) / D``. With ``probability="global"`` D sums ``|v_k(a over b)|``
    over every voter and every ordered pair of actors (the authors' code, which reproduces the
    published trajectory, Scholz et al. 2011); with ``"pairwise"`` D is the per-pair sum
    ``sum_k |v_k(i over j)|`` printed in Bueno de Mesquita (1994), so ``P_ij + P_ji = 1``.
    O(n³) memory: this is the readable reference, not the fast path.

    Parameters
    ----------
    x, w, r : ndarray, shape (..., n)
        Positions, weights ``c * s`` (salience on 0-1) and the voters' risk exponents.
    scale_range : float
        R, the range of the issue scale.
    probability : {"global", "pairwise"}

    Returns
    -------
    ndarray, shape (..., n, n)
    """
    x, w, r = np.asarray(x, float), np.asarray(w, float), np.asarray(r, float)
    dist = np.abs(x[..., :, None] - x[..., None, :]) / scale_range  # [k, a]
    g = w[..., :, None] * dist ** r[..., :, None]  # G[k, a]
    v = g[..., :, None, :] - g[..., :, :, None]  # v[k, i, j] = G[k, j] - G[k, i]
    num = np.clip(v, 0.0, None).sum(axis=-3)
    if probability == "global":
        den = np.abs(v).sum(axis=(-3, -2, -1))[..., None, None]
    elif probability == "pairwise":
        den = np.abs(v).sum(axis=-3)
    else:
        raise ValueError(f"probability must be one of {PROBABILITY_MODES}, got {probability!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, 0.0)


def eum_expected_utility(
    dist: np.ndarray | float,
    dist_mu: np.ndarray | float,
    s_target: np.ndarray | float,
    p: np.ndarray | float,
    r: np.ndarray | float,
    q: float = 1.0,
    t: float = 1.0,
) -> np.ndarray:
    """Expected utility of the evaluator for challenging a target (models.md §2).

    ``E = s_t [P U_s + (1 - P) U_f] + (1 - s_t) U_s - Q U_sq - (1 - Q)[T U_b + (1 - T) U_w]``,
    where ``s_t`` is the target's salience (on 0-1: it is a probability that the target resists)
    and ``P`` the challenger's probability of winning.
    """
    us, uf, ub, uw, usq = eum_utilities(dist, dist_mu, r)
    return (
        s_target * (p * us + (1.0 - p) * uf)
        + (1.0 - s_target) * us
        - q * usq
        - (1.0 - q) * (t * ub + (1.0 - t) * uw)
    )


def eum_security(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    scale_range: float,
    mu: np.ndarray | float,
    *,
    q: float = 1.0,
    t: float = 1.0,
    probability: str = "global",
) -> np.ndarray:
    """Security ``Sec_i = sum_{j != i} E^j(U_ji)`` with every exponent (voters' too) set to 1.

    Pairs at the same position contribute nothing (nobody challenges its own position).

    Parameters
    ----------
    x, c, s : ndarray, shape (..., n)
    mu : array_like, shape (...)
        Current median (enters only when ``q < 1``).

    Returns
    -------
    ndarray, shape (..., n)
    """
    x = np.asarray(x, float)
    ones = np.ones_like(x)
    p = eum_probabilities(x, c * s, ones, scale_range, probability)
    dist = np.abs(x[..., :, None] - x[..., None, :]) / scale_range  # [j, i]
    dist_mu = np.abs(x - np.asarray(mu, float)[..., None]) / scale_range
    e = eum_expected_utility(dist, dist_mu[..., :, None], s[..., None, :], p, 1.0, q, t)
    e = np.where(dist > 0, e, 0.0)  # e[j, i] = E^j(U_ji)
    return e.sum(axis=-2)


def eum_risk_exponents(sec: np.ndarray) -> np.ndarray:
    """Risk exponents from security: ``R_i = (2 Sec_i - max - min)/(max - min)`` in [-1, 1],
    ``r_i = (1 - R_i/3)/(1 + R_i/3)`` in [0.5, 2]. All 1 when every Sec is equal.

    Parameters
    ----------
    sec : ndarray, shape (..., n)
    """
    sec = np.asarray(sec, float)
    hi, lo = sec.max(axis=-1, keepdims=True), sec.min(axis=-1, keepdims=True)
    spread = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(spread > 0, (2.0 * sec - hi - lo) / spread, 0.0)
    return (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)


def _offers_reference(
    x: np.ndarray,
    s: np.ndarray,
    p: np.ndarray,
    r: np.ndarray,
    dist_mu: np.ndarray,
    scale_range: float,
    q: float,
    t: float,
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """One draw: every actor's accepted offer (models.md §2.1), positions after the round."""
    n = x.size
    new = x.copy()
    moves: list[dict[str, Any]] = []
    for i in range(n):
        conflict: tuple[tuple[float, float], int, float, float] | None = None
        compromise: tuple[tuple[float, float], int, float, float] | None = None
        for j in range(n):
            if x[i] == x[j]:
                continue
            d = abs(x[i] - x[j]) / scale_range
            # evaluator's perspective: i's own exponent in both expected utilities
            a = float(eum_expected_utility(d, dist_mu[i], s[j], p[i, j], r[i], q, t))
            b = float(eum_expected_utility(d, dist_mu[j], s[i], p[j, i], r[i], q, t))
            if b > a > 0:
                key = (abs(x[j] - x[i]), x[j])
                if conflict is None or key < conflict[0]:
                    conflict = (key, j, a, b)
            elif b > 0 > a and b > abs(a):
                dest = x[i] + (x[j] - x[i]) * abs(a / b)
                key = ((abs(a) * x[i] + abs(b) * x[j]) / (abs(a) + abs(b)), dest)
                if compromise is None or key < compromise[0]:
                    compromise = (key, j, a, b)
        if conflict is not None:
            _, j, a, b = conflict
            new[i], kind = x[j], 1
        elif compromise is not None:
            _, j, a, b = compromise
            new[i], kind = x[i] + (x[j] - x[i]) * abs(a / b), 2
        else:
            continue
        moves.append(
            {
                "actor": i,
                "challenger": j,
                "kind": MOVE_KINDS[kind],
                "from": float(x[i]),
                "to": float(new[i]),
                "eu_actor": a,
                "eu_challenger": b,
            }
        )
    return new, moves


def eum_reference(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    lo: float,
    hi: float,
    *,
    q: float = 1.0,
    t: float = 1.0,
    rounds: int = 10,
    probability: str = "global",
    risk: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[list[dict[str, Any]]]]:
    """Slow, readable EUM solver for one draw: the specification the kernel is tested against.

    Parameters
    ----------
    x, c, s : ndarray, shape (n,)
        Positions, capabilities, saliences (0-1).

    Returns
    -------
    positions : ndarray, shape (rounds + 1, n)
    median, mean : ndarray, shape (rounds + 1,)
    risk : ndarray, shape (rounds, n)
    moves : list (per round) of move dicts
    """
    x = np.asarray(x, float).copy()
    c, s = np.asarray(c, float), np.asarray(s, float)
    n, big_r = x.size, hi - lo
    w = c * s
    pos, med, mean = [x.copy()], [float(weighted_median(x, w))], [float(weighted_mean(x, w))]
    risks, moves = [], []
    for _ in range(rounds):
        mu = med[-1]
        if risk:
            sec = eum_security(x, c, s, big_r, mu, q=q, t=t, probability=probability)
            r = eum_risk_exponents(sec)
        else:
            r = np.ones(n)
        p = eum_probabilities(x, w, r, big_r, probability)
        x, mv = _offers_reference(x, s, p, r, np.abs(x - mu) / big_r, big_r, q, t)
        pos.append(x.copy())
        med.append(float(weighted_median(x, w)))
        mean.append(float(weighted_mean(x, w)))
        risks.append(r)
        moves.append(mv)
    risk_arr = np.array(risks) if risks else np.empty((0, n))
    return np.array(pos), np.array(med), np.array(mean), risk_arr, moves


# --------------------------------------------------------------------------------------------
# The fast path: numba, O(n²) per round, draws in parallel
# --------------------------------------------------------------------------------------------


# error_model="numpy": float division without Python's zero check, so that loops vectorise.
_JIT = {"cache": True, "error_model": "numpy"}

_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.44269504088896338700e00
_LN2 = 0.6931471805599453
_ROUND = 6755399441055744.0  # 1.5 * 2**52: adding it rounds a double to an integer
_TWO52 = 4503599627370496.0
_SQRT2 = 1.4142135623730951
_TINY = 1e-300


@intrinsic
def _as_int(typingctx: Any, x: Any) -> Any:
    """The bits of a float64 as an int64 (a register bitcast, which vectorises)."""
    if x != nbt.float64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.IntType(64))

    return nbt.int64(nbt.float64), codegen


@intrinsic
def _as_float(typingctx: Any, x: Any) -> Any:
    """The float64 with the given int64 bits."""
    if x != nbt.int64:
        return None

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.bitcast(args[0], ir.DoubleType())

    return nbt.float64(nbt.int64), codegen


@nb.njit(**_JIT, inline="always")
def _log_reduced(f: float, e: float) -> float:
    """log(2^e f) for a mantissa f in [1, 2): f is brought into [sqrt(1/2), sqrt(2)) and
    log f = 2 atanh(s), s = (f - 1)/(f + 1), by its odd series (|s| < 0.172)."""
    adj = np.float64(f > _SQRT2)
    f = f * (1.0 - 0.5 * adj)
    e = e + adj
    s = (f - 1.0) / (f + 1.0)
    z = s * s
    z2 = z * z
    z4 = z2 * z2
    # sum_{k=1..9} z^k / (2k + 1) (z^10/21 < 1e-17), by Estrin's scheme: short dependency
    # chains, so the vector loop is not held up by one long Horner chain
    p01 = 1.0 / 3.0 + z * (1.0 / 5.0)
    p23 = 1.0 / 7.0 + z * (1.0 / 9.0)
    p45 = 1.0 / 11.0 + z * (1.0 / 13.0)
    p67 = 1.0 / 15.0 + z * (1.0 / 17.0)
    p = (p01 + z2 * p23) + z4 * ((p45 + z2 * p67) + z4 * (1.0 / 19.0))
    return e * _LN2_HI + ((2.0 * s + 2.0 * s * z * p) + e * _LN2_LO)


@nb.njit(**_JIT, inline="always")
def _exp_reduced(f: float) -> float:
    """e^f for |f| <= ln2 / 2: Taylor terms to f^13 / 13!, by Estrin's scheme."""
    f2 = f * f
    f4 = f2 * f2
    f8 = f4 * f4
    a0 = 1.0 + f
    a1 = 0.5 + f * (1.0 / 6.0)
    a2 = 1.0 / 24.0 + f * (1.0 / 120.0)
    a3 = 1.0 / 720.0 + f * (1.0 / 5040.0)
    a4 = 1.0 / 40320.0 + f * (1.0 / 362880.0)
    a5 = 1.0 / 3628800.0 + f * (1.0 / 39916800.0)
    a6 = 1.0 / 479001600.0 + f * (1.0 / 6227020800.0)
    return (a0 + f2 * a1) + f4 * (a2 + f2 * a3) + f8 * ((a4 + f2 * a5) + f4 * a6)


#: Below these lengths one fused loop (bitcasts in registers) beats separate loops through
#: memory: it has less fixed cost per call, though it vectorises less well (measured).
_FUSED_LOG = 16
_FUSED_EXP = 32


@nb.njit(**_JIT)
def _vlog(x: np.ndarray, out: np.ndarray, scratch: np.ndarray, m: int) -> None:
    """``out[:m] = log(max(x[:m], 1e-300))`` to ~2 ulp, in loops the compiler vectorises
    (``x[m:]`` up to the next multiple of 4 may be overwritten with padding).

    No SIMD ``log`` is available to numba without Intel's SVML, and the logs and powers
    dominate the EUM's cost: x = 2^e * f with f in [1, 2), then :func:`_log_reduced`.
    """
    if m <= _FUSED_LOG:
        for i in range(m):
            xi = x[i]
            bits = _as_int(xi) if xi > _TINY else np.int64(0x01A56E1FC2F8F359)  # 1e-300
            f = _as_float((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000)
            e = (_as_float((bits >> 52) | 0x4330000000000000) - _TWO52) - 1023.0
            out[i] = _log_reduced(f, e)
        return
    # round m up to a multiple of 4 (one AVX2 vector) with neutral padding: short arrays then
    # run in the vector loop instead of its scalar remainder
    m4 = min((m + 3) & ~3, x.size, out.size, scratch.size)
    for i in range(m, m4):
        x[i] = 1.0
    m = m4
    xb = x.view(np.int64)
    ob = out.view(np.int64)
    sb = scratch.view(np.int64)
    for i in range(m):
        bits = xb[i] if x[i] > _TINY else np.int64(0x01A56E1FC2F8F359)  # bits of 1e-300
        ob[i] = (bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000  # mantissa, in [1, 2)
        sb[i] = (bits >> 52) | 0x4330000000000000  # biased exponent + 2**52, as a double
    for i in range(m):
        out[i] = _log_reduced(out[i], (scratch[i] - _TWO52) - 1023.0)


@nb.njit(**_JIT)
def _vexp(y: np.ndarray, out: np.ndarray, scratch: np.ndarray, m: int) -> None:
    """``out[:m] = exp(y[:m])`` to ~2 ulp for y <= 700 (0 below -700), vectorisable
    (``y[m:]`` up to the next multiple of 4 may be overwritten with padding).

    exp(y) = 2^k e^f with k = round(y / ln 2), |f| <= ln2 / 2, e^f by :func:`_exp_reduced`.
    """
    if m <= _FUSED_EXP:
        for i in range(m):
            yi = max(y[i], -700.0)
            kd = yi * _INV_LN2 + _ROUND
            kf = kd - _ROUND
            p = _exp_reduced((yi - kf * _LN2_HI) - kf * _LN2_LO)
            scale = _as_float((_as_int(kd) - 0x4338000000000000 + 1023) << 52)  # 2^k
            out[i] = p * scale if y[i] >= -700.0 else 0.0
        return
    m4 = min((m + 3) & ~3, y.size, out.size, scratch.size)  # padded, as in _vlog
    for i in range(m, m4):
        y[i] = 0.0
    m = m4
    sb = scratch.view(np.int64)
    for i in range(m):
        yi = max(y[i], -700.0)
        kd = yi * _INV_LN2 + _ROUND
        scratch[i] = kd
        kf = kd - _ROUND
        out[i] = _exp_reduced((yi - kf * _LN2_HI) - kf * _LN2_LO)
    for i in range(m):
        sb[i] = (sb[i] - 0x4338000000000000 + 1023) << 52  # 2^k
    for i in range(m):
        out[i] = out[i] * scratch[i] if y[i] >= -700.0 else 0.0


@nb.njit(**_JIT)
def _copy_row(src: np.ndarray, dst: np.ndarray) -> None:
    """``dst[:] = src`` as a plain loop: numba compiles slice assignments through its general
    broadcasting code, which made the solver's first compile longer (measured)."""
    for m in range(src.size):
        dst[m] = src[m]


@nb.njit(**_JIT)
def _sort_order(x: np.ndarray, order: np.ndarray) -> None:
    """Insertion-sort ``order`` by (x, index): positions move little between rounds, so this
    is near O(n); equal positions keep index order (as a stable sort from scratch would)."""
    n = x.size
    for m in range(1, n):
        o = order[m]
        xo = x[o]
        p = m - 1
        while p >= 0 and (x[order[p]] > xo or (x[order[p]] == xo and order[p] > o)):
            order[p + 1] = order[p]
            p -= 1
        order[p + 1] = o


@nb.njit(**_JIT)
def _weighted_median_mean(xs: np.ndarray, ws: np.ndarray) -> tuple[float, float]:
    """Median and mean of positions sorted ascending (``ws`` aligned with ``xs``).

    The median is the leftmost held position where the cumulative weight reaches half — the
    Condorcet winner among held positions under linear votes (leftmost on a tie).
    """
    n = xs.size
    total = 0.0
    acc = 0.0
    for k in range(n):
        total += ws[k]
        acc += ws[k] * xs[k]
    med = median_of_sorted(xs, ws, total)
    return med, (acc / total if total > 0.0 else xs.mean())


@nb.njit(**_JIT, inline="always")
def _midpoint_split(xs: np.ndarray, mid: float, m_lo: int, m_hi: int) -> tuple[int, int]:
    """Advance (m_lo, m_hi) so that voters ``[0, m_lo)`` lie strictly left of ``mid`` and
    ``[m_hi, n)`` strictly right of it (positions sorted; both only move right as mid grows)."""
    n = xs.size
    while m_lo < n and xs[m_lo] < mid:
        m_lo += 1
    if m_hi < m_lo:
        m_hi = m_lo
    while m_hi < n and xs[m_hi] <= mid:
        m_hi += 1
    return m_lo, m_hi


@nb.njit(**_JIT)
def _win_numerators(
    xs: np.ndarray,
    ws: np.ndarray,
    rs: np.ndarray,
    big_r: float,
    powered: bool,
    g: np.ndarray,
    pre: np.ndarray,
    num: np.ndarray,
    b1: np.ndarray,
    b2: np.ndarray,
    b3: np.ndarray,
    half: np.ndarray,
) -> float:
    """``num[a, b] = sum_k max(0, v_k(a over b))`` for actors sorted by position, in O(n²).

    Voter k votes for a over b iff it is strictly closer to x_a, i.e. it lies on a's side of
    the midpoint; so the sum is a prefix (suffix) sum of ``G[k, b] - G[k, a]`` over sorted
    voters, ``G[k, a] = w_k (|x_k - x_a| / R)^r_k``. Returns the sum of all numerators (half
    the global denominator D). ``powered=False`` means every r_k is 1. ``g`` and the
    buffers ``b1..b3`` are flat (n * n,). Also sets ``half = 0.5 ** rs``, computed in the
    same exp batch as G.
    """
    n = xs.size
    if powered:
        # log d once per unordered pair, then d^r_k and d^r_a by exp (vectorised)
        # not the constant 0: a literal argument makes numba compile _vlog a second time,
        # specialised for it (seconds of first-run compile for nothing)
        npair = n - n
        for k in range(n):
            xk = xs[k]
            for a in range(k + 1, n):
                b1[npair] = (xs[a] - xk) / big_r
                npair += 1
        _vlog(b1, b2, b3, npair)
        # exponents laid out as G (row k = voter k), so the exps land in place; the diagonal
        # (no distance) carries -r_k ln 2, giving 0.5 ** r_k in the same batch
        p = 0
        for k in range(n):
            rk = rs[k]
            b3[k * n + k] = -_LN2 * rk
            for a in range(k + 1, n):
                lg = b2[p]
                b3[k * n + a] = rk * lg
                b3[a * n + k] = rs[a] * lg
                p += 1
        _vexp(b3, g, b2, n * n)
        for k in range(n):
            rk = rs[k]
            wk = ws[k]
            xk = xs[k]
            half[k] = 0.5 if rk == 1.0 else g[k * n + k]
            if rk == 1.0:  # exact powers of 1, as the reference has them
                for a in range(n):
                    g[k * n + a] = wk * (abs(xs[a] - xk) / big_r)
            else:
                for a in range(n):
                    g[k * n + a] = wk * g[k * n + a] if xs[a] != xk else 0.0
    else:
        for k in range(n):
            xk = xs[k]
            wk = ws[k]
            half[k] = 0.5
            for a in range(n):
                g[k * n + a] = wk * (abs(xk - xs[a]) / big_r)
    for a in range(n):
        pre[0, a] = 0.0
    for m in range(n):
        for a in range(n):
            pre[m + 1, a] = pre[m, a] + g[m * n + a]
    total = 0.0
    for a in range(n):
        num[a, a] = 0.0
        m_lo = a + 1
        m_hi = a + 1
        for b in range(a + 1, n):
            if xs[b] == xs[a]:
                num[a, b] = 0.0
                num[b, a] = 0.0
                continue
            m_lo, m_hi = _midpoint_split(xs, 0.5 * (xs[a] + xs[b]), m_lo, m_hi)
            left = pre[m_lo, b] - pre[m_lo, a]
            right = (pre[n, a] - pre[m_hi, a]) - (pre[n, b] - pre[m_hi, b])
            left = max(left, 0.0)
            right = max(right, 0.0)
            num[a, b] = left
            num[b, a] = right
            total += left + right
    return total


@nb.njit(**_JIT, inline="always")
def _pair_p(num: np.ndarray, a: int, b: int, inv: float, pairwise: bool) -> tuple[float, float]:
    """(P_ab, P_ba) from the vote numerators: global (times 1/D) or per pair."""
    nab = num[a, b]
    nba = num[b, a]
    if pairwise:
        den = nab + nba
        if den > 0.0:
            return nab / den, nba / den
        return 0.0, 0.0
    return nab * inv, nba * inv


@nb.njit(**_JIT, inline="always")
def _no_challenge(q: float, t: float, usq: float, dm: float, d: float, r: float) -> float:
    """``Q U_sq + (1 - Q)[T U_b + (1 - T) U_w]`` (U_b, U_w skipped when Q = 1)."""
    out = q * usq
    if q != 1.0:
        z = 0.25 * (dm + d)
        if r == 1.0:
            ub = 2.0 - 4.0 * (0.5 - z)
            uw = 2.0 - 4.0 * (0.5 + z)
        else:
            ub = 2.0 - 4.0 * (0.5 - z) ** r
            uw = 2.0 - 4.0 * (0.5 + z) ** r
        out += (1.0 - q) * (t * ub + (1.0 - t) * uw)
    return out


@nb.njit(**_JIT, inline="always")
def _offer(
    i: int,
    j: int,
    xi: float,
    xj: float,
    a: float,
    b: float,
    bkind: np.ndarray,
    bj: np.ndarray,
    k1: np.ndarray,
    k2: np.ndarray,
    bab: np.ndarray,
    dest: np.ndarray,
) -> None:
    """Record j's offer to i if it beats i's best so far (models.md §2.1).

    Conflict (b > a > 0) beats compromise; among conflicts the smallest move (then the
    leftmost destination); among compromises the leftmost key (|a| x_i + |b| x_j)/(|a| + |b|)
    (then the leftmost destination); then the lowest index j. That is a strict total order, so
    the result does not depend on the order of the calls. Written with selects, not branches:
    which offer wins is data-dependent and branch mispredictions dominated this step.
    """
    conflict = (b > a) & (a > 0.0)
    compromise = (b > 0.0) & (a < 0.0) & (b > -a)
    kind = 1 if conflict else (2 if compromise else 3)  # 3: no offer
    to = xi + (xj - xi) * (-a / b)
    key1 = abs(xj - xi) if conflict else (-a * xi + b * xj) / (b - a)
    key2 = xj if conflict else to
    old = bkind[i]
    rank = old + 3 * (old == 0)  # as kind: 0 (nothing yet) ranks last
    o1 = k1[i]
    o2 = k2[i]
    better = (kind < rank) | (
        (kind == rank)
        & (kind < 3)
        & ((key1 < o1) | ((key1 == o1) & ((key2 < o2) | ((key2 == o2) & (j < bj[i])))))
    )
    bkind[i] = kind if better else old
    bj[i] = j if better else bj[i]
    k1[i] = key1 if better else o1
    k2[i] = key2 if better else o2
    bab[i, 0] = a if better else bab[i, 0]
    bab[i, 1] = b if better else bab[i, 1]
    dest[i] = key2 if better else dest[i]


@nb.njit(**_JIT)
def _security_linear(
    xs: np.ndarray,
    ws: np.ndarray,
    ss: np.ndarray,
    dmu: np.ndarray,
    big_r: float,
    q: float,
    t: float,
    pairwise: bool,
    pre: np.ndarray,
    sec: np.ndarray,
    lin: np.ndarray,
) -> None:
    """``sec_i = sum_{j != i} E^j(U_ji)`` with every risk exponent 1, actors sorted by position.

    With linear utilities a voter's vote margin between a and b (x_a < x_b) is x_b - x_a for a
    voter outside [x_a, x_b] and ``x_a + x_b - 2 x_k`` (or its negative) between them, so the
    vote numerators need only prefix sums of w and w x over the sorted voters: O(n) memory and
    O(1) per pair, no n x n matrices. E is linear in P, so the global denominator is applied at
    the end (``lin``) and one pass over the pairs does it all.
    """
    n = xs.size
    pre[0, 0] = 0.0
    pre[0, 1] = 0.0
    for m in range(n):
        pre[m + 1, 0] = pre[m, 0] + ws[m]  # W[m] = sum_{k<m} w_k
        pre[m + 1, 1] = pre[m, 1] + ws[m] * xs[m]  # X[m] = sum_{k<m} w_k x_k
    wn = pre[n, 0]
    q_one = q == 1.0
    total = 0.0
    for i in range(n):
        sec[i] = 0.0
        lin[i] = 0.0
    for a in range(n):
        xa = xs[a]
        m_lo = a + 1
        m_hi = a + 1
        wa = pre[a + 1, 0]
        va = pre[a + 1, 1]
        for b in range(a + 1, n):
            xb = xs[b]
            if xb == xa:
                continue
            m_lo, m_hi = _midpoint_split(xs, 0.5 * (xa + xb), m_lo, m_hi)
            gap = xb - xa
            both = xa + xb
            # votes for a over b (voters left of the midpoint) and for b over a (right of it)
            left = gap * wa + both * (pre[m_lo, 0] - wa) - 2.0 * (pre[m_lo, 1] - va)
            right = (
                gap * (wn - pre[b, 0])
                + 2.0 * (pre[b, 1] - pre[m_hi, 1])
                - both * (pre[b, 0] - pre[m_hi, 0])
            )
            left = max(left, 0.0) / big_r
            right = max(right, 0.0) / big_r
            total += left + right
            d = gap / big_r
            us = 2.0 - 4.0 * (0.5 - 0.5 * d)
            uf = 2.0 - 4.0 * (0.5 + 0.5 * d)
            # E^b(U_ba) = s_a (P_ba us + (1 - P_ba) uf) + (1 - s_a) us, P_ba from ``right``
            sec[a] += ss[a] * uf + (1.0 - ss[a]) * us
            sec[b] += ss[b] * uf + (1.0 - ss[b]) * us
            if pairwise:
                den = left + right
                if den > 0.0:
                    sec[a] += ss[a] * (right / den) * (us - uf)
                    sec[b] += ss[b] * (left / den) * (us - uf)
            else:
                lin[a] += ss[a] * right * (us - uf)
                lin[b] += ss[b] * left * (us - uf)
            if not q_one:
                sec[a] -= _no_challenge(q, t, 0.0, dmu[b], d, 1.0)
                sec[b] -= _no_challenge(q, t, 0.0, dmu[a], d, 1.0)
    if not pairwise and total > 0.0:
        inv = 1.0 / (2.0 * total)
        for i in range(n):
            sec[i] += inv * lin[i]


@nb.njit(**_JIT)
def _solve_draw(
    x0: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    big_r: float,
    q: float,
    t: float,
    rounds: int,
    pairwise: bool,
    risk: bool,
    pos_out: np.ndarray,
    final_out: np.ndarray,
    med_out: np.ndarray,
    mean_out: np.ndarray,
    risk_out: np.ndarray,
    rec_kind: np.ndarray,
    rec_chal: np.ndarray,
    rec_ab: np.ndarray,
    store_pos: bool,
    store_risk: bool,
    record: bool,
    vec: np.ndarray,
    ivec: np.ndarray,
    mat: np.ndarray,
    imat: np.ndarray,
    pre: np.ndarray,
    num: np.ndarray,
    bab: np.ndarray,
    hist: np.ndarray,
) -> None:
    """All rounds for one draw (work arrays passed in). Each round works on the actors
    sorted by position.

    With Q = 1 both expected utilities of a dyad, seen by evaluator i with exponent r, are
    ``K f(t)`` with ``K = 4 * 0.5**r > 0``, ``f(t) = (1 - u) - t (v - u)``, ``u = (1 - d)**r``,
    ``v = (1 + d)**r`` and ``t = s_target (1 - P_challenger)``: f falls in t, so an offer
    (which needs b > a) is possible only for the side with the larger t, and the powers are
    computed for that side only (batched, so the logs and exps vectorise).
    """
    n = x0.size
    x, xs, ws, ss, rs, usq, dmu, sec = (
        vec[0],
        vec[1],
        vec[2],
        vec[3],
        vec[4],
        vec[5],
        vec[6],
        vec[7],
    )
    k1, k2, dest, slope_lo, slope_hi = vec[8], vec[9], vec[10], vec[11], vec[12]
    order, bkind, bj = ivec[0], ivec[1], ivec[2]
    g, b1, b2, b3, cd, cto, ctt = mat[0], mat[1], mat[2], mat[3], mat[4], mat[5], mat[6]
    ci, cj, si, sj = imat[0], imat[1], imat[2], imat[3]
    for m in range(n):
        x[m] = x0[m]
        rs[m] = 1.0
        order[m] = m
    q_one = q == 1.0
    for m in range(n):
        hist[0, m] = x[m]
    _sort_order(x, order)
    for m in range(n):
        xs[m] = x[order[m]]
        ws[m] = c[order[m]] * s[order[m]]
        ss[m] = s[order[m]]
    med, mean = _weighted_median_mean(xs, ws)
    med_out[0] = med
    mean_out[0] = mean
    if store_pos:
        _copy_row(x, pos_out[0])
    for rnd in range(rounds):
        if not q_one:  # distances to the median enter only the no-challenge term
            for m in range(n):
                dmu[m] = abs(xs[m] - med) / big_r
        if risk:
            # security with every exponent 1: sec_i = sum_{j != i} E^j(U_ji)
            _security_linear(xs, ws, ss, dmu, big_r, q, t, pairwise, pre, sec, b1)
            hi = sec.max()
            lo = sec.min()
            for i in range(n):
                rr = (2.0 * sec[i] - hi - lo) / (hi - lo) if hi > lo else 0.0
                rs[i] = (1.0 - rr / 3.0) / (1.0 + rr / 3.0)
            if store_risk:
                for m in range(n):
                    risk_out[rnd, order[m]] = rs[m]
        powered = n < 0  # False, but not a literal (see _win_numerators' npair)
        for i in range(n):
            powered = powered or rs[i] != 1.0
        total = _win_numerators(xs, ws, rs, big_r, powered, g, pre, num, b1, b2, b3, usq)
        inv = 1.0 / (2.0 * total) if total > 0.0 else 0.0
        for i in range(n):
            half_r = usq[i]  # 0.5 ** r, from _win_numerators
            usq[i] = 2.0 - 4.0 * half_r
            # t*(d) lies between its chord 1/2 + (2^-r - 1/2) d and its tangent at d = 0,
            # 1/2 - (r - 1) d / 4 (checked to rounding on a fine grid of d and r in [0.5, 2])
            chord = half_r - 0.5
            tangent = -0.25 * (rs[i] - 1.0)
            slope_lo[i] = min(chord, tangent)
            slope_hi[i] = max(chord, tangent)
            bkind[i] = 0
            bj[i] = -1
            k1[i] = np.inf
            k2[i] = np.inf
            bab[i, 0] = 0.0
            bab[i, 1] = 0.0
            dest[i] = xs[i]
        if q_one:
            # collect the one side of each dyad that can receive an offer. Branch-free (selects,
            # and each dyad written to the next free slot of a list that only grows when it
            # qualifies): which side and which list are data-dependent, and mispredicted
            # branches cost more here than the arithmetic.
            nc = 0
            ns = 0
            shortcut = not record  # the recorded draw needs both utilities of every offer
            for a in range(n):
                xa = xs[a]
                sa = ss[a]
                for b in range(a + 1, n):
                    pab, pba = _pair_p(num, a, b, inv, pairwise)
                    ta = ss[b] * (1.0 - pab)  # evaluator a: target b resists, b may win
                    tb = sa * (1.0 - pba)
                    a_own = tb < ta
                    i = a if a_own else b
                    j = b if a_own else a
                    t_own = ta if a_own else tb
                    t_other = tb if a_own else ta
                    # Offers follow from t* = (1 - u)/(v - u): a conflict offer iff t_own < t*
                    # (a > 0), any offer iff (t_own + t_other)/2 < t* (b > 0 and b > -a). t* is
                    # bounded without powers (see slope_lo, slope_hi), so most dyads are decided
                    # here; only undecided ones and compromises (whose size needs a and b) get
                    # powers. Not for tiny d, where the rounding of 1 - (1 - d)^r decides, as it
                    # does in the reference; bounds widened by 1e-9 (relative) for rounding.
                    d = (xs[b] - xa) / big_r
                    live = (d != 0.0) & (ta != tb)
                    far = d > 1e-4
                    t_hi = (0.5 + d * slope_hi[i]) * (1.0 + 1e-9)
                    t_lo = (0.5 + d * slope_lo[i]) * (1.0 - 1e-9)
                    live = live & (not (far & (t_own + t_other > 2.0 * t_hi)))
                    sure = live & far & (t_own < t_lo) & shortcut
                    ci[nc] = i
                    cj[nc] = j
                    cto[nc] = t_own
                    ctt[nc] = t_other
                    cd[nc] = d
                    nc += live & (not sure)
                    si[ns] = i
                    sj[ns] = j
                    ns += sure
            for m in range(ns):
                i = si[m]
                j = sj[m]
                _offer(i, j, xs[i], xs[j], 1.0, 2.0, bkind, bj, k1, k2, bab, dest)
            for m in range(nc):
                b1[m] = 1.0 - cd[m]
                b1[nc + m] = 1.0 + cd[m]
            _vlog(b1, b2, b3, 2 * nc)
            for m in range(nc):
                ri = rs[ci[m]]
                b2[m] *= ri
                b2[nc + m] *= ri
            _vexp(b2, b3, g, 2 * nc)
            for m in range(nc):
                i = ci[m]
                j = cj[m]
                lin = rs[i] == 1.0  # exact powers of 1, as the reference has them
                u = 1.0 - cd[m] if lin else b3[m]
                v = 1.0 + cd[m] if lin else b3[nc + m]
                k = 2.0 if lin else 2.0 - usq[i]
                ea = k * ((1.0 - u) - cto[m] * (v - u))
                eb = k * ((1.0 - u) - ctt[m] * (v - u))
                _offer(i, j, xs[i], xs[j], ea, eb, bkind, bj, k1, k2, bab, dest)
        else:
            for a in range(n):
                for b in range(a + 1, n):
                    if xs[a] == xs[b]:
                        continue
                    d = (xs[b] - xs[a]) / big_r
                    pab, pba = _pair_p(num, a, b, inv, pairwise)
                    for side in range(2):
                        if side == 0:
                            i, j, pij, pji = a, b, pab, pba
                        else:
                            i, j, pij, pji = b, a, pba, pab
                        ri = rs[i]
                        if ri == 1.0:
                            us = 2.0 - 4.0 * (0.5 - 0.5 * d)
                            uf = 2.0 - 4.0 * (0.5 + 0.5 * d)
                        else:
                            us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** ri
                            uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** ri
                        ea = ss[j] * (pij * us + (1.0 - pij) * uf) + (1.0 - ss[j]) * us
                        ea -= _no_challenge(q, t, usq[i], dmu[i], d, ri)
                        eb = ss[i] * (pji * us + (1.0 - pji) * uf) + (1.0 - ss[i]) * us
                        eb -= _no_challenge(q, t, usq[i], dmu[j], d, ri)
                        _offer(i, j, xs[i], xs[j], ea, eb, bkind, bj, k1, k2, bab, dest)
        if record:
            for m in range(n):
                k = order[m]
                rec_kind[rnd, k] = bkind[m]
                rec_chal[rnd, k] = order[bj[m]] if bj[m] >= 0 else -1
                rec_ab[rnd, k, 0] = bab[m, 0]
                rec_ab[rnd, k, 1] = bab[m, 1]
        # a round depends only on the positions: if nobody moved, every later round repeats
        # this one exactly, so fill them in and stop (not for the recorded draw, whose moves
        # are listed round by round)
        if not record:
            moved = False
            for m in range(n):
                if dest[m] != xs[m]:
                    moved = True
                    break
            if not moved:
                for k in range(rnd + 1, rounds + 1):
                    med_out[k] = med
                    mean_out[k] = mean
                    if store_pos:
                        _copy_row(x, pos_out[k])
                    if store_risk and k < rounds:
                        for m in range(n):
                            risk_out[k, order[m]] = rs[m]
                break
        # everyone moves at once; re-sort for the next round
        for m in range(n):
            x[order[m]] = dest[m]
        _sort_order(x, order)
        for m in range(n):
            xs[m] = x[order[m]]
            ws[m] = c[order[m]] * s[order[m]]
            ss[m] = s[order[m]]
        med, mean = _weighted_median_mean(xs, ws)
        med_out[rnd + 1] = med
        mean_out[rnd + 1] = mean
        if store_pos:
            _copy_row(x, pos_out[rnd + 1])
        if not record:
            # a round is a function of the positions alone: if they repeat an earlier state
            # (a cycle of period p), every later round repeats the cycle, so copy it and stop
            for m in range(n):
                hist[rnd + 1, m] = x[m]
            k0 = -1
            for k in range(rnd):
                same = True
                for m in range(n):
                    if hist[k, m] != x[m]:
                        same = False
                        break
                if same:
                    k0 = k
                    break
            if k0 >= 0:
                p = rnd + 1 - k0
                for k in range(rnd + 2, rounds + 1):
                    med_out[k] = med_out[k - p]
                    mean_out[k] = mean_out[k - p]
                    if store_pos:
                        _copy_row(pos_out[k - p], pos_out[k])
                if store_risk:
                    for k in range(rnd + 1, rounds):
                        _copy_row(risk_out[k - p], risk_out[k])
                kf = k0 + (rounds - k0) % p
                for m in range(n):
                    x[m] = hist[kf, m]
                break
    _copy_row(x, final_out)


@nb.njit(parallel=True, **_JIT)
def _solve_batch(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    big_r: float,
    q: float,
    t: float,
    rounds: int,
    pairwise: bool,
    risk: bool,
    pos_out: np.ndarray,
    final_out: np.ndarray,
    med_out: np.ndarray,
    mean_out: np.ndarray,
    risk_out: np.ndarray,
    rec_kind: np.ndarray,
    rec_chal: np.ndarray,
    rec_ab: np.ndarray,
    store_pos: bool,
    store_risk: bool,
    record: bool,
    n_chunks: int,
) -> None:
    step_pos = 1 if store_pos else 0
    step_risk = 1 if store_risk else 0
    n_draws, n = x.shape
    nn = n * n
    for ch in nb.prange(n_chunks):
        # one set of work arrays per chunk of draws, not per draw
        vec = np.empty((13, n))
        ivec = np.empty((3, n), dtype=np.int64)
        mat = np.empty((7, nn))
        imat = np.empty((4, nn), dtype=np.int64)
        pre = np.empty((n + 1, max(n, 2)))  # _security_linear uses two columns
        num = np.empty((n, n))
        bab = np.empty((n, 2))
        hist = np.empty((rounds + 1, n))
        for d in range(ch * n_draws // n_chunks, (ch + 1) * n_draws // n_chunks):
            _solve_draw(
                x[d],
                c[d],
                s[d],
                big_r,
                q,
                t,
                rounds,
                pairwise,
                risk,
                pos_out[d * step_pos],
                final_out[d],
                med_out[d],
                mean_out[d],
                risk_out[d * step_risk],
                rec_kind,
                rec_chal,
                rec_ab,
                store_pos,
                store_risk,
                record and d == 0,
                vec,
                ivec,
                mat,
                imat,
                pre,
                num,
                bab,
                hist,
            )


def _solve_serial(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    big_r: float,
    q: float,
    t: float,
    rounds: int,
    pairwise: bool,
    risk: bool,
    pos_out: np.ndarray,
    final_out: np.ndarray,
    med_out: np.ndarray,
    mean_out: np.ndarray,
    risk_out: np.ndarray,
    rec_kind: np.ndarray,
    rec_chal: np.ndarray,
    rec_ab: np.ndarray,
    store_pos: bool,
    store_risk: bool,
    record: bool,
    n_chunks: int,
) -> None:
    """:func:`_solve_batch` without threads, looping over the draws in Python: a single
    forecast (one draw) then compiles only :func:`_solve_draw`, not a wrapper around it
    (whose first compile re-optimises the whole kernel: seconds of a first run), and one draw
    gains nothing from threads. Same per-draw code and argument types, so the same bits."""
    step_pos = 1 if store_pos else 0
    step_risk = 1 if store_risk else 0
    n = x.shape[1]
    vec = np.empty((13, n))
    ivec = np.empty((3, n), dtype=np.int64)
    mat = np.empty((7, n * n))
    imat = np.empty((4, n * n), dtype=np.int64)
    pre = np.empty((n + 1, max(n, 2)))
    num = np.empty((n, n))
    bab = np.empty((n, 2))
    hist = np.empty((rounds + 1, n))
    for d in range(x.shape[0]):
        _solve_draw(
            x[d], c[d], s[d], big_r, q, t, rounds, pairwise, risk, pos_out[d * step_pos],
            final_out[d], med_out[d], mean_out[d], risk_out[d * step_risk], rec_kind,
            rec_chal, rec_ab, store_pos, store_risk, record and d == 0, vec, ivec, mat, imat,
            pre, num, bab, hist,
        )


class EUMSolution(NamedTuple):
    """Output of :func:`eum_solve`.

    Attributes
    ----------
    positions : ndarray, shape (n_draws, rounds + 1, n)
        Positions after each round (round 0 = the inputs); shape (n_draws, 0, n) with
        ``trace=False``.
    median, mean : ndarray, shape (n_draws, rounds + 1)
        Condorcet winner among held positions (leftmost on ties) and c*s-weighted mean.
    risk : ndarray, shape (n_draws, rounds, n)
        Risk exponents used in each round (shape (n_draws, 0, n) with ``trace=False``).
    moves : list of list of dict
        Draw 0 only: per round, the actors that moved (``actor`` and ``challenger`` are
        participant indices).
    final : ndarray, shape (n_draws, n)
        Positions after the last round (kept also with ``trace=False``).
    """

    positions: np.ndarray
    median: np.ndarray
    mean: np.ndarray
    risk: np.ndarray
    moves: list[list[dict[str, Any]]]
    final: np.ndarray


def eum_solve(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    lo: float,
    hi: float,
    *,
    q: float = 1.0,
    t: float = 1.0,
    rounds: int = 10,
    probability: str = "global",
    risk: bool = True,
    trace: bool = True,
) -> EUMSolution:
    """Run the EUM on one issue for every draw at once (fast path, same maths as
    :func:`eum_reference`).

    Parameters
    ----------
    x, c, s : ndarray, shape (n_draws, n)
        Positions on [lo, hi], capabilities (> 0), saliences on 0-1 (not 0-100).
    lo, hi : float
        The issue scale; R = hi - lo normalises distances.
    q, t : float
        Probability of the status quo when nobody challenges, and T of the no-challenge term.
    rounds : int
        Bargaining rounds (the model need not converge; this is the stopping rule).
    probability : {"global", "pairwise"}
        Denominator of the win probabilities (see :func:`eum_probabilities`).
    risk : bool
        Derive risk exponents from security each round (else all 1).
    trace : bool
        Keep positions and risk exponents of every round and draw 0's moves; False keeps only
        the final positions (the per-round median and mean are always kept).
    """
    if probability not in PROBABILITY_MODES:
        raise ValueError(f"probability must be one of {PROBABILITY_MODES}, got {probability!r}")
    x = np.ascontiguousarray(x, dtype=np.float64)
    c = np.ascontiguousarray(np.broadcast_to(c, x.shape), dtype=np.float64)
    s = np.ascontiguousarray(np.broadcast_to(s, x.shape), dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"positions must be (n_draws, n_actors), got shape {x.shape}")
    if np.any(s > 1.0 + 1e-12) or np.any(s < 0.0):
        raise ValueError(
            "salience must lie in 0-1 inside the EUM (divide file values 0-100 by 100)"
        )
    big_r = float(hi) - float(lo)
    if not big_r > 0:
        raise ValueError(f"the scale must have hi > lo, got [{lo}, {hi}]")
    n_draws, n = x.shape
    rounds = int(rounds)
    pos = np.empty((n_draws, rounds + 1, n)) if trace else np.empty((1, rounds + 1, n))
    final = np.empty((n_draws, n))
    med = np.empty((n_draws, rounds + 1))
    mean = np.empty((n_draws, rounds + 1))
    store_risk = bool(trace and risk)
    risk_out = np.ones((n_draws if store_risk else 1, rounds, n))
    record = bool(trace and n_draws > 0)
    kind = np.zeros((rounds, n), dtype=np.int8)
    chal = np.full((rounds, n), -1, dtype=np.int64)
    ab = np.zeros((rounds, n, 2))
    if n_draws > 0 and n > 0:
        # many small chunks handed out dynamically (chunk size 1), so threads that get draws
        # which settle early (and stop, see _solve_draw) take more chunks
        n_chunks = max(1, min(n_draws, 32 * nb.get_num_threads(), n_draws // 64))
        args = (x, c, s, big_r, float(q), float(t), rounds, probability == "pairwise",
                bool(risk), pos, final, med, mean, risk_out, kind, chal, ab, bool(trace),
                store_risk, record, n_chunks)
        if n_chunks == 1:  # small batches (a single forecast): no threads, nothing to share
            _solve_serial(*args)
        else:
            old_chunksize = nb.set_parallel_chunksize(1)
            try:
                _solve_batch(*args)
            finally:
                nb.set_parallel_chunksize(old_chunksize)
    elif n == 0:
        med[:] = np.nan
        mean[:] = np.nan
    if trace:
        risk_arr = risk_out if store_risk else np.ones((n_draws, rounds, n))
    else:
        pos = np.empty((n_draws, 0, n))
        risk_arr = np.empty((n_draws, 0, n))
    moves: list[list[dict[str, Any]]] = []
    if record:
        for rnd in range(rounds):
            before, after = pos[0, rnd], pos[0, rnd + 1]
            moves.append(
                [
                    {
                        "round": rnd + 1,
                        "actor": i,
                        "challenger": int(chal[rnd, i]),
                        "kind": MOVE_KINDS[int(kind[rnd, i])],
                        "octant": _OCTANTS[int(kind[rnd, i])],
                        "from": float(before[i]),
                        "to": float(after[i]),
                        "eu_actor": float(ab[rnd, i, 0]),
                        "eu_challenger": float(ab[rnd, i, 1]),
                    }
                    for i in range(n)
                    if kind[rnd, i] != 0
                ]
            )
    return EUMSolution(pos, med, mean, risk_arr, moves, final)


def eum_round(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    lo: float,
    hi: float,
    *,
    q: float = 1.0,
    t: float = 1.0,
    probability: str = "global",
    risk: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """One EUM round for every draw: positions after the round and the risk exponents used,
    both (n_draws, n)."""
    sol = eum_solve(x, c, s, lo, hi, q=q, t=t, rounds=1, probability=probability, risk=risk)
    return sol.final, sol.risk[:, 0]


# --------------------------------------------------------------------------------------------
# The model class
# --------------------------------------------------------------------------------------------


@register
class ExpectedUtility(IssueModel):
    """Bueno de Mesquita's expected-utility model: actors challenge, compromise and give in.

    Each round every actor weighs challenging every other actor: it may win (with probability
    P from the weighted votes of all actors), lose, or meet no resistance (with one minus the
    target's salience); risk exponents come from how exposed each actor is (its security).
    An actor that expects the other side to gain more from a confrontation moves to it
    (conflict), or part of the way (compromise); all move at once. The model need not settle
    (Scholz et al. 2011, §8), so the forecast is the median after the last round only when the
    run converged; when the rounds cycle it is the median of the round medians over the cycle,
    and when they have not settled, over the second half of the rounds
    (:mod:`accord.models._settle`; ``trace.settling`` says which, per draw, with the range).
    The trace also holds the c*s-weighted mean, which Scholz et al. recommend reporting.

    The exact reading follows docs/models.md §2.1, which reproduces the round-by-round trace of
    the 1994 EU car-emissions example to 1e-3: salience on 0-1; votes inside P use the voters'
    current risk exponents; security is computed with every exponent 1, pairs at one position
    excluded; each actor judges both sides of a dyad with its own exponent (the *evaluator's
    perspective*, pitfall 2); conflict offers first, the one that moves it least (leftmost on a
    tie), else the compromise offer with the leftmost key ``(|a| x_i + |b| x_j)/(|a| + |b|)``;
    the compel branch never fires; the median is the Condorcet winner among held positions
    (leftmost on a tie).

    Parameters
    ----------
    q : float, default 1.0
        Probability of the status quo if nobody challenges (Scholz et al. use 1 for the 1994
        example; 0.5 moves actors into other quadrants).
    t : float, default 1.0
        T, probability that things get better without a challenge (matters only when q < 1).
    rounds : int, default 10
        Number of bargaining rounds (the explicit stopping rule).
    probability : {"global", "pairwise"}, default "global"
        ``"global"``: P normalised over all voters and ordered pairs, as in the authors' code —
        reproduces the published trajectory. ``"pairwise"``: the per-pair denominator printed in
        the 1994 chapter; on the emissions example the median stays 7.0 and everyone converges
        to 7.0 by round 3.
    risk : bool, default True
        Derive risk exponents from security each round (False: everyone risk neutral).
    trace : bool, default True
        Keep every round's positions, risk exponents and draw 0's moves (False for fast Monte
        Carlo: only per-round median and mean and the final positions are kept).

    Notes
    -----
    A round depends only on the current positions (risk exponents are recomputed from them).
    With q < 1 the no-challenge utilities use the current median as mu; pairs of actors at one
    position never challenge each other, in security too (this matters only when q < 1).
    ``trace.moves`` (draw 0) names, per round, each actor that moved, the challenger whose offer
    it took (the lowest-index one among challengers at one position), the kind ("conflict" or
    "compromise"), from/to and both expected utilities as the actor saw them.

    The kernel is O(n²) per round and draw (see the module docstring) and runs draws in
    parallel with numba; :func:`eum_reference` is the readable O(n³) specification it is
    tested against.

    References
    ----------
    Bueno de Mesquita, B. (1994) "Political forecasting: an expected utility method", in
    Bueno de Mesquita & Stokman (eds) *European Community Decision Making*, Yale University Press.
    Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011) "Unravelling Bueno De Mesquita's group
    decision model", *Journal of Theoretical Politics* 23(4): 510-531.
    """

    name = "eum"
    citation = "Bueno de Mesquita 1994; Scholz, Calbert & Smith 2011"
    dynamic = True
    _parameter_checks: ClassVar[dict[str, Check]] = {
        "q": (lambda v: not isinstance(v, bool) and 0.0 <= float(v) <= 1.0, "a number in [0, 1]"),
        "t": (lambda v: not isinstance(v, bool) and 0.0 <= float(v) <= 1.0, "a number in [0, 1]"),
        "rounds": (
            lambda v: not isinstance(v, bool) and int(v) == v and 0 <= int(v) <= 1000,
            "an integer in 0-1000",
        ),
        "probability": (lambda v: v in PROBABILITY_MODES, "'global' or 'pairwise'"),
        "risk": (lambda v: isinstance(v, bool), "true or false"),
        "trace": (lambda v: isinstance(v, bool), "true or false"),
    }

    def __init__(
        self,
        *,
        q: float = 1.0,
        t: float = 1.0,
        rounds: int = 10,
        probability: str = "global",
        risk: bool = True,
        trace: bool = True,
    ) -> None:
        self.q = q
        self.t = t
        self.rounds = rounds
        self.probability = probability
        self.risk = risk
        self.trace = trace

    def solve_issue(self, issue: IssueDraws) -> tuple[np.ndarray, IssueTrace]:
        sol = eum_solve(
            issue.positions,
            issue.capability,
            issue.salience,
            issue.lo,
            issue.hi,
            q=float(self.q),
            t=float(self.t),
            rounds=int(self.rounds),
            probability=self.probability,
            risk=self.risk,
            trace=self.trace,
        )
        extra = {"probability": self.probability, "risk": sol.risk, "final": sol.final}
        # the model need not settle: the forecast is read from the last round only when it
        # converged, else from the cycle (or the second half of the rounds); see _settle
        settling = settle(sol.median, sol.mean, issue.hi - issue.lo)
        tr = IssueTrace(
            positions=sol.positions,
            median=sol.median,
            mean=sol.mean,
            moves=sol.moves,
            extra=extra,
            settling=settling,
        )
        return settling.forecast.copy(), tr

    def _run(self, draws: ScenarioDraws, *, rng: np.random.Generator | None) -> ModelResult:
        result = super()._run(draws, rng=rng)
        traces = {}
        for issue_id, tr in result.traces.items():
            ids = [draws.actor_ids[k] for k in result.actor_index[issue_id]]
            moves = [
                [{**m, "actor": ids[m["actor"]], "challenger": ids[m["challenger"]]} for m in rnd]
                for rnd in tr.moves
            ]
            traces[issue_id] = replace(tr, moves=moves)
        return replace(result, traces=traces)
