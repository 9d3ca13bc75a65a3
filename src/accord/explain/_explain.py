"""The ``explain`` document: every model's reasons and pivotal actors, issue by issue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from accord.explain._facts import explain_issue
from accord.explain._pivotal import METHOD, pivotal_actors
from accord.scenario import Scenario, to_arrays


def _issue_indices(scenario: Scenario, issues: Sequence[str] | None) -> list[int]:
    from accord.errors import InputError

    ids = [i.id for i in scenario.issues]
    if not issues:
        return list(range(len(ids)))
    out = []
    for issue in issues:
        if issue not in ids:
            raise InputError(
                f"unknown issue {issue!r}.", field="--issue", fix=f"use one of: {', '.join(ids)}."
            )
        out.append(ids.index(issue))
    return list(dict.fromkeys(out))


def explain(
    scenario: Scenario,
    models: Sequence[str] | None = None,
    *,
    issues: Sequence[str] | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
    pivotal: bool = True,
    source: str = "<scenario>",
) -> dict[str, Any]:
    """Explain the point forecast of every requested model on every requested issue.

    Returns the ``accord explain --json`` document: ``explanations`` holds one entry per
    (issue, model) with ``summary`` (words), ``facts`` (the numbers behind them),
    ``key_actors``, ``actors`` (positions and weight shares, for the figure), ``pivotal``
    (per actor: the forecast's change under each perturbation and ``influence``; see
    :mod:`accord.explain._pivotal`) and, for dynamic models, ``settling``.
    """
    from accord.forecast import build_models, resolve_model_names

    names = resolve_model_names(models)
    built = build_models(scenario, names, overrides, source=source)
    ks = _issue_indices(scenario, issues)
    draws = to_arrays(scenario, 1)
    display = {a.id: a.name or a.id for a in scenario.actors}
    labels = {i.id: i.label or i.id for i in scenario.issues}
    entries: list[dict[str, Any]] = []
    per_model = []
    for model in built:
        result = model.run(draws, rng=np.random.default_rng(0))
        piv = pivotal_actors(model, draws, ks) if pivotal else {}
        per_model.append((result, piv))
    for k in ks:
        for result, piv in per_model:
            entry = explain_issue(result, draws, k, display)
            entry["label"] = labels[entry["issue"]]
            settling = getattr(result.traces.get(entry["issue"]), "settling", None)
            if settling is not None:
                entry["settling"] = settling.record(0)
            if pivotal:
                entry["pivotal"] = piv[entry["issue"]]
            entries.append(entry)
    return {
        "scenario": scenario.name,
        "models": [m.name for m in built],
        "params": {m.name: m.get_params() for m in built},
        "issues": [scenario.issues[k].id for k in ks],
        "actors": display,
        "pivotal_method": METHOD if pivotal else None,
        "explanations": entries,
    }
