"""How far each bargaining model's forecasts have been from real outcomes.

Monte Carlo intervals show what the scenario's input ranges do to a forecast; they say nothing
about the model's own error. These figures do, for one domain: EU legislative decisions, the
only real outcomes bundled with accord's test data (DEU III part A, 245 issues; Arregui &
Perarnaud 2022, see ``docs/backtest.md``). They were measured with
``accord backtest deu ../shared/data/deu3/deu3_part_a.tsv --model base`` (default model
settings, equal capability), and ``tests/backtest/test_track_record.py`` measures them again, so
they cannot drift from the models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Mean absolute error of each registry model on DEU III part A (0-100 scale).
DEU_MAE: dict[str, float] = {
    "compromise": 24.46,
    "exchange": 24.96,
    "smp": 27.10,
    "median": 29.36,
    "eum": 29.63,
    "nash": 38.54,
}
#: What the figures are.
DEU_SOURCE: dict[str, Any] = {
    "data": "DEU III part A: 245 EU legislative issues (Arregui & Perarnaud 2022)",
    "metric": "mean absolute error",
    "scale": 100.0,
    "n_issues": 245,
    "settings": "default model settings, equal capability",
    "command": "accord backtest deu ../shared/data/deu3/deu3_part_a.tsv --model base",
}


def track_record(model: str, params: Mapping[str, Any]) -> dict[str, Any] | None:
    """The model's DEU error, or None when it has none or runs with other settings than those
    it was measured with (the figure would then describe another model)."""
    from accord.models import get_model

    if model == "calibrated" and dict(params) == get_model(model).get_params():
        return calibrated_record()
    mae = DEU_MAE.get(model)
    if mae is None or dict(params) != get_model(model).get_params():
        return None
    return {"mae": mae, **DEU_SOURCE}


def calibrated_record() -> dict[str, Any]:
    """The shipped calibrated model's error, measured out of fold (nested CV grouped by
    proposal) when it was fitted; stored with its coefficients."""
    from accord.models import load_coefficients

    cv = load_coefficients().doc["cv"]
    return {
        "mae": round(float(cv["mae"]), 2),
        **DEU_SOURCE,
        "settings": "shipped coefficients; error measured by 5-fold nested CV grouped by proposal",
        "command": "accord backtest fit ../shared/data/deu3/deu3_part_a.tsv -o FILE",
    }


def summary_line(records: Mapping[str, Mapping[str, Any]]) -> str:
    """One sentence for tables and reports; empty when there is nothing to say."""
    if not records:
        return ""
    parts = ", ".join(f"{m} {r['mae']:.1f}" for m, r in sorted(records.items(),
                                                              key=lambda kv: kv[1]["mae"]))
    return (
        f"Track record, mean absolute error on {DEU_SOURCE['n_issues']} EU legislative decisions "
        f"(DEU III, 0-100 scale, default settings): {parts}. Monte Carlo intervals, where shown, "
        "cover the input ranges only, not this error."
    )
