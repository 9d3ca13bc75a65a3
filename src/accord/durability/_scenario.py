"""Read the ``ceasefire:`` block of a scenario file (YAML, JSON or a spreadsheet)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.errors import InputError

__all__ = ["ceasefire_items", "read_ceasefire_block"]


def read_ceasefire_block(path: str | Path) -> list[dict[str, Any]]:
    """The described ceasefires of a file: a top-level ``ceasefire:`` mapping, or a list of
    mappings each with ``id`` and ``label``. Returned as a list (a mapping gets id
    ``ceasefire``).

    Read with the scenario loader's own checks (regular file, size limit, safe YAML with
    duplicate keys refused, JSON); a spreadsheet is read as the scenario it holds. A YAML or
    JSON file may hold only the ``ceasefire:`` block (no actors or issues needed).
    """
    from accord.scenario import load_scenario, parse_mapping, read_text

    p = Path(path)
    if p.suffix.lower() in (".csv", ".xlsx"):
        block = load_scenario(p).ceasefire
    else:
        doc = parse_mapping(read_text(p), str(p))
        block = doc.get("ceasefire") if isinstance(doc, dict) else None
    return ceasefire_items(block, str(p))


def ceasefire_items(block: Any, path: str) -> list[dict[str, Any]]:
    """Check a ``ceasefire:`` block (a mapping, or a list of mappings each with ``id`` and
    ``label``) and return it as a list (a mapping gets id ``ceasefire``)."""
    fix = "add a top-level 'ceasefire:' block (see docs/durability.md)"
    if block is None:
        raise InputError("no 'ceasefire:' block", path=path, field="ceasefire", fix=fix)
    if isinstance(block, dict):
        return [{"id": "ceasefire", **block}]
    if not isinstance(block, list) or not block:
        raise InputError(
            "'ceasefire' must be a mapping or a non-empty list of mappings",
            path=str(path),
            field="ceasefire",
            fix=fix,
        )
    ids = set()
    for k, item in enumerate(block):
        if not isinstance(item, dict):
            raise InputError(
                f"item {k} is not a mapping", path=str(path), field=f"ceasefire[{k}]", fix=fix
            )
        for key in ("id", "label"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise InputError(
                    f"item {k} has no {key}",
                    path=str(path),
                    field=f"ceasefire[{k}].{key}",
                    fix="give each ceasefire in a list an id and a label",
                )
        if item["id"] in ids:
            raise InputError(
                f"duplicate id {item['id']!r}", path=str(path), field=f"ceasefire[{k}].id"
            )
        ids.add(item["id"])
    return block
