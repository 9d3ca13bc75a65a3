"""Plotly figures of accord results, built from a scenario and plain JSON documents.

Every function takes what the CLI prints with ``--json`` (or the :class:`Scenario` for the
issue map) and returns a :class:`plotly.graph_objects.Figure`, or ``None`` when there is
nothing to draw. The report, the web app and scripts share them, so a figure looks the same
wherever it is shown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from accord.scenario import Scenario

__all__ = [
    "compare_figure",
    "durability_figure",
    "experiment_figure",
    "forecast_figure",
    "issue_map_figure",
    "model_colors",
    "tornado_figure",
    "trajectory_figure",
]

_PALETTE = qualitative.D3 + qualitative.Set2
_ROW_PX = 135
_FONT = dict(family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size=12)


def _shorten(text: str, n: int = 28) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _issue_title(issue: Any) -> str:
    lo, hi = issue.scale
    label = issue.label or issue.id  # user text: Plotly reads titles as HTML
    return f"{_esc(label)} ({issue.id}, scale {lo:g}–{hi:g})"


def model_colors(models: Sequence[str]) -> dict[str, str]:
    """One colour per model name, stable for a given list of models."""
    return {m: _PALETTE[k % len(_PALETTE)] for k, m in enumerate(dict.fromkeys(models))}


def _actor_colors(scenario: Scenario) -> dict[str, str]:
    return {a.id: _PALETTE[k % len(_PALETTE)] for k, a in enumerate(scenario.actors)}


def _base_layout(fig: go.Figure, title: str, rows: int, row_px: int = _ROW_PX) -> go.Figure:
    height = max(260, 120 + row_px * rows)
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", y=1 - 12 / height, yanchor="top"),
        height=height,
        margin=dict(l=40, r=20, t=100, b=30),
        font=_FONT,
        template="plotly_white",
        # legend between the title and the first subplot title
        legend=dict(
            orientation="h", yanchor="bottom", y=1 + 26 / (height - 130), xanchor="left", x=0
        ),
    )
    return fig


def _vline(x: float, row: int, *, label: str | None = None) -> tuple[dict, dict | None]:
    """A dashed vertical line across subplot ``row`` (a layout shape, cheaper than add_vline),
    with an optional label."""
    ax = "" if row == 1 else str(row)
    shape = dict(
        type="line",
        xref=f"x{ax}",
        yref=f"y{ax} domain",
        x0=x,
        x1=x,
        y0=0,
        y1=1,
        line=dict(dash="dash", color="#888", width=1),
    )
    note = None
    if label:
        note = dict(
            x=x,
            y=0,
            xref=f"x{ax}",
            yref=f"y{ax} domain",
            text=label,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font=dict(size=10, color="#888"),
        )
    return shape, note


def _stack_levels(xs: Sequence[float], width: float) -> list[int]:
    """Vertical level per point so that points closer than ``width`` do not overlap."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    levels = [0] * len(xs)
    last_at: dict[int, float] = {}
    for i in order:
        lvl = 0
        while lvl in last_at and xs[i] - last_at[lvl] < width:
            lvl += 1
        levels[i] = lvl
        last_at[lvl] = xs[i]
    return levels


