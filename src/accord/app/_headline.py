"""The app's first panel: accord's forecast per issue with its interval, the theories beside it.

Reads the forecast document's ``headline`` list (:mod:`accord.headline`); shows nothing when
the ``calibrated`` model is not among the chosen models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from accord.headline import fmt


def headline_table(doc: Mapping[str, Any]) -> pd.DataFrame | None:
    """Issues x (accord's forecast, interval, what each theory says); None without headline."""
    heads = doc.get("headline") or []
    if not heads:
        return None
    level = round(100 * heads[0]["level"])
    rows = []
    for h in heads:
        lo, hi = h["interval"]
        rows.append(
            {
                "issue": h["label"] or h["issue"],
                "accord's forecast": fmt(h["forecast"]),
                f"{level} % interval": f"{fmt(lo)}–{fmt(hi)}",
                "what each theory says": ", ".join(
                    f"{m} {fmt(v)}" for m, v in h["theories"].items()
                ),
            }
        )
    return pd.DataFrame(rows).set_index("issue")


def render(doc: Mapping[str, Any], issue_id: str) -> None:
    """The panel (Streamlit): the chosen issue's sentence, the table, why, and the caveat."""
    import streamlit as st

    from accord.app._plain import plain, plain_table

    table = headline_table(doc)
    if table is None:
        return
    heads = {h["issue"]: h for h in doc["headline"]}
    h = heads.get(issue_id) or next(iter(heads.values()))
    st.markdown(f"#### {plain(h['text'])} ({plain(h['label'] or h['issue'])})")
    st.table(plain_table(table, columns=tuple(table.columns)))
    st.caption(plain(f"{h['label'] or h['issue']}: {h['why']}"))
    st.caption(plain(h["caveat"]))
