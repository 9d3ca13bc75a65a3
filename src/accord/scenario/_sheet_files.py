"""Spreadsheet files of the scenario layout (:mod:`accord.scenario._sheets`): ``.xlsx``
workbooks (openpyxl) and single ``.csv`` files with one section per table.

A CSV file is recognised by its first row: ``[scenario]``, ``[issues]`` or ``[actors]`` is
this layout; four fields with whole numbers third and fourth (``name,description,n_actors,
n_dims``) is KTAB's SMP CSV; anything else is refused with a message naming both.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from accord.errors import InputError
from accord.files import write_bytes_atomic
from accord.scenario._load import decode_text, read_capped
from accord.scenario._schema import Scenario
from accord.scenario._sheets import (
    TABLES,
    Table,
    blank,
    check_xlsx_cells,
    column_letter,
    num_text,
    scenario_to_tables,
    tables_to_scenario,
)

#: A scenario spreadsheet is a few hundred cells; more rows or columns than this is a mistake.
MAX_ROWS = 10_000
MAX_COLUMNS = 2_000
SHEET_SUFFIXES = (".xlsx", ".csv")
_MARKERS = {f"[{t}]": t for t in TABLES}
NEITHER_LAYOUT = (
    "is a CSV in neither accepted layout: accord's spreadsheet layout (first row [issues], "
    "[actors] or [scenario]) or KTAB CSV (SMP layout: line 1 is "
    "name,description,n_actors,n_dims)."
)
NEITHER_FIX = (
    "see 'Spreadsheets' in docs/scenario-format.md; `accord new -o FILE.csv` writes a blank "
    "one to fill in."
)


# ---- CSV ------------------------------------------------------------------------------------


def _csv_rows(text: str, name: str) -> list[tuple[int, int, list[str]]]:
    """(row number, first line, cells) of every record, blank ones included (a spreadsheet
    program numbers them too)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out = []
    line = 1
    try:
        for n, row in enumerate(reader, start=1):
            out.append((n, line, row))
            line = reader.line_num + 1
            if n > MAX_ROWS:
                raise InputError(f"more than {MAX_ROWS:,} rows.", path=name,
                                 fix="a scenario spreadsheet has one row per issue and actor.")
    except csv.Error as err:
        raise InputError(f"malformed CSV at line {reader.line_num}: {err}.", path=name,
                         fix="check the quotes around cells that hold commas or line "
                         "breaks.") from None
    return out


def csv_layout(text: str) -> str | None:
    """``"sheet"`` (this layout), ``"ktab"`` (KTAB SMP CSV) or ``None`` (neither)."""
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if cells[0].lower() in _MARKERS:
                return "sheet"
            try:
                int(cells[2])
                int(cells[3])
                return "ktab"
            except (IndexError, ValueError):
                return None
    except csv.Error:
        return None
    return None


def read_sheet_csv(text: str, name: str) -> dict[str, Table]:
    """The tables of a CSV file in this layout (sections ``[scenario]``, ``[issues]``,
    ``[actors]``)."""
    tables: dict[str, Table] = {}
    current: Table | None = None
    for n, line, row in _csv_rows(text, name):
        if len(row) > MAX_COLUMNS:
            raise InputError(f"row {n} has {len(row):,} cells, more than {MAX_COLUMNS:,}.",
                             path=name, fix="check that this is a scenario spreadsheet.")
        first = row[0].strip().lower() if row else ""
        if first in _MARKERS and all(blank(c) for c in row[1:]):
            section = _MARKERS[first]
            if section in tables:
                raise InputError(f"section [{section}] appears twice (row {n}).", path=name,
                                 field=f"row {n}", fix="merge the two sections into one.")
            current = tables[section] = Table(section, [], [], label=f"section [{section}]",
                                              lines=[])
            continue
        if all(blank(c) for c in row):
            continue
        if current is None:
            raise InputError(
                "this row comes before any section.", path=name, field=f"row {n}",
                fix="start the file with a row [issues], [actors] or [scenario].",
            )
        current.rows.append([unguard_formula(c) for c in row])
        current.numbers.append(n)
        current.lines.append(line)  # type: ignore[union-attr]
    return tables


#: First characters that make a spreadsheet program read a CSV cell as a formula (OWASP
#: "CSV injection"); such text is written with a leading apostrophe, the spreadsheet
#: convention for "this is text", and the apostrophe is taken off again on import.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = (*_FORMULA_START, "'")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def guard_formula(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet program shows as text, never runs as a formula."""
    if text.startswith(_GUARDED) and not _is_number(text):
        return "'" + text
    return text


def unguard_formula(text: str) -> str:
    """The inverse of :func:`guard_formula` (exact round trip)."""
    if text.startswith("'") and text[1:].startswith(_GUARDED) and not _is_number(text[1:]):
        return text[1:]
    return text


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float | int):
        return num_text(v)
    return guard_formula(str(v))


