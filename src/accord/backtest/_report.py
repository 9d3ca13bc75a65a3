"""A self-contained HTML leaderboard: a plain table and an inline SVG chart (no scripts)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from accord.files import write_atomic


def _f(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, list):
        return "[" + ", ".join(_f(x) for x in v) + "]"
    if isinstance(v, float):
        return f"{v:.2f}"
    return html.escape(str(v))


def _svg(rows: list[dict[str, Any]]) -> str:
    """Horizontal dot-and-whisker chart of MAE with 95% intervals."""
    ok = [r for r in rows if r.get("status") == "ok" and r.get("mae") is not None]
    if not ok:
        return ""
    hi = max(max(r["ci"][1] or r["mae"] for r in ok), 1.0) * 1.05
    w, left, row_h = 640, 170, 22
    h = row_h * len(ok) + 40
    sx = lambda v: left + (w - left - 20) * v / hi  # noqa: E731
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        'font-family="sans-serif" font-size="12" role="img" aria-label="MAE by model">'
    ]
    ref = next((r for r in ok if r["model"] == "compromise"), None)
    if ref:
        x = sx(ref["mae"])
        parts.append(
            f'<line x1="{x:.1f}" y1="5" x2="{x:.1f}" y2="{h - 30}" stroke="#999" '
            'stroke-dasharray="4 3"/>'
        )
    for i, r in enumerate(ok):
        y = 15 + i * row_h
        lo, up = r["ci"]
        color = "#1f77b4" if r.get("kind") != "fitted" else "#d62728"
        parts.append(
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{html.escape(r["model"])}</text>'
        )
        if lo is not None and up is not None:
            parts.append(
                f'<line x1="{sx(lo):.1f}" y1="{y}" x2="{sx(up):.1f}" y2="{y}" '
                f'stroke="{color}" stroke-width="2"/>'
            )
        parts.append(f'<circle cx="{sx(r["mae"]):.1f}" cy="{y}" r="4" fill="{color}"/>')
    for t in range(0, int(hi) + 1, 10):
        parts.append(f'<text x="{sx(t):.1f}" y="{h - 12}" text-anchor="middle">{t}</text>')
    parts.append(
        f'<text x="{(left + w) / 2:.0f}" y="{h - 1}" text-anchor="middle">'
        "mean absolute error (0-100 scale), 95% proposal-bootstrap CI</text></svg>"
    )
    return "\n".join(parts)


def render_html(doc: dict[str, Any]) -> str:
    cols = [
        ("model", "model"),
        ("kind", "kind"),
        ("MAE", "mae"),
        ("95% CI", "ci"),
        ("RMSE", "rmse"),
        ("median AE", "median_ae"),
        ("Δ MAE vs compromise", "diff_vs_compromise"),
        ("Δ 95% CI", "diff_ci"),
        ("evaluation", "evaluation"),
    ]
    head = "".join(f"<th>{html.escape(c)}</th>" for c, _ in cols)
    body = []
    for r in doc["models"]:
        if r.get("status") != "ok":
            body.append(
                f'<tr class="failed"><td>{_f(r["model"])}</td><td>{_f(r.get("kind"))}'
                f'</td><td colspan="{len(cols) - 2}">failed: {_f(r.get("error"))}</td></tr>'
            )
            continue
        body.append("<tr>" + "".join(f"<td>{_f(r.get(k))}</td>" for _, k in cols) + "</tr>")
    met = doc["target"]["met_by"]
    problems = "".join(f"<li>{html.escape(p)}</li>" for p in doc.get("problems", []))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>accord DEU backtest</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; font-size: 14px; }}
th, td {{ border: 1px solid #ccc; padding: 4px 8px; text-align: right; }}
td:first-child, th:first-child, td:nth-child(2), td:last-child {{ text-align: left; }}
tr.failed td {{ color: #b00; }}
</style></head><body>
<h1>DEU backtest leaderboard</h1>
<p>Data: {_f(doc["data"])}; {doc["n_issues"]} scored issues in {doc["n_proposals"]} proposals
({doc["n_rows"]} rows); capability <b>{_f(doc["capability"])}</b>; seed {doc["seed"]};
95% intervals from {doc["bootstrap"]} bootstrap resamples of whole proposals; Δ is the paired
MAE difference against the compromise model (negative = better).
{
        "Fitted models trained on " + _f(doc["train"])
        if doc.get("train")
        else "Fitted models are scored out-of-fold (cross-validation grouped by proposal)."
    }</p>
<p>Target (MAE at least 10% below the compromise model, paired CI below zero):
<b>{"met by " + ", ".join(map(html.escape, met)) if met else "not met"}</b>.</p>
{_svg(doc["models"])}
<table><thead><tr>{head}</tr></thead><tbody>
{"".join(body)}
</tbody></table>
{"<h2>Problems in the file</h2><ul>" + problems + "</ul>" if problems else ""}
</body></html>
"""


def write_html(doc: dict[str, Any], path: str | Path) -> None:
    write_atomic(path, render_html(doc))
