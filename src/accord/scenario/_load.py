"""Read scenario files (YAML, JSON, KTAB SMP CSV) into a validated :class:`Scenario`.

Every failure becomes one :class:`~accord.errors.InputError` naming file, field and fix.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accord.errors import InputError
from accord.scenario._ktab import parse_ktab_csv
from accord.scenario._schema import FieldError, Scenario

#: Scenario files are hand-written; anything bigger is a mistake (or an attack on the parser).
MAX_BYTES = 5 * 1024 * 1024
#: YAML aliases (``*name``) may repeat anchored content, but add at most this many values to the
#: document: more is an alias bomb ("billion laughs") that would explode downstream.
MAX_ALIAS_EXPANSION = 100_000


class _DuplicateKey(yaml.YAMLError):
    """A key given twice in one YAML mapping (PyYAML would silently keep the last)."""

    def __init__(self, key: Any, where: str = "", first: str = "") -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key
        self.where = where  # "line 8, column 22"; empty for JSON
        self.first = first


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses a key repeated within one mapping: a typo or a
    copy-paste slip must not silently replace the first value."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Hashable, str] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # `<<: *base` then overriding a merged key is legitimate
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable):
                    continue  # the base class reports unhashable keys
                mark = key_node.start_mark
                where = f"line {mark.line + 1}, column {mark.column + 1}"
                if key in seen:
                    raise _DuplicateKey(key, where, seen[key])
                seen[key] = where
        return super().construct_mapping(node, deep=deep)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def read_capped(path: str | Path, what: str = "file", *, max_bytes: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, refusing anything over ``max_bytes`` (scenarios and their
    spreadsheets alike): a FIFO, device or folder never reaches ``open``."""
    from accord.files import require_regular_file

    p = require_regular_file(path, what)
    too_big = f"scenario files are limited to {max_bytes / 1e6:.0f} MB"
    fix = "check that this is the right file; a scenario is a few kilobytes of YAML."
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is {size / 1e6:.1f} MB; {too_big}.", path=str(p), fix=fix)
        with p.open("rb") as fh:  # bounded: /dev/zero or a pipe can report size 0
            data = fh.read(max_bytes + 1)
    except OSError as err:
        raise InputError(
            f"cannot read the {what} ({err.strerror}).",
            path=str(p),
            fix="check that the file exists and that you may read it.",
        ) from None
    if len(data) > max_bytes:
        raise InputError(f"file is larger than {max_bytes / 1e6:.0f} MB; {too_big}.",
                         path=str(p), fix=fix)
    return data


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file with a size cap and a clear message for binaries."""
    return decode_text(read_capped(path, max_bytes=max_bytes), str(Path(path)))


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
            data = json.loads(text, object_pairs_hook=_json_pairs)
        else:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except json.JSONDecodeError as err:
        hint = " (a YAML file must be named .yaml or .yml)" if err.pos == 0 else ""
        raise InputError(
            f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}.",
            path=name,
            fix=f"correct the JSON syntax there{hint}.",
        ) from None
    except _DuplicateKey as err:
        first = f" (first at {err.first})" if err.first else ""
        raise InputError(
            f"key {err.key!r} is given twice in the same mapping{first}.",
            path=name,
            field=err.where or None,
            fix="keep one of them: the second would silently replace the first.",
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        fix = "correct the YAML syntax there (indentation, colons, quotes)."
        if isinstance(err, yaml.constructor.ConstructorError):
            fix = "remove the !tag: scenario files hold plain YAML."
        raise InputError(f"malformed YAML{where}: {problem}.", path=name, fix=fix) from None
    except RecursionError:
        raise InputError("the document is nested too deeply.", path=name) from None
    if data is None:
        raise InputError(
            "the file is empty.", path=name, fix="write a scenario with name, issues and actors."
        )
    _check_aliases(data, name)
    if not isinstance(data, dict):
        raise InputError(
            f"the top level must be a mapping (name, issues, actors), not a {type(data).__name__}.",
            path=name,
            fix="start the file with `name:`, `issues:` and `actors:`.",
        )
    return data


def _check_aliases(data: Any, name: str) -> None:
    """Refuse alias bombs and self-referencing aliases.

    ``safe_load`` shares an anchored node between its aliases, so a "billion laughs" file loads
    small but expands exponentially in anything that walks it (validation, JSON, the report).
    Count the values once per distinct container and once per reference; the difference is what
    the aliases add.
    """
    expanded: dict[int, int] = {}
    active: set[int] = set()
    unique = 0

    def size(obj: Any) -> int:
        nonlocal unique
        if not isinstance(obj, dict | list):
            return 1
        key = id(obj)
        if key in expanded:
            return expanded[key]
        if key in active:
            raise InputError(
                "an alias (*name) refers to the mapping or list that contains its own anchor.",
                path=name,
                fix="remove the self-reference; aliases may only repeat finished content.",
            )
        active.add(key)
        items = list(obj.values()) if isinstance(obj, dict) else obj
        unique += 1 + len(items)
        total = 1 + sum(size(v) for v in items)
        active.discard(key)
        expanded[key] = total
        if total - unique > MAX_ALIAS_EXPANSION:
            raise InputError(
                f"YAML aliases (*name) expand the document to {total:,} values or more.",
                path=name,
                fix="write the content out, or repeat an anchor only a few times "
                "(this looks like an alias bomb).",
            )
        return total

    try:
        size(data)
    except RecursionError:
        raise InputError("the document is nested too deeply.", path=name) from None


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file (``.yaml``/``.yml``, ``.json``, ``.csv`` in the
    spreadsheet layout or KTAB's, or ``.xlsx``)."""
    p = Path(path)
    if p.suffix.lower() == ".xlsx":
        from accord.scenario._sheet_files import read_bytes, scenario_from_sheet_bytes

        return scenario_from_sheet_bytes(read_bytes(p), str(p))
    text = read_text(p)
    return scenario_from_text(text, str(p))


