"""Capability of each actor on each DEU issue: equal, GDP, or Council voting weights.

Whichever option is chosen is applied to every model alike (base, baseline and fitted).

Choices (documented because they change results):

- ``equal``: 1 for everyone, so weights are salience only (the published DEU baselines).
- ``gdp``: the file's second row. Where the Commission or Parliament cell is blank they get the
  largest member state's value (the convention the shared file itself uses: 4.1 = Germany).
- ``council``: member states get their Council voting weight under the rules in force on the
  decision date (the final act's date when it parses as dd-mm-yy(yy) and is not before the
  introduction, else the introduction date):

  * before 1 May 2004, Treaty of Amsterdam weights (art. 205(2) TEC, EU-15);
  * 1 May 2004 - 31 Oct 2014, Treaty of Nice weights (Protocol on the enlargement of the EU,
    art. 3, as amended by the Acts of Accession 2003, 2005 and 2012); the six-month transitional
    regime of May-Oct 2004 is folded into Nice;
  * from 1 Nov 2014, Lisbon double majority (art. 16(4) TEU, art. 238 TFEU): the state's share
    of EU population (Eurostat, 1 January 2015, millions, rounded); the "55 % of states" criterion
    is equal for all states and so does not change relative weights.

  Under unanimity (``counvte`` = ``Unan``) every state can veto: all member states get equal
  weight (the mean of the period's weights). Weights are normalised to shares of the Council
  total. The Commission and the Parliament get the largest member state's share under every
  procedure (a deliberate, simple choice mirroring the GDP row; the fitted actor-type model
  learns how much more or less they matter).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from accord.backtest._deu import DeuData
from accord.errors import InputError

CAPABILITIES = ("equal", "gdp", "council")

#: Treaty of Amsterdam, art. 205(2) TEC (EU-15), votes per member state.
AMSTERDAM = {
    "de": 10, "fr": 10, "it": 10, "uk": 10, "es": 8, "be": 5, "el": 5, "nl": 5, "pt": 5,
    "at": 4, "se": 4, "dk": 3, "ie": 3, "fi": 3, "lu": 2,
}  # fmt: skip
#: Treaty of Nice weights (EU-28 incl. Croatia from 2013), votes per member state.
NICE = {
    "de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27, "ro": 14, "nl": 13,
    "be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12, "at": 10, "bu": 10, "se": 10,
    "dk": 7, "ie": 7, "lt": 7, "sk": 7, "fi": 7, "cr": 7, "cy": 4, "ee": 4, "lv": 4,
    "lu": 4, "si": 4, "mt": 3,
}  # fmt: skip
#: Population in millions, Eurostat 1 Jan 2015 (rounded), the Lisbon population criterion.
LISBON_POPULATION = {
    "de": 81.2, "fr": 66.4, "uk": 64.9, "it": 60.8, "es": 46.4, "pl": 38.0, "ro": 19.9,
    "nl": 16.9, "be": 11.3, "el": 10.9, "cz": 10.5, "pt": 10.4, "hu": 9.9, "se": 9.7,
    "at": 8.6, "bu": 7.2, "dk": 5.7, "fi": 5.5, "sk": 5.4, "ie": 4.6, "cr": 4.2, "lt": 2.9,
    "si": 2.1, "lv": 2.0, "ee": 1.3, "cy": 0.85, "lu": 0.56, "mt": 0.43,
}  # fmt: skip
NICE_START = dt.date(2004, 5, 1)
LISBON_START = dt.date(2014, 11, 1)
EU_INSTITUTIONS = ("com", "ep")

_DATE = re.compile(r"^\s*(\d{1,2})[-./](\d{1,2})[-./](\d{2}|\d{4})\s*$")


def parse_date(text: str) -> dt.date | None:
    """``dd-mm-yy`` or ``dd-mm-yyyy`` -> date (two-digit years >= 50 are 19xx); else None."""
    m = _DATE.match(str(text))
    if not m:
        return None
    d, mo, y = (int(g) for g in m.groups())
    if y < 100:
        y += 1900 if y >= 50 else 2000
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def decision_date(intro: str, finact: str) -> dt.date | None:
    """The date whose voting rules apply: the final act if plausible, else the introduction."""
    a, b = parse_date(intro), parse_date(finact)
    if b is not None and (a is None or b >= a):
        return b
    return a


def council_table(date: dt.date | None) -> dict[str, float]:
    """Member-state Council weights in force on ``date`` (Nice when the date is unknown)."""
    if date is not None and date < NICE_START:
        return dict(AMSTERDAM)
    if date is not None and date >= LISBON_START:
        return dict(LISBON_POPULATION)
    return dict(NICE)


def capability_matrix(data: DeuData, kind: str) -> np.ndarray:
    """(n_issues, n_actors) capability (> 0) under option ``kind`` (see module docstring)."""
    n, a = data.n_issues, len(data.actors)
    if kind == "equal":
        return np.ones((n, a))
    if kind == "gdp":
        g = data.gdp.copy()
        members = np.array([x not in EU_INSTITUTIONS for x in data.actors])
        if np.isnan(g[members]).all():
            raise InputError(
                "--capability gdp needs GDP weights in row 2 of the file, and there are none.",
                path=data.path,
                field="line 2",
                fix="add a second row with GDP weights per actor, or use --capability equal.",
            )
        top = np.nanmax(g[members])
        inst = ~members
        g[inst & np.isnan(g)] = top
        # a member state without a GDP weight gets the smallest one (it barely matters)
        g[np.isnan(g)] = np.nanmin(g[members])
        return np.broadcast_to(g, (n, a)).copy()
    if kind == "council":
        out = np.empty((n, a))
        for k in range(n):
            table = council_table(decision_date(data.meta["intro"][k], data.meta["finact"][k]))
            total = sum(table.values())
            share = {c: v / total for c, v in table.items()}
            if str(data.meta["counvte"][k]).strip().lower().startswith("unan"):
                eq = 1.0 / len(table)
                share = dict.fromkeys(table, eq)
            top = max(share.values())
            smallest = min(share.values())
            for j, actor in enumerate(data.actors):
                if actor in EU_INSTITUTIONS:
                    out[k, j] = top
                else:
                    # a state outside the table (not yet a member) should not hold a position;
                    # if it does, give it the smallest weight rather than drop the data
                    out[k, j] = share.get(actor, smallest)
        return out
    raise InputError(
        f"unknown capability option {kind!r}.",
        field="--capability",
        fix=f"use one of: {', '.join(CAPABILITIES)}.",
    )
