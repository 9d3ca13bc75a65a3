"""Words for how the dynamic models ended (converged, cycle, not settled), from the forecast
JSON rows (``accord forecast --json``); shared by the table, the report and the app."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def settling_parts(row: Mapping[str, Any]) -> tuple[str, str]:
    """(flag, swing) of a row for a table cell: ``("", "")`` when converged or static,
    ``(" ↻2", "[5.0–85.0]")`` for a 2-round cycle whose median swings over that range,
    ``(" ~", "[7.0–9.7]")`` when not settled."""
    status = row.get("settling")
    if status is None or status == "converged":
        return "", ""
    span = row.get("cycle") or row.get("window") or {}
    lo, hi = (span.get("range") or [None, None])[:2]
    swing = f"[{lo:.1f}–{hi:.1f}]" if lo is not None and hi is not None and hi > lo else ""
    if status == "cycle":
        return f" ↻{span.get('length', '')}", swing
    return " ~", swing


def settling_mark(row: Mapping[str, Any]) -> str:
    """The flag and swing of :func:`settling_parts` on one line: ``" ↻2 [5.0–85.0]"``,
    ``" ~[7.0–9.7]"``."""
    flag, swing = settling_parts(row)
    sep = " " if flag.startswith(" ↻") and swing else ""
    return f"{flag}{sep}{swing}"


def settling_note(row: Mapping[str, Any], label: str | None = None) -> str | None:
    """One sentence on a row that did not converge (``None`` when it did or is static)."""
    status = row.get("settling")
    if status is None or status == "converged":
        return None
    model, issue = row.get("model"), row.get("issue")
    where = f"{model} on {issue}" + (f" ({label})" if label and label != issue else "")
    fc = row.get("forecast")
    if status == "cycle":
        cyc = row.get("cycle") or {}
        a, b = cyc.get("rounds", [None, None])
        lo, hi = cyc.get("range", [fc, fc])
        if hi is not None and lo is not None and hi > lo:
            return (
                f"↻ {where}: cycles every {cyc.get('length')} rounds (the states of rounds "
                f"{a}–{b} repeat for ever); the median swings between {lo:.2f} and "
                f"{hi:.2f}, so the forecast {fc:.2f} is the median over the cycle, not a "
                "settled value."
            )
        return (
            f"↻ {where}: positions cycle every {cyc.get('length')} rounds, but the median stays "
            f"at {fc:.2f}."
        )
    win = row.get("window") or {}
    a, b = win.get("rounds", [None, None])
    lo, hi = win.get("range", [fc, fc])
    spread = (
        f"the median ranged over [{lo:.2f}, {hi:.2f}] in rounds {a}–{b}"
        if hi is not None and lo is not None and hi > lo
        else f"the median stayed at {fc:.2f} in rounds {a}–{b} while positions still moved"
    )
    return (
        f"~ {where}: not settled after {row.get('rounds_run')} rounds; {spread}; the forecast "
        f"{fc:.2f} is the median over those rounds."
    )


def settling_notes(
    rows: Iterable[Mapping[str, Any]], labels: Mapping[str, str] | None = None
) -> list[str]:
    """The sentences of every row that did not converge, in row order."""
    labels = labels or {}
    notes = (settling_note(r, labels.get(str(r.get("issue")))) for r in rows)
    return [n for n in notes if n]
