"""The top-level API (``import accord``): load a scenario, forecast it, get a DataFrame, save
it. Thin wrappers over the packages, so a script needs no private module::

    import accord
    sc = accord.load_scenario(accord.example_path("eu-emissions-1994"))
    run = accord.run_forecast(sc, ["median", "eum"], draws=200)
    run.to_frame()                      # one row per (model, issue): forecast, low, high
    accord.save_scenario(sc, "mine.yaml")
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.forecast import ForecastRun
    from accord.scenario import Scenario

_YAML = (".yaml", ".yml")


def run_forecast(
    scenario: Scenario | str | os.PathLike[str],
    models: str | Sequence[str] | None = None,
    *,
    draws: int = 0,
    seed: int = 0,
    level: float = 0.8,
    settings: Mapping[str, Mapping[str, Any]] | None = None,
) -> ForecastRun:
    """Forecast every issue of a scenario (or a scenario file) with ``models`` (a name, a list
    or None / ``"all"`` for every model; see :func:`available_models`).

    ``draws > 0`` adds Monte Carlo intervals over the scenario's ranges (``level``, ``seed``).
    ``settings`` overrides model settings, e.g. ``{"eum": {"rounds": 10}}``. The result's
    ``to_frame()`` is a pandas DataFrame, ``to_json()`` the ``accord forecast --json``
    document.
    """
    from accord.forecast import forecast
    from accord.scenario import Scenario, load_scenario

    source = "<scenario>"
    if not isinstance(scenario, Scenario):
        source = str(scenario)
        scenario = load_scenario(scenario)
    names = [models] if isinstance(models, str) else (list(models) if models else None)
    overrides = {k: dict(v) for k, v in (settings or {}).items()}
    run = forecast(scenario, names, overrides=overrides, source=source)
    if draws:
        from accord.uncertainty.sampling import add_intervals

        add_intervals(run, n_draws=draws, seed=seed, level=level)
    return run


def save_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> Path:
    """Write a scenario to ``path``: YAML (``.yaml``/``.yml``), JSON (``.json``) or a
    spreadsheet (``.xlsx``/``.csv``), atomically. Returns the path written."""
    from accord.errors import InputError
    from accord.files import write_atomic

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in _YAML:
        from accord.scenario import scenario_to_yaml

        return write_atomic(p, scenario_to_yaml(scenario))
    if suffix == ".json":
        import json

        doc = scenario.model_dump(mode="json", exclude_none=True)
        return write_atomic(p, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    if suffix in (".xlsx", ".csv"):
        from accord.scenario import write_sheet

        return write_sheet(scenario, p)
    raise InputError(f"cannot tell the format from the suffix {p.suffix or '(none)'!r}.",
                     path=str(p), fix="name the file .yaml, .json, .xlsx or .csv.")
