"""Report panels for ``explain`` (why each forecast lands where it does), ``advise`` (moves for
one side) and the convergence notes under the forecast table; figures shared with the app.

Each panel is built from its plain JSON document (``accord explain --json``,
``accord advise --json``); user text is escaped here, as everywhere in the report.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from accord.explain import settling_notes
from accord.scenario import Scenario

#: Section ids of the optional panels (after the trajectory panel, when their document exists).
EXTRA_PANELS = ("explain", "advice")


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _plotly_text(text: str) -> str:
    return html.escape(str(text)).replace("{", "&#123;")


def convergence_html(scenario: Scenario, forecast: Mapping[str, Any]) -> str:
    """Sentences for dynamic-model rows that did not converge (empty when all did)."""
    labels = {i.id: i.label or i.id for i in scenario.issues}
    notes = settling_notes(forecast.get("results", []), labels)
    if not notes:
        return ""
    items = "".join(f'<li class="note">{_esc(n)}</li>' for n in notes)
    return (
        '<div id="convergence"><p class="small">Dynamic models that did not settle '
        "(↻ cycle, ~ not settled): their forecast is the median over the cycle or the last "
        f"half of the rounds, not the last round.</p><ul>{items}</ul></div>"
    )


def explain_figure(
    scenario: Scenario, entries: Sequence[Mapping[str, Any]], *, top: int = 8
) -> go.Figure:
    """One issue: actors' positions (marker area ~ weight) with each model's forecast (top) and
    each actor's influence on each model's forecast (bottom, from the pivotal actors)."""
    from accord.report._figures import model_colors

    issue_id = entries[0]["issue"]
    issue = next(i for i in scenario.issues if i.id == issue_id)
    names = {a.id: a.name or a.id for a in scenario.actors}
    models = [e["model"] for e in entries]
    colors = model_colors(models)
    fig = make_subplots(rows=2, cols=1, row_heights=[0.45, 0.55], vertical_spacing=0.18,
                        subplot_titles=["positions and forecasts",
                                        "pivotal actors: largest change of the forecast"])
    actors = entries[0]["actors"]
    fig.add_trace(go.Scatter(
        x=[a["position"] for a in actors], y=[0] * len(actors), mode="markers+text",
        text=[_plotly_text(names.get(a["actor"], a["actor"])) for a in actors],
        textposition="top center",
        marker=dict(size=[8 + 40 * a["weight_share"] ** 0.5 for a in actors], color="#888",
                    opacity=0.6),
        name="actors", hovertemplate="%{text}: %{x:.1f}<extra></extra>", showlegend=False,
    ), row=1, col=1)
    for e in entries:
        fig.add_trace(go.Scatter(
            x=[e["forecast"]], y=[-0.6], mode="markers", name=e["model"], legendgroup=e["model"],
            marker=dict(symbol="diamond", size=13, color=colors[e["model"]]),
            hovertemplate=f"{e['model']}: %{{x:.2f}}<extra></extra>",
        ), row=1, col=1)
    if issue.status_quo is not None:
        fig.add_vline(x=issue.status_quo, line_dash="dash", line_color="#666", row=1, col=1)
    ranked = {}
    for e in entries:
        for p in e.get("pivotal", []):
            ranked[p["actor"]] = max(ranked.get(p["actor"], 0.0), p["influence"])
    order = sorted(ranked, key=lambda a: -ranked[a])[:top][::-1]
    for e in entries:
        infl = {p["actor"]: p["influence"] for p in e.get("pivotal", [])}
        fig.add_trace(go.Bar(
            y=[_plotly_text(names.get(a, a)) for a in order], x=[infl.get(a, 0.0) for a in order],
            orientation="h", name=e["model"], legendgroup=e["model"], showlegend=False,
            marker_color=colors[e["model"]],
            hovertemplate=f"{e['model']}: %{{x:.2f}}<extra></extra>",
        ), row=2, col=1)
    lo, hi = issue.scale
    fig.update_xaxes(range=[lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo)], row=1, col=1)
    fig.update_yaxes(visible=False, range=[-1.2, 1.0], row=1, col=1)
    fig.update_xaxes(title_text="change of the forecast (scale units)", row=2, col=1)
    fig.update_layout(
        barmode="group", height=260 + 26 * max(len(order), 1) * max(1, len(entries) // 2),
        title=_plotly_text(f"Why: {issue.label or issue.id}"), margin=dict(l=10, r=10, t=70),
        legend=dict(orientation="h"),
    )
    return fig


def _pivotal_table(entries: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> str:
    rows = []
    for e in entries:
        top = [p for p in e.get("pivotal", []) if p["influence"] > 0][:3]
        cells = "; ".join(f"{_esc(names.get(p['actor'], p['actor']))} {p['influence']:.1f}"
                          for p in top) or "none"
        rows.append(f"<tr><td>{_esc(e['model'])}</td><td>{cells}</td></tr>")
    return ("<table class='pivotal-table'><tr><th>model</th><th>pivotal actors (largest "
            f"change of the forecast)</th></tr>{''.join(rows)}</table>")


def explain_section(scenario: Scenario, doc: Mapping[str, Any], figure_html: Any) -> str:
    """Body of the "Why these forecasts" panel: per issue, each model's reasons (words), one
    figure and the pivotal actors. ``figure_html(fig, div_id)`` embeds a figure."""
    names = dict(doc.get("actors") or {})
    parts = ["<p class='small'>Each model's forecast explained from its own result. Pivotal "
             f"actors: {_esc(doc.get('pivotal_method') or 'not computed')}.</p>"]
    for n, issue_id in enumerate(doc.get("issues", [])):
        entries = [e for e in doc.get("explanations", []) if e["issue"] == issue_id]
        if not entries:
            continue
        label = entries[0].get("label") or issue_id
        items = "".join(
            f'<li data-model="{_esc(e["model"])}"><b>{_esc(e["model"])} → '
            f"{e['forecast']:.2f}</b>: {_esc(e['summary'])}</li>"
            for e in entries
        )
        parts.append(
            f'<details class="explain-issue" data-issue="{_esc(issue_id)}"'
            f"{' open' if n == 0 else ''}><summary><b>{_esc(label)}</b> ({_esc(issue_id)})"
            f"</summary><ul>{items}</ul>"
            + figure_html(explain_figure(scenario, entries), f"fig-explain-{n}")
            + _pivotal_table(entries, names)
            + "</details>"
        )
    return "".join(parts)


def advice_figure(doc: Mapping[str, Any], *, top: int = 12) -> go.Figure:
    """The best moves: mean gain with its interval, and the share of draws in which each helps."""
    moves = list(doc.get("moves", []))[:top][::-1]
    fig = go.Figure(go.Bar(
        y=[f"{m['rank']}. {_plotly_text(m['description'])[:70]}" for m in moves],
        x=[m["gain"] for m in moves], orientation="h", marker_color="#2a7ab0",
        error_x=dict(type="data", symmetric=False,
                     array=[m["interval"][1] - m["gain"] for m in moves],
                     arrayminus=[m["gain"] - m["interval"][0] for m in moves]),
        customdata=[m["share_helping"] for m in moves],
        hovertemplate="gain %{x:.2f}; helps in %{customdata:.0%} of draws<extra></extra>",
    ))
    fig.update_layout(
        title=_plotly_text(
            f"Moves that raise {doc.get('actor')}'s expected utility "
            f"({doc.get('level', 0.8):.0%} intervals over {doc.get('draws_evaluated')} draws)"
        ),
        xaxis_title="gain in utility (points of a 0-100 scale)",
        height=140 + 30 * max(len(moves), 1), margin=dict(l=10, r=10, t=60),
    )
    return fig


def advice_section(scenario: Scenario, doc: Mapping[str, Any], figure_html: Any) -> str:
    """Body of the "Advice" panel: the actor's expected utility, one figure, the moves table."""
    names = {a.id: a.name or a.id for a in scenario.actors}
    who = names.get(doc.get("actor"), doc.get("actor"))
    u = doc.get("utility", {})
    lo, hi = u.get("interval", [None, None])
    head = (
        f"<p>Advice for <b>{_esc(who)}</b> ({_esc(doc.get('model'))} model, "
        f"{_esc(doc.get('draws_evaluated'))} draws, seed {_esc(doc.get('seed'))}): expected "
        f"utility <b>{u.get('expected', 0):.2f}</b>"
        + (f" [{lo:.2f}, {hi:.2f}]" if lo is not None else "")
        + " (0 = every forecast at its ideal). "
        f"<span class='small'>{_esc(u.get('definition', ''))}</span></p>"
    )
    rows = "".join(
        f'<tr class="move" data-kind="{_esc(m["kind"])}"><td class="num">{m["rank"]}</td>'
        f"<td>{_esc(m['description'])}</td><td>{_esc(m['kind'].replace('_', ' '))}</td>"
        f'<td class="num">{m["gain"]:+.2f}</td>'
        f'<td class="num">[{m["interval"][0]:+.2f}, {m["interval"][1]:+.2f}]</td>'
        f'<td class="num">{m["share_helping"]:.0%}</td></tr>'
        for m in doc.get("moves", [])[:20]
    )
    table = (
        '<table id="advice-table"><tr><th>#</th><th>move</th><th>kind</th><th>gain</th>'
        f"<th>{doc.get('level', 0.8):.0%} interval</th><th>helps in</th></tr>{rows}</table>"
    )
    note = f"<p class='note'>{_esc(doc['note'])}</p>" if doc.get("note") else ""
    return head + figure_html(advice_figure(doc), "fig-advice") + table + note
