"""The ``explain`` and ``advise`` documents a report shows, computed from the scenario."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accord.report._data import usable_scenario
from accord.scenario import Scenario


def compute_explain(
    scenario: Scenario, models: Sequence[str] | None = None, *, source: str = "<scenario>"
) -> tuple[dict[str, Any], list[str]]:
    """The ``accord explain --json`` document of the report's models, and notes."""
    from accord.explain import explain

    scenario, notes = usable_scenario(scenario)
    return explain(scenario, models, source=source), notes


def compute_advice(
    scenario: Scenario,
    actor: str,
    *,
    draws: int = 200,
    seed: int = 0,
    level: float = 0.8,
    source: str = "<scenario>",
) -> tuple[dict[str, Any], list[str]]:
    """The ``accord advise --json`` document for ``actor`` (default model), and notes; with
    ``draws=0`` the advice is computed on the scenario as written."""
    from accord.advise import advise

    scenario, notes = usable_scenario(scenario)
    doc = advise(scenario, actor, n_draws=int(draws), seed=seed, level=level, source=source)
    return doc, notes
