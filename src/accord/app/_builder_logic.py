"""The scenario builder's logic as plain functions, testable without Streamlit.

A *draft* is the mapping a scenario file holds (``name``, ``issues``, ``actors``, ...), which
may be incomplete or wrong while it is being built. Every edit returns a new draft; :func:`check`
validates it through the scenario schema, so the builder shows the CLI's own message for the
first problem (file ``builder``, field, fix).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from accord.errors import InputError
from accord.scenario import (
    Scenario,
    anchors_text,
    parse_anchors,
    parse_lines,
    scenario_from_mapping,
    scenario_to_yaml,
    sheet_bytes,
)

Draft = dict[str, Any]
SOURCE = "builder"
#: Per-issue numbers of an actor and where they live in the mapping.
STANCE_FIELDS = ("position", "salience", "low", "high", "salience_low", "salience_high")
_PAIRS = {"low": ("ranges", 0), "high": ("ranges", 1),
          "salience_low": ("salience_ranges", 0), "salience_high": ("salience_ranges", 1)}
#: Uploads the builder reads (spreadsheets as well as scenario files).
UPLOAD_TYPES = ["yaml", "yml", "json", "csv", "xlsx"]


def blank_draft(name: str = "New scenario") -> Draft:
    """An empty scenario: no issues and no actors yet."""
    return {"name": name, "issues": [], "actors": []}


def draft_from_scenario(scenario: Scenario) -> Draft:
    """A loaded scenario as an editable draft (plain JSON values)."""
    return json.loads(scenario.model_dump_json(exclude_defaults=True))


def draft_from_upload(filename: str, data: bytes) -> Draft:
    """A draft from an uploaded scenario file or spreadsheet (``.xlsx``/``.csv``), read and
    checked as the sidebar's upload is."""
    from accord.app._logic import load_upload

    return draft_from_scenario(load_upload(filename, data)[0])


def check(draft: Draft) -> tuple[Scenario | None, str | None]:
    """(scenario, None) if the draft is valid, else (None, the CLI's message)."""
    try:
        return scenario_from_mapping(copy.deepcopy(draft), SOURCE), None
    except InputError as err:
        return None, str(err)


