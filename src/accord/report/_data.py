"""What a report (or the app) shows, as plain JSON-like dicts, and how it is computed.

Every panel is fed by a plain document: the forecast JSON (``accord forecast --json``), the
sensitivity JSON, the experiment JSON (``accord experiment --json``) and a durability
prediction (``accord durability predict --json``). A document can be computed here, when the
module that makes it is installed, or read from a file; a missing module only removes its
panel, with a note saying why.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from accord.scenario import Scenario

__all__ = [
    "compute_durability",
    "compute_experiment",
    "compute_forecast",
    "compute_sensitivity",
    "durability_curves",
    "tornado_panels",
    "usable_scenario",
]


def usable_scenario(scenario: Scenario) -> tuple[Scenario, list[str]]:
    """Drop ``models:`` settings of models this installation does not have, with a note each,
    so a scenario written for a newer accord still shows what can be shown."""
    from accord.models import available_models

    known = set(available_models())
    unknown = [m for m in scenario.models if m not in known]
    if not unknown:
        return scenario, []
    kept = {k: v for k, v in scenario.models.items() if k in known}
    notes = [
        f"settings for model {m!r} ignored: no such model in this installation." for m in unknown
    ]
    return scenario.model_copy(update={"models": kept}), notes


def compute_forecast(
    scenario: Scenario,
    models: Sequence[str] | None = None,
    *,
    draws: int = 0,
    seed: int = 0,
    level: float = 0.8,
    overrides: dict[str, dict[str, Any]] | None = None,
    source: str = "<scenario>",
) -> tuple[dict[str, Any], list[str]]:
    """Forecast JSON (the ``accord forecast --json`` document) and notes.

    With ``draws > 0`` the Monte Carlo intervals of :mod:`accord.sampling` are added when that
    module is available; otherwise the forecast has no intervals and a note says so.
    """
    from accord.forecast import forecast

    scenario, notes = usable_scenario(scenario)
    run = forecast(scenario, models, overrides=overrides, source=source)
    if draws:
        try:
            from accord.sampling import add_intervals
        except ImportError:
            notes.append("Monte Carlo intervals omitted: accord.sampling is not available.")
        else:
            add_intervals(run, n_draws=draws, seed=seed, level=level, progress=False)
    return run.to_json(), notes


def _call_flexibly(func: Any, **candidates: Any) -> Any:
    """Call ``func`` with the candidate keyword arguments its signature accepts."""
    params = inspect.signature(func).parameters
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return func(**candidates)
    return func(**{k: v for k, v in candidates.items() if k in params})


def _to_doc(obj: Any) -> Any:
    for attr in ("to_json", "to_dict"):
        if hasattr(obj, attr):
            return getattr(obj, attr)()
    return obj


def compute_sensitivity(
    scenario: Scenario, *, seed: int = 0, models: Sequence[str] | None = None
) -> tuple[dict[str, Any] | None, list[str]]:
    """Sensitivity document from :mod:`accord.sensitivity` (tornado), or ``None`` and a note."""
    try:
        mod = importlib.import_module("accord.sensitivity")
    except ImportError:
        return None, ["Sensitivity panel omitted: accord.sensitivity is not available."]
    func = getattr(mod, "tornado", None) or getattr(mod, "run_tornado", None)
    if func is None:
        return None, ["Sensitivity panel omitted: accord.sensitivity has no tornado function."]
    scenario, notes = usable_scenario(scenario)
    try:
        out = _call_flexibly(func, scenario=scenario, seed=seed, rng=None, models=models)
    except Exception as err:  # noqa: BLE001 - a failing optional panel must not sink the report
        return None, [*notes, f"Sensitivity panel omitted: {type(err).__name__}: {err}"]
    doc = _to_doc(out)
    if not isinstance(doc, Mapping):
        doc = {"tornado": doc}
    return dict(doc), notes


def compute_experiment(
    scenario: Scenario, *, draws: int = 200, seed: int = 0
) -> tuple[dict[str, Any] | None, list[str]]:
    """Experiment document (``{"claims": [...]}``) from :mod:`accord.strategies`, if present."""
    if scenario.strategy is None:
        return None, ["Strategy experiments omitted: the scenario has no `strategy:` block."]
    try:
        mod = importlib.import_module("accord.strategies")
    except ImportError:
        return None, ["Strategy experiments omitted: accord.strategies is not available."]
    func = next(
        (
            getattr(mod, n)
            for n in ("run_experiments", "run_experiment", "experiment")
            if callable(getattr(mod, n, None))
        ),
        None,
    )
    if func is None:
        return None, ["Strategy experiments omitted: accord.strategies has no experiment runner."]
    try:
        out = _call_flexibly(func, scenario=scenario, draws=draws, n_draws=draws, seed=seed)
    except Exception as err:  # noqa: BLE001
        return None, [f"Strategy experiments omitted: {type(err).__name__}: {err}"]
    doc = _to_doc(out)
    return (dict(doc) if isinstance(doc, Mapping) else {"claims": list(doc)}), []


def compute_durability(
    scenario: Scenario, model_path: str | Path
) -> tuple[dict[str, Any] | None, list[str]]:
    """Durability prediction for the scenario's ``ceasefire:`` block with a fitted model."""
    if scenario.ceasefire is None:
        return None, ["Durability panel omitted: the scenario has no `ceasefire:` block."]
    try:
        mod = importlib.import_module("accord.durability")
        load_model = mod.load_model
        predict = mod.predict_ceasefire
    except (ImportError, AttributeError):
        return None, [
            "Durability panel omitted: accord.durability (load_model, "
            "predict_ceasefire) is not available."
        ]
    try:
        model = load_model(model_path)
        out = _call_flexibly(predict, model=model, scenario=scenario, ceasefire=scenario.ceasefire)
    except Exception as err:  # noqa: BLE001
        return None, [f"Durability panel omitted: {type(err).__name__}: {err}"]
    doc = _to_doc(out)
    return (dict(doc) if isinstance(doc, Mapping) else {"curves": list(doc)}), []


