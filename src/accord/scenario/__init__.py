"""Scenario files: schema, loading (YAML, JSON, spreadsheets, KTAB CSV), writing and
conversion to arrays."""

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
from accord.scenario._sheet_files import (
    scenario_from_sheet_bytes,
    sheet_bytes,
    write_sheet,
)
from accord.scenario._write import scenario_to_yaml, template_yaml

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
    "scenario_from_sheet_bytes",
    "scenario_from_text",
    "scenario_to_yaml",
    "sheet_bytes",
    "template_yaml",
    "to_arrays",
    "write_sheet",
]
