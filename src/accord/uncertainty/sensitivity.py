"""Which uncertain inputs move a forecast: one-at-a-time tornado and Sobol indices.

Only inputs with a range in the scenario are varied (see
:mod:`accord.uncertainty.sampling`); each is drawn from the same distribution the Monte Carlo uses.

* Tornado (one at a time): every other input at its point value, the input set to the low and
  to the high end of its range; the swing is ``|f(high) - f(low)|``. Cheap (2 x inputs + 1
  model runs) but blind to interactions and to effects inside the range.
* Sobol indices (Sobol 2001; Saltelli et al. 2010, *Comput. Phys. Commun.* 181): first-order
  S1, the share of the forecast's variance due to the input alone, and total-order ST, its
  share with all its interactions. Computed with SALib (Herman & Usher 2017, *JOSS* 2(9);
  Iwanaga et al. 2022, *SESMO* 4) from ``N (D + 2)`` runs on a scrambled Sobol sequence mapped
  through each input's inverse CDF. An input that the forecast does not depend on gets exactly
  0 (the estimators difference two identical runs).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import InputError
from accord.scenario import Scenario, to_arrays
from accord.uncertainty.sampling import (
    DISTRIBUTIONS,
    Inputs,
    _mc_models,
    apply_inputs,
    ppf,
    scenario_inputs,
)

__all__ = [
    "SensitivityResult",
    "saltelli_uniforms",
    "sensitivity",
    "sobol_indices",
    "tornado",
]

#: Draws per evaluation chunk (one task on a Dask worker).
EVAL_CHUNK = 8192


# --------------------------------------------------------------------------------------------
# Generic: Sobol indices of any vectorised function of the inputs
# --------------------------------------------------------------------------------------------


def saltelli_uniforms(d: int, n: int, *, seed: int = 0) -> np.ndarray:
    """Saltelli's design on [0, 1)^d without second order: shape (n (d + 2), d).

    Row block ``i`` is ``A_i, AB_i^(1), ..., AB_i^(d), B_i`` where ``A`` and ``B`` are the two
    halves of a scrambled Sobol sequence of dimension ``2 d`` and ``AB^(j)`` is ``A`` with
    column ``j`` from ``B``. Identical to ``SALib.sample.sobol.sample(..., calc_second_order=
    False, seed=seed)`` with unit bounds (tested), built without its per-row Python loop.
    """
    from scipy.stats import qmc

    base = qmc.Sobol(d=2 * d, scramble=True, seed=seed).random(n)
    a, b = base[:, :d], base[:, d:]
    out = np.repeat(a[:, None, :], d + 2, axis=1)
    j = np.arange(d)
    out[:, 1 + j, j] = b
    out[:, d + 1] = b
    out = out.reshape(n * (d + 2), d)
    return np.clip(out, 0.0, np.nextafter(1.0, 0.0), out=out)


def sobol_indices(
    func: Callable[[np.ndarray], np.ndarray] | None,
    inputs: Inputs,
    *,
    n: int = 1024,
    seed: int = 0,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    evaluate: Callable[[np.ndarray], np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """First- and total-order Sobol indices of ``func`` for every input and output.

    Parameters
    ----------
    func : callable
        ``X (n_runs, n_inputs) -> Y (n_runs,) or (n_runs, n_outputs)``, vectorised over rows.
        ``X`` is in the inputs' own units, drawn from their distributions.
    inputs : Inputs
        The varied inputs and their distributions (:meth:`Inputs.from_bounds` for plain bounds).
    n : int, default 1024
        Base sample size, a power of 2; ``n (n_inputs + 2)`` runs are made.
    seed : int
        Seeds the scrambled Sobol sequence and the bootstrap of the confidence intervals.
    evaluate : callable, optional
        Replaces ``func(X)`` by ``evaluate(U)`` on the uniforms (used to evaluate in chunks or
        on Dask); must return the same thing.

    Returns
    -------
    dict
        ``S1``, ``S1_conf``, ``ST``, ``ST_conf``: arrays (n_outputs, n_inputs); ``Y`` the runs;
        ``n_runs``. Outputs with zero variance get all indices 0.
    """
    from SALib.analyze import sobol as sobol_analyze

    if n < 2 or n & (n - 1):
        raise InputError(
            f"the Sobol base sample size must be a power of 2, got {n}.",
            field="--n",
            fix="use 256, 512, 1024, 2048, ...",
        )
    d = inputs.n_inputs
    if d == 0:
        raise InputError(
            "no input has a range, so there is nothing to vary.",
            field="ranges",
            fix="give actors ranges / salience_ranges / capability_range in the scenario.",
        )
    u = saltelli_uniforms(d, n, seed=seed)
    if evaluate is not None:
        y = evaluate(u)
    elif func is not None:
        y = func(ppf(inputs, u))
    else:
        raise TypeError("give func or evaluate")
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    k = y.shape[1]
    out = {key: np.zeros((k, d)) for key in ("S1", "S1_conf", "ST", "ST_conf")}
    blocks = y.reshape(n, d + 2, k)
    for j in range(k):
        col = blocks[:, :, j]
        if not np.all(np.isfinite(col)):
            raise ValueError(f"output {j} has non-finite values; cannot compute Sobol indices")
        # Inputs whose swap never changes the output have S1 = ST = 0 exactly; analysing only
        # the others (rows A, AB_i for i in `live`, B: a valid design of the smaller problem)
        # gives the same indices and bootstrap, and is much faster with many inputs.
        live = np.flatnonzero(np.any(col[:, 1 : d + 1] != col[:, :1], axis=0))
        if live.size == 0 or np.ptp(col) <= 1e-12 * max(1.0, float(np.abs(col).max())):
            continue
        sub = col[:, np.r_[0, 1 + live, d + 1]].reshape(-1)
        problem = {
            "num_vars": int(live.size),
            "names": [inputs.names[i] for i in live],
            "bounds": [[0.0, 1.0]] * int(live.size),
        }
        res = sobol_analyze.analyze(
            problem,
            sub,
            calc_second_order=False,
            num_resamples=num_resamples,
            conf_level=conf_level,
            print_to_console=False,
            # SALib ignores a seed of 0 (``if seed:``) and then bootstraps from numpy's global
            # state, so the confidence half-widths changed from run to run
            seed=seed + 1,
        )
        for key in out:
            out[key][j, live] = np.nan_to_num(np.asarray(res[key], dtype=float))
    out["Y"] = y
    out["n_runs"] = np.array(y.shape[0])
    return out


# --------------------------------------------------------------------------------------------
# Scenario level
# --------------------------------------------------------------------------------------------


def _eval_chunk(
    scenario: Scenario,
    spec: tuple[str, dict[str, Any]],
    inputs: Inputs,
    start: int,
    u: np.ndarray,
) -> np.ndarray:
    """Forecasts (n, n_issues) of one model for rows of uniforms ``u`` (picklable, for Dask)."""
    (model,) = _mc_models([spec])
    draws = apply_inputs(to_arrays(scenario, 1), inputs, ppf(inputs, u))
    return model.run(draws, rng=np.random.default_rng(start)).forecast


def _evaluate(
    scenario: Scenario,
    spec: tuple[str, dict[str, Any]],
    inputs: Inputs,
    u: np.ndarray,
    *,
    dask: str | None,
    client: Any,
    progress: bool,
    label: str,
    chunk: int = EVAL_CHUNK,
) -> np.ndarray:
    from accord.uncertainty.distributed import map_chunks

    tasks = [(s, u[s : s + chunk]) for s in range(0, u.shape[0], chunk)]
    y = np.empty((u.shape[0], len(scenario.issues)))
    run = map_chunks(
        _eval_chunk,
        tasks,
        shared=(scenario, spec, inputs),
        dask=dask,
        client=client,
        progress=progress,
        label=label,
        weights=[t[1].shape[0] for t in tasks],
    )
    for (start, rows), res in run:
        y[start : start + rows.shape[0]] = res
    return y


def tornado(
    scenario: Scenario,
    spec: tuple[str, dict[str, Any]],
    inputs: Inputs,
) -> dict[str, np.ndarray]:
    """One-at-a-time swings: each input at the low and high end of its range, others at their
    point values.

    Returns
    -------
    dict
        ``base`` (n_issues,), ``at_low`` and ``at_high`` (n_inputs, n_issues).
    """
    d = inputs.n_inputs
    values = np.repeat(inputs.mode[None, :], 2 * d + 1, axis=0)
    idx = np.arange(d)
    values[1 + idx, idx] = inputs.lo
    values[1 + d + idx, idx] = inputs.hi
    (model,) = _mc_models([spec])
    draws = apply_inputs(to_arrays(scenario, 1), inputs, values)
    f = model.run(draws, rng=np.random.default_rng(0)).forecast
    return {"base": f[0], "at_low": f[1 : 1 + d], "at_high": f[1 + d :]}


@dataclass
class SensitivityResult:
    """Tornado and Sobol indices of one model's forecasts, per issue.

    Attributes
    ----------
    inputs : Inputs
    issue_ids : tuple of str
    base : ndarray (n_issues,)
        Forecast with every input at its point value.
    at_low, at_high : ndarray (n_inputs, n_issues)
        Tornado: forecast with one input at the low / high end of its range.
    S1, S1_conf, ST, ST_conf : ndarray (n_issues, n_inputs)
        Sobol indices and the half-widths of their bootstrap confidence intervals.
    """

    scenario: str
    model: str
    params: dict[str, Any]
    inputs: Inputs
    issue_ids: tuple[str, ...]
    scale: np.ndarray
    base: np.ndarray
    at_low: np.ndarray
    at_high: np.ndarray
    S1: np.ndarray
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    n: int
    seed: int
    distribution: str
    n_runs: int
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def swing(self) -> np.ndarray:
        """|f(high) - f(low)|, shape (n_inputs, n_issues)."""
        return np.abs(self.at_high - self.at_low)

    def _no_effect_tol(self, k: int) -> float:
        return 1e-9 * float(self.scale[k, 1] - self.scale[k, 0])

    def issue_table(self, k: int, *, top: int | None = None, by: str = "ST") -> list[dict]:
        """Inputs with an effect on issue ``k``, largest first (``by`` = ``ST`` or ``swing``)."""
        swing = self.swing[:, k]
        tol = self._no_effect_tol(k)
        effect = (swing > tol) | (self.ST[k] > 1e-12) | (np.abs(self.S1[k]) > 1e-12)
        key = self.ST[k] if by == "ST" else swing
        order = [j for j in np.argsort(-key, kind="stable") if effect[j]]
        rows = []
        for j in order[:top]:
            rows.append(
                {
                    "input": self.inputs.names[j],
                    "range": [float(self.inputs.lo[j]), float(self.inputs.hi[j])],
                    "value": float(self.inputs.mode[j]),
                    "at_low": float(self.at_low[j, k]),
                    "at_high": float(self.at_high[j, k]),
                    "swing": float(swing[j]),
                    "S1": float(self.S1[k, j]),
                    "S1_conf": float(self.S1_conf[k, j]),
                    "ST": float(self.ST[k, j]),
                    "ST_conf": float(self.ST_conf[k, j]),
                }
            )
        return rows

    def no_effect(self, k: int) -> dict[str, int]:
        """How many inputs had no effect on issue ``k``: by the tornado and by Sobol ST."""
        tol = self._no_effect_tol(k)
        return {
            "tornado": int((self.swing[:, k] <= tol).sum()),
            "sobol": int((self.ST[k] <= 1e-12).sum()),
            "both": int(((self.swing[:, k] <= tol) & (self.ST[k] <= 1e-12)).sum()),
        }

    def to_json(self, *, top: int | None = None) -> dict[str, Any]:
        def r6(x: float) -> float:
            return round(float(x), 6)

        issues = []
        for k, issue in enumerate(self.issue_ids):
            tol = self._no_effect_tol(k)
            rows = self.issue_table(k, by="swing")
            tornado_rows = [r for r in rows if r["swing"] > tol][:top]
            sobol_rows = [
                r for r in self.issue_table(k, by="ST") if r["ST"] > 1e-12 or abs(r["S1"]) > 1e-12
            ][:top]
            issues.append(
                {
                    "issue": issue,
                    "base": r6(self.base[k]),
                    "tornado": [
                        {
                            "input": r["input"],
                            "range": r["range"],
                            "value": r["value"],
                            "at_low": r6(r["at_low"]),
                            "at_high": r6(r["at_high"]),
                            "swing": r6(r["swing"]),
                        }
                        for r in tornado_rows
                    ],
                    "sobol": [
                        {
                            "input": r["input"],
                            "S1": r6(r["S1"]),
                            "S1_conf": r6(r["S1_conf"]),
                            "ST": r6(r["ST"]),
                            "ST_conf": r6(r["ST_conf"]),
                        }
                        for r in sobol_rows
                    ],
                    "no_effect": self.no_effect(k),
                }
            )
        return {
            "scenario": self.scenario,
            "model": self.model,
            "params": self.params,
            "inputs": self.inputs.n_inputs,
            "distribution": self.distribution,
            "n": self.n,
            "seed": self.seed,
            "runs": self.n_runs,  # no wall time here: the same seed gives the same bytes
            "issues": issues,
            **({"dask": self.extra["dask"]} if self.extra.get("dask") else {}),
        }


def sensitivity(
    scenario: Scenario,
    model: str = "eum",
    *,
    overrides: Mapping[str, dict[str, Any]] | None = None,
    n: int = 1024,
    seed: int = 0,
    distribution: str | None = None,
    distribution_overrides: Mapping[str, str] | None = None,
    num_resamples: int = 100,
    dask: str | None = None,
    client: Any = None,
    progress: bool = False,
    source: str = "<scenario>",
) -> SensitivityResult:
    """Tornado and Sobol indices of one model's forecast of every issue.

    Parameters
    ----------
    scenario : Scenario
    model : str
        Registered model name; its settings come from the scenario's ``models:`` and
        ``overrides`` (as in ``accord forecast --set``).
    n : int
        Sobol base sample (power of 2); ``n (n_inputs + 2)`` model runs.
    seed : int
        Seeds the Sobol sequence and bootstrap.
    distribution, distribution_overrides
        Input distributions (see :func:`accord.uncertainty.sampling.scenario_inputs`).
    dask : str, optional
        Evaluate the runs on a Dask cluster (``local:N``, ``threads:N``, ``tcp://...``).
    """
    from accord.forecast import build_models

    (built,) = build_models(scenario, [model], dict(overrides or {}), source=source)
    spec = (built.name, built.get_params())
    inputs = scenario_inputs(scenario, distribution=distribution, overrides=distribution_overrides)
    if inputs.n_inputs == 0:
        raise InputError(
            "no input has a range, so there is nothing to vary.",
            path=source,
            field="actors[*].ranges",
            fix="give actors ranges / salience_ranges / capability_range in the scenario.",
        )
    from accord import limits

    d, k = inputs.n_inputs, len(scenario.issues)
    # per base sample: d + 2 runs of uniforms, values and forecasts, and SALib's resample indices
    limits.check_work("--n", n, (d + 2) * (16.0 * d + 8.0 * k) + 16.0 * num_resamples,
                      what=f"{n:,} x {d + 2} runs of {d} inputs and {k} issue(s)")
    t0 = time.perf_counter()
    tor = tornado(scenario, spec, inputs)

    def run_all(u: np.ndarray, client_: Any) -> np.ndarray:
        return _evaluate(
            scenario,
            spec,
            inputs,
            u,
            dask=None if client_ else dask,
            client=client_,
            progress=progress,
            label=f"Sobol, {model}, {u.shape[0]:,} runs",
        )

    from accord.uncertainty.distributed import dask_client

    # a cluster started here for --dask lives for the whole Sobol run; else the given client
    starts = client is None and bool(dask)
    with dask_client(str(dask)) if starts else contextlib.nullcontext(client) as c:
        sob = sobol_indices(
            None,
            inputs,
            n=n,
            seed=seed,
            num_resamples=num_resamples,
            evaluate=lambda u: run_all(u, c),
        )
    return SensitivityResult(
        scenario=scenario.name,
        model=built.name,
        params=spec[1],
        inputs=inputs,
        issue_ids=scenario.issue_ids,
        scale=np.array([iss.scale for iss in scenario.issues], dtype=float),
        base=tor["base"],
        at_low=tor["at_low"],
        at_high=tor["at_high"],
        S1=sob["S1"],
        S1_conf=sob["S1_conf"],
        ST=sob["ST"],
        ST_conf=sob["ST_conf"],
        n=n,
        seed=seed,
        distribution=inputs.default,
        n_runs=int(sob["n_runs"]) + 2 * inputs.n_inputs + 1,
        seconds=time.perf_counter() - t0,
        extra={
            "dask": dask,
            "distributions_used": sorted({DISTRIBUTIONS[c] for c in inputs.dist.tolist()}),
        },
    )
