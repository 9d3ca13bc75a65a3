"""The DEU backtest: run every model on every scoreable issue and score it against the outcome.

Registered models (``accord.models`` registry) are run once per proposal, on a
:class:`~accord.scenario.ScenarioDraws` holding that proposal's scoreable issues (so models that
trade across issues, like the exchange model, see the issues that were negotiated together).
A model that raises or returns non-finite forecasts is reported as failed, never fatal.

Backtest-only baselines (not registry models, they need the outcome file's columns):
``constant50``; ``commission`` (the Commission's position, the compromise forecast where the
Commission has none); ``rp`` (the reference point, the compromise forecast where unknown); and
two distributions for the distribution scores: ``uniform`` and ``compromise-errors`` (the
compromise mean plus its errors on the training folds; see ``_calibrate``).

The registry model ``calibrated`` ships coefficients fitted on DEU III part A, so here it is
never run as shipped: it is refitted inside the grouped CV (nested) or on ``--train``.
Models that forecast a distribution get ``coverage`` (level -> share of outcomes inside the
central interval), ``crps``, ``log_score`` and ``pit_histogram`` besides their errors.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.backtest._calibrate import distribution_scores
from accord.backtest._capability import capability_matrix
from accord.backtest._deu import DeuData, group_draws, load_deu
from accord.backtest._distributional import NESTED_FAMILIES
from accord.backtest._fitted import Features, FittedModel, group_folds
from accord.backtest._metrics import score_table
from accord.errors import InputError

REFERENCE = "compromise"
#: The registry model refitted here rather than run with its shipped coefficients.
CALIBRATED = "calibrated"
#: Distribution baselines (median as point forecast, plus distribution scores).
DIST_BASELINES = ("uniform", "compromise-errors")
BASELINES = ("constant50", "commission", "rp", *DIST_BASELINES)
FITTED = (*NESTED_FAMILIES, CALIBRATED)
#: The improvement over the compromise model the fitted models aim at.
TARGET_REL_IMPROVEMENT = 0.10


def registry_models() -> list[str]:
    """Registry models run as they are (``calibrated`` is fitted here instead)."""
    from accord.models import available_models

    return [m for m in available_models() if m != CALIBRATED]


def resolve_models(requested: list[str] | None, *, fitted_allowed: bool = True) -> list[str]:
    """Expand ``all``/``base``/``fitted`` and check names; the reference is always included."""
    reg = registry_models()
    known = [*reg, *BASELINES, *FITTED]
    names: list[str] = []
    for r in requested or ["all"]:
        if r == "all":
            add = [*reg, *BASELINES, *(FITTED if fitted_allowed else ())]
        elif r == "base":
            add = [*reg, *BASELINES]
        elif r == "fitted":
            add = list(FITTED)
        elif r in known:
            add = [r]
        else:
            raise InputError(
                f"unknown model {r!r}.",
                field="--model",
                fix=f"use one of: {', '.join(known)}, or all / base / fitted.",
            )
        names += [n for n in add if n not in names]
    if REFERENCE not in names:
        names.insert(0, REFERENCE)
    return names


@dataclass
class BaseRun:
    """Forecasts of unfitted models on one data set."""

    forecasts: dict[str, np.ndarray] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def proposal_groups(data: DeuData, cap: np.ndarray) -> list[np.ndarray]:
    """Row indices per proposal (split further if capability differs within a proposal)."""
    keys: dict[tuple[Any, ...], list[int]] = {}
    for k in range(data.n_issues):
        key = (str(data.prnr[k]), tuple(np.round(cap[k], 12)))
        keys.setdefault(key, []).append(k)
    return [np.array(v) for v in keys.values()]


def run_registry_model(name: str, data: DeuData, cap: np.ndarray) -> np.ndarray:
    """Forecast (n_issues,) of registry model ``name``; raises whatever the model raises."""
    from accord.models import get_model

    model = get_model(name)
    out = np.full(data.n_issues, np.nan)
    for rows in proposal_groups(data, cap):
        draws = group_draws(data, rows, cap)
        res = model.run(draws, rng=np.random.default_rng(0))
        f = np.asarray(res.forecast, dtype=float)
        if f.shape != (1, len(rows)):
            raise ValueError(f"forecast has shape {f.shape}, expected {(1, len(rows))}")
        out[rows] = f[0]
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{int((~np.isfinite(out)).sum())} non-finite forecasts")
    return out


def run_base(data: DeuData, cap: np.ndarray, names: list[str]) -> BaseRun:
    """Run registry models and baselines on scoreable ``data``; failures are recorded."""
    run = BaseRun()
    reg = set(registry_models())
    for name in names:
        if name not in reg:
            continue
        t0 = time.perf_counter()
        try:
            run.forecasts[name] = run_registry_model(name, data, cap)
        except Exception as err:  # noqa: BLE001 - a failing model is a result, not a crash
            run.failed[name] = f"{type(err).__name__}: {err}"
        run.seconds[name] = time.perf_counter() - t0
    comp = run.forecasts.get(REFERENCE)
    if comp is None:
        raise RuntimeError(f"the reference model failed: {run.failed.get(REFERENCE)}")
    run.forecasts["constant50"] = np.full(data.n_issues, 50.0)
    com = data.actors.index("com") if "com" in data.actors else None
    if com is not None:
        cpos = np.where(data.participates[:, com], data.positions[:, com], np.nan)
    else:
        cpos = np.full(data.n_issues, np.nan)
    run.forecasts["commission"] = np.where(np.isnan(cpos), comp, cpos)
    run.forecasts["rp"] = np.where(np.isnan(data.rp), comp, data.rp)
    return run


def features(data: DeuData, cap: np.ndarray, base: dict[str, np.ndarray]) -> Features:
    ok = data.participates
    proc = np.array([str(p).strip().upper() for p in data.meta["proc"]])
    vote = np.array([str(v).strip().lower() for v in data.meta["counvte"]])
    return Features(
        x=np.where(ok, data.positions, 0.0),
        s=np.where(ok, data.salience / 100.0, 0.0),
        ok=ok,
        c=cap,
        rp=data.rp.copy(),
        cod=proc == "COD",
        unan=np.char.startswith(vote.astype(str), "unan"),
        actors=data.actors,
        base=dict(base),
        vw=capability_matrix(data, "council"),
    )


def _factory(name: str, seed: int, inner_k: int) -> Any:
    cls = NESTED_FAMILIES[name]
    return lambda: cls(inner_k=inner_k, seed=seed)


def _cv_distributions(
    factory: Any, f: Features, y: np.ndarray, groups: np.ndarray, k: int, seed: int
) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]]]:
    """Out-of-fold medians, distributions (n, 101) and each fold's params (grouped folds)."""
    folds = group_folds(groups, k, seed)
    dist = np.zeros((f.n, 101))
    params = []
    for j in range(int(folds.max()) + 1):
        test = folds == j
        model = factory()
        model.groups = np.asarray(groups)[~test]
        model.fit(f.take(~test), y[~test])
        dist[test] = model.distribution(f.take(test))
        params.append(model.params)
    from accord.models import quantile

    return quantile(dist, 0.5), dist, params


