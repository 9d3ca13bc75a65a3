"""Plotly figures: survival curves of described ceasefires, calibration, Kaplan-Meier."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # plotly is imported when a figure is drawn, not with the package
    import plotly.graph_objects as go

__all__ = ["calibration_figure", "survival_curve_figure"]

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def survival_curve_figure(
    predictions: list[dict[str, Any]],
    *,
    max_days: float = 365,
    km: tuple[list[float], list[float]] | None = None,
) -> go.Figure:
    """P(still holding) against days for predictions from ``predict_ceasefire``.

    Bootstrap bands are drawn when present; ``km`` adds the training Kaplan-Meier curve.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    for k, pred in enumerate(predictions):
        c = _COLOURS[k % len(_COLOURS)]
        curve = pred["curve"]
        days = [d for d in curve["days"] if d <= max_days]
        n = len(days)
        name = pred.get("label") or pred.get("id") or f"ceasefire {k + 1}"
        if "lo" in curve:
            fig.add_trace(
                go.Scatter(
                    x=days + days[::-1],
                    y=curve["hi"][:n] + curve["lo"][:n][::-1],
                    fill="toself",
                    line={"width": 0},
                    fillcolor=c,
                    opacity=0.18,
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        fig.add_trace(
            go.Scatter(x=days, y=curve["p"][:n], name=name, line={"color": c}, line_shape="hv")
        )
    if km is not None:
        t, s = km
        xs = [0.0] + [v for v in t if v <= max_days]
        ys = [1.0] + list(s[: len(xs) - 1])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                name="all ceasefires (Kaplan-Meier)",
                line={"color": "grey", "dash": "dot"},
                line_shape="hv",
            )
        )
    for h in (30, 90, 365):
        if h <= max_days:
            fig.add_vline(x=h, line={"color": "lightgrey", "width": 1})
    fig.update_layout(
        xaxis_title="days since the ceasefire took effect",
        yaxis_title="P(no breakdown yet)",
        yaxis_range=[0, 1.02],
        template="plotly_white",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def calibration_figure(rows: list[dict[str, Any]]) -> go.Figure:
    """Predicted vs observed survival per bin (rows from ``calibration_table``)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[0, 1],
            mode="lines",
            name="perfect",
            line={"color": "lightgrey", "dash": "dash"},
        )
    )
    for k, h in enumerate(sorted({r["horizon"] for r in rows})):
        rs = [r for r in rows if r["horizon"] == h]
        fig.add_trace(
            go.Scatter(
                x=[r["predicted"] for r in rs],
                y=[r["observed"] for r in rs],
                mode="markers+lines",
                name=f"{h} days",
                marker={"color": _COLOURS[k % len(_COLOURS)], "size": 9},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [r["observed_ci"][1] - r["observed"] for r in rs],
                    "arrayminus": [r["observed"] - r["observed_ci"][0] for r in rs],
                },
                text=[f"n={r['n']}" for r in rs],
            )
        )
    fig.update_layout(
        xaxis_title="predicted P(holds)",
        yaxis_title="observed (Kaplan-Meier)",
        xaxis_range=[0, 1],
        yaxis_range=[0, 1.02],
        template="plotly_white",
    )
    return fig
