"""Compute what a report shows and render it: the one call behind ``accord report``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from accord.report._data import (
    EXPERIMENT_NOTE,
    compute_durability,
    compute_forecast,
    compute_sensitivity,
)
from accord.report._explain_data import compute_advice, compute_explain
from accord.report._html import render_report
from accord.scenario import Scenario

__all__ = ["build_report"]


def build_report(
    scenario: Scenario,
    *,
    scenario_text: str | None = None,
    models: Sequence[str] | None = None,
    draws: int = 200,
    seed: int = 0,
    level: float = 0.8,
    forecast: Mapping[str, Any] | None = None,
    sensitivity: Mapping[str, Any] | None = None,
    experiment: Mapping[str, Any] | None = None,
    durability: Mapping[str, Any] | None = None,
    durability_model: str | Path | None = None,
    compute_optional: bool = True,
    source: str = "<scenario>",
    explain: Mapping[str, Any] | None = None,
    advice: Mapping[str, Any] | None = None,
    advise_actor: str | None = None,
) -> str:
    """Compute the missing documents and render the HTML report.

    Documents given are used as they are (e.g. read from ``--json`` output files); the others
    are computed: the forecast (with Monte Carlo intervals when ``draws > 0``), the sensitivity
    tornado and Sobol indices (when inputs have ranges and ``compute_optional``) and the
    durability curves (with ``durability_model``, else the bundled model when
    ``compute_optional``), the explanations of every forecast (when ``compute_optional``) and
    advice for ``advise_actor``. Strategy experiments are only shown when given: their claims
    live in experiment files. A panel without data gets a note saying why.

    Returns
    -------
    str
        The self-contained HTML document.
    """
    notes: list[str] = []
    if forecast is None:
        forecast, more = compute_forecast(
            scenario, models, draws=draws, seed=seed, level=level, source=source
        )
        notes += more
    if sensitivity is None and compute_optional:
        sensitivity, more = compute_sensitivity(scenario, seed=seed, models=models)
        notes += more
    if experiment is None:
        notes.append(EXPERIMENT_NOTE)
    if durability is None and (durability_model is not None or compute_optional):
        durability, more = compute_durability(scenario, durability_model)
        notes += more
    if explain is None and compute_optional:
        explain, more = compute_explain(scenario, models, source=source)
        notes += more
    if advice is None and advise_actor is not None:
        advice, more = compute_advice(scenario, advise_actor, draws=draws, seed=seed,
                                      level=level, source=source)
        notes += more
    settings = {
        "draws": draws or None,
        "seed": seed if draws else None,
        "level": level if draws else None,
    }
    return render_report(
        scenario,
        forecast=forecast,
        scenario_text=scenario_text,
        sensitivity=sensitivity,
        experiment=experiment,
        durability=durability,
        notes=notes,
        settings=settings,
        explain=explain,
        advice=advice,
    )
