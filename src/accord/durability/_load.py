"""Read the ETH/PRIO Civil Conflict Ceasefire data: actor declarations -> one row per ceasefire.

Source: Clayton, G. et al. (2022) "Introducing the ETH/PRIO Civil Conflict Ceasefire
Dataset", *Journal of Conflict Resolution*, doi:10.1177/00220027221129195.

The file has one row per actor declaration; a ceasefire is ``(cc, cf_id)``. This module
turns it into one row per ceasefire with a start date, an end date, a duration in days and
an *outcome*, following the rules written down in ``docs/durability.md``:

``ended`` codes (inferred from the data and the article; the file's README leaves them open)

====  ==================  =====================================================================
code  outcome             evidence in the 1989-2014 rows
====  ==================  =====================================================================
 1    ``expired``         508/516 have a fixed term; the coded duration equals the term (92 %)
 2    ``breakdown``       open-ended, median 14 days, comments describe renewed fighting
 3    ``never_effective`` 89/107 have effect year 0 ("did not take effect"), end date unknown
 4    ``replaced``        3 links per row on average; the linked (later) ceasefire starts at the
                          end date (extensions, renewals, superseding agreements)
 0    ``ongoing``         end coded 0/0/0; 106/139 are definitive ceasefires (e.g. Dayton)
-1    ``unclear``         no end coded (1163 rows) or an end date without a manner (432 rows)
====  ==================  =====================================================================

Only a breakdown is a failure. Planned ends (``expired``, ``replaced``) are *censored* at
their end date: the model is the cause-specific hazard of breakdown, and its survival
curve answers "if nothing planned intervenes, how likely is the ceasefire still holding
at day t?" (Prentice et al. 1978, *Biometrics* 34(4); Putter, Fiocco & Geskus 2007,
*Stat. Med.* 26(11)). The cumulative incidence of each kind of end is reported beside it.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from accord.errors import InputError

__all__ = [
    "ENDED_CODES",
    "OUTCOME_EVENT",
    "CeasefireData",
    "read_ceasefires",
]

#: Meaning of the ``ended`` codes (see module docstring and docs/durability.md).
ENDED_CODES: dict[int, str] = {
    -1: "unclear",
    0: "ongoing",
    1: "expired",
    2: "breakdown",
    3: "never_effective",
    4: "replaced",
}

#: Outcomes after the rules are applied, and whether each counts as a breakdown event.
OUTCOME_EVENT: dict[str, int] = {
    "breakdown": 1,
    "never_effective": 1,
    "unclear_end": 1,
    "expired": 0,
    "replaced": 0,
    "ongoing": 0,
}

REQUIRED = (
    "cc",
    "cf_id",
    "cf_dec_yr",
    "cf_dec_month",
    "cf_dec_day",
    "cf_effect_yr",
    "cf_effect_month",
    "cf_effect_day",
    "ended",
    "end_yr",
    "end_month",
    "end_day",
)
INT_COLS = (
    "ucdp_acd_id",
    "side",
    "partial",
    "written",
    "fixed",
    "ceasefire_class",
    "timing",
    "mediator_nego",
    "implement",
    "enforcement",
    "ddr",
    "p_humanitarian",
    "p_peaceprocess",
    "p_holiday",
    "p_election",
    "p_other",
    "p_unclear",
    "region",
    "link",
    "nsa_frac",
    "truce",
)
#: A ceasefire that ends on the day it starts lasted less than a day: half a day.
MIN_DURATION = 0.5
#: Administrative censoring date for ceasefires still in force: end of the full data's
#: coverage (the published data run to 2020; the ``ongoing`` code was set then).
DEFAULT_CENSOR_DATE = dt.date(2020, 12, 31)


@dataclass
class CeasefireData:
    """Ceasefire-level table plus the warnings produced while reading.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per ceasefire that can enter a model (``duration`` > 0, ``event`` 0/1).
    dropped : pandas.DataFrame
        Ceasefires left out (no usable outcome), with ``reason``.
    warnings : list[str]
        One message per bad row (with its line number) or per rule applied in bulk.
    """

    table: pd.DataFrame
    dropped: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def _to_int(text: str) -> int | None:
    text = text.strip()
    if text == "":
        return None
    try:
        val = float(text)
    except ValueError:
        return None
    if not math.isfinite(val) or val != int(val):
        return None
    return int(val)


def _interval(year: int, month: int, day: int) -> tuple[dt.date, dt.date, str] | None:
    """The calendar interval a partly known date lies in, and its precision.

    Year <= 0 means unknown (None). Month or day <= 0 (0 or -1 in the data) means unknown.
    """
    if year <= 0:
        return None
    if month <= 0:
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if day <= 0:
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last), "month"
    d = dt.date(year, month, day)
    return d, d, "day"


def _mid(lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=(hi - lo).days // 2)


def _read_rows(path: Path) -> tuple[list[dict[str, str]], list[int], list[str]]:
    from accord.files import require_regular_file

    require_regular_file(path, "ceasefire file")
    try:
        fh = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as e:
        raise InputError(
            f"cannot read the ceasefire file ({e.strerror})",
            path=str(path),
            fix="give the path of the ETH/PRIO ceasefire CSV",
        ) from e
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(
                "the file is empty",
                path=str(path),
                fix="give the ETH/PRIO ceasefire CSV with its header row",
            ) from None
        except csv.Error as e:
            raise InputError(f"not a readable CSV ({e})", path=str(path)) from e
        header = [h.strip() for h in header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(
                f"missing column(s) {', '.join(missing)}; this is not ETH/PRIO ceasefire data.",
                path=str(path),
                fix="use the ETH/PRIO CSV (one row per actor declaration, columns cc, cf_id, ...)",
            )
        rows, lines, bad = [], [], []
        start_line = 2
        while True:
            try:
                rec = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                bad.append(f"line {start_line}: unreadable CSV record ({e}); row skipped")
                start_line = reader.line_num + 1
                continue
            if not any(x.strip() for x in rec):
                start_line = reader.line_num + 1
                continue
            if len(rec) != len(header):
                bad.append(
                    f"line {start_line}: {len(rec)} fields, header has {len(header)}; row skipped"
                )
            else:
                rows.append(dict(zip(header, rec, strict=True)))
                lines.append(start_line)
            start_line = reader.line_num + 1
    return rows, lines, bad


def _fixed_days(text: str) -> float:
    """``fixed_time`` in days: a positive number, else NaN (0/-1/free text = no usable term)."""
    try:
        val = float(text.strip())
    except ValueError:
        return float("nan")
    return val if math.isfinite(val) and val > 0 else float("nan")


def read_ceasefires(
    path: str | Path,
    *,
    unclear_end: str = "breakdown",
    never_effective: str = "event",
    censor_date: dt.date = DEFAULT_CENSOR_DATE,
) -> CeasefireData:
    """Read an ETH/PRIO ceasefire CSV into one row per ceasefire.

    Parameters
    ----------
    path : path-like
        CSV in the ETH/PRIO column format (one row per actor declaration).
    unclear_end : {"breakdown", "censor", "drop"}
        What an end date without a coded manner (``ended`` = -1 with a date) becomes when
        it does not match a fixed term: a breakdown (default: open-ended ceasefires that
        stop without a coded replacement or expiry have stopped because fighting resumed),
        a censoring, or left out. One that matches its fixed term is an expiry.
    never_effective : {"event", "drop"}
        A declared ceasefire that never took effect (code 3) failed at once (event at half
        a day) or is left out.
    censor_date : datetime.date
        When ceasefires still in force (code 0) are censored.

    Returns
    -------
    CeasefireData
        Ceasefire table (columns documented in docs/durability.md) and warnings.
    """
    if unclear_end not in ("breakdown", "censor", "drop"):
        raise InputError(f"unclear_end must be breakdown, censor or drop, not {unclear_end!r}")
    if never_effective not in ("event", "drop"):
        raise InputError(f"never_effective must be event or drop, not {never_effective!r}")
    path = Path(path)
    rows, lines, warnings = _read_rows(path)
    recs = []
    for row, line in zip(rows, lines, strict=True):
        cc, cf_id = _to_int(row["cc"]), _to_int(row["cf_id"])
        if cc is None or cf_id is None:
            warnings.append(
                f"line {line}: cc/cf_id not integers ({row['cc']!r}, {row['cf_id']!r}); row skipped"
            )
            continue
        ints: dict[str, int] = {}
        for col in REQUIRED[2:] + INT_COLS:
            raw = row.get(col, "")
            val = _to_int(raw) if raw is not None else None
            if val is None:
                if col in row and raw.strip() != "":
                    warnings.append(
                        f"line {line}: {col} = {raw!r} is not an integer; treated as unknown (-1)"
                    )
                val = -1
            ints[col] = val
        if ints["ended"] not in ENDED_CODES:
            warnings.append(
                f"line {line}: ended = {ints['ended']} is not a known code "
                f"({sorted(ENDED_CODES)}); treated as unclear (-1)"
            )
            ints["ended"] = -1
        dates = {}
        for key, pre in (("dec", "cf_dec_"), ("eff", "cf_effect_"), ("end", "end_")):
            y, m, d = (ints[f"{pre}yr"], ints[f"{pre}month"], ints[f"{pre}day"])
            if m > 12 or d > 31:
                warnings.append(
                    f"line {line}: {pre}yr/month/day = {y}/{m}/{d} is not a "
                    "date; month/day treated as unknown"
                )
                m, d = (m if m <= 12 else -1), -1
            try:
                dates[key] = _interval(y, m, d)
            except ValueError:
                warnings.append(
                    f"line {line}: {pre}yr/month/day = {y}/{m}/{d} is not a "
                    "date; day treated as unknown"
                )
                dates[key] = _interval(y, m, -1)
        if dates["dec"] is None and dates["eff"] is None:
            warnings.append(
                f"line {line}: neither declaration nor effect year is known; row skipped"
            )
            continue
        recs.append(
            {"line": line, "cc": cc, "cf_id": cf_id, "row": row, "ints": ints, "dates": dates}
        )
    return _aggregate(
        recs,
        warnings,
        unclear_end=unclear_end,
        never_effective=never_effective,
        censor_date=censor_date,
    )


_END_PRIORITY = {2: 0, 3: 1, -1: 2, 4: 3, 1: 4, 0: 5}


def _aggregate(recs, warnings, *, unclear_end, never_effective, censor_date) -> CeasefireData:  # noqa: ANN001
    groups: dict[tuple[int, int], list[dict]] = {}
    for r in recs:
        groups.setdefault((r["cc"], r["cf_id"]), []).append(r)
    out, dropped = [], []
    n_unclear_to = {"breakdown": 0, "expired": 0, "censor": 0, "drop": 0}
    for (cc, cf_id), grp in groups.items():
        first = grp[0]
        lines = [r["line"] for r in grp]
        ints = [r["ints"] for r in grp]

        def flag(col: str, pred, ints=ints) -> int:  # noqa: ANN001
            return int(any(pred(i[col]) for i in ints))

        # --- start: effect date, else declaration date; midpoint of what is known ----------
        starts, decs = [], []
        for r in grp:
            dec, eff = r["dates"]["dec"], r["dates"]["eff"]
            base = eff if eff is not None else dec
            lo, hi, prec = base
            if dec is not None and eff is not None:  # effect cannot precede the declaration
                lo = max(lo, min(dec[0], hi))
            starts.append((_mid(lo, hi), prec))
            if dec is not None:
                decs.append(dec)
        start, start_prec = min(starts)
        dec_year = min(d[0].year for d in decs) if decs else start.year
        # --- end: earliest dated end; its code wins, ties by priority -----------------------
        ends = []
        for r in grp:
            code = r["ints"]["ended"]
            e = r["dates"]["end"]
            if e is not None and code != 0:
                lo, hi, prec = e
                if hi < start:
                    warnings.append(
                        f"line {r['line']}: end {e[0]:%Y-%m-%d}..{hi:%Y-%m-%d} is before the "
                        f"start {start:%Y-%m-%d} of ceasefire cc={cc} cf_id={cf_id}; end ignored"
                    )
                    continue
                ends.append((_mid(max(lo, start), hi), _END_PRIORITY.get(code, 9), code, prec))
        codes = {r["ints"]["ended"] for r in grp}
        fixed_days = [
            d
            for d in (_fixed_days(r["row"].get("fixed_time", "")) for r in grp)
            if not math.isnan(d)
        ]
        fixed_term = min(fixed_days) if fixed_days else float("nan")
        end_prec = ""
        if ends:
            end, _, code, end_prec = min(ends)
            duration = float((end - start).days)
            outcome = ENDED_CODES[code]
            if outcome == "ongoing":
                outcome = "unclear"
        else:
            end, duration = None, float("nan")
            if 3 in codes:
                outcome = "never_effective"
            elif 0 in codes:
                outcome = "ongoing"
            elif codes & {1, 2, 4}:
                outcome = "undated"
            else:
                outcome = "unknown"
        if outcome == "never_effective":
            duration = MIN_DURATION
        if outcome == "unclear":
            tol = max(3.0, 0.1 * fixed_term) if not math.isnan(fixed_term) else -1.0
            if tol > 0 and abs(duration - fixed_term) <= tol:
                outcome = "expired"
                n_unclear_to["expired"] += 1
            elif unclear_end == "breakdown":
                outcome = "unclear_end"
                n_unclear_to["breakdown"] += 1
            elif unclear_end == "censor":
                outcome = "unclear_censored"
                n_unclear_to["censor"] += 1
            else:
                n_unclear_to["drop"] += 1
                outcome = "unclear_dropped"
        if outcome == "ongoing":
            end = censor_date
            duration = float((censor_date - start).days)
        actor_names = [r["row"].get("actor_name", "") for r in grp]
        gov = [n.strip().lower().startswith("government") for n in actor_names]
        side = ints[0]["side"]
        acd = next((i["ucdp_acd_id"] for i in ints if i["ucdp_acd_id"] > 0), -1)
        rec = {
            "cc": cc,
            "cf_id": cf_id,
            "lines": lines,
            "location": first["row"].get("location", ""),
            "conflict": f"acd{acd}" if acd > 0 else f"cc{cc}",
            "year": dec_year,
            "start": pd.Timestamp(start),
            "end": pd.Timestamp(end) if end is not None else pd.NaT,
            "start_precision": start_prec,
            "end_precision": end_prec,
            "duration": max(duration, MIN_DURATION) if not math.isnan(duration) else duration,
            "outcome": outcome,
            "n_actors": len(grp),
            # design features (0/1 unless noted); -1 "unclear" counts as no evidence
            "written": flag("written", lambda v: v in (1, 2)),
            "mediated": flag("mediator_nego", lambda v: v == 1),
            "implement": flag("implement", lambda v: v == 1),
            "enforcement": flag("enforcement", lambda v: v in (1, 2)),
            "ddr": flag("ddr", lambda v: v == 1),
            "fixed": flag("fixed", lambda v: v == 1),
            "fixed_days": fixed_term,
            "partial": flag("partial", lambda v: v == 1),
            "class_compliance": flag("ceasefire_class", lambda v: v == 2),
            "class_definitive": flag("ceasefire_class", lambda v: v == 3),
            "unilateral": int(side == 1 or len(grp) == 1 and side not in (2, 3)),
            "multilateral": int(side == 3),
            "gov_declared": int(side == 1 and all(gov)),
            "rebel_declared": int(side == 1 and not any(gov)),
            "p_humanitarian": flag("p_humanitarian", lambda v: v == 1),
            "p_peaceprocess": flag("p_peaceprocess", lambda v: v == 1),
            "p_holiday": flag("p_holiday", lambda v: v == 1),
            "p_election": flag("p_election", lambda v: v == 1),
            "p_other": flag("p_other", lambda v: v == 1),
            "renewal": flag("link", lambda v: v > 0),
            "region": ints[0]["region"],
        }
        if outcome in ("unknown", "undated", "unclear_dropped") or (
            outcome == "never_effective" and never_effective == "drop"
        ):
            rec["reason"] = {
                "unknown": "no end and no manner of ending coded",
                "undated": "ended (expired/breakdown/replaced) but no end date",
                "unclear_dropped": "end date without manner (unclear_end='drop')",
                "never_effective": "never took effect (never_effective='drop')",
            }[outcome]
            dropped.append(rec)
            continue
        if outcome == "unclear_censored":
            rec["event"] = 0
        else:
            rec["event"] = OUTCOME_EVENT[outcome]
        # competing-risk cause: 1 breakdown, 2 planned end, 0 censored (still in force)
        rec["cause"] = 1 if rec["event"] else (2 if outcome in ("expired", "replaced") else 0)
        out.append(rec)
    # prior ceasefires in the same conflict in the 365 days before this one started
    table = pd.DataFrame(out)
    if not table.empty:
        table = table.sort_values(["start", "cc", "cf_id"]).reset_index(drop=True)
        prior = np.zeros(len(table), dtype=int)
        for _, idx in table.groupby("conflict").groups.items():
            st = table.loc[idx, "start"].to_numpy()
            for k, i in enumerate(idx):
                prior[i] = int(np.sum(st[:k] >= st[k] - np.timedelta64(365, "D")))
        table["prior_365"] = prior
    if n_unclear_to["breakdown"] or n_unclear_to["expired"] or n_unclear_to["censor"]:
        warnings.append(
            "rule: {b} ceasefire(s) with an end date but no coded manner (ended=-1) counted "
            "as breakdowns, {e} matching their fixed term as expiries, {c} censored".format(
                b=n_unclear_to["breakdown"], e=n_unclear_to["expired"], c=n_unclear_to["censor"]
            )
        )
    dropped_df = pd.DataFrame(dropped)
    if not dropped_df.empty:
        counts = dropped_df["reason"].value_counts()
        for reason, n in counts.items():
            warnings.append(f"rule: {n} ceasefire(s) left out: {reason}")
    return CeasefireData(table=table, dropped=dropped_df, warnings=warnings)