def tables_to_csv(tables: dict[str, list[list[Any]]]) -> str:
    """The CSV text of the layout: sections in the order scenario, issues, actors."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for k, t in enumerate(TABLES):
        if k:
            w.writerow([])
        w.writerow([f"[{t}]"])
        for row in tables[t]:
            w.writerow([_cell_text(v) for v in row])
    return buf.getvalue()


# ---- xlsx -----------------------------------------------------------------------------------


def read_xlsx(data: bytes, name: str) -> dict[str, Table]:
    """The tables of an ``.xlsx`` workbook (sheets ``issues``, ``actors``, optional
    ``scenario``; other sheets are ignored). A formula counts with the value the spreadsheet
    program saved for it."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    def load(data_only: bool) -> Any:
        try:
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
            raise InputError(
                "is not an .xlsx workbook (or it is damaged).", path=name,
                fix="save it from your spreadsheet program as an Excel workbook (.xlsx), or as "
                "CSV in this layout.",
            ) from None

    wb = load(True)
    formulas = None
    tables: dict[str, Table] = {}
    try:
        for ws in wb.worksheets:
            key = ws.title.strip().lower()
            if key not in TABLES:
                continue
            rows: list[list[Any]] = []
            numbers: list[int] = []
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if n > MAX_ROWS:
                    raise InputError(f"sheet {ws.title!r} has more than {MAX_ROWS:,} rows.",
                                     path=name, fix="a scenario sheet has one row per issue "
                                     "or actor.")
                cells = list(row)
                while cells and blank(cells[-1]):
                    cells.pop()
                if len(cells) > MAX_COLUMNS:
                    raise InputError(f"sheet {ws.title!r}, row {n} has more than "
                                     f"{MAX_COLUMNS:,} columns.", path=name,
                                     fix="check that this is a scenario spreadsheet.")
                if not cells:
                    continue
                if any(v is None for v in cells):  # a formula with no saved value?
                    if formulas is None:
                        formulas = load(False)
                    _check_formulas(formulas[ws.title], n, cells, ws.title, name)
                rows.append(cells)
                numbers.append(n)
            tables[key] = Table(key, rows, numbers, label=f"sheet {ws.title!r}")
    finally:
        wb.close()
        if formulas is not None:
            formulas.close()
    return tables


def _check_formulas(ws: Any, n: int, cells: list[Any], title: str, name: str) -> None:
    row = next(ws.iter_rows(min_row=n, max_row=n, max_col=len(cells), values_only=True))
    for c, (saved, raw) in enumerate(zip(cells, row, strict=False)):
        if saved is None and isinstance(raw, str) and raw.startswith("="):
            raise InputError(
                f"the formula {raw[:40]} has no saved value.", path=name,
                field=f"sheet {title!r}, row {n}, column {column_letter(c)}",
                fix="open the file in a spreadsheet program and save it (that stores the "
                "values), or type the value instead of the formula.",
            )


def tables_to_xlsx(tables: dict[str, list[list[Any]]]) -> bytes:
    """An ``.xlsx`` workbook of the layout: sheets issues, actors, scenario; text cells are
    stored as text (never as formulas), long ones wrapped."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for t in ("issues", "actors", "scenario"):
        ws = wb.create_sheet(t)
        widths: dict[int, int] = {}
        for r, row in enumerate(tables[t], start=1):
            for c, v in enumerate(row, start=1):
                if v is None:
                    continue
                if isinstance(v, float) and float(f"{v:.16g}") != v:
                    v = num_text(v)  # openpyxl writes 16 digits; this double needs 17
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"  # "=..." is text here, not a formula
                    if "\n" in v or len(v) > 40:
                        cell.alignment = wrap
                    longest = max(len(x) for x in v.split("\n")) if v else 0
                else:
                    longest = len(num_text(v))
                widths[c] = max(widths.get(c, 6), min(longest + 2, 60))
                if r == 1:
                    cell.font = bold
        for c, w in widths.items():
            ws.column_dimensions[column_letter(c - 1)].width = w
        ws.freeze_panes = "B2" if t == "actors" else "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- files ----------------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """A spreadsheet's bytes, with the checks and size limit of scenario files."""
    return read_capped(path, "spreadsheet")


def scenario_from_sheet_bytes(data: bytes, name: str) -> Scenario:
    """A scenario from the bytes of an ``.xlsx`` or ``.csv`` spreadsheet in this layout."""
    if name.lower().endswith(".xlsx"):
        return tables_to_scenario(read_xlsx(data, name), name, kind="sheet")
    text = decode_text(data, name)
    return scenario_from_sheet_text(text, name)


def scenario_from_sheet_text(text: str, name: str) -> Scenario:
    """A scenario from CSV text in this layout (KTAB's layout is read by the loader)."""
    if csv_layout(text) != "sheet":
        raise InputError(NEITHER_LAYOUT, path=name, fix=NEITHER_FIX)
    return tables_to_scenario(read_sheet_csv(text, name), name, kind="section")


def sheet_bytes(scenario: Scenario, name: str) -> bytes:
    """The scenario as a spreadsheet file's bytes; the format follows ``name``'s suffix."""
    tables = scenario_to_tables(scenario)
    if name.lower().endswith(".xlsx"):
        check_xlsx_cells(tables, name)
        return tables_to_xlsx(tables)
    if name.lower().endswith(".csv"):
        return ("\ufeff" + tables_to_csv(tables)).encode("utf-8")  # BOM: Excel reads UTF-8
    raise InputError("is not a spreadsheet file name.", path=name,
                     fix="name the output .xlsx or .csv.")


def write_sheet(scenario: Scenario, path: str | Path) -> Path:
    """Write the scenario as ``.xlsx`` or ``.csv`` (atomically: no half file on failure)."""
    return write_bytes_atomic(path, sheet_bytes(scenario, str(path)))


__all__ = [
    "SHEET_SUFFIXES",
    "csv_layout",
    "read_sheet_csv",
    "read_xlsx",
    "scenario_from_sheet_bytes",
    "scenario_from_sheet_text",
    "sheet_bytes",
    "tables_to_csv",
    "tables_to_xlsx",
    "write_sheet",
]
