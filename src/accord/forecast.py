"""Forecast a scenario with one or more models: settings, overrides, JSON and tables.

This is the orchestration layer between a validated scenario and the models; the CLI, the
report and the app call it. Monte Carlo intervals come from :mod:`accord.uncertainty.sampling`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import yaml

from accord.errors import InputError
from accord.models import Model, ModelResult, available_models, check_cost, get_model
from accord.scenario import Scenario, to_arrays

#: A model's traces holding more positions than this (rounds x actors, all issues) list only
#: the rounds in which the issue's positions changed (row key ``trace_rounds: "changed"``):
#: the exchange model on 200 actors x 20 issues makes 1,907 exchanges, each touching 2 issues,
#: and its full trace would be 250 MB of JSON (docs/performance.md).
TRACE_LIMIT = 2_000_000

#: Progress lines are given when the models' estimated total reaches this many seconds.
PROGRESS_SECONDS = 2.0


def parse_overrides(items: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``["eum.q=0.5", "eum.rounds=20"]`` -> ``{"eum": {"q": 0.5, "rounds": 20}}``."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        model, dot, param = key.strip().partition(".")
        if not sep or not dot or not model or not param:
            raise InputError(
                f"cannot read --set {item!r}.",
                field="--set",
                fix="write MODEL.KEY=VALUE, for example --set eum.q=0.5.",
            )
        try:
            value = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError:
            value = raw
        out.setdefault(model, {})[param] = value
    return out


def resolve_model_names(names: Sequence[str] | None) -> list[str]:
    """Expand ``all`` and check names; default is every registered model."""
    if not names or "all" in names:
        return available_models()
    known = set(available_models())
    for n in names:
        if n not in known:
            raise InputError(
                f"unknown model {n!r}.",
                field="--model",
                fix=f"use one of: {', '.join(available_models())}, or all.",
            )
    return list(dict.fromkeys(names))


def build_models(
    scenario: Scenario,
    names: Sequence[str],
    overrides: dict[str, dict[str, Any]] | None = None,
    *,
    source: str = "<scenario>",
) -> list[Model]:
    """Instantiate models with the scenario's ``models:`` settings, then the overrides."""
    overrides = overrides or {}
    for name in list(scenario.models) + list(overrides):
        if name not in available_models():
            where = "--set" if name in overrides else f"models.{name}"
            raise InputError(
                f"unknown model {name!r}.",
                path=None if name in overrides else source,
                field=where,
                fix=f"use one of: {', '.join(available_models())}.",
            )
    models = {}
    # every model that has settings is checked, not only those that run: a typo in a setting
    # of a model left out this time must not pass silently
    for name in dict.fromkeys([*names, *scenario.models, *overrides]):
        params = {**scenario.model_settings(name), **overrides.get(name, {})}
        try:
            model = get_model(name, **params)
            model._validate_params()
        except ValueError as err:
            in_file = name not in overrides
            raise InputError(
                f"{str(err).rstrip('.')}.",
                path=source if in_file else None,
                field=f"models.{name}" if in_file else "--set",
                fix="correct or remove that setting.",
            ) from None
        models[name] = model
    return [models[name] for name in names]


