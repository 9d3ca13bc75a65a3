"""Ridge-penalised Cox regression by Newton-Raphson in numpy (Efron ties).

Cox, D. R. (1972) *JRSS B* 34(2); Efron, B. (1977) "The efficiency of Cox's likelihood
function for censored data", *JASA* 72(359) for tied times; ridge penalty as in Verweij &
van Houwelingen (1994) *Stat. Med.* 13(23). The objective, scaling and baseline estimator
follow lifelines' ``CoxPHFitter(penalizer=p, l1_ratio=0)`` (Davidson-Pilon 2019, MIT), so the
two agree to numerical precision (checked in tests); this version is ~20x faster, which makes
the grouped cross-validation and the cluster bootstrap cheap.

Objective on standardised covariates z = (x - mean) / sd:
    sum_j [ sum_{i in D_j} z_i b - sum_{l<d_j} log(S_j - l/d_j T_j) ] - n p/2 ||b||^2
with S_j the risk-set sum of exp(z b) and T_j the sum over the d_j tied events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

__all__ = ["CoxArrays", "cox_ridge"]


@dataclass
class CoxArrays:
    """Coefficients on the original scale, centring, standard errors, p-values and the
    Breslow baseline cumulative hazard (at the mean covariates) at each distinct time."""

    coef: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    p: np.ndarray
    times: np.ndarray
    cumhaz: np.ndarray


def _derivs(
    z: np.ndarray, b: np.ndarray, ev: dict[str, np.ndarray], penalizer: float
) -> tuple[float, np.ndarray, np.ndarray]:
    """Penalised log partial likelihood, gradient and Hessian (Efron ties), vectorised.

    Rows of ``z`` are sorted by time descending; ``ev`` holds, per event row, its index, the
    last index of its risk set, its tie group and its Efron fraction l/d."""
    eta = z @ b
    eta_max = eta.max()
    w = np.exp(eta - eta_max)
    wz = w[:, None] * z
    cw = np.cumsum(w)
    cwz = np.cumsum(wz, axis=0)
    dead, end, grp, frac, starts = ev["dead"], ev["end"], ev["grp"], ev["frac"], ev["starts"]
    t0 = np.add.reduceat(w[dead], starts)[grp]
    t1 = np.add.reduceat(wz[dead], starts, axis=0)[grp]
    a0 = cw[end] - frac * t0
    a1 = cwz[end] - frac[:, None] * t1
    inv = 1.0 / a0
    ll = float(eta[dead].sum() + np.log(inv).sum() - len(dead) * eta_max)
    m = a1 * inv[:, None]
    g = z[dead].sum(axis=0) - m.sum(axis=0)
    # sum_e S2(end_e)/a0_e = z' diag(w c) z with c_i = sum of 1/a0_e over events whose risk
    # set holds row i; sum_e f_e T2_e/a0_e = zd' diag(w_d q) zd with q = sum_e f_e/a0_e per tie
    acc = np.zeros(len(w))
    np.add.at(acc, end, inv)
    c = np.cumsum(acc[::-1])[::-1]
    q = np.add.reduceat(frac * inv, starts)[grp]
    zd = z[dead]
    s2 = (z * (w * c)[:, None]).T @ z - (zd * (w[dead] * q)[:, None]).T @ zd
    h = -s2 + m.T @ m
    ll -= 0.5 * penalizer * float(b @ b)
    g = g - penalizer * b
    h[np.diag_indices(len(b))] -= penalizer  # penalizer here is already n * p (lifelines')
    return ll, g, h


def cox_ridge(
    x: np.ndarray,
    time: np.ndarray,
    event: np.ndarray,
    penalizer: float,
    max_iter: int = 60,
    tol: float = 1e-9,
) -> CoxArrays:
    """Fit the penalised Cox model; every column of ``x`` must vary."""
    x = np.asarray(x, float)
    time = np.asarray(time, float)
    event = np.asarray(event, bool)
    mean, sd = x.mean(axis=0), x.std(axis=0, ddof=1)
    if np.any(sd == 0):
        raise ValueError("constant column in the Cox design")
    z = (x - mean) / sd
    order = np.argsort(-time, kind="stable")
    z, ts, es = z[order], time[order], event[order]
    # event rows grouped by tied time; risk set of time t = rows with time >= t
    dead = np.flatnonzero(es)  # already grouped: ts is sorted
    uniq, starts, counts = np.unique(-ts[dead], return_index=True, return_counts=True)
    grp = np.repeat(np.arange(len(uniq)), counts)
    rank = np.arange(len(dead)) - starts[grp]
    groups = {
        "dead": dead,
        "starts": starts,
        "grp": grp,
        "frac": rank / counts[grp],
        "end": (np.searchsorted(-ts, uniq, side="right") - 1)[grp],
    }
    pen = penalizer * len(x)
    b = np.zeros(z.shape[1])
    ll, g, h = _derivs(z, b, groups, pen)
    for _ in range(max_iter):
        try:
            step = np.linalg.solve(-h, g)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(-h, g, rcond=None)[0]
        lr = 1.0
        while True:
            nb = b + lr * step
            nll, ng, nh = _derivs(z, nb, groups, pen)
            if np.isfinite(nll) and nll >= ll - 1e-12:
                break
            lr *= 0.5
            if lr < 1e-8:
                nb, nll, ng, nh = b, ll, g, h
                break
        done = abs(nll - ll) < tol * max(1.0, abs(ll)) and np.max(np.abs(nb - b)) < 1e-7
        b, ll, g, h = nb, nll, ng, nh
        if done:
            break
    cov = np.linalg.pinv(-h)
    se = np.sqrt(np.clip(np.diag(cov), 0, None)) / sd
    coef = b / sd
    p = 2 * norm.sf(np.abs(coef / np.where(se > 0, se, np.nan)))
    # Breslow baseline at the mean covariates: dH0(t) = d(t) / sum_{R(t)} exp((x-mean) coef)
    risk = np.exp((x - mean) @ coef)
    tsort = np.argsort(time, kind="stable")
    t_ord, e_ord, r_ord = time[tsort], event[tsort], risk[tsort]
    ut, first = np.unique(t_ord, return_index=True)
    at_risk = np.cumsum(r_ord[::-1])[::-1][first]
    deaths = np.add.reduceat(e_ord.astype(float), first)
    cumhaz = np.cumsum(deaths / at_risk)
    return CoxArrays(coef, mean, se, p, ut, cumhaz)
