"""The spreadsheet layout of a scenario: tables of cells <-> :class:`Scenario`.

Three tables, the same in an ``.xlsx`` workbook (one sheet each) and in a ``.csv`` file (one
section each, headed by a row ``[issues]``, ``[actors]`` or ``[scenario]``):

- ``issues``: one row per issue, columns :data:`ISSUE_COLUMNS`;
- ``actors``: one row per actor, columns :data:`ACTOR_COLUMNS` plus, per issue ``ID``,
  ``ID.position``, ``ID.salience`` and the optional ``ID.low``, ``ID.high``,
  ``ID.salience_low``, ``ID.salience_high``;
- ``scenario`` (optional): rows ``field, value`` for the name, the description and the
  blocks a person rarely types in a cell (``models``, ``ceasefire``, ``strategy``,
  ``sampling``, ``meta``, written as YAML).

Reading builds the same mapping a YAML file gives and validates it through the scenario
schema; every error's location is mapped back to its sheet, row and column. Writing checks
that each cell reads back to the value it came from (else it uses an exact JSON form), so
export followed by import gives the same :class:`Scenario`. docs/scenario-format.md
documents the layout.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accord.errors import InputError
from accord.scenario._load import _check_aliases, _Loader, describe_error
from accord.scenario._schema import Scenario

SCENARIO_FIELDS = ("name", "description", "models", "ceasefire", "strategy", "sampling", "meta")
_YAML_FIELDS = ("models", "ceasefire", "strategy", "sampling", "meta")
ISSUE_COLUMNS = ("id", "label", "scale_min", "scale_max", "status_quo", "anchors",
                 "description", "meta")
ACTOR_COLUMNS = ("id", "name", "capability", "capability_low", "capability_high", "sources",
                 "meta")
#: Per-issue actor columns, written ``ISSUE.position`` etc.
PER_ISSUE = ("position", "salience", "low", "high", "salience_low", "salience_high")
TABLES = ("scenario", "issues", "actors")
#: Excel keeps at most this many characters in a cell.
MAX_CELL_CHARS = 32_767
_LAYOUT_DOC = "see 'Spreadsheets' in docs/scenario-format.md"


@dataclass
class Table:
    """One sheet (or CSV section): its rows of cell values and where they are.

    ``numbers[k]`` is the row number a spreadsheet program shows for ``rows[k]``;
    ``lines[k]`` (CSV only) the text line it starts on, when that differs.
    """

    name: str
    rows: list[list[Any]]
    numbers: list[int]
    label: str = ""
    lines: list[int] | None = None

    def where(self, k: int, col: int | None = None, header: str | None = None) -> str:
        text = f"{self.label or self.name}, row {self.numbers[k]}"
        if self.lines is not None and self.lines[k] != self.numbers[k]:
            text += f" (line {self.lines[k]})"
        if col is not None:
            text += f", column {column_letter(col)}"
            if header:
                text += f" ({header})"
        return text


def column_letter(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class _Errors:
    """Bad cells found while reading: (where, message, fix)."""

    items: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, where: str, message: str, fix: str) -> None:
        self.items.append((where, message.rstrip(".") + ".", fix.rstrip(".") + "."))


def cells_error(items: list[tuple[str, str, str]], path: str, limit: int = 20) -> InputError:
    """One :class:`InputError` for one or more bad cells (each with its own fix)."""
    if len(items) == 1:
        where, msg, fix = items[0]
        return InputError(msg, path=path, field=where, fix=fix)
    lines = [f"{len(items)} bad cells:"]
    lines += [f"  {where}: {msg} Fix: {fix}" for where, msg, fix in items[:limit]]
    if len(items) > limit:
        lines.append(f"  ... and {len(items) - limit} more")
    return InputError("\n".join(lines), path=path)


# ---- cell values ----------------------------------------------------------------------------


def blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def num_text(x: float) -> str:
    """A float as the shortest text that reads back to the same float (``4.0`` -> ``4``)."""
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, int):
        return str(x)
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def _text(v: Any) -> str | None:
    """A text cell (names, labels): numbers a spreadsheet made of it turned back into text."""
    if blank(v):
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, float | int):
        return num_text(v)
    if isinstance(v, _dt.datetime | _dt.date):
        return v.isoformat()
    return str(v)


def _id(v: Any) -> str | None:
    t = _text(v)
    return None if t is None else t.strip()


def _number(v: Any) -> Any:
    """A number cell, left for the schema to check (it says 'write a number' if it is not)."""
    if blank(v):
        return None
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v


def _yaml(text: str) -> Any:
    data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    _check_aliases(data, "cell")
    return data


def _yaml_cell(v: Any, where: str, errors: _Errors, *, kind: str = "mapping") -> Any:
    """A cell holding YAML (meta, models, ...); a mapping unless ``kind`` says otherwise."""
    text = _text(v)
    if text is None:
        return None
    try:
        data = _yaml(text)
    except (yaml.YAMLError, InputError) as err:
        mark = getattr(err, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1} of the cell" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        errors.add(where, f"malformed YAML{at}: {problem}",
                   "write YAML as in a scenario file, e.g. `key: value`, one per line")
        return None
    if kind == "mapping" and not isinstance(data, dict):
        errors.add(where, f"expected a YAML mapping, got {type(data).__name__}",
                   "write `key: value` lines (or leave the cell empty)")
        return None
    return data


_ANCHOR_LINE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*:\s?(.*)$", re.S)
_ANCHOR_SPLIT = re.compile(r";\s*(?=[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*:)")


def parse_anchors(text: str) -> dict[float, str]:
    """``"0: none\\n100: all"`` (or ``"0: none; 100: all"`` on one line, or a JSON mapping)
    -> ``{0.0: "none", 100.0: "all"}``. Raises ``ValueError`` naming the bad part."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = _yaml(stripped)
        except (yaml.YAMLError, InputError):
            raise ValueError("the cell starts with '{' but is not a valid mapping") from None
        if isinstance(data, dict):
            out: dict[float, str] = {}
            for k, val in data.items():
                try:
                    point = float(k)
                except (TypeError, ValueError):
                    raise ValueError(f"anchor point {k!r} is not a number") from None
                out[point] = "" if val is None else str(val)
            return out
    parts = text.split("\n") if "\n" in text else _ANCHOR_SPLIT.split(text)
    out = {}
    for part in parts:
        if not part.strip():
            continue
        m = _ANCHOR_LINE.match(part)
        if m is None:
            raise ValueError(f"{part.strip()[:40]!r} is not of the form 'POINT: text'")
        point = float(m.group(1))
        if point in out:
            raise ValueError(f"point {m.group(1)} is given twice")
        out[point] = m.group(2)
    return out