def scenario_from_text(text: str, name: str) -> Scenario:
    """Validate scenario text; ``name`` is the file name shown in messages and picks the format."""
    if name.lower().endswith(".csv"):
        from accord.scenario._sheet_files import (
            NEITHER_FIX,
            NEITHER_LAYOUT,
            csv_layout,
            scenario_from_sheet_text,
        )

        layout = csv_layout(text)
        if layout == "sheet":
            return scenario_from_sheet_text(text, name)
        if layout is None:
            raise InputError(NEITHER_LAYOUT, path=name, fix=NEITHER_FIX)
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
    "string_type": "write text; quote values YAML would read otherwise, e.g. \"no\" or \"1\"",
    "float_parsing": "write a number",
    "float_type": "write a number",
    "finite_number": "write a finite number",
    "dict_type": "write a mapping (key: value)",
    "model_type": "write a mapping (key: value)",
    "model_attributes_type": "write a mapping (key: value)",
    "list_type": "write a list",
    "tuple_type": "write a two-element list [low, high]",
    "too_long": "write a two-element list [low, high]",
    "too_short": "write a two-element list [low, high]",
    "literal_error": "use one of the values listed",
    "string_too_long": "shorten it",
}


def _to_input_error(err: ValidationError, data: dict[str, Any], name: str) -> InputError:
    errors = err.errors(include_url=False)
    loc, msg, fix = describe_error(errors[0])
    field = _format_loc(loc, data)
    more = len(errors) - 1
    if more:
        msg = msg[:-1] + f" (and {more} more problem{'s' if more > 1 else ''})."
    return InputError(msg, path=name, field=field or "(top level)", fix=fix)


def describe_error(error: Any) -> tuple[tuple[Any, ...], str, str]:
    """One pydantic error (an item of ``ValidationError.errors()``) as (location, message,
    fix): our own :class:`FieldError` checks extend the location and bring their fix.

    Shared by every reader that validates through :class:`Scenario` (YAML, JSON, the
    spreadsheet layout), so a bad value gets the same words wherever it came from.
    """
    loc = tuple(error.get("loc", ()))
    msg = error.get("msg", "invalid value")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    kind = error.get("type", "")
    fix = _FIXES.get(kind)
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, FieldError):  # our own checks say where, precisely, and what to do
        loc += cause.loc
        msg, fix = str(cause), cause.fix
    if len(loc) >= 2 and loc[-1] == "[key]":  # the key of a mapping is wrong, not its value
        key = error.get("input")
        shown = str(key).lower() if isinstance(key, bool) else str(key)
        loc = (*loc[:-2], shown)  # pydantic shows a key `true` as 1
        if kind == "string_type":
            msg = f"the key {shown} was read as a {type(key).__name__}, not as text"
        else:
            msg = f"key {shown}: {msg}"
    if kind == "extra_forbidden":
        msg = f"unknown key {str(loc[-1])!r}"
    elif kind == "missing" and loc and isinstance(loc[-1], int):
        msg, loc = f"a list of {loc[-1] + 1} values is needed", loc[:-1]
        fix = "write a two-element list [low, high]"
    elif kind == "missing":
        msg = f"required key {str(loc[-1])!r} is missing"
    elif kind in ("model_type", "model_attributes_type"):
        msg = f"expected a mapping, got {type(error.get('input')).__name__}"
    value = error.get("input")
    if kind in ("float_parsing", "float_type") and isinstance(value, float) and math.isnan(value):
        msg = "NaN is not allowed"
    if fix is None:
        fix = "correct the value as described"
    return loc, msg.rstrip(".") + ".", fix + "."


def _format_loc(loc: tuple[Any, ...], data: Any) -> str:
    """``('actors', 2, 'salience', 't')`` -> ``actors[2] (id 'usa').salience.t``."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, bool):  # a YAML key such as yes/no/on/off read as a boolean
            out += ("." if out else "") + str(part).lower()
            node = None
        elif isinstance(part, int):
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
