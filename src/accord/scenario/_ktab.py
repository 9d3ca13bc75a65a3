"""Import KTAB's SMP CSV format (KTAB v1.4, MIT; ``smpread.cpp``, ``SMPModel::csvRead``).

Layout: line 1 ``name,description,n_actors,n_dims``; line 2 a header
``Actor,Description,Power,Pos0,Sal0,...``; then one row per actor with name, description,
power and a position and salience per dimension. Dimensions become issues ``d1``, ``d2``, ...
(labels from the header) on [0, 100]; actor ids are names in lower case with characters outside
``[a-z0-9_-]`` replaced by ``-`` (the forecast contract).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from accord.errors import InputError


def ktab_actor_id(name: str) -> str:
    """KTAB actor name -> accord id (contract: lower case, others replaced by ``-``)."""
    return re.sub(r"[^a-z0-9_-]", "-", name.strip().lower()) or "actor"


def parse_ktab_csv(text: str, name: str) -> dict[str, Any]:
    """Parse KTAB SMP CSV text into a scenario mapping (validated afterwards)."""
    try:
        rows = [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text, newline=None))
            if any(cell.strip() for cell in row)
        ]
    except csv.Error as err:
        raise InputError(
            f"malformed CSV: {err}.", path=name, fix="use KTAB's SMP CSV layout."
        ) from None
    for row in rows:  # a trailing comma ends each line in KTAB files
        while row and row[-1] == "":
            row.pop()
    if len(rows) < 3:
        raise InputError(
            "a KTAB CSV needs a title line, a header line and at least one actor row.",
            path=name,
            field="line 1",
            fix="use KTAB's SMP CSV layout (see docs/models.md §3).",
        )
    title = rows[0]
    try:
        n_actors, n_dims = int(title[2]), int(title[3])
    except (IndexError, ValueError):
        raise InputError(
            "line 1 must be `name,description,n_actors,n_dims`.",
            path=name,
            field="line 1",
            fix="put the number of actors and dimensions in columns 3 and 4.",
        ) from None
    if n_dims < 1:
        raise InputError("n_dims must be >= 1.", path=name, field="line 1", fix="set it to >= 1.")
    header = rows[1]
    body = rows[2:]
    if len(body) != n_actors:
        raise InputError(
            f"line 1 declares {n_actors} actors but {len(body)} actor rows follow.",
            path=name,
            field="line 1",
            fix="make the count match the rows.",
        )
    for r, row in enumerate(body, start=3):  # before anything is sized by n_dims
        if len(row) < 3 + 2 * n_dims:
            raise InputError(
                f"expected {3 + 2 * n_dims} fields for {n_dims} dimension(s), found {len(row)}.",
                path=name,
                field=f"line {r}",
                fix="give name, description, power, then position and salience per dimension "
                "(or correct n_dims on line 1).",
            )
    labels = []
    for k in range(n_dims):
        col = 3 + 2 * k
        labels.append(header[col] if col < len(header) else f"dimension {k + 1}")
    issues = [{"id": f"d{k + 1}", "label": labels[k], "scale": [0, 100]} for k in range(n_dims)]
    actors = []
    used: set[str] = set()
    for r, row in enumerate(body, start=3):
        try:
            power = float(row[2])
            vals = [float(x) for x in row[3 : 3 + 2 * n_dims]]
        except ValueError as err:
            raise InputError(
                f"not a number: {err}.", path=name, field=f"line {r}", fix="write numbers."
            ) from None
        base = aid = ktab_actor_id(row[0])
        k = 1
        while aid in used:  # same name twice (or "A" twice beside "A-2"): number the repeats
            k += 1
            aid = f"{base}-{k}"
        used.add(aid)
        if sum(vals[1::2]) > 100 + 1e-9:
            raise InputError(
                f"saliences sum to {sum(vals[1::2])}, more than 100.",
                path=name,
                field=f"line {r}",
                fix="KTAB requires an actor's saliences to sum to at most 100.",
            )
        actors.append(
            {
                "id": aid,
                "name": row[0],
                "capability": power,
                "positions": {f"d{k + 1}": vals[2 * k] for k in range(n_dims)},
                "salience": {f"d{k + 1}": vals[2 * k + 1] for k in range(n_dims)},
                "meta": {"description": row[1]} if row[1] else {},
            }
        )
    return {
        "name": title[0] or name,
        "description": title[1] if len(title) > 1 else None,
        "issues": issues,
        "actors": actors,
        "meta": {"format": "ktab-smp-csv"},
    }