def exports(scenario: Scenario, stem: str) -> dict[str, tuple[bytes, str, str]]:
    """Downloads of a valid scenario: label -> (bytes, file name, MIME type)."""
    return {
        "YAML": (scenario_to_yaml(scenario).encode("utf-8"), f"{stem}.yaml", "application/x-yaml"),
        "Excel (.xlsx)": (sheet_bytes(scenario, "s.xlsx"), f"{stem}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "CSV": (sheet_bytes(scenario, "s.csv"), f"{stem}.csv", "text/csv"),
    }


# ---- edits ----------------------------------------------------------------------------------


def _find(items: list[dict[str, Any]], item_id: str, what: str) -> dict[str, Any]:
    for item in items:
        if item.get("id") == item_id:
            return item
    raise InputError(f"no {what} {item_id!r}.", field=what)


def _new_id(items: list[dict[str, Any]], item_id: str, what: str) -> str:
    item_id = (item_id or "").strip()
    if not item_id:
        raise InputError(f"the new {what} needs an id.", field=f"{what} id",
                         fix="type a short id: lower-case letters, digits, '-' or '_'.")
    if any(i.get("id") == item_id for i in items):
        raise InputError(f"there is already an {what} {item_id!r}.", field=f"{what} id",
                         fix=f"give every {what} its own id.")
    return item_id


def add_issue(draft: Draft, issue_id: str, label: str | None = None, lo: float = 0.0,
              hi: float = 100.0) -> Draft:
    d = copy.deepcopy(draft)
    issue: dict[str, Any] = {"id": _new_id(d["issues"], issue_id, "issue"), "scale": [lo, hi]}
    if label:
        issue["label"] = label
    d["issues"].append(issue)
    return d


def remove_issue(draft: Draft, issue_id: str) -> Draft:
    """Drop an issue and every actor's numbers on it."""
    d = copy.deepcopy(draft)
    _find(d["issues"], issue_id, "issue")
    d["issues"] = [i for i in d["issues"] if i.get("id") != issue_id]
    for a in d["actors"]:
        for key in ("positions", "salience", "ranges", "salience_ranges"):
            (a.get(key) or {}).pop(issue_id, None)
    return d


def rename_issue(draft: Draft, old: str, new: str) -> Draft:
    """Give an issue a new id, carrying every actor's numbers on it along."""
    if new == old:
        return draft
    d = copy.deepcopy(draft)
    _new_id(d["issues"], new, "issue")
    _find(d["issues"], old, "issue")["id"] = new.strip()
    for a in d["actors"]:
        for key in ("positions", "salience", "ranges", "salience_ranges"):
            table = a.get(key) or {}
            if old in table:
                table[new.strip()] = table.pop(old)
    return d


def set_issue(draft: Draft, issue_id: str, field: str, value: Any) -> Draft:
    """Set ``label``, ``description``, ``scale_min``, ``scale_max``, ``status_quo`` or
    ``anchors`` (text, one ``POINT: text`` per line) of an issue; empty clears it."""
    d = copy.deepcopy(draft)
    issue = _find(d["issues"], issue_id, "issue")
    empty = value is None or (isinstance(value, str) and not value.strip())
    if field in ("scale_min", "scale_max"):
        scale = list(issue.get("scale") or [0.0, 100.0])
        scale[field == "scale_max"] = 0.0 if empty else value
        issue["scale"] = scale
    elif field == "anchors":
        if empty:
            issue.pop("anchors", None)
        else:
            try:
                issue["anchors"] = {str(k): v for k, v in parse_anchors(value).items()}
            except ValueError as err:
                raise InputError(f"anchors: {err}.", path=SOURCE,
                                 field=f"issues ({issue_id}).anchors",
                                 fix="write one anchor per line as 'POINT: text'.") from None
    elif field in ("label", "description", "status_quo"):
        if empty:
            issue.pop(field, None)
        else:
            issue[field] = value
    else:
        raise InputError(f"unknown issue field {field!r}.", field="issue")
    return d


def issue_anchors_text(issue: dict[str, Any]) -> str:
    """An issue's anchors as the text the builder shows (one ``POINT: text`` per line)."""
    anchors = {float(k): v for k, v in (issue.get("anchors") or {}).items()}
    return anchors_text(anchors) or ""


def add_actor(draft: Draft, actor_id: str, name: str | None = None,
              capability: float = 1.0) -> Draft:
    d = copy.deepcopy(draft)
    actor: dict[str, Any] = {"id": _new_id(d["actors"], actor_id, "actor"),
                             "capability": capability, "positions": {}, "salience": {}}
    if name:
        actor["name"] = name
    d["actors"].append(actor)
    return d


def remove_actor(draft: Draft, actor_id: str) -> Draft:
    d = copy.deepcopy(draft)
    _find(d["actors"], actor_id, "actor")
    d["actors"] = [a for a in d["actors"] if a.get("id") != actor_id]
    return d


def rename_actor(draft: Draft, old: str, new: str) -> Draft:
    """Give an actor a new id (a ``strategy:`` block naming the old id is not rewritten:
    validation then names it)."""
    if new == old:
        return draft
    d = copy.deepcopy(draft)
    _new_id(d["actors"], new, "actor")
    _find(d["actors"], old, "actor")["id"] = new.strip()
    return d


def set_actor(draft: Draft, actor_id: str, field: str, value: Any) -> Draft:
    """Set ``name``, ``capability``, ``capability_low``, ``capability_high`` or ``sources``
    (text, one per line) of an actor; empty clears an optional one."""
    d = copy.deepcopy(draft)
    a = _find(d["actors"], actor_id, "actor")
    empty = value is None or (isinstance(value, str) and not value.strip())
    if field in ("capability_low", "capability_high"):
        pair = list(a.get("capability_range") or [None, None])
        pair[field == "capability_high"] = None if empty else value
        if pair == [None, None]:
            a.pop("capability_range", None)
        else:
            a["capability_range"] = pair
    elif field == "sources":
        a["sources"] = [] if empty else parse_lines(value)
    elif field in ("name", "capability"):
        if empty and field == "name":
            a.pop("name", None)
        else:
            a[field] = value
    else:
        raise InputError(f"unknown actor field {field!r}.", field="actor")
    return d


def set_stance(draft: Draft, actor_id: str, issue_id: str, field: str, value: Any) -> Draft:
    """Set one of an actor's numbers on an issue (:data:`STANCE_FIELDS`); ``None`` clears it.
    An actor with neither position nor salience on an issue takes no part in it."""
    d = copy.deepcopy(draft)
    a = _find(d["actors"], actor_id, "actor")
    _find(d["issues"], issue_id, "issue")
    if field in ("position", "salience"):
        table = a.setdefault("positions" if field == "position" else "salience", {})
        if value is None:
            table.pop(issue_id, None)
        else:
            table[issue_id] = value
    elif field in _PAIRS:
        key, end = _PAIRS[field]
        ranges = a.setdefault(key, {})
        pair = list(ranges.get(issue_id) or [None, None])
        pair[end] = value
        if pair == [None, None]:
            ranges.pop(issue_id, None)
        else:
            ranges[issue_id] = pair
    else:
        raise InputError(f"unknown stance field {field!r}.", field="stance")
    return d


def stance(draft: Draft, actor_id: str, issue_id: str) -> dict[str, float | None]:
    """An actor's numbers on one issue (``None`` where not given)."""
    a = _find(draft["actors"], actor_id, "actor")
    out: dict[str, float | None] = {
        "position": (a.get("positions") or {}).get(issue_id),
        "salience": (a.get("salience") or {}).get(issue_id),
    }
    for field, (key, end) in _PAIRS.items():
        pair = (a.get(key) or {}).get(issue_id)
        out[field] = pair[end] if pair else None
    return out