# --- reading the documents, whatever their exact shape -------------------------------------

_NAME = ("name", "parameter", "input", "factor", "variable", "label", "id")
_LOW = ("low", "output_low", "y_low", "at_low", "lo", "min")
_HIGH = ("high", "output_high", "y_high", "at_high", "hi", "max")
_BASE = ("base", "baseline", "y_base", "output_base", "reference")
_TITLE = ("title", "output", "metric", "issue", "target", "name")


def _first(d: Mapping[str, Any], keys: Sequence[str]) -> Any:
    for k in keys:
        if k in d and d[k] is not None:
            return d[k]
    return None


def _panel(src: Mapping[str, Any], bars: list[dict[str, Any]]) -> dict[str, Any]:
    """A tornado panel: the source's title (or "output") and base value, with its bars."""
    title = _first(src, _TITLE)
    return {
        "title": str(title) if title is not None else "output",
        "base": _first(src, _BASE),
        "bars": bars,
    }


def _bars(items: Any) -> list[dict[str, Any]]:
    out = []
    if isinstance(items, Mapping):  # {"name": [low, high]} or {"name": {"low":..,"high":..}}
        pairs = []
        for k, v in items.items():
            if (
                isinstance(v, Sequence)
                and len(v) == 2
                and all(isinstance(x, int | float) for x in v)
            ):
                pairs.append({"name": k, "low": v[0], "high": v[1]})
            elif isinstance(v, Mapping):
                pairs.append({"name": k, **v})
        items = pairs
    for b in items or []:
        if not isinstance(b, Mapping):
            continue
        low, high = _first(b, _LOW), _first(b, _HIGH)
        if isinstance(low, int | float) and isinstance(high, int | float):
            out.append(
                {"name": str(_first(b, _NAME) or "?"), "low": float(low), "high": float(high)}
            )
    return out


