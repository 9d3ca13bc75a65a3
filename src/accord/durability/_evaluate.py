"""Honest evaluation: held-out concordance and IPCW integrated Brier score against Kaplan-Meier,
calibration of predicted 90- and 365-day survival, Kaplan-Meier by feature, predictions.

Metrics: Harrell et al. (1996) concordance; Graf et al. (1999) IPCW Brier score integrated
over days 1-365 (censoring distribution: Kaplan-Meier of the censoring times on the data being
scored, as in Gerds & Schumacher 2006). The Kaplan-Meier baseline predicts the training
period's marginal survival for every ceasefire (concordance 0.5 by construction).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from accord.durability._features import DESCRIPTIONS, design_matrix, features_from_mapping
from accord.durability._metrics import (
    concordance,
    cumulative_incidence,
    integrated_brier,
    km_fit,
    step_eval,
)
from accord.durability._models import (
    GRID,
    IBS_GRID,
    DurabilityModel,
    fit_durability,
    fit_gbm,
)
from accord.errors import InputError

__all__ = [
    "HORIZONS",
    "calibration_table",
    "evaluate_model",
    "evaluate_split",
    "km_by_feature",
    "predict_ceasefire",
]

HORIZONS = (30, 90, 365)


def _km_ci(
    time: np.ndarray, event: np.ndarray, at: float, z: float = 1.96
) -> tuple[float, float, float]:
    """KM at one time with a log-log Greenwood interval (Kalbfleisch & Prentice 2002)."""
    time, event = np.asarray(time, float), np.asarray(event, bool)
    uniq = np.unique(time[event & (time <= at)])
    s, var = 1.0, 0.0
    for u in uniq:
        n = float((time >= u).sum())
        d = float(((time == u) & event).sum())
        s *= 1 - d / n
        var += d / (n * (n - d)) if n > d else 0.0
    if s <= 0 or s >= 1 or var == 0:
        return s, s, s
    se = math.sqrt(var) / abs(math.log(s))
    lo, hi = s ** math.exp(z * se), s ** math.exp(-z * se)
    return s, lo, hi


def calibration_table(
    pred: np.ndarray, time: np.ndarray, event: np.ndarray, horizon: float, bins: int = 4
) -> list[dict[str, Any]]:
    """Predicted vs observed (Kaplan-Meier) survival at ``horizon`` by quantile bin of the
    prediction."""
    pred = np.asarray(pred, float)
    edges = np.unique(np.quantile(pred, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.searchsorted(edges, pred, side="right") - 1, 0, max(len(edges) - 2, 0))
    rows = []
    for b in range(max(len(edges) - 1, 1)):
        m = which == b
        if not m.any():
            continue
        obs, lo, hi = _km_ci(time[m], event[m], horizon)
        rows.append(
            {
                "horizon": int(horizon),
                "bin": b + 1,
                "n": int(m.sum()),
                "events": int(event[m].sum()),
                "predicted": float(pred[m].mean()),
                "observed": obs,
                "observed_ci": [lo, hi],
            }
        )
    return rows


def _scores(
    surv_grid: np.ndarray, score: np.ndarray, t: np.ndarray, e: np.ndarray
) -> dict[str, float]:
    return {"c_index": concordance(t, e, score), "ibs": integrated_brier(surv_grid, t, e, IBS_GRID)}


def _km_block(
    model_km: tuple[np.ndarray, np.ndarray], t: np.ndarray, e: np.ndarray
) -> dict[str, Any]:
    kt, ks = model_km
    s = step_eval(kt, ks, IBS_GRID)
    grid_pred = np.tile(s, (len(t), 1))
    out = _scores(grid_pred, np.zeros(len(t)), t, e)
    out["c_index"] = 0.5
    for h in HORIZONS:
        out[f"s{h}"] = float(step_eval(kt, ks, np.array([float(h)]))[0])
    return out


def _observed(t: np.ndarray, e: np.ndarray) -> dict[str, float]:
    kt, ks = km_fit(t, e)
    return {f"s{h}": float(step_eval(kt, ks, np.array([float(h)]))[0]) for h in HORIZONS}


def evaluate_model(model: DurabilityModel, table: pd.DataFrame) -> dict[str, Any]:
    """Score a fitted model on ceasefires (for honest figures: ones it was not fitted on)."""
    if len(table) == 0:
        raise InputError("no ceasefires with a usable outcome to score")
    t = table["duration"].to_numpy(float)
    e = table["event"].to_numpy(int)
    x = design_matrix(table, model.features).to_numpy()
    sv = model.cox.survival(x, IBS_GRID)
    res: dict[str, Any] = {"n": int(len(t)), "events": int(e.sum())}
    res.update(_scores(sv, -model.cox.risk(x), t, e))
    res["km"] = _km_block((model.km_times, model.km_surv), t, e)
    res["observed"] = _observed(t, e)
    res["predicted"] = {f"s{h}": float(sv[:, h - 1].mean()) for h in HORIZONS}
    models = [{"model": "cox", "c_index": res["c_index"], "ibs": res["ibs"]}]
    if model.weibull is not None:
        ws = model.weibull.survival(x, IBS_GRID)
        models.append({"model": "weibull", **_scores(ws, ws[:, 89], t, e)})
    models.append({"model": "km", "c_index": 0.5, "ibs": res["km"]["ibs"]})
    res["models"] = models
    res["calibration"] = calibration_table(sv[:, 89], t, e, 90) + calibration_table(
        sv[:, 364], t, e, 365
    )
    res["beats_km"] = bool(res["c_index"] > 0.5 and res["ibs"] < res["km"]["ibs"])
    return res


def evaluate_split(
    table: pd.DataFrame,
    split_year: int,
    *,
    rng: np.random.Generator,
    penalties: tuple[float, ...] | None = None,
    gbm: bool = True,
) -> dict[str, Any]:
    """Time-ordered hold-out: fit on ceasefires declared <= ``split_year`` (feature set and
    penalty chosen by CV inside that period only, from ``penalties``), score on later ones."""
    train = table[table["year"] <= split_year]
    test = table[table["year"] > split_year]
    if len(test) == 0 or test["event"].sum() == 0:
        raise InputError(
            f"no ceasefire breakdowns declared after {split_year} to score",
            fix="choose an earlier --split-year",
        )
    # refit from scratch so nothing after split_year leaks into selection or fit
    kw = {"penalties": tuple(penalties)} if penalties else {}
    model = fit_durability(train, rng=rng, n_boot=0, **kw)
    res = evaluate_model(model, test)
    if gbm:
        xtr = design_matrix(train, model.features)
        g = fit_gbm(
            xtr,
            train["duration"].to_numpy(),
            train["event"].to_numpy(),
            seed=int(rng.integers(2**31)),
        )
        gs = g.survival(design_matrix(test, model.features).to_numpy(), IBS_GRID)
        t, e = test["duration"].to_numpy(float), test["event"].to_numpy(int)
        res["models"].insert(-1, {"model": "gbm-discrete", **_scores(gs, gs[:, 89], t, e)})
    res["split_year"] = int(split_year)
    res["train"] = {
        "n": int(len(train)),
        "events": int(train["event"].sum()),
        "years": [int(train["year"].min()), int(train["year"].max())],
    }
    res["test_years"] = [int(test["year"].min()), int(test["year"].max())]
    res["feature_set"] = model.feature_set
    res["penalizer"] = model.penalizer
    res["selection"] = model.selection
    res["hazard_ratios"] = model.hazard_ratios()
    return res


def km_by_feature(table: pd.DataFrame, features: list[str] | None = None) -> list[dict]:
    """Kaplan-Meier survival at 30/90/365 days for each level of each binary feature, with the
    Aalen-Johansen share ending in breakdown vs. a planned end by day 365."""
    from lifelines.statistics import logrank_test

    feats = features or [f for f in DESCRIPTIONS if f not in ("log_prior", "log_fixed")]
    x = design_matrix(table, feats)
    t, e = table["duration"].to_numpy(float), table["event"].to_numpy(int)
    cause = table["cause"].to_numpy(int)
    rows = []
    for f in feats:
        lv = x[f].to_numpy()
        p = float("nan")
        if 0 < (lv == 1).sum() < len(lv):
            p = float(logrank_test(t[lv == 1], t[lv == 0], e[lv == 1], e[lv == 0]).p_value)
        for level in (1.0, 0.0):
            m = lv == level
            if not m.any():
                continue
            kt, ks = km_fit(t[m], e[m])
            s = step_eval(kt, ks, np.array(HORIZONS, float))
            cif = cumulative_incidence(t[m], cause[m], np.array([365.0]))
            rows.append(
                {
                    "feature": f,
                    "level": int(level),
                    "n": int(m.sum()),
                    "events": int(e[m].sum()),
                    **{f"s{h}": float(v) for h, v in zip(HORIZONS, s, strict=True)},
                    "cif_breakdown_365": float(cif[1][0]),
                    "cif_planned_365": float(cif[2][0]),
                    "logrank_p": p,
                }
            )
    return rows


def predict_items(
    model: DurabilityModel,
    items: list[dict[str, Any]],
    *,
    level: float = 0.9,
    path: str = "<scenario>",
) -> list[dict[str, Any]]:
    """:func:`predict_ceasefire` for each ceasefire of a checked ``ceasefire:`` block (see
    :func:`accord.durability.ceasefire_items`); errors name ``path`` and the item."""
    single = len(items) == 1 and items[0].get("id") == "ceasefire"
    return [
        predict_ceasefire(
            model, item, level=level, path=path, where="ceasefire" if single else f"ceasefire[{k}]"
        )
        for k, item in enumerate(items)
    ]


def predict_ceasefire(
    model: DurabilityModel,
    features: dict[str, Any],
    *,
    level: float = 0.9,
    path: str | None = None,
    where: str = "ceasefire",
) -> dict[str, Any]:
    """P(no breakdown by day 30/90/365) for a described ceasefire, with bootstrap intervals.

    ``features`` uses the keys of :mod:`accord.durability._features` (``written``,
    ``mediated``, ``implementation_mechanism``, ``fixed_term_days``, ``declared_by``, ...).
    The interval is the ``level`` percentile range over the model's cluster-bootstrap refits
    (absent if the model was fitted without bootstrap).
    """
    col, assumed, resolved = features_from_mapping(features, path=path, where=where)
    x = np.array([[col[f] for f in model.features]])
    days = GRID[GRID <= 730]
    s = model.cox.survival(x, days)[0]
    out: dict[str, Any] = {
        "id": features.get("id"),
        "label": features.get("label"),
        "features": resolved,
        "assumed": assumed,
        "level": level,
    }
    lo_q, hi_q = 0.5 - level / 2, 0.5 + level / 2
    boot = np.vstack([b.survival(x, days)[0] for b in model.boot]) if model.boot else None
    hz = {}
    for h in HORIZONS:
        k = int(np.flatnonzero(days == h)[0])
        entry: dict[str, Any] = {"p": float(s[k])}
        if boot is not None:
            entry["interval"] = [
                float(np.quantile(boot[:, k], lo_q)),
                float(np.quantile(boot[:, k], hi_q)),
            ]
        entry["km_baseline"] = float(model.km_at(np.array([float(h)]))[0])
        if model.weibull is not None:
            entry["weibull"] = float(model.weibull.survival(x, np.array([float(h)]))[0, 0])
        hz[str(h)] = entry
    out["survival"] = hz
    below = np.flatnonzero(s <= 0.5)
    out["median_days"] = float(days[below[0]]) if len(below) else None
    out["curve"] = {"days": [float(d) for d in days], "p": [float(v) for v in s]}
    if boot is not None:
        out["curve"]["lo"] = [float(v) for v in np.quantile(boot, lo_q, axis=0)]
        out["curve"]["hi"] = [float(v) for v in np.quantile(boot, hi_q, axis=0)]
    out["hazard_ratio_vs_average"] = float(np.exp(model.cox.risk(x)[0]))
    return out
