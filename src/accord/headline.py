"""accord's headline: one forecast with an honest interval per issue, the theories beside it.

The headline is the ``calibrated`` model (:mod:`accord.models._calibrated`): the median of a
predictive distribution fitted on real decisions, with its recalibrated interval. The six
bargaining theories stay as "what each theory says". Each issue also gets the two or three
features that moved its distribution most and a caveat about where the model was fitted.
Computed from a :class:`~accord.forecast.ForecastRun`; the forecast JSON carries the result
as ``headline`` so the report and the app read it from the document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from accord.forecast import ForecastRun

#: The model behind the headline.
HEADLINE_MODEL = "calibrated"
#: Said with every headline.
CAVEAT = (
    "Fitted on EU legislative decisions (DEU III, 2004-2019): its error on other kinds of "
    "negotiation is unknown."
)
#: Drivers shown per issue.
N_DRIVERS = 3


def fmt(v: float) -> str:
    """A value as people write it: 62, 7.5, 0.25."""
    if abs(v - round(v)) < 5e-3:
        return f"{round(v):d}"
    return f"{v:.2f}".rstrip("0").rstrip(".")


def sentence(h: dict[str, Any]) -> str:
    """"accord's forecast: 62, 80 % interval 45–78"."""
    lo, hi = h["interval"]
    return (
        f"accord's forecast: {fmt(h['forecast'])}, {round(100 * h['level']):d} % interval "
        f"{fmt(lo)}–{fmt(hi)}"
    )


def _drivers(run: ForecastRun, res: Any) -> dict[str, list[dict[str, Any]]]:
    """Per issue, the features that moved the distribution most (scenario as written)."""
    from accord.models import FEATURE_LABELS as LABELS
    from accord.models import feature_effects, load_coefficients
    from accord.scenario import to_arrays

    coef = load_coefficients(res.params.get("coefficients"))
    draws = to_arrays(run.scenario, 1)
    out = {}
    for k, issue in enumerate(draws.issue_ids):
        iss = draws.issue(k)
        eff = feature_effects(
            coef, iss.positions, iss.salience, iss.capability, iss.lo, iss.hi, iss.status_quo
        )
        out[issue] = [
            {
                "feature": e["feature"],
                "label": LABELS[e["feature"]],
                "moved": round(e["moved"], 4),
                "median_without": round(e["median_without"], 6),
            }
            for e in eff[:N_DRIVERS]
            if e["moved"] > 1e-9
        ]
    return out


def headline_rows(run: ForecastRun) -> list[dict[str, Any]]:
    """One dict per issue (empty list when the run has no ``calibrated`` result)."""
    res = next((r for r in run.results if r.model == HEADLINE_MODEL), None)
    if res is None or res.predictive is None:
        return []
    labels = {i.id: i.label or "" for i in run.scenario.issues}
    drivers = _drivers(run, res)
    rows = []
    for k, issue in enumerate(res.issue_ids):
        fields = run.predictive_fields(res, k)
        mix = run.predictive.get(res.model)
        if mix is not None:  # with draws the headline is the mixture's median
            from accord.models import quantile

            lo, hi = res.predictive.scale[k]
            point = float(lo + quantile(mix[k], 0.5) * (hi - lo) / 100.0)
        else:
            point = float(res.forecast[0, k])
        theories = {
            r.model: round(float(r.forecast[0, k]), 6)
            for r in run.results
            if r.model != HEADLINE_MODEL and issue in r.issue_ids
        }
        h: dict[str, Any] = {
            "issue": issue,
            "label": labels.get(issue, ""),
            "model": HEADLINE_MODEL,
            "forecast": round(point, 6),
            **fields,
            "theories": theories,
            "drivers": drivers.get(issue, []),
            "caveat": CAVEAT,
        }
        h["text"] = sentence(h)
        h["why"] = explain_drivers(h)
        rows.append(h)
    return rows


def explain_drivers(h: dict[str, Any]) -> str:
    """One sentence naming the features that moved the distribution most."""
    ds = h.get("drivers") or []
    if not ds:
        return "No single feature moves this distribution much."
    parts = [
        f"{d['label']} (without it the median would be {fmt(d['median_without'])})"
        if not np.isclose(d["median_without"], h["forecast"])
        else d["label"]
        for d in ds
    ]
    return "Moved most by " + "; ".join(parts) + "."
