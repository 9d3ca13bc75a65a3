"""The mediator's choice of a point on a segment, per draw: the strategy simulator's one hot
loop, compiled with numba.

Its own module so that ``import accord.strategies`` stays light: the simulator imports it (and
numba) the first time a mediator proposes.
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True, parallel=True)
def grid_best(
    lo_end: np.ndarray,
    hi_end: np.ndarray,
    ideal_req: np.ndarray,
    wn_req: np.ndarray,
    believed: np.ndarray,
    rec: np.ndarray,
    lam: np.ndarray,
    pay_w: np.ndarray,
    pay_ideal: np.ndarray,
    transactional: bool,
) -> np.ndarray:
    """Index of the mediator's best point on the segment lo_end -> hi_end, per draw.

    Diplomatic: maximise the Nash product of believed surpluses (Nash 1950) among points all
    required parties accept; transactional: the acceptable point that pays the mediator most.
    If no point is acceptable to all, maximise the smallest surplus.
    """
    D, m = lo_end.shape
    G = lam.size
    r = ideal_req.shape[1]
    best = np.empty(D, np.int64)
    for d in nb.prange(D):
        bscore = -np.inf
        bi = 0
        for g in range(G):
            smin = np.inf
            logsum = 0.0
            for q in range(r):
                u = 1.0
                for k in range(m):
                    z = lo_end[d, k] + lam[g] * (hi_end[d, k] - lo_end[d, k])
                    u -= wn_req[d, q, k] * abs(z - ideal_req[d, q, k])
                s = u + rec[q] - believed[d, q]
                if s < smin:
                    smin = s
                logsum += np.log(max(s, 1e-12))
            if smin >= 0:
                if transactional:
                    pu = 1.0
                    for k in range(m):
                        z = lo_end[d, k] + lam[g] * (hi_end[d, k] - lo_end[d, k])
                        pu -= pay_w[d, k] * abs(z - pay_ideal[d, k])
                    sc = 1e6 + pu + 1e-6 * smin
                else:
                    sc = 1e6 + logsum
            else:
                sc = smin
            if sc > bscore:
                bscore = sc
                bi = g
        best[d] = bi
    return best
