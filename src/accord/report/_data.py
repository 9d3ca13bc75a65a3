"""What a report (or the app) shows, as plain JSON-like dicts, and how it is computed.

Every panel is fed by a plain document: the forecast JSON (``accord forecast --json``), the
sensitivity JSON (``accord sensitivity --json``), the experiment JSON (``accord experiment
--json``) and a durability prediction (``accord durability predict --json``). Documents are
computed here or read from files; a panel without its document gets a note saying why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from accord.scenario import Scenario

__all__ = [
    "compute_durability",
    "EXPERIMENT_NOTE",
    "NO_RANGES_NOTE",
    "compute_forecast",
    "compute_sensitivity",
    "durability_curves",
    "has_ranges",
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


#: Why a forecast has no Monte Carlo intervals although draws were asked for.
NO_RANGES_NOTE = (
    "Monte Carlo intervals omitted: no input has an uncertainty range (`ranges`, "
    "`salience_ranges` or `capability_range`), so every draw would equal the point forecast."
)


def has_ranges(scenario: Scenario) -> bool:
    """Whether any input has a non-degenerate uncertainty range for Monte Carlo to draw from
    (without one, every draw is the point forecast and its "interval" a single point)."""
    from accord.uncertainty.sampling import scenario_inputs

    return scenario_inputs(scenario).n_inputs > 0


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

    With ``draws > 0`` the Monte Carlo intervals of :mod:`accord.uncertainty.sampling` are
    added, unless no input has a range (then a note says why there are none).
    """
    from accord.forecast import forecast

    scenario, notes = usable_scenario(scenario)
    run = forecast(scenario, models, overrides=overrides, source=source, level=level)
    if draws and not has_ranges(scenario):
        notes.append(NO_RANGES_NOTE)
    elif draws:
        from accord.uncertainty.sampling import add_intervals

        add_intervals(run, n_draws=draws, seed=seed, level=level, progress=False)
    return run.to_json(), notes


def compute_sensitivity(
    scenario: Scenario, *, seed: int = 0, models: Sequence[str] | None = None
) -> tuple[dict[str, Any] | None, list[str]]:
    """The ``accord sensitivity --json`` document (tornado and Sobol indices) of the EUM, or of
    the first model asked for when the EUM is not among them; ``None`` and a note when no
    input has a range."""
    from accord.errors import InputError
    from accord.models import available_models
    from accord.uncertainty.sensitivity import sensitivity

    scenario, notes = usable_scenario(scenario)
    names = available_models() if not models or "all" in models else list(models)
    name = "eum" if "eum" in names else names[0]
    try:
        res = sensitivity(scenario, name, seed=seed)
    except InputError as err:  # e.g. no input has a range: nothing to vary
        return None, [*notes, f"Sensitivity panel omitted: {err.message}"]
    return res.to_json(), notes


#: Why the experiments panel is empty unless experiment results are given: claims live in
#: experiment files, not in scenarios.
EXPERIMENT_NOTE = (
    "Strategy experiments: run `accord experiment FILE --json > experiment.json` on an "
    "experiment file for this scenario and pass `--experiment experiment.json`."
)


def compute_durability(
    scenario: Scenario, model_path: str | Path | None = None
) -> tuple[dict[str, Any] | None, list[str]]:
    """The ``accord durability predict --json`` document for the scenario's ``ceasefire:``
    block with a fitted model, the bundled one when ``model_path`` is None (bad model file or
    block: :class:`InputError`)."""
    if scenario.ceasefire is None:
        return None, ["Durability panel omitted: the scenario has no `ceasefire:` block."]
    from accord.durability import ceasefire_items, describe_model, load_or_bundled, predict_items

    model = load_or_bundled(model_path)
    items = ceasefire_items(scenario.ceasefire, scenario.name)
    preds = predict_items(model, items, path=scenario.name)
    return {"model": "bundled" if model_path is None else str(model_path),
            "fitted_on": describe_model(model), "predictions": preds}, []


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
    """A tornado panel: the source's title (or "output") and base value, with its bars and
    the source's Sobol indices (``sobol``: list of ``{"input", "S1", "ST", ...}``) if any."""
    title = _first(src, _TITLE)
    sobol = src.get("sobol")
    return {
        "title": str(title) if title is not None else "output",
        "base": _first(src, _BASE),
        "bars": bars,
        "sobol": [s for s in sobol if isinstance(s, Mapping)] if isinstance(sobol, list) else [],
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
    """Tornado panels ``{"title", "base", "bars": [{"name", "low", "high"}], "sobol"}`` from a
    sensitivity document (``sobol``: the panel's Sobol index rows, possibly empty).

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
                panels.append({"title": str(title), "base": base, "bars": bars, "sobol": []})
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

    Accepted: ``{"days": [...], "survival" | "p": [...], "lower" | "lo"?, "upper" | "hi"?}``,
    also as the ``"curve"`` of an item (``accord durability predict --json``); ``{"curve" |
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
    if isinstance(doc.get("curve"), Mapping):  # `durability predict --json`: {days, p, lo, hi}
        return durability_curves({**doc["curve"], "label": label})
    days, surv = _first(doc, _DAY), _first(doc, _SURV)
    if (
        isinstance(days, list)
        and isinstance(surv, list)
        and surv
        and not isinstance(surv[0], Mapping)
    ):
        curve = {"label": label, "days": list(days), "survival": list(surv)}
        for k, names in (("lower", ("lower", "lo")), ("upper", ("upper", "hi"))):
            band = _first(doc, names)
            if isinstance(band, list) and len(band) == len(days):
                curve[k] = list(band)
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
