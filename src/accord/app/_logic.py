"""The web app's logic as plain functions, testable without Streamlit.

Safety rules the app relies on: scenarios come only from the bundled ``examples/`` folder
(picked by name from a list this module builds, never from a path the user types) or from an
upload of at most :data:`MAX_UPLOAD_BYTES`, parsed with ``yaml.safe_load`` and validated by
:func:`accord.scenario.scenario_from_text`. Edits produce a new, re-validated scenario.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from accord.errors import InputError
from accord.scenario import (
    Scenario,
    decode_text,
    read_text,
    scenario_from_mapping,
    scenario_from_sheet_bytes,
    scenario_from_text,
    scenario_to_yaml,
)

__all__ = [
    "FLAGSHIP",
    "MAX_UPLOAD_BYTES",
    "TABLE_COLUMNS",
    "apply_issue_table",
    "bundled_scenarios",
    "compare_table",
    "examples_dir",
    "forecast_doc",
    "forecast_table",
    "issue_table",
    "load_bundled",
    "load_upload",
    "report_html",
    "scenario_to_yaml",
    "set_capability",
    "set_position",
    "set_salience",
]

#: Uploads above this size are refused (scenarios are a few kilobytes).
MAX_UPLOAD_BYTES = 1024 * 1024
#: The scenario the app opens with when it is bundled.
FLAGSHIP = "ukraine-ceasefire-2025"
#: Columns of the per-issue edit table.
TABLE_COLUMNS = ("actor", "name", "capability", "takes_part", "position", "salience")
_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


def examples_dir() -> Path | None:
    """The bundled examples: in an installed wheel (``accord/_bundled/examples``) or the source
    tree's ``examples/`` (see :mod:`accord.resources`)."""
    from accord.resources import root

    cand = root("examples")
    return cand if cand is not None and any(cand.glob("*.yaml")) else None


def bundled_scenarios() -> dict[str, Path]:
    """Bundled scenario name (file stem) -> path, the flagship first; empty if none found.

    Only the folder's own files are listed: examples that describe ceasefires alone (for
    ``accord durability predict``) live in ``examples/durability/``, with no issues to forecast.
    """
    root = examples_dir()
    if root is None:
        return {}
    files = sorted(p for p in root.iterdir() if p.suffix.lower() in _SUFFIXES and p.is_file())
    out = {p.stem: p for p in files}
    if FLAGSHIP in out:
        out = {FLAGSHIP: out[FLAGSHIP], **{k: v for k, v in out.items() if k != FLAGSHIP}}
    return out


def load_bundled(name: str) -> tuple[Scenario, str]:
    """Load a bundled scenario by its name (a key of :func:`bundled_scenarios`, nothing else)."""
    files = bundled_scenarios()
    if name not in files:
        raise InputError(
            f"no bundled scenario {name!r}.",
            field="scenario",
            fix=f"choose one of: {', '.join(files) or '(none bundled)'}.",
        )
    text = read_text(files[name])
    return scenario_from_text(text, files[name].name), text


def load_upload(filename: str, data: bytes) -> tuple[Scenario, str]:
    """Validate an uploaded scenario; too big, binary, malformed or invalid -> InputError."""
    name = Path(filename or "upload.yaml").name
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"the upload is {len(data) / 1e6:.1f} MB; uploads are limited to "
            f"{MAX_UPLOAD_BYTES / 1024 / 1024:.0f} MB.",
            path=name,
            fix="upload a scenario file (a few kilobytes of YAML).",
        )
    if name.lower().endswith(".xlsx"):  # a spreadsheet in the layout of `accord import`
        scenario = scenario_from_sheet_bytes(data, name)
        return scenario, scenario_to_yaml(scenario)
    if not name.lower().endswith(_SUFFIXES):
        raise InputError(
            "is not a scenario file.",
            path=name,
            fix="upload a .yaml, .yml, .json, .csv or .xlsx file.",
        )
    text = decode_text(data, name)
    return scenario_from_text(text, name), text


def _edit(scenario: Scenario, change: Callable[[dict[str, Any]], None]) -> Scenario:
    data = scenario.model_dump(mode="python")
    change(data)
    return scenario_from_mapping(data, "<edited scenario>")


def _actor(data: dict[str, Any], actor_id: str) -> dict[str, Any]:
    for a in data["actors"]:
        if a["id"] == actor_id:
            return a
    raise InputError(f"no actor {actor_id!r}.", field="actor")


def _widen(rng: Any, x: float) -> tuple[float, float] | None:
    """An uncertainty range moved along with an edited value so that it still contains it."""
    if rng is None:
        return None
    lo, hi = rng
    return (min(lo, x), max(hi, x))


def set_position(scenario: Scenario, actor_id: str, issue_id: str, value: float) -> Scenario:
    """Scenario with one position changed (its range widened to contain it if needed)."""
    value = float(value)

    def change(d: dict[str, Any]) -> None:
        a = _actor(d, actor_id)
        if issue_id not in a["positions"]:
            raise InputError(
                f"actor {actor_id!r} takes no part in issue {issue_id!r}.",
                field="position",
                fix="tick 'takes_part' first.",
            )
        a["positions"][issue_id] = value
        if issue_id in a.get("ranges", {}):
            a["ranges"][issue_id] = _widen(a["ranges"][issue_id], value)

    return _edit(scenario, change)