def _calibrated(
    test: DeuData, cap: np.ndarray, train: tuple[DeuData, np.ndarray] | None, *, folds: int,
    inner: int, seed: int,
) -> tuple[np.ndarray, dict[str, Any], dict[str, np.ndarray]]:
    """The calibrated model refitted (nested grouped CV, or on ``train``): medians, its row's
    fields, and the two baselines' distributions scored on the same folds."""
    from accord.backtest import _calibrate as cal
    from accord.models import predictive_interval as dist_interval
    from accord.models import quantile

    d = cal.grid_data(test, cap)
    if train is None:
        cv = cal.nested_cv(d, folds=folds, inner=inner, seed=seed)
        dist, ints, raw = cv.dist, cv.intervals, cv.raw_intervals
        params: Any = {"penalties": cv.penalties, "inner_cv_mae": cv.inner_scores}
        base = cv.baselines
    else:
        dtr = cal.grid_data(*train)
        ch = cal.choose_and_fit(dtr, k=folds, seed=seed)
        dist = ch.coef.dist(d.z, d.cand)
        ints = {str(lv): dist_interval(dist, lv, ch.coef.table) for lv in cal.COVERAGE_LEVELS}
        raw = {str(lv): dist_interval(dist, lv, None) for lv in cal.COVERAGE_LEVELS}
        params = {"penalty": ch.l2, "grid_weight": ch.weight, "inner_cv_mae": ch.scores}
        base = {
            "compromise-errors": cal.compromise_errors_dist(d.mean, dtr.y - dtr.mean),
            "uniform": np.full((len(d.y), 101), 1.0 / 101),
        }
    row = {
        **cal.distribution_scores(dist, d.y, ints),
        "coverage_before_recalibration": cal.distribution_scores(dist, d.y, raw)["coverage"],
        "params": params,
    }
    return quantile(dist, 0.5), row, base


