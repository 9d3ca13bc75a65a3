"""Reports: figures of every result and the self-contained HTML report.

Imports are lazy so that ``accord --help`` does not load Plotly.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "NoStoreOpt",
    "StoreOpt",
    "advice_figure",
    "app_cmd",
    "explain_figure",
    "record_run",
    "report_cmd",
    "runs_app",
    "PANELS",
    "build_report",
    "compare_figure",
    "compute_forecast",
    "durability_curves",
    "durability_figure",
    "experiment_figure",
    "forecast_figure",
    "issue_map_figure",
    "render_report",
    "tornado_figure",
    "tornado_panels",
    "trajectory_figure",
    "write_report",
]

_WHERE = {
    "NoStoreOpt": "_cli",
    "StoreOpt": "_cli",
    "advice_figure": "_explain",
    "app_cmd": "_cli",
    "explain_figure": "_explain",
    "record_run": "_cli",
    "report_cmd": "_cli",
    "runs_app": "_cli",
    "PANELS": "_html",
    "render_report": "_html",
    "write_report": "_html",
    "build_report": "_build",
    "compute_forecast": "_data",
    "durability_curves": "_data",
    "tornado_panels": "_data",
    "compare_figure": "_figures",
    "durability_figure": "_figures",
    "experiment_figure": "_figures",
    "forecast_figure": "_figures",
    "issue_map_figure": "_figures",
    "tornado_figure": "_figures",
    "trajectory_figure": "_figures",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"accord.report.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'accord.report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
