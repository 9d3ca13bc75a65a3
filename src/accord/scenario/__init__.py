"""Scenario files: schema, loading (YAML, JSON, spreadsheets, KTAB CSV), writing and
conversion to arrays."""

from accord._lazy import attach

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "IssueDraws": "._arrays",
        "ScenarioDraws": "._arrays",
        "to_arrays": "._arrays",
        "ktab_actor_id": "._ktab",
        "parse_ktab_csv": "._ktab",
        "MAX_BYTES": "._load",
        "load_scenario": "._load",
        "parse_mapping": "._load",
        "read_capped": "._load",
        "read_text": "._load",
        "scenario_from_mapping": "._load",
        "scenario_from_text": "._load",
        "Actor": "._schema",
        "Issue": "._schema",
        "Scenario": "._schema",
        "scenario_from_sheet_bytes": "._sheet_files",
        "sheet_bytes": "._sheet_files",
        "write_sheet": "._sheet_files",
        "scenario_to_yaml": "._write",
        "template_yaml": "._write",
        "anchors_text": "._sheets",
        "decode_text": "._load",
        "describe_error": "._load",
        "parse_anchors": "._sheets",
        "parse_lines": "._sheets",
        "slug": "._write",
    },
)