def tornado_panels(doc: Mapping[str, Any] | Sequence[Any] | None) -> list[dict[str, Any]]:
    """Tornado panels ``{"title", "base", "bars": [{"name", "low", "high"}]}`` from a
    sensitivity document.

    Accepted: ``{"tornado": [bars], "base"?, "output"?}``; ``{"tornado": {output: [bars] |
    {"bars"|"tornado": [bars], "base"}}}``; ``{"panels"|"outputs"|"issues": [{"output",
    "base", "bars"|"tornado"}]}``; or a list of such panels. A bar is ``{"name"|"parameter",
    "low", "high"}`` (the output at the input's low and high setting).
    """
    if doc is None:
        return []
    if isinstance(doc, Sequence) and not isinstance(doc, str):
        if doc and isinstance(doc[0], Mapping) and _first(doc[0], _LOW) is not None:
            return tornado_panels({"tornado": list(doc)})
        return [p for item in doc if isinstance(item, Mapping) for p in tornado_panels(item)]
    panels: list[dict[str, Any]] = []
    tor = doc.get("tornado", doc.get("bars"))
    if isinstance(tor, Mapping) and not _bars(tor):
        for title, val in tor.items():
            if isinstance(val, Mapping):
                bars = _bars(val.get("bars", val.get("tornado")))
                base = _first(val, _BASE)
            else:
                bars, base = _bars(val), None
            if bars:
                panels.append({"title": str(title), "base": base, "bars": bars})
    elif tor is not None:
        bars = _bars(tor)
        if bars:
            panels.append(_panel(doc, bars))
    for key in ("panels", "outputs", "issues", "results"):
        for item in doc.get(key, []) if isinstance(doc.get(key), list) else []:
            if isinstance(item, Mapping):
                bars = _bars(item.get("bars", item.get("tornado")))
                if bars:
                    panels.append(_panel(item, bars))
    return panels


_DAY = ("day", "days", "t", "time", "timeline")
_SURV = ("survival", "s", "p", "probability", "surv")


def durability_curves(doc: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Survival curves ``{"label", "days", "survival", "lower"?, "upper"?}`` from a durability
    prediction document.

    Accepted: ``{"days": [...], "survival": [...], "lower"?, "upper"?}``; ``{"curve" |
    "survival": [{"day", "survival", "lower"?, "upper"?}]}``; or ``{"curves" | "predictions":
    [one of those, with "label"?]}``.
    """
    if not doc:
        return []
    for key in ("curves", "predictions", "scenarios"):
        if isinstance(doc.get(key), list):
            return [
                c for item in doc[key] if isinstance(item, Mapping) for c in durability_curves(item)
            ]
    label = str(_first(doc, ("label", "name", "id", "scenario")) or "survival")
    days, surv = _first(doc, _DAY), doc.get("survival")
    if (
        isinstance(days, list)
        and isinstance(surv, list)
        and surv
        and not isinstance(surv[0], Mapping)
    ):
        curve = {"label": label, "days": list(days), "survival": list(surv)}
        for k in ("lower", "upper"):
            if isinstance(doc.get(k), list) and len(doc[k]) == len(days):
                curve[k] = list(doc[k])
        return [curve]
    points = next(
        (
            doc[k]
            for k in ("curve", "survival", "survival_curve", "points")
            if isinstance(doc.get(k), list)
        ),
        None,
    )
    if points and isinstance(points[0], Mapping):
        pts = [p for p in points if _first(p, _DAY) is not None and _first(p, _SURV) is not None]
        curve = {
            "label": label,
            "days": [_first(p, _DAY) for p in pts],
            "survival": [_first(p, _SURV) for p in pts],
        }
        if pts and all("lower" in p and "upper" in p for p in pts):
            curve["lower"] = [p["lower"] for p in pts]
            curve["upper"] = [p["upper"] for p in pts]
        return [curve] if pts else []
    return []