def _clean(v: Any) -> Any:
    """JSON-safe: NaN/inf -> None, numpy scalars -> Python, recursively."""
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return None if not math.isfinite(v) else round(v, 6)
    return v


@dataclass
class BacktestResult:
    """The JSON document and the per-issue table of one backtest."""

    doc: dict[str, Any]
    per_issue: Any  # pandas.DataFrame


def backtest(
    path: str,
    *,
    models: list[str] | None = None,
    train: str | None = None,
    capability: str = "equal",
    seed: int = 0,
    n_boot: int = 2000,
    folds: int = 5,
    inner_folds: int = 4,
) -> BacktestResult:
    """Score models on the DEU file ``path`` (see module docstring and docs/backtest.md)."""
    import pandas as pd

    if n_boot < 0:
        raise InputError("--bootstrap must be >= 0.", field="--bootstrap", fix="give e.g. 2000.")
    if folds < 2:
        raise InputError("--folds must be >= 2.", field="--folds", fix="give e.g. 5.")
    names = resolve_models(models)
    test_all = load_deu(path)
    test = test_all.scored()
    from accord import limits

    # each resample holds a count per proposal and per issue (several float64 arrays)
    n_groups = len(set(test.prnr))
    limits.check_work("--bootstrap", n_boot, 8.0 * (n_groups + 4 * test.n_issues),
                      what=f"resample weights over {test.n_issues} issue(s)")
    if test.n_issues == 0:
        raise InputError(
            "no scoreable issues: none has a known outcome and at least 3 actors with both "
            "position and salience.",
            path=path,
            fix="check the 'out' column and the p<actor>/s<actor> columns.",
        )
    if len(set(test.prnr)) < 2 and train is None and any(n in FITTED for n in names):
        raise InputError(
            "cross-validating fitted models needs at least 2 proposals.",
            path=path,
            fix="use --train with another file, or drop the fitted models.",
        )
    cap = capability_matrix(test, capability)
    base_names = [n for n in names if n not in FITTED]
    run_names = base_names
    base = run_base(test, cap, run_names)
    dist_rows: dict[str, dict[str, Any]] = {}

    forecasts: dict[str, np.ndarray] = {}
    info: dict[str, dict[str, Any]] = {}
    for n in base_names:
        if n in DIST_BASELINES:
            continue
        if n in base.failed:
            info[n] = {"status": "failed", "error": base.failed[n]}
            continue
        forecasts[n] = base.forecasts[n]
        info[n] = {
            "status": "ok",
            "kind": "baseline" if n in BASELINES else "model",
            "evaluation": "direct",
        }
    fitted_names = [n for n in names if n in FITTED]
    fold_of = group_folds(test.prnr, folds, seed) if (fitted_names and train is None) else None
    feat_test = features(test, cap, base.forecasts)
    train_data = None
    if fitted_names and train is not None:
        train_data = load_deu(train).scored()
        if train_data.n_issues == 0:
            raise InputError("no scoreable issues in the training file.", path=train)
        if train_data.actors != test.actors:
            raise InputError(
                "the training file's actor columns differ from the test file's.",
                path=train,
                field="line 1",
                fix="use two DEU files with the same p<actor>/s<actor> columns.",
            )
        cap_tr = capability_matrix(train_data, capability)
        base_tr = run_base(train_data, cap_tr, run_names)
        # only inputs that worked on both files may enter a blend
        common = set(base_tr.forecasts) & set(base.forecasts)
        feat_train = features(train_data, cap_tr, {k: base_tr.forecasts[k] for k in common})
        feat_test = features(test, cap, {k: base.forecasts[k] for k in common})
    train_cal = (train_data, capability_matrix(train_data, capability)) if train_data else None
    cal_base: dict[str, np.ndarray] | None = None
    for n in fitted_names:
        try:
            dist_fields: dict[str, Any] = {}
            if train_data is not None:
                evaluation = f"fit on {train}, scored here"
            else:
                evaluation = f"{folds}-fold cross-validation grouped by proposal (seed {seed})"
            if n == CALIBRATED:
                pred, dist_fields, cal_base = _calibrated(
                    test, cap, train_cal, folds=folds, inner=inner_folds, seed=seed
                )
                params: Any = dist_fields.pop("params")
                description = "fitted predictive distribution (accord.models calibrated)"
            elif train_data is not None:
                model: FittedModel = _factory(n, seed, inner_folds)()
                model.groups = train_data.prnr
                model.fit(feat_train, train_data.outcome)
                dist = model.distribution(feat_test)
                pred = model.predict(feat_test)
                params = model.params
                dist_fields = distribution_scores(dist, test.outcome)
                description = NESTED_FAMILIES[n].description
            else:
                pred, dist, params = _cv_distributions(
                    _factory(n, seed, inner_folds), feat_test, test.outcome, test.prnr, folds,
                    seed,
                )
                dist_fields = distribution_scores(dist, test.outcome)
                description = NESTED_FAMILIES[n].description
            if not np.all(np.isfinite(pred)):
                raise ValueError("non-finite predictions")
            forecasts[n] = pred
            info[n] = {
                "status": "ok",
                "kind": "fitted",
                "evaluation": evaluation,
                "params": params,
                "description": description,
            }
            dist_rows[n] = dist_fields
        except Exception as err:  # noqa: BLE001 - a failing fit is reported, not fatal
            info[n] = {
                "status": "failed",
                "kind": "fitted",
                "error": f"{type(err).__name__}: {err}",
            }
    wanted = [n for n in names if n in DIST_BASELINES]
    if wanted:
        if cal_base is None:  # same folds as the calibrated model would use
            from accord.backtest import _calibrate as cal

            d = cal.grid_data(test, cap)
            if train_cal is not None:
                dtr = cal.grid_data(*train_cal)
                cal_base = {
                    "compromise-errors": cal.compromise_errors_dist(d.mean, dtr.y - dtr.mean),
                    "uniform": np.full((len(d.y), 101), 1.0 / 101),
                }
            else:
                fo = group_folds(test.prnr, folds, seed)
                comp = np.zeros((len(d.y), 101))
                for j in range(int(fo.max()) + 1):
                    te, tr = fo == j, fo != j
                    comp[te] = cal.compromise_errors_dist(d.mean[te], d.y[tr] - d.mean[tr])
                cal_base = {"compromise-errors": comp,
                            "uniform": np.full((len(d.y), 101), 1.0 / 101)}
        from accord.models import quantile

        for n in wanted:
            forecasts[n] = quantile(cal_base[n], 0.5)
            dist_rows[n] = distribution_scores(cal_base[n], test.outcome)
            how = "training errors" if train_cal is not None else f"{folds} grouped CV folds"
            info[n] = {"status": "ok", "kind": "baseline",
                       "evaluation": "distribution" + ("" if n == "uniform" else f", {how}")}

    scores = score_table(
        forecasts, test.outcome, test.prnr, reference=REFERENCE, n_boot=n_boot, seed=seed
    )
    rows = []
    for n in names:
        row: dict[str, Any] = {"model": n, **info.get(n, {})}
        if n in scores:
            row.update(scores[n])
        row.update(dist_rows.get(n, {}))
        rows.append(row)
    rows.sort(key=lambda r: (r.get("status") != "ok", r.get("mae", math.inf), r["model"]))
    met = [
        r["model"]
        for r in rows
        if r.get("status") == "ok"
        and r["model"] != REFERENCE
        and r.get("rel_improvement", 0) >= TARGET_REL_IMPROVEMENT
        and r.get("diff_ci", [math.nan, math.nan])[1] is not None
        and r.get("diff_ci", [math.nan])[1] < 0
    ]
    doc = {
        "data": str(path),
        "train": train,
        "n_rows": int(test_all.n_issues),
        "n_issues": int(test.n_issues),
        "n_proposals": len(set(test.prnr)),
        "capability": capability,
        "seed": seed,
        "bootstrap": n_boot,
        "bootstrap_unit": "proposal (prnr)",
        "ci_level": 0.95,
        "folds": folds if (fitted_names and train is None) else None,
        "reference": REFERENCE,
        "target": {
            "rel_improvement": TARGET_REL_IMPROVEMENT,
            "rule": "MAE at least 10% below the compromise model and the paired 95% CI of the "
            "MAE difference below zero",
            "met_by": met,
        },
        "problems": list(test_all.problems),
        "models": rows,
    }
    table = pd.DataFrame(
        {
            "prnr": test.prnr,
            "issue": test.issue_ids,
            "line": test.lines,
            "outcome": test.outcome,
            "rp": test.rp,
            "n_actors": test.participates.sum(axis=1),
        }
    )
    if fold_of is not None:
        table["fold"] = fold_of
    for n, f in forecasts.items():
        table[f"{n}"] = f
    for n, f in forecasts.items():
        table[f"abs_err_{n}"] = np.abs(f - test.outcome)
    return BacktestResult(doc=_clean(doc), per_issue=table)
