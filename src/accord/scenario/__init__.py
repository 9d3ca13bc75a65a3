"""Scenario files: schema, loading (YAML, JSON, KTAB CSV) and conversion to arrays."""

from accord.scenario._arrays import IssueDraws, ScenarioDraws, to_arrays
from accord.scenario._ktab import ktab_actor_id, parse_ktab_csv
from accord.scenario._load import (
    MAX_BYTES,
    load_scenario,
    read_text,
    scenario_from_mapping,
    scenario_from_text,
)
from accord.scenario._schema import Actor, Issue, Scenario

__all__ = [
    "MAX_BYTES",
    "Actor",
    "Issue",
    "IssueDraws",
    "Scenario",
    "ScenarioDraws",
    "ktab_actor_id",
    "load_scenario",
    "parse_ktab_csv",
    "read_text",
    "scenario_from_mapping",
    "scenario_from_text",
    "to_arrays",
]
