"""Read DEU-format files (Decision-making in the European Union, DEU I-III) into arrays.

Format (Arregui & Perarnaud 2022, "A new dataset on legislative decision-making in the
European Union: the DEU III dataset", JEPP 29(1); data doi:10.34810/data53, CC BY 4.0):
tab-separated, fields quoted; row 1 a header; an optional row 2 of GDP weights per actor (no
``prnr``); then one row per issue. ``p<actor>`` columns hold positions, ``s<actor>`` saliences,
``rp`` the reference point and ``out`` the outcome, all on 0-100. Values outside 0-100 (the
codebook uses 999) or empty mean "missing". An issue is scored when its outcome is known and
at least :data:`MIN_ACTORS` actors have both a position and a salience.

Everything here is validation at the edge; the arrays it returns are trusted downstream.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import InputError
from accord.scenario import Scenario, ScenarioDraws, read_text, scenario_from_mapping

#: An issue needs this many actors with a position and a salience to be scored.
MIN_ACTORS = 3
#: DEU files are a few hundred kilobytes; refuse anything absurdly large.
MAX_BYTES = 50 * 1024 * 1024

#: Readable names of the DEU actor codes (the two letters after ``p``/``s``).
ACTOR_NAMES = {
    "com": "European Commission",
    "ep": "European Parliament",
    "at": "Austria",
    "be": "Belgium",
    "bu": "Bulgaria",
    "cr": "Croatia",
    "cy": "Cyprus",
    "cz": "Czechia",
    "dk": "Denmark",
    "ee": "Estonia",
    "fi": "Finland",
    "fr": "France",
    "de": "Germany",
    "el": "Greece",
    "hu": "Hungary",
    "ie": "Ireland",
    "it": "Italy",
    "lv": "Latvia",
    "lt": "Lithuania",
    "lu": "Luxembourg",
    "mt": "Malta",
    "nl": "Netherlands",
    "pl": "Poland",
    "pt": "Portugal",
    "ro": "Romania",
    "si": "Slovenia",
    "sk": "Slovakia",
    "es": "Spain",
    "se": "Sweden",
    "uk": "United Kingdom",
}
#: Metadata columns kept per issue when present.
META_COLUMNS = (
    "prnr",
    "isnr",
    "prname",
    "issues",
    "type",
    "council",
    "proc",
    "counvte",
    "intro",
    "finact",
)


@dataclass(frozen=True)
class DeuData:
    """Issues of a DEU file as arrays; rows are issues, columns actors.

    Attributes
    ----------
    actors : tuple of str
        Actor codes (``com``, ``ep``, ``at``, ...), in file order.
    positions, salience : ndarray, shape (n_issues, n_actors)
        0-100; NaN where missing.
    rp, outcome : ndarray, shape (n_issues,)
        Reference point and outcome; NaN where missing.
    gdp : ndarray, shape (n_actors,)
        GDP weights from row 2; NaN where blank or absent.
    meta : dict of str -> ndarray of object
        Metadata columns (``prnr``, ``isnr``, ``proc``, ``counvte``, ``intro``, ...).
    lines : ndarray of int
        Line number of each issue in the file (1-based), for messages.
    problems : list of str
        Malformed rows and values, each naming its line.
    path : str
        Where the data came from.
    """

    actors: tuple[str, ...]
    positions: np.ndarray
    salience: np.ndarray
    rp: np.ndarray
    outcome: np.ndarray
    gdp: np.ndarray
    meta: dict[str, np.ndarray]
    lines: np.ndarray
    problems: list[str] = field(default_factory=list)
    path: str = "<deu>"

    @property
    def n_issues(self) -> int:
        return self.positions.shape[0]

    @property
    def participates(self) -> np.ndarray:
        """(n_issues, n_actors) bool: the actor has both a position and a salience."""
        return ~np.isnan(self.positions) & ~np.isnan(self.salience)

    @property
    def scoreable(self) -> np.ndarray:
        """(n_issues,) bool: outcome known and at least MIN_ACTORS participants."""
        return ~np.isnan(self.outcome) & (self.participates.sum(axis=1) >= MIN_ACTORS)

    @property
    def prnr(self) -> np.ndarray:
        return self.meta["prnr"]

    @property
    def issue_ids(self) -> np.ndarray:
        """A unique id per issue: ``isnr`` where given, else ``<prnr>i<k>``."""
        return self.meta["issue_id"]

    def subset(self, rows: np.ndarray) -> DeuData:
        """The issues selected by a boolean mask or an index array."""
        rows = np.asarray(rows)
        return DeuData(
            actors=self.actors,
            positions=self.positions[rows],
            salience=self.salience[rows],
            rp=self.rp[rows],
            outcome=self.outcome[rows],
            gdp=self.gdp,
            meta={k: v[rows] for k, v in self.meta.items()},
            lines=self.lines[rows],
            problems=list(self.problems),
            path=self.path,
        )

    def scored(self) -> DeuData:
        """Only the scoreable issues."""
        return self.subset(self.scoreable)


def _value(text: str) -> tuple[float, bool]:
    """Cell -> (value or NaN, well-formed). Empty and out-of-range are missing, not errors."""
    t = text.strip()
    if t == "":
        return math.nan, True
    try:
        v = float(t.replace(",", "."))
    except ValueError:
        return math.nan, False
    if not math.isfinite(v) or v < 0 or v > 100:
        return math.nan, True
    return v, True


def load_deu(path: str | Path) -> DeuData:
    """Read a DEU-format file (see module docstring); bad files raise ``InputError``."""
    text = read_text(path, max_bytes=MAX_BYTES)
    return parse_deu(text, str(path))


def parse_deu(text: str, name: str = "<deu>") -> DeuData:
    """Parse DEU-format text. Rows with the wrong number of fields are skipped and reported."""
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty.", path=name, fix="give a DEU-format file.") from None
    except csv.Error as err:
        raise InputError(f"line 1 is malformed ({err}).", path=name) from None
    header = [h.strip().lower() for h in header]
    if len(header) < 3:
        raise InputError(
            "fewer than 3 tab-separated columns.",
            path=name,
            field="line 1",
            fix="DEU files are tab-separated with a header (prnr, pcom, scom, ..., rp, out).",
        )
    col = {h: i for i, h in enumerate(header)}
    for need in ("prnr", "out"):
        if need not in col:
            raise InputError(
                f"the header has no {need!r} column.",
                path=name,
                field="line 1",
                fix="name the proposal column 'prnr' and the outcome column 'out'.",
            )
    actors = tuple(
        h[1:]
        for h in header
        if h.startswith("p")
        and len(h) > 1
        and "s" + h[1:] in col
        and h not in ("prnr", "prname", "proc", "proccde")
    )
    if not actors:
        raise InputError(
            "no actor columns: expected pairs like 'pcom'/'scom' (position/salience).",
            path=name,
            field="line 1",
            fix="name position columns p<actor> and salience columns s<actor>.",
        )
    n_a = len(actors)
    pcol = [col["p" + a] for a in actors]
    scol = [col["s" + a] for a in actors]
    problems: list[str] = []
    gdp = np.full(n_a, np.nan)
    pos_rows: list[list[float]] = []
    sal_rows: list[list[float]] = []
    rp: list[float] = []
    outc: list[float] = []
    lines: list[int] = []
    meta: dict[str, list[Any]] = {k: [] for k in META_COLUMNS}
    first = True
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise InputError(
                f"malformed quoting ({err}).", path=name, field=f"line {reader.line_num}"
            ) from None
        ln = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.append(f"line {ln}: {len(row)} fields, header has {len(header)}; row skipped")
            first = False
            continue
        prnr = row[col["prnr"]].strip()
        if first and prnr == "":
            # row 2 without a proposal id: the GDP weights
            for j, c in enumerate(pcol):
                t = row[c].strip()
                try:
                    v = float(t) if t else math.nan
                except ValueError:
                    problems.append(
                        f"line {ln}: GDP weight of {actors[j]!r} is {t!r}, not a number"
                    )
                    v = math.nan
                gdp[j] = v if (math.isfinite(v) and v > 0) else math.nan
            first = False
            continue
        first = False
        if prnr == "":
            problems.append(f"line {ln}: no proposal id (prnr); row skipped")
            continue
        prow, srow = [], []
        for j in range(n_a):
            for cols, dest, kind in ((pcol, prow, "p"), (scol, srow, "s")):
                v, ok = _value(row[cols[j]])
                if not ok:
                    problems.append(
                        f"line {ln}: {kind}{actors[j]} = {row[cols[j]].strip()!r} is not a number;"
                        " treated as missing"
                    )
                dest.append(v)
        vals = {}
        for key in ("rp", "out"):
            if key in col:
                v, ok = _value(row[col[key]])
                if not ok:
                    problems.append(
                        f"line {ln}: {key} = {row[col[key]].strip()!r} is not a number;"
                        " treated as missing"
                    )
            else:
                v = math.nan
            vals[key] = v
        pos_rows.append(prow)
        sal_rows.append(srow)
        rp.append(vals["rp"])
        outc.append(vals["out"])
        lines.append(ln)
        for k in META_COLUMNS:
            meta[k].append(row[col[k]].strip() if k in col else "")
    if not pos_rows:
        raise InputError(
            "the file has no issue rows.",
            path=name,
            fix="add one row per issue after the header (and the optional GDP row).",
        )
    meta_arr = {k: np.array(v, dtype=object) for k, v in meta.items()}
    ids, seen = [], {}
    for p, i in zip(meta_arr["prnr"], meta_arr["isnr"], strict=True):
        base = i or f"{p}i"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if (i and seen[base] == 1) else f"{base}{seen[base]}")
    meta_arr["issue_id"] = np.array(ids, dtype=object)
    return DeuData(
        actors=actors,
        positions=np.array(pos_rows, dtype=float),
        salience=np.array(sal_rows, dtype=float),
        rp=np.array(rp, dtype=float),
        outcome=np.array(outc, dtype=float),
        gdp=gdp,
        meta=meta_arr,
        lines=np.array(lines, dtype=int),
        problems=problems,
        path=name,
    )


def _slug(text: str) -> str:
    out = "".join(ch if (ch.isalnum() or ch in "-_") else "-" for ch in text.lower())
    return out.strip("-") or "issue"


def issue_scenario(data: DeuData, k: int, capability: np.ndarray | None = None) -> Scenario:
    """Issue ``k`` as a validated one-issue :class:`Scenario` (participating actors only).

    ``capability`` is (n_issues, n_actors) or (n_actors,); default 1 for everyone. The reference
    point becomes the status quo where known.
    """
    cap = _cap_row(data, k, capability)
    part = data.participates[k]
    iid = _slug(str(data.issue_ids[k]))
    rp = data.rp[k]
    mapping = {
        "name": f"DEU {data.prnr[k]} {data.meta['prname'][k]}".strip(),
        "issues": [
            {
                "id": iid,
                "label": str(data.meta["issues"][k]) or None,
                "scale": [0, 100],
                "status_quo": None if math.isnan(rp) else float(rp),
            }
        ],
        "actors": [
            {
                "id": a,
                "name": ACTOR_NAMES.get(a, a),
                "capability": float(cap[j]),
                "positions": {iid: float(data.positions[k, j])},
                "salience": {iid: float(data.salience[k, j])},
            }
            for j, a in enumerate(data.actors)
            if part[j]
        ],
        "meta": {"source": data.path, "line": int(data.lines[k])},
    }
    return scenario_from_mapping(mapping, f"{data.path}: line {data.lines[k]}")


def _cap_row(data: DeuData, k: int, capability: np.ndarray | None) -> np.ndarray:
    if capability is None:
        return np.ones(len(data.actors))
    cap = np.asarray(capability, dtype=float)
    return cap[k] if cap.ndim == 2 else cap


def group_draws(data: DeuData, rows: np.ndarray, capability: np.ndarray) -> ScenarioDraws:
    """Several issues (one proposal) as one :class:`ScenarioDraws` with a single draw.

    Built directly (not through pydantic) because the backtest makes thousands of these; the
    arrays follow :func:`accord.scenario.to_arrays` (salience on 0-1, zeros where masked).
    Actors taking part in none of the issues are dropped; capability is the first row's (it is
    constant within a proposal for every capability option).
    """
    rows = np.asarray(rows)
    part = data.participates[rows]  # (m, A)
    keep = part.any(axis=0)
    mask = part[:, keep].T  # (n, m)
    pos = np.where(mask, data.positions[rows][:, keep].T, 0.0)
    sal = np.where(mask, data.salience[rows][:, keep].T / 100.0, 0.0)
    cap = np.asarray(capability, dtype=float)
    cap = cap[rows[0]] if cap.ndim == 2 else cap
    m = len(rows)
    return ScenarioDraws(
        positions=pos[None],
        salience=sal[None],
        capability=cap[keep][None].copy(),
        mask=mask,
        scale=np.tile([0.0, 100.0], (m, 1)),
        status_quo=data.rp[rows].astype(float),
        actor_ids=tuple(a for a, kp in zip(data.actors, keep, strict=True) if kp),
        issue_ids=tuple(_slug(str(i)) for i in data.issue_ids[rows]),
        meta={"name": f"DEU {data.prnr[rows[0]]}", "source": data.path},
    )