def set_salience(scenario: Scenario, actor_id: str, issue_id: str, value: float) -> Scenario:
    """Scenario with one salience changed (0-100)."""
    value = float(value)

    def change(d: dict[str, Any]) -> None:
        a = _actor(d, actor_id)
        a["salience"][issue_id] = value
        if issue_id in a.get("salience_ranges", {}):
            a["salience_ranges"][issue_id] = _widen(a["salience_ranges"][issue_id], value)

    return _edit(scenario, change)


def set_capability(scenario: Scenario, actor_id: str, value: float) -> Scenario:
    """Scenario with one capability changed (> 0)."""
    value = float(value)

    def change(d: dict[str, Any]) -> None:
        a = _actor(d, actor_id)
        a["capability"] = value
        a["capability_range"] = _widen(a.get("capability_range"), value)

    return _edit(scenario, change)


def issue_table(scenario: Scenario, issue_id: str) -> pd.DataFrame:
    """One row per actor for one issue: the editable numbers (position/salience empty where
    the actor takes no part)."""
    rows = []
    for a in scenario.actors:
        part = issue_id in a.positions
        rows.append(
            {
                "actor": a.id,
                "name": a.name or a.id,
                "capability": float(a.capability),
                "takes_part": part,
                "position": float(a.positions[issue_id]) if part else None,
                "salience": float(a.salience[issue_id]) if part else None,
            }
        )
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


def _is_missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def apply_issue_table(scenario: Scenario, issue_id: str, table: pd.DataFrame) -> Scenario:
    """Scenario with the edited table of one issue applied (validated as a whole).

    Rows are matched by ``actor`` id; an actor newly taking part without numbers starts at the
    middle of the scale with salience 50; ranges are widened to contain edited values.
    """
    issue = next((i for i in scenario.issues if i.id == issue_id), None)
    if issue is None:
        raise InputError(f"no issue {issue_id!r}.", field="issue")
    mid = (issue.scale[0] + issue.scale[1]) / 2

    def change(d: dict[str, Any]) -> None:
        for row in table.to_dict("records"):
            a = _actor(d, str(row["actor"]))
            if not _is_missing(row.get("capability")):
                a["capability"] = float(row["capability"])
                a["capability_range"] = _widen(a.get("capability_range"), a["capability"])
            if not bool(row.get("takes_part")):
                for key in ("positions", "salience", "ranges", "salience_ranges"):
                    a.get(key, {}).pop(issue_id, None)
                continue
            pos = mid if _is_missing(row.get("position")) else float(row["position"])
            sal = 50.0 if _is_missing(row.get("salience")) else float(row["salience"])
            a["positions"][issue_id] = pos
            a["salience"][issue_id] = sal
            if issue_id in a.get("ranges", {}):
                a["ranges"][issue_id] = _widen(a["ranges"][issue_id], pos)
            if issue_id in a.get("salience_ranges", {}):
                a["salience_ranges"][issue_id] = _widen(a["salience_ranges"][issue_id], sal)

    return _edit(scenario, change)


def forecast_doc(
    scenario: Scenario,
    models: Sequence[str] | None = None,
    *,
    draws: int = 0,
    seed: int = 0,
    level: float = 0.8,
) -> tuple[dict[str, Any], list[str]]:
    """The forecast JSON document (as ``accord forecast --json``) and notes."""
    from accord.report import compute_forecast

    return compute_forecast(scenario, models or None, draws=draws, seed=seed, level=level)


def forecast_table(doc: Mapping[str, Any], scenario: Scenario, *, digits: int = 2) -> pd.DataFrame:
    """Issues x models table of forecasts (with intervals as text when present)."""
    rows = doc.get("results", [])
    models = list(dict.fromkeys(r["model"] for r in rows))
    labels = {i.id: i.label or i.id for i in scenario.issues}
    out = pd.DataFrame(index=[labels[i.id] for i in scenario.issues], columns=models, dtype=object)
    out.index.name = "issue"
    for r in rows:
        cell = f"{r['forecast']:.{digits}f}"
        if r.get("interval"):
            cell += f" [{r['interval'][0]:.1f}, {r['interval'][1]:.1f}]"
        out.loc[labels[r["issue"]], r["model"]] = cell
    return out.fillna("")


def compare_table(
    doc_a: Mapping[str, Any], doc_b: Mapping[str, Any], scenario: Scenario
) -> pd.DataFrame:
    """Variant A against variant B: one row per (issue, model) with both forecasts and B − A."""
    labels = {i.id: i.label or i.id for i in scenario.issues}
    a = {(r["issue"], r["model"]): r["forecast"] for r in doc_a.get("results", [])}
    b = {(r["issue"], r["model"]): r["forecast"] for r in doc_b.get("results", [])}
    rows = []
    for key in dict.fromkeys([*a, *b]):
        fa, fb = a.get(key), b.get(key)
        rows.append(
            {
                "issue": labels.get(key[0], key[0]),
                "model": key[1],
                "A": fa,
                "B": fb,
                "B − A": None if fa is None or fb is None else fb - fa,
            }
        )
    return pd.DataFrame(rows, columns=["issue", "model", "A", "B", "B − A"])


def report_html(
    scenario: Scenario, scenario_text: str | None = None, *, draws: int = 0, seed: int = 0
) -> str:
    """The HTML report of a (possibly edited) scenario."""
    from accord.report import build_report

    return build_report(scenario, scenario_text=scenario_text, draws=draws, seed=seed)
