"""The report's first panel: accord's forecast per issue, with its interval, beside the theories.

Fed by the forecast document's ``headline`` list (:mod:`accord.headline`); the panel appears
only when the ``calibrated`` model was run.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from accord.headline import fmt

#: Section id of the panel.
HEADLINE_PANEL = "headline"


def _esc(v: Any) -> str:
    return html.escape(str(v), quote=True)


def _pct(x: Any) -> str:
    return "" if x is None else f"{100 * float(x):.0f} %"


def headline_section(doc: Mapping[str, Any]) -> str:
    """The panel's HTML body (empty string without a headline)."""
    heads = doc.get("headline") or []
    if not heads:
        return ""
    rows = []
    for h in heads:
        lo, hi = h["interval"]
        theories = ", ".join(f"{_esc(m)} {fmt(v)}" for m, v in h["theories"].items())
        sq = ""
        if "p_above_status_quo" in h:
            sq = (f"above {_pct(h['p_above_status_quo'])}, "
                  f"below {_pct(h['p_below_status_quo'])}")
        rows.append(
            f'<tr data-issue="{_esc(h["issue"])}"><th>{_esc(h["label"] or h["issue"])} '
            f'<span class="small">({_esc(h["issue"])})</span></th>'
            f'<td class="num headline" data-value="{h["forecast"]!r}" data-low="{lo!r}" '
            f'data-high="{hi!r}"><strong>{_esc(fmt(h["forecast"]))}</strong></td>'
            f'<td class="num">{_esc(fmt(lo))}–{_esc(fmt(hi))}</td>'
            f"<td class='small'>{sq}</td>"
            f"<td class='small'>{theories}</td>"
            f"<td class='small'>{_esc(h['why'])}</td></tr>"
        )
    level = round(100 * heads[0]["level"])
    first = heads[0]
    return (
        f"<p class='lead'><strong>{_esc(first['text'])}</strong> "
        f"<span class='small'>({_esc(first['label'] or first['issue'])}; every issue below)"
        "</span></p>"
        f'<table id="headline-table"><caption>accord\'s forecast per issue: the median of a '
        f"predictive distribution fitted on real decisions, with its {level} % interval; "
        "the six theories as what each theory says</caption>"
        "<tr><th>issue</th><th>accord's forecast</th>"
        f"<th>{level} % interval</th><th>vs status quo</th><th>what each theory says</th>"
        "<th>moved most by</th></tr>" + "".join(rows) + "</table>"
        f"<p class='note'>{_esc(first['caveat'])}</p>"
    )
