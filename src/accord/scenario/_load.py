"""Read scenario files (YAML, JSON, KTAB SMP CSV) into a validated :class:`Scenario`.

Every failure becomes one :class:`~accord.errors.InputError` naming file, field and fix.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accord.errors import InputError
from accord.scenario._ktab import parse_ktab_csv
from accord.scenario._schema import Scenario

#: Scenario files are hand-written; anything bigger is a mistake (or an attack on the parser).
MAX_BYTES = 5 * 1024 * 1024


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file with a size cap and a clear message for binaries."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found.", path=str(p), fix="check the path.") from None
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror}).", path=str(p)) from None
    if p.is_dir():
        raise InputError("is a directory, not a file.", path=str(p), fix="name a scenario file.")
    if size > max_bytes:
        raise InputError(
            f"file is {size / 1e6:.1f} MB; scenario files are limited to {max_bytes / 1e6:.0f} MB.",
            path=str(p),
            fix="check that this is the right file; a scenario is a few kilobytes of YAML.",
        )
    try:
        data = p.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror}).", path=str(p)) from None
    return decode_text(data, str(p))


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 text, refusing binary content."""
    if b"\x00" in data[:8192]:
        raise InputError(
            "is a binary file, not a scenario.", path=name, fix="give a YAML, JSON or CSV file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"is not UTF-8 text (byte {err.start}).",
            path=name,
            fix="save the file as UTF-8 YAML, JSON or CSV.",
        ) from None


def parse_mapping(text: str, name: str, *, fmt: str | None = None) -> dict[str, Any]:
    """Parse YAML (safe_load) or JSON text into a mapping."""
    fmt = fmt or ("json" if name.lower().endswith(".json") else "yaml")
    try:
        if fmt == "json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}.",
            path=name,
            fix="correct the JSON syntax there.",
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise InputError(
            f"malformed YAML{where}: {problem}.",
            path=name,
            fix="correct the YAML syntax there (indentation, colons, quotes).",
        ) from None
    except RecursionError:
        raise InputError("the document is nested too deeply.", path=name) from None
    if data is None:
        raise InputError(
            "the file is empty.", path=name, fix="write a scenario with name, issues and actors."
        )
    if not isinstance(data, dict):
        raise InputError(
            f"the top level must be a mapping (name, issues, actors), not a {type(data).__name__}.",
            path=name,
            fix="start the file with `name:`, `issues:` and `actors:`.",
        )
    return data


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file (``.yaml``/``.yml``, ``.json`` or KTAB ``.csv``)."""
    p = Path(path)
    text = read_text(p)
    return scenario_from_text(text, str(p))


def scenario_from_text(text: str, name: str) -> Scenario:
    """Validate scenario text; ``name`` is the file name shown in messages and picks the format."""
    if name.lower().endswith(".csv"):
        data = parse_ktab_csv(text, name)
    else:
        data = parse_mapping(text, name)
    return scenario_from_mapping(data, name)


def scenario_from_mapping(data: dict[str, Any], name: str = "<scenario>") -> Scenario:
    """Validate an already-parsed mapping."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise _to_input_error(err, data, name) from None
    except RecursionError:
        raise InputError("the document is nested too deeply.", path=name) from None


_FIXES = {
    "extra_forbidden": "remove it or fix its spelling (free-form notes go under `meta:`)",
    "missing": "add it",
    "string_pattern_mismatch": "use lower-case letters, digits, '-' and '_' only",
    "float_parsing": "write a number",
    "float_type": "write a number",
    "finite_number": "write a finite number",
    "dict_type": "write a mapping (key: value)",
    "list_type": "write a list",
    "tuple_type": "write a two-element list [low, high]",
}


def _to_input_error(err: ValidationError, data: dict[str, Any], name: str) -> InputError:
    first = err.errors(include_url=False)[0]
    loc = first.get("loc", ())
    field = _format_loc(loc, data)
    msg = first.get("msg", "invalid value")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    kind = first.get("type", "")
    if kind == "extra_forbidden":
        msg = f"unknown key {str(loc[-1])!r}"
    elif kind == "missing":
        msg = f"required key {str(loc[-1])!r} is missing"
    value = first.get("input")
    if kind in ("float_parsing", "float_type") and isinstance(value, float) and math.isnan(value):
        msg = "NaN is not allowed"
    fix = _FIXES.get(kind)
    if fix is None:
        fix = "correct the value as described"
    more = len(err.errors()) - 1
    if more:
        msg += f" (and {more} more problem{'s' if more > 1 else ''})"
    return InputError(msg.rstrip(".") + ".", path=name, field=field or "(top level)", fix=fix + ".")


def _format_loc(loc: tuple[Any, ...], data: Any) -> str:
    """``('actors', 2, 'salience', 't')`` -> ``actors[2] (id 'usa').salience.t``."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            label = f"[{part}]"
            try:
                node = node[part]
                if isinstance(node, dict) and "id" in node:
                    label += f" (id {node['id']!r})"
            except (IndexError, KeyError, TypeError):
                node = None
            out += label
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out