def issue_map_figure(scenario: Scenario, issues: Sequence[str] | None = None) -> go.Figure:
    """Actors' positions on every issue's scale.

    Marker area grows with capability x salience (the weight an actor brings to that issue);
    the status quo is a dashed line and the scale anchors label the axis ticks (full anchor
    texts are in the report's assumptions table and in the hover text).
    """
    chosen = [i for i in scenario.issues if issues is None or i.id in issues]
    fig = make_subplots(
        rows=len(chosen),
        cols=1,
        subplot_titles=[_issue_title(i) for i in chosen],
        vertical_spacing=min(0.35 / max(len(chosen), 1), 0.12),
    )
    colors = _actor_colors(scenario)
    weights = [
        a.capability * a.salience[i.id]
        for i in chosen
        for a in scenario.actors
        if i.id in a.positions
    ]
    wmax = max(weights) if weights and max(weights) > 0 else 1.0
    shown: set[str] = set()
    shapes: list[dict] = []
    notes: list[dict] = []
    traces: list[tuple[go.Scatter, int]] = []
    for row, issue in enumerate(chosen, start=1):
        lo, hi = issue.scale
        actors = [a for a in scenario.actors if issue.id in a.positions]
        xs = [a.positions[issue.id] for a in actors]
        levels = _stack_levels(xs, (hi - lo) * 0.035)
        for a, x, lvl in zip(actors, xs, levels, strict=True):
            w = a.capability * a.salience[issue.id]
            traces.append(
                (
                    go.Scatter(
                        x=[x],
                        y=[lvl],
                        mode="markers+text",
                        text=[_esc(_shorten(a.name or a.id, 16))],
                        textposition="top center",
                        name=_esc(a.name or a.id),
                        legendgroup=a.id,
                        showlegend=a.id not in shown,
                        marker=dict(
                            size=10 + 34 * math.sqrt(w / wmax),
                            color=colors[a.id],
                            opacity=0.8,
                            line=dict(width=1, color="#333"),
                        ),
                        hovertemplate=(
                            f"<b>{_esc(a.name or a.id)}</b><br>position %{{x:g}}<br>"
                            f"capability {a.capability:g}, salience {a.salience[issue.id]:g}"
                            "<extra></extra>"
                        ),
                    ),
                    row,
                )
            )
            shown.add(a.id)
        if issue.status_quo is not None:
            shape, note = _vline(issue.status_quo, row, label="status quo")
            shapes.append(shape)
            notes.append(note)
        ticks = sorted(issue.anchors.items())
        fig.update_xaxes(
            range=[lo - 0.04 * (hi - lo), hi + 0.04 * (hi - lo)],
            row=row,
            col=1,
            tickvals=[p for p, _ in ticks] or None,
            ticktext=[f"{p:g}: {_esc(_shorten(t, 24))}" for p, t in ticks] or None,
            tickfont=dict(size=10),
            showgrid=True,
        )
        top = max(levels) if levels else 0
        fig.update_yaxes(visible=False, range=[-0.8, top + 1.2], row=row, col=1)
    _add_all(fig, traces, shapes, notes)
    fig = _base_layout(
        fig, "Issue map: actors' positions (size: capability × salience)", len(chosen)
    )
    fig.update_layout(showlegend=False)  # every marker carries its actor's name
    return fig


def _add_all(
    fig: go.Figure, traces: list[tuple[Any, int]], shapes: list[dict], notes: list[dict | None]
) -> None:
    """Add traces, shapes and annotations in batches (one by one is slow with many rows)."""
    if traces:
        fig.add_traces([t for t, _ in traces], rows=[r for _, r in traces], cols=[1] * len(traces))
    fig.update_layout(
        shapes=list(fig.layout.shapes) + shapes,
        annotations=list(fig.layout.annotations) + [n for n in notes if n],
    )


def _esc(text: str) -> str:
    """Plotly hover text is HTML-ish: escape what a user wrote."""
    import html

    return html.escape(str(text)).replace("{", "&#123;")


def forecast_figure(scenario: Scenario, forecast_doc: Mapping[str, Any]) -> go.Figure:
    """Each model's forecast per issue, with its Monte Carlo interval where one was computed."""
    rows = forecast_doc.get("results", [])
    models = list(dict.fromkeys(r["model"] for r in rows))
    colors = model_colors(models)
    issues = [i for i in scenario.issues if any(r["issue"] == i.id for r in rows)]
    fig = make_subplots(
        rows=max(len(issues), 1),
        cols=1,
        subplot_titles=[_issue_title(i) for i in issues],
        vertical_spacing=min(0.35 / max(len(issues), 1), 0.12),
    )
    level = forecast_doc.get("monte_carlo", {}).get("level")
    traces: list[tuple[go.Scatter, int]] = []
    shapes: list[dict] = []
    for row, issue in enumerate(issues, start=1):
        lo, hi = issue.scale
        for m in models:
            rec = next((r for r in rows if r["model"] == m and r["issue"] == issue.id), None)
            if rec is None:
                continue
            interval = rec.get("interval")
            err = None
            if interval:
                err = dict(
                    type="data",
                    symmetric=False,
                    array=[interval[1] - rec["forecast"]],
                    arrayminus=[rec["forecast"] - interval[0]],
                    thickness=2,
                    width=6,
                )
            hover = f"{m}: %{{x:.2f}}"
            if interval:
                pct = f"{level:.0%} " if level else ""
                hover += f"<br>{pct}interval [{interval[0]:.2f}, {interval[1]:.2f}]"
            traces.append(
                (
                    go.Scatter(
                        x=[rec["forecast"]],
                        y=[m],
                        mode="markers",
                        name=m,
                        legendgroup=m,
                        showlegend=row == 1,
                        error_x=err,
                        marker=dict(size=12, color=colors[m], symbol="diamond"),
                        hovertemplate=hover + "<extra></extra>",
                    ),
                    row,
                )
            )
        if issue.status_quo is not None:
            shapes.append(_vline(issue.status_quo, row)[0])
        fig.update_xaxes(range=[lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo)], row=row, col=1)
        fig.update_yaxes(
            type="category", categoryorder="array", categoryarray=models[::-1], row=row, col=1
        )
    _add_all(fig, traces, shapes, [])
    title = "Forecast per issue and model"
    if level:
        mc = forecast_doc["monte_carlo"]
        title += f" ({level:.0%} intervals, {mc.get('draws')} draws, seed {mc.get('seed')})"
    return _base_layout(fig, title, len(issues), row_px=max(_ROW_PX, 40 + 24 * len(models)))