def anchors_text(anchors: dict[float, str]) -> str | None:
    """Anchors as ``POINT: text`` lines, or as a JSON mapping where lines would not read back
    exactly (a text with a line break, say)."""
    if not anchors:
        return None
    text = "\n".join(f"{num_text(k)}: {v}" for k, v in anchors.items())
    try:
        if parse_anchors(text) == dict(anchors):
            return text
    except ValueError:
        pass
    return json.dumps({num_text(k): v for k, v in anchors.items()}, ensure_ascii=False)


def parse_lines(text: str) -> list[str]:
    """A list cell (sources): one item per line, or a JSON list of strings."""
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, list) and all(isinstance(x, str) for x in data):
            return data
    return [line for line in text.split("\n") if line.strip()]


def lines_text(items: list[str]) -> str | None:
    if not items:
        return None
    text = "\n".join(items)
    if parse_lines(text) == list(items):
        return text
    return json.dumps(list(items), ensure_ascii=False)


def yaml_text(data: Any) -> str:
    """A block of settings or notes as YAML text for one cell."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=False)
    text = text.removesuffix("\n...\n").rstrip("\n")
    if _yaml(text) != data:  # pragma: no cover - safe_dump/load round-trips plain data
        text = json.dumps(data, ensure_ascii=False)
    return text


# ---- writing --------------------------------------------------------------------------------


def actor_header(issue_ids: Iterable[str]) -> list[str]:
    head = list(ACTOR_COLUMNS[:5])
    for k in issue_ids:
        head += [f"{k}.{w}" for w in PER_ISSUE]
    return head + list(ACTOR_COLUMNS[5:])


def scenario_to_tables(sc: Scenario) -> dict[str, list[list[Any]]]:
    """The scenario as the three tables of the layout (header row first); cells hold
    ``None``, text or numbers."""
    meta_rows: list[list[Any]] = [["field", "value"], ["name", sc.name]]
    if sc.description is not None:
        meta_rows.append(["description", sc.description])
    for key in _YAML_FIELDS:
        value = getattr(sc, key)
        if key == "sampling" and value is not None:
            value = value.model_dump(mode="json")
        if value is None or (key in ("models", "meta") and not value):
            continue
        meta_rows.append([key, yaml_text(value)])
    issues: list[list[Any]] = [list(ISSUE_COLUMNS)]
    for i in sc.issues:
        issues.append([i.id, i.label, _cellnum(i.scale[0]), _cellnum(i.scale[1]),
                       _cellnum(i.status_quo), anchors_text(dict(i.anchors)), i.description,
                       yaml_text(i.meta) if i.meta else None])
    actors: list[list[Any]] = [actor_header(sc.issue_ids)]
    for a in sc.actors:
        cap_lo, cap_hi = a.capability_range or (None, None)
        row: list[Any] = [a.id, a.name, _cellnum(a.capability), _cellnum(cap_lo),
                          _cellnum(cap_hi)]
        for k in sc.issue_ids:
            lo, hi = a.ranges.get(k, (None, None))
            slo, shi = a.salience_ranges.get(k, (None, None))
            row += [_cellnum(x) for x in (a.positions.get(k), a.salience.get(k), lo, hi, slo,
                                          shi)]
        row += [lines_text(list(a.sources)), yaml_text(a.meta) if a.meta else None]
        actors.append(row)
    return {"scenario": meta_rows, "issues": issues, "actors": actors}


def _cellnum(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else float(x)


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def check_xlsx_cells(tables: dict[str, list[list[Any]]], path: str) -> None:
    """Refuse to write a cell a workbook cannot hold: over 32,767 characters (Excel cuts it)
    or with a control character (the file format has no way to store one)."""
    for name, rows in tables.items():
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if not isinstance(v, str):
                    continue
                where = f"the cell for {name} row {r}, column {column_letter(c)}"
                if len(v) > MAX_CELL_CHARS:
                    raise InputError(
                        f"{where} would hold {len(v):,} characters; spreadsheets keep at most "
                        f"{MAX_CELL_CHARS:,}.",
                        path=path,
                        fix="shorten that text in the scenario (or keep this scenario as YAML).",
                    )
                bad = _XML_ILLEGAL.search(v)
                if bad:
                    raise InputError(
                        f"{where} holds the control character {bad.group()!r}, which an .xlsx "
                        "file cannot store.",
                        path=path,
                        fix="remove it from the scenario, or export to .csv.",
                    )


# ---- reading --------------------------------------------------------------------------------


@dataclass
class _Header:
    """What each column of a table holds: ``fixed[name] = col``, ``per[(issue, what)] = col``."""

    names: dict[int, str]
    fixed: dict[str, int]
    per: dict[tuple[str, str], int]


def _read_header(table: Table, fixed: tuple[str, ...], issue_ids: dict[str, str] | None,
                 errors: _Errors) -> _Header | None:
    if not table.rows:
        return None
    head = table.rows[0]
    names: dict[int, str] = {}
    out = _Header(names, {}, {})
    known = list(fixed)
    if issue_ids is not None:
        known += [f"ISSUE.{w}" for w in PER_ISSUE]
    for c, cell in enumerate(head):
        if blank(cell):
            if any(c < len(row) and not blank(row[c]) for row in table.rows[1:]):
                errors.add(table.where(0, c), "this column holds values but has no header",
                           f"name the column (one of: {', '.join(known)}) or empty it")
            continue
        raw = str(cell).strip()
        key = raw.lower()
        names[c] = raw
        if key in fixed:
            slot: Any = (out.fixed, key)
        elif issue_ids is not None and "." in key:
            iss, _, what = key.rpartition(".")
            if what not in PER_ISSUE:
                errors.add(table.where(0, c, raw), f"unknown column {raw!r}",
                           f"per-issue columns end in .{', .'.join(PER_ISSUE)}")
                continue
            if iss not in issue_ids:
                errors.add(table.where(0, c, raw),
                           f"column {raw!r} names issue {iss!r}, which is not in the issues "
                           "table",
                           f"use one of the issue ids ({', '.join(issue_ids.values()) or 'none'})"
                           ", or add the issue to the issues table")
                continue
            slot = (out.per, (issue_ids[iss], what))
        else:
            errors.add(table.where(0, c, raw), f"unknown column {raw!r}",
                       f"use one of: {', '.join(known)} ({_LAYOUT_DOC})")
            continue
        store, k = slot
        if k in store:
            errors.add(table.where(0, c, raw),
                       f"column {raw!r} is given twice (also column {column_letter(store[k])})",
                       "keep one of them")
            continue
        store[k] = c
    if "id" not in out.fixed:
        errors.add(table.where(0), f"the {table.name} table has no 'id' column",
                   f"start row {table.numbers[0]} with the column names, 'id' first "
                   f"({_LAYOUT_DOC})")
        return None
    return out


def _cell(row: list[Any], col: int | None) -> Any:
    return row[col] if col is not None and col < len(row) else None


def _body(table: Table) -> Iterable[tuple[int, list[Any]]]:
    for k in range(1, len(table.rows)):
        row = table.rows[k]
        if not all(blank(v) for v in row):
            yield k, row


@dataclass
class _Reader:
    """Builds the scenario mapping and remembers which cell each part came from."""

    path: str
    errors: _Errors = field(default_factory=_Errors)
    cells: dict[tuple[Any, ...], str] = field(default_factory=dict)

    def scenario(self, table: Table | None, default_name: str) -> dict[str, Any]:
        data: dict[str, Any] = {"name": default_name}
        if table is None:
            return data
        seen: dict[str, int] = {}
        rows = [(k, r) for k, r in enumerate(table.rows) if not all(blank(v) for v in r)]
        for k, row in rows:
            key = (_text(_cell(row, 0)) or "").strip().lower()
            value = _cell(row, 1)
            where = table.where(k, 1, key)
            if key in ("field", "key") and k == rows[0][0]:
                continue  # the header row
            if key not in SCENARIO_FIELDS:
                self.errors.add(table.where(k, 0), f"unknown field {key!r}",
                                f"use one of: {', '.join(SCENARIO_FIELDS)}")
                continue
            if key in seen:
                first = table.numbers[seen[key]]
                self.errors.add(table.where(k, 0),
                                f"field {key!r} is given twice (also row {first})",
                                "keep one of them")
                continue
            seen[key] = k
            extra = [c for c in range(2, len(row)) if not blank(row[c])]
            if extra:
                self.errors.add(table.where(k, extra[0]), "a value beyond the value column",
                                "keep each value in column B")
            self.cells[(key,)] = where
            if key in ("name", "description"):
                text = _text(value)
                if text is not None:
                    data[key] = text
                elif key == "name":
                    self.errors.add(where, "the name is empty", "give the scenario a name")
            else:
                parsed = _yaml_cell(value, where, self.errors,
                                    kind="any" if key == "ceasefire" else "mapping")
                if parsed is not None:
                    data[key] = parsed
        return data

    def issues(self, table: Table) -> tuple[list[dict[str, Any]], dict[str, str]]:
        head = _read_header(table, ISSUE_COLUMNS, None, self.errors)
        if head is None:
            return [], {}
        out: list[dict[str, Any]] = []
        ids: dict[str, str] = {}
        col = head.fixed
        for k, row in _body(table):
            n = len(out)
            base = ("issues", n)
            self.cells[base] = table.where(k)

            def at(name: str, _k: int = k) -> str:
                return table.where(_k, col[name], head.names[col[name]])

            item: dict[str, Any] = {"id": _id(_cell(row, col["id"]))}
            self.cells[(*base, "id")] = at("id")
            if item["id"] is not None:
                ids.setdefault(item["id"].lower(), item["id"])
            for name in ("label", "description"):
                text = _text(_cell(row, col.get(name)))
                if text is not None:
                    item[name] = text
                    self.cells[(*base, name)] = at(name)
            lo, hi = (_number(_cell(row, col.get(c))) for c in ("scale_min", "scale_max"))
            if lo is not None or hi is not None:
                item["scale"] = [lo, hi]
                for j, c in enumerate(("scale_min", "scale_max")):
                    if c in col:
                        self.cells[(*base, "scale", j)] = at(c)
                self.cells[(*base, "scale")] = at("scale_min" if "scale_min" in col
                                                  else "scale_max")
                for j, c in enumerate(("scale_min", "scale_max")):
                    if (lo, hi)[j] is None:
                        self.errors.add(at(c) if c in col else table.where(k),
                                        "the scale needs both ends",
                                        "give scale_min and scale_max, or leave both empty "
                                        "for 0-100")
            sq = _number(_cell(row, col.get("status_quo")))
            if sq is not None:
                item["status_quo"] = sq
                self.cells[(*base, "status_quo")] = at("status_quo")
            text = _text(_cell(row, col.get("anchors")))
            if text is not None:
                self.cells[(*base, "anchors")] = at("anchors")
                try:
                    item["anchors"] = parse_anchors(text)
                except ValueError as err:
                    self.errors.add(at("anchors"), f"anchors: {err}",
                                    "write one anchor per line as 'POINT: text', e.g. "
                                    "'0: none' and '100: all'")
            if "meta" in col:
                meta = _yaml_cell(_cell(row, col["meta"]), at("meta"), self.errors)
                if meta is not None:
                    item["meta"] = meta
                    self.cells[(*base, "meta")] = at("meta")
            out.append(item)
        return out, ids

    def actors(self, table: Table, issue_ids: dict[str, str]) -> list[dict[str, Any]]:
        head = _read_header(table, ACTOR_COLUMNS, issue_ids, self.errors)
        if head is None:
            return []
        col, per = head.fixed, head.per
        out: list[dict[str, Any]] = []
        for k, row in _body(table):
            n = len(out)
            base = ("actors", n)
            self.cells[base] = table.where(k)

            def at(c: int, _k: int = k) -> str:
                return table.where(_k, c, head.names[c])

            item: dict[str, Any] = {"id": _id(_cell(row, col["id"])),
                                    "positions": {}, "salience": {}}
            self.cells[(*base, "id")] = at(col["id"])
            name = _text(_cell(row, col.get("name")))
            if name is not None:
                item["name"] = name
                self.cells[(*base, "name")] = at(col["name"])
            if "capability" in col:
                item["capability"] = _number(_cell(row, col["capability"]))
                self.cells[(*base, "capability")] = at(col["capability"])
                if item["capability"] is None:
                    self.errors.add(at(col["capability"]), "the capability is empty",
                                    "give a positive number (only ratios between actors "
                                    "matter)")
            else:
                self.errors.add(table.where(0), "the actors table has no 'capability' column",
                                "add a column 'capability' (a positive number per actor)")
            self._pair(item, base, row, k, table, at,
                       (col.get("capability_low"), col.get("capability_high")),
                       ("capability_range",), "capability_low and capability_high")
            for key in issue_ids.values():
                pc, sc = per.get((key, "position")), per.get((key, "salience"))
                pos, sal = _number(_cell(row, pc)), _number(_cell(row, sc))
                if pos is not None:
                    item["positions"][key] = pos
                    self.cells[(*base, "positions", key)] = at(pc)  # type: ignore[arg-type]
                if sal is not None:
                    item["salience"][key] = sal
                    self.cells[(*base, "salience", key)] = at(sc)  # type: ignore[arg-type]
                if (pos is None) != (sal is None):
                    missing = f"{key}.salience" if sal is None else f"{key}.position"
                    c = sc if sal is None else pc
                    self.errors.add(at(c) if c is not None else table.where(k),
                                    f"issue {key!r} needs both a position and a salience; "
                                    f"{missing} is empty",
                                    f"fill in {missing}, or empty both to leave the actor out "
                                    f"of issue {key!r}")
                self._pair(item, base, row, k, table, at,
                           (per.get((key, "low")), per.get((key, "high"))),
                           ("ranges", key), f"{key}.low and {key}.high")
                self._pair(item, base, row, k, table, at,
                           (per.get((key, "salience_low")), per.get((key, "salience_high"))),
                           ("salience_ranges", key), f"{key}.salience_low and "
                           f"{key}.salience_high")
            if "sources" in col:
                text = _text(_cell(row, col["sources"]))
                if text is not None:
                    item["sources"] = parse_lines(text)
                    self.cells[(*base, "sources")] = at(col["sources"])
            if "meta" in col:
                meta = _yaml_cell(_cell(row, col["meta"]), at(col["meta"]), self.errors)
                if meta is not None:
                    item["meta"] = meta
                    self.cells[(*base, "meta")] = at(col["meta"])
            out.append(item)
        return out

    def _pair(self, item: dict[str, Any], base: tuple[Any, ...], row: list[Any], k: int,
              table: Table, at: Any, cols: tuple[int | None, int | None],
              key: tuple[str, ...], what: str) -> None:
        """An optional [low, high] pair from two columns: both or neither."""
        vals = [_number(_cell(row, c)) for c in cols]
        if vals == [None, None]:
            return
        loc = (*base, *key)
        for j, c in enumerate(cols):
            if c is not None:
                self.cells[(*loc, j)] = at(c)
        self.cells[loc] = at(cols[0] if cols[0] is not None else cols[1])
        if None in vals:
            j = vals.index(None)
            c = cols[j]
            self.errors.add(at(c) if c is not None else table.where(k),
                            f"a range needs both ends; {what.split(' and ')[j]} is empty",
                            f"fill in both {what}, or empty both")
            return
        if len(key) == 1:
            item[key[0]] = vals
        else:
            item.setdefault(key[0], {})[key[1]] = vals

    def where(self, loc: tuple[Any, ...]) -> tuple[str, bool]:
        """The cell (or row, or sheet) a schema location came from, and whether it is one
        cell (not a whole row or sheet)."""
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.cells:
                return self.cells[loc[:n]], n > 2 or loc[0] not in ("issues", "actors")
        if loc and loc[0] in ("issues", "actors"):
            return f"the {loc[0]} table", False
        return "the scenario table", False


def tables_to_scenario(tables: dict[str, Table], path: str, *, kind: str = "sheet") -> Scenario:
    """Validate the tables of the layout into a :class:`Scenario`, or raise one
    :class:`InputError` listing every bad cell (sheet or section, row, column, fix)."""
    missing = [t for t in ("issues", "actors") if t not in tables]
    if missing:
        have = ", ".join(sorted(tables)) or "none"
        form = "sheets" if kind == "sheet" else "sections ([issues], [actors])"
        raise InputError(
            f"no {' or '.join(missing)} {kind} (found: {have}).",
            path=path,
            fix=f"a scenario spreadsheet needs the {form} issues and actors; {_LAYOUT_DOC}.",
        )
    reader = _Reader(path)
    data = reader.scenario(tables.get("scenario"), Path(path).stem)
    issues, ids = reader.issues(tables["issues"])
    data["issues"] = issues
    data["actors"] = reader.actors(tables["actors"], ids)
    items = list(reader.errors.items)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        seen = {(where, msg) for where, msg, _ in items}
        for e in err.errors(include_url=False):
            loc, msg, fix = describe_error(e)
            where, cell = reader.where(loc)
            # after a layout problem (say, half a pair left out) only the schema's verdicts
            # on single cells are news; whole-row or whole-sheet ones would repeat it
            if (where, msg) not in seen and (cell or not reader.errors.items):
                seen.add((where, msg))
                items.append((where, msg, fix))
    except RecursionError:
        raise InputError("a cell's YAML is nested too deeply.", path=path) from None
    if items:
        raise cells_error(items, path)
    return scenario