@dataclass
class ForecastRun:
    """The results of forecasting one scenario with several models."""

    scenario: Scenario
    results: list[ModelResult]
    intervals: dict[str, np.ndarray] = field(default_factory=dict)  # model -> (n_issues, 2)
    distributions: dict[str, np.ndarray] = field(default_factory=dict)  # model -> (draws, issues)
    level: float = 0.8
    seed: int | None = None
    n_draws: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    #: model -> (n_issues, 101) predictive distribution mixed over the Monte Carlo draws (0-100)
    predictive: dict[str, np.ndarray] = field(default_factory=dict)

    def to_json(self, *, include_trace: bool = True) -> dict[str, Any]:
        rows = []
        for res in self.results:
            thin = include_trace and res.trace_size() > TRACE_LIMIT  # once per model
            for k, issue in enumerate(res.issue_ids):
                row: dict[str, Any] = {
                    "model": res.model,
                    "issue": issue,
                    "forecast": round(float(res.forecast[0, k]), 6),
                }
                if res.model in self.intervals:
                    lo, hi = self.intervals[res.model][k]
                    row["interval"] = [round(float(lo), 6), round(float(hi), 6)]
                    more = self.extra.get("intervals95", {}).get(res.model)
                    if more is not None:
                        row["interval95"] = [round(float(v), 6) for v in more[k]]
                    dist = self.extra.get("distributions", {}).get(res.model)
                    if dist is not None:
                        row["distribution"] = _jsonable(dist[k])
                if res.predictive is not None:  # a distribution model: quantiles, interval
                    for key in ("interval", "interval95"):  # Monte Carlo spread of the median
                        if key in row:
                            row[f"median_{key}"] = row.pop(key)
                    row.update(self.predictive_fields(res, k))
                settling = getattr(res.traces.get(issue), "settling", None)
                if settling is not None:  # dynamic models say whether they settled
                    row.update(settling.record(0))
                if include_trace and issue in res.traces:
                    row["trace"] = res.trace_records(issue, changed_only=thin)
                    if thin:
                        row["trace_rounds"] = "changed"
                rows.append(row)
        doc: dict[str, Any] = {
            "scenario": self.scenario.name,
            "models": {r.model: _jsonable(r.params) for r in self.results},
            "results": rows,
        }
        from accord.headline import headline_rows

        heads = headline_rows(self)
        if heads:
            doc["headline"] = heads
        records = self.track_records()
        if records:
            doc["track_record"] = records
        extras = {r.model: r.extra for r in self.results if r.extra}
        if extras:
            doc["extra"] = _jsonable(extras)
        if self.n_draws:
            doc["monte_carlo"] = _jsonable(
                {**self.extra.get("monte_carlo", {}), "draws": self.n_draws, "seed": self.seed,
                 "level": self.level}
            )
        return doc

    def predictive_fields(self, res: ModelResult, k: int) -> dict[str, Any]:
        """``quantiles``, ``interval`` at ``level`` and the status-quo probabilities of issue
        ``k`` of a distribution model: from the mixture over draws where there are draws, else
        from the scenario as written."""
        from accord.models import row_fields

        pred = res.predictive
        mix = self.predictive.get(res.model)
        p = mix[k] if mix is not None else pred.dist[0, k]
        lo, hi = pred.scale[k]
        return row_fields(p, float(lo), float(hi), float(pred.status_quo[k]), pred.table,
                          self.level)

    def track_records(self) -> dict[str, dict[str, Any]]:
        """Each model's error on real decisions, where known for the settings it ran with
        (:mod:`accord.track_record`)."""
        from accord.track_record import track_record

        out = {}
        for r in self.results:
            rec = track_record(r.model, r.params)
            if rec is not None:
                out[r.model] = rec
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per (model, issue): forecast and, with draws, the interval."""
        doc = self.to_json(include_trace=False)
        df = pd.DataFrame(doc["results"])
        if "interval" in df:
            pairs = [v if isinstance(v, list) else [np.nan, np.nan] for v in df.pop("interval")]
            df[["low", "high"]] = pd.DataFrame(pairs, index=df.index)
        return df


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def forecast(
    scenario: Scenario,
    model_names: Sequence[str] | None = None,
    *,
    overrides: dict[str, dict[str, Any]] | None = None,
    source: str = "<scenario>",
    level: float = 0.8,
    progress: Callable[[str], None] | None = None,
) -> ForecastRun:
    """Point forecasts of every requested model on the scenario as written (``level``: of the
    intervals of distribution models, which need no draws).

    A model whose estimated cost on this size exceeds the budget is refused before anything
    runs (``InputError``; :func:`accord.models.check_cost`, docs/performance.md). When the
    estimate reaches a few seconds, ``progress`` (e.g. a line printer on stderr) is told
    which model starts and how long each took.
    """
    names = resolve_model_names(model_names)
    models = build_models(scenario, names, overrides, source=source)
    n, k = len(scenario.actors), len(scenario.issues)
    est = check_cost([(m.name, m.get_params()) for m in models], n, k, all_names=names)
    say = progress if progress is not None and sum(est.values()) >= PROGRESS_SECONDS else None
    draws = to_arrays(scenario, 1)
    results = []
    for i, m in enumerate(models):
        if say is not None:
            say(f"forecast: model {i + 1}/{len(models)} {m.name} on {n:,} actors x {k:,} issues "
                f"(estimate {est[m.name]:.1f} s) ...")
        t0 = time.perf_counter()
        results.append(m.run(draws, rng=np.random.default_rng(0)))
        if say is not None:
            say(f"forecast: {m.name} done in {time.perf_counter() - t0:.1f} s")
    return ForecastRun(scenario=scenario, results=results, level=level)