def trajectory_figure(scenario: Scenario, forecast_doc: Mapping[str, Any]) -> go.Figure | None:
    """Round-by-round path of the dynamic models (expected-utility model): every actor's
    position, the median (the forecast) and the weighted mean. ``None`` without traces."""
    recs = [r for r in forecast_doc.get("results", []) if r.get("trace")]
    if not recs:
        return None
    # user text, escaped once here: Plotly reads titles, legends and hover text as HTML
    labels = {i.id: _esc(i.label or i.id) for i in scenario.issues}
    names = {a.id: _esc(a.name or a.id) for a in scenario.actors}
    colors = _actor_colors(scenario)
    fig = make_subplots(
        rows=len(recs),
        cols=1,
        subplot_titles=[f"{r['model']}: {labels.get(r['issue'], r['issue'])}" for r in recs],
        vertical_spacing=min(0.35 / len(recs), 0.12),
    )
    shown: set[str] = set()
    traces: list[tuple[go.Scatter, int]] = []
    for row, rec in enumerate(recs, start=1):
        trace = rec["trace"]
        rounds = [t["round"] for t in trace]
        actors = list(dict.fromkeys(a for t in trace for a in t.get("positions", {})))
        for a in actors:
            traces.append(
                (
                    go.Scatter(
                        x=rounds,
                        y=[t["positions"].get(a) for t in trace],
                        mode="lines+markers",
                        name=names.get(a, a),
                        legendgroup=a,
                        showlegend=a not in shown,
                        line=dict(width=1.2, color=colors.get(a, "#999")),
                        marker=dict(size=4),
                        opacity=0.75,
                        hovertemplate=f"{names.get(a, _esc(a))}: %{{y:.2f}} (round %{{x}})"
                        "<extra></extra>",
                    ),
                    row,
                )
            )
            shown.add(a)
        for key, dash, width in (("median", "solid", 3.5), ("mean", "dot", 2.5)):
            traces.append(
                (
                    go.Scatter(
                        x=rounds,
                        y=[t[key] for t in trace],
                        mode="lines",
                        name=key,
                        legendgroup=key,
                        showlegend=key not in shown,
                        line=dict(width=width, color="#111", dash=dash),
                        hovertemplate=f"{key}: %{{y:.2f}} (round %{{x}})<extra></extra>",
                    ),
                    row,
                )
            )
            shown.add(key)
        issue = next((i for i in scenario.issues if i.id == rec["issue"]), None)
        if issue is not None:
            fig.update_yaxes(range=list(issue.scale), row=row, col=1)
        fig.update_xaxes(title_text="round" if row == len(recs) else None, dtick=1, row=row, col=1)
    _add_all(fig, traces, [], [])
    return _base_layout(
        fig, "Expected-utility dynamics: positions, median and mean per round", len(recs)
    )


def tornado_figure(
    bars: Sequence[Mapping[str, Any]],
    *,
    title: str,
    base: float | None = None,
    xlabel: str = "output",
) -> go.Figure | None:
    """Tornado chart: for each input, the output at its low and high setting.

    ``bars`` are ``{"name", "low", "high"}`` (outputs), drawn widest first.
    """
    bars = [b for b in bars if b.get("low") is not None and b.get("high") is not None]
    if not bars:
        return None
    bars = sorted(bars, key=lambda b: abs(b["high"] - b["low"]))
    names = [_esc(_shorten(b["name"], 40)) for b in bars]
    lows = [min(b["low"], b["high"]) for b in bars]
    highs = [max(b["low"], b["high"]) for b in bars]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=[h - lo for lo, h in zip(lows, highs, strict=True)],
            base=lows,
            orientation="h",
            marker_color="#4c78a8",
            name="range",
            customdata=[[b["low"], b["high"]] for b in bars],
            hovertemplate="%{y}<br>low input → %{customdata[0]:.2f}<br>"
            "high input → %{customdata[1]:.2f}<extra></extra>",
        )
    )
    if base is not None:
        fig.add_vline(
            x=base, line_dash="dash", line_color="#d62728", annotation_text=f"base {base:.2f}"
        )
    fig.update_xaxes(title_text=xlabel)
    fig = _base_layout(fig, title, 1)
    fig.update_layout(height=max(260, 120 + 28 * len(bars)), showlegend=False)
    return fig


