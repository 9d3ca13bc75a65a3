"""Read the ``ceasefire:`` block of a scenario file (YAML or JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord.errors import InputError

__all__ = ["ceasefire_items", "read_ceasefire_block"]


def read_ceasefire_block(path: str | Path) -> list[dict[str, Any]]:
    """The described ceasefires of a file: a top-level ``ceasefire:`` mapping, or a list of
    mappings each with ``id`` and ``label``. Returned as a list (a mapping gets id
    ``ceasefire``)."""
    import yaml

    from accord.files import require_regular_file

    path = require_regular_file(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=str(path)) from e
    except UnicodeDecodeError as e:
        raise InputError("not a text file", path=str(path)) from e
    try:
        doc = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise InputError(
            f"cannot parse the file ({type(e).__name__}: {str(e).splitlines()[0]})", path=str(path)
        ) from e
    block = doc.get("ceasefire") if isinstance(doc, dict) else None
    return ceasefire_items(block, str(path))


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