def experiment_figure(experiment_doc: Mapping[str, Any]) -> go.Figure | None:
    """Strategy experiments: each claim's effect (variant − baseline) with its interval,
    coloured by verdict."""
    claims = [c for c in experiment_doc.get("claims", []) if c.get("effect") is not None]
    if not claims:
        return None
    vcol = {"supported": "#2ca02c", "not supported": "#d62728", "inconclusive": "#7f7f7f"}
    fig = go.Figure()
    for verdict in dict.fromkeys(c.get("verdict", "inconclusive") for c in claims):
        sel = [c for c in claims if c.get("verdict", "inconclusive") == verdict]
        err = None
        if all(c.get("ci") for c in sel):
            err = dict(
                type="data",
                symmetric=False,
                array=[c["ci"][1] - c["effect"] for c in sel],
                arrayminus=[c["effect"] - c["ci"][0] for c in sel],
            )
        fig.add_trace(
            go.Scatter(
                x=[c["effect"] for c in sel],
                y=[_esc(_shorten(c.get("id", "?"), 40)) for c in sel],
                mode="markers",
                name=verdict,
                error_x=err,
                marker=dict(size=11, color=vcol.get(verdict, "#1f77b4")),
                customdata=[[c.get("claim", ""), c.get("metric", "")] for c in sel],
                hovertemplate=(
                    "%{customdata[0]}<br>%{customdata[1]}: effect %{x:.3f}<extra></extra>"
                ),
            )
        )
    fig.add_vline(x=0, line_color="#444")
    fig.update_xaxes(title_text="effect (variant − baseline)")
    fig = _base_layout(fig, "Strategy experiments: effect of each strategy", 1)
    fig.update_layout(height=max(260, 140 + 34 * len(claims)))
    return fig


def durability_figure(curves: Sequence[Mapping[str, Any]]) -> go.Figure | None:
    """Survival curves: probability that the ceasefire still holds after t days.

    ``curves`` are ``{"label", "days", "survival", "lower"?, "upper"?}``.
    """
    curves = [c for c in curves if c.get("days") and c.get("survival")]
    if not curves:
        return None
    fig = go.Figure()
    for k, c in enumerate(curves):
        color = _PALETTE[k % len(_PALETTE)]
        if c.get("lower") and c.get("upper"):
            fig.add_trace(
                go.Scatter(
                    x=list(c["days"]) + list(c["days"])[::-1],
                    y=list(c["upper"]) + list(c["lower"])[::-1],
                    fill="toself",
                    line=dict(width=0),
                    fillcolor=color,
                    opacity=0.2,
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        fig.add_trace(
            go.Scatter(
                x=c["days"],
                y=c["survival"],
                mode="lines",
                name=_esc(c.get("label", "survival")),
                line=dict(color=color, width=2.5, shape="hv"),
                hovertemplate="day %{x}: %{y:.1%} still holding<extra></extra>",
            )
        )
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%", title_text="still holding")
    fig.update_xaxes(title_text="days since the ceasefire began")
    return _base_layout(fig, "Ceasefire durability: survival curve", 2)


def compare_figure(
    scenario: Scenario, doc_a: Mapping[str, Any], doc_b: Mapping[str, Any], model: str
) -> go.Figure:
    """Two variants of a scenario side by side: one model's forecast per issue in A and B,
    as a share of each issue's scale (0 % = scale minimum)."""

    def share(doc: Mapping[str, Any]) -> dict[str, float]:
        out = {}
        for r in doc.get("results", []):
            if r["model"] == model:
                issue = next(i for i in scenario.issues if i.id == r["issue"])
                lo, hi = issue.scale
                out[r["issue"]] = 100 * (r["forecast"] - lo) / (hi - lo)
        return out

    a, b = share(doc_a), share(doc_b)
    labels = [_esc(i.label or i.id) for i in scenario.issues]  # Plotly reads tick labels as HTML
    fig = go.Figure()
    for name, vals, color, sym in (("A", a, "#1f77b4", "circle"), ("B", b, "#ff7f0e", "diamond")):
        fig.add_trace(
            go.Scatter(
                x=[vals.get(i.id) for i in scenario.issues],
                y=labels,
                mode="markers",
                name=name,
                marker=dict(size=13, color=color, symbol=sym),
                hovertemplate=f"{name}: %{{x:.1f}} % of scale<extra></extra>",
            )
        )
    for i, lab in zip(scenario.issues, labels, strict=True):
        if i.id in a and i.id in b:
            fig.add_shape(
                type="line",
                x0=a[i.id],
                x1=b[i.id],
                y0=lab,
                y1=lab,
                line=dict(color="#999", width=2),
            )
    fig.update_xaxes(range=[-3, 103], title_text="forecast, % of the issue's scale")
    fig.update_yaxes(autorange="reversed")
    fig = _base_layout(fig, f"Variant A vs B ({model})", 1)
    fig.update_layout(height=max(260, 120 + 38 * len(labels)))
    return fig
