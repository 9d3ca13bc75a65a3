"""Assemble the self-contained HTML report from a scenario and plain result documents.

One file, no network: Plotly's JavaScript is inlined once (first figure), every other figure
reuses it. All text that comes from a user (scenario names, labels, sources, notes) goes
through :func:`html.escape`; URLs become links only when they are plain ``http(s)`` addresses.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from accord.files import write_atomic
from accord.report import _figures as F
from accord.report._data import durability_curves, tornado_panels
from accord.report._explain import (
    EXTRA_PANELS,
    advice_section,
    convergence_html,
    explain_section,
)
from accord.scenario import Scenario
from accord.track_record import summary_line

__all__ = ["PANELS", "render_report", "write_report"]

#: Section ids of the report, in order (tests and links rely on them).
PANELS = (
    "summary",
    "issue-map",
    "forecast",
    "trajectory",
    "sensitivity",
    "experiments",
    "durability",
    "assumptions",
)

_URL = re.compile(r"https?://(?:(?!&quot;|&#x27;|&lt;|&gt;)[^\s<>\"'])+")
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;
background:#fafafa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1.5rem 2rem 4rem;background:#fff}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;
margin-top:2.5rem}h3{margin-bottom:.3rem}
nav a{margin-right:1rem;font-size:.9rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;vertical-align:top;text-align:left}
th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#8a5300;background:#fff6e5;border-left:4px solid #f0a020;padding:.4rem .8rem}
.omitted{color:#666}.small{font-size:.85rem;color:#555}
details pre{background:#f6f6f6;padding:.8rem;overflow:auto;font-size:.8rem;max-height:40rem}
dl{margin:.2rem 0}dt{font-weight:600}dd{margin:0 0 .3rem 1.2rem}
ul{margin:.2rem 0;padding-left:1.3rem}
.verdict-supported{color:#2ca02c;font-weight:600}
.verdict-not-supported{color:#d62728;font-weight:600}
.lead{font-size:1.25rem}
"""


def esc(value: Any) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape(str(value), quote=True)


def linkify(value: Any) -> str:
    """Escape text, then turn plain http(s) URLs into links (never other schemes)."""

    def repl(m: re.Match[str]) -> str:
        url = m.group(0)
        tail = ""
        while url and url[-1] in ".,;:)]":
            tail = url[-1] + tail
            url = url[:-1]
        return f'<a href="{url}" rel="noopener noreferrer">{url}</a>{tail}'

    return _URL.sub(repl, esc(value))


def _num(x: Any, digits: int = 2) -> str:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return esc(x)
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def _tree(value: Any, depth: int = 0) -> str:
    """Free-form meta (nested dicts/lists of text) as nested HTML lists, escaped."""
    if depth > 12:
        return esc(json.dumps(value, default=str)[:500])
    if isinstance(value, Mapping):
        if not value:
            return ""
        items = "".join(
            f"<dt>{esc(k)}</dt><dd>{_tree(v, depth + 1)}</dd>" for k, v in value.items()
        )
        return f"<dl>{items}</dl>"
    if isinstance(value, list | tuple):
        if all(not isinstance(v, Mapping | list | tuple) for v in value) and len(value) <= 3:
            return ", ".join(linkify(v) for v in value)
        return "<ul>" + "".join(f"<li>{_tree(v, depth + 1)}</li>" for v in value) + "</ul>"
    return linkify(value)


class _Figures:
    """Collects figure HTML; the first figure carries Plotly's JavaScript."""

    def __init__(self) -> None:
        self.count = 0

    def html(self, fig: Any, div_id: str) -> str:
        first = self.count == 0
        self.count += 1
        return fig.to_html(
            full_html=False,
            include_plotlyjs=True if first else False,
            div_id=div_id,
            config={"displaylogo": False, "responsive": True},
        )


def _track_record(doc: Mapping[str, Any]) -> str:
    """The models' error on real decisions, beside their forecasts (``doc["track_record"]``)."""
    line = summary_line(doc.get("track_record") or {})
    return f'<p class="small" id="track-record">{esc(line)}</p>' if line else ""


def _note(notes: list[str], prefix: str, default: str) -> str:
    """The first note starting with ``prefix`` (why a panel is missing), else ``default``."""
    return next((n for n in notes if n.startswith(prefix)), default)


def _omitted(panel: str, title: str, why: str) -> str:
    return (
        f'<section id="{panel}" class="panel omitted" data-panel="{panel}" '
        f'data-omitted="true"><h2>{esc(title)}</h2><p class="note">{esc(why)}</p></section>'
    )


def _section(panel: str, title: str, body: str) -> str:
    return (
        f'<section id="{panel}" class="panel" data-panel="{panel}"><h2>{esc(title)}</h2>'
        f"{body}</section>"
    )


def _output_label(scenario: Scenario, output: str, model: Any) -> tuple[str, str]:
    """Title and axis label of a sensitivity output: a sensitivity document names issues by
    id (often one letter), readers need the issue's label and scale."""
    issue = next((i for i in scenario.issues if i.id == output), None)
    who = f"the {model} forecast" if model else "the forecast"
    if issue is None:
        return f"{who}: {output}", output
    label = issue.label or issue.id
    lo, hi = issue.scale
    return (
        f"{who}: {label} ({issue.id})",
        f"{model or 'forecast'} forecast on {_shorten(label)} (scale {lo:g}–{hi:g})",
    )


def _shorten(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _flat_outputs(scenario: Scenario, doc: Any) -> list[str]:
    """Issues of a sensitivity document on which no input had any effect (empty tornado)."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("issues"), list):
        return []
    labels = {i.id: i.label or i.id for i in scenario.issues}
    return [
        labels.get(str(it.get("issue")), str(it.get("issue")))
        for it in doc["issues"]
        if isinstance(it, Mapping) and it.get("issue") is not None and not it.get("tornado")
    ]


def _forecast_table(scenario: Scenario, doc: Mapping[str, Any]) -> str:
    rows = doc.get("results", [])
    models = list(dict.fromkeys(r["model"] for r in rows))
    level = doc.get("monte_carlo", {}).get("level")
    head = "".join(f"<th>{esc(m)}</th>" for m in models)
    body = []
    for issue in scenario.issues:
        cells = []
        for m in models:
            rec = next((r for r in rows if r["model"] == m and r["issue"] == issue.id), None)
            if rec is None:
                cells.append("<td></td>")
                continue
            attrs = (
                f'data-model="{esc(m)}" data-issue="{esc(issue.id)}" '
                f'data-value="{rec["forecast"]!r}"'
            )
            text = f"{rec['forecast']:.2f}"
            if rec.get("interval"):
                lo, hi = rec["interval"]
                attrs += f' data-low="{lo!r}" data-high="{hi!r}"'
                text += f' <span class="small">[{lo:.1f}, {hi:.1f}]</span>'
            cells.append(f'<td class="num forecast" {attrs}>{text}</td>')
        body.append(
            f"<tr><th>{esc(issue.label or issue.id)} <span class='small'>"
            f"({esc(issue.id)})</span></th>{''.join(cells)}</tr>"
        )
    caption = "Forecast per issue (model columns)"
    if level:
        mc = doc["monte_carlo"]
        caption += (
            f"; brackets: {level:.0%} Monte Carlo interval over {mc.get('draws')} draws, "
            f"seed {mc.get('seed')}"
        )
    return (
        f'<table id="forecast-table"><caption>{esc(caption)}</caption>'
        f"<tr><th>issue</th>{head}</tr>{''.join(body)}</table>"
    )


def _setting(value: Any) -> str:
    """A model setting as a reader would write it (``None`` means no limit / not set)."""
    return "none" if value is None else str(value)


def _models_table(doc: Mapping[str, Any]) -> str:
    models = doc.get("models", {})
    if not models:
        return ""
    rows = "".join(
        f"<tr><th>{esc(m)}</th>"
        f"<td>{esc(', '.join(f'{k}={_setting(v)}' for k, v in p.items()) or '—')}</td></tr>"
        for m, p in models.items()
    )
    return f'<table id="model-settings"><tr><th>model</th><th>settings</th></tr>{rows}</table>'


def _claims_table(doc: Mapping[str, Any]) -> str:
    rows = []
    for c in doc.get("claims", []):
        verdict = str(c.get("verdict", ""))
        ci = c.get("ci")
        rows.append(
            f'<tr class="claim" data-id="{esc(c.get("id", ""))}"><td>{esc(c.get("id", ""))}</td>'
            f"<td>{esc(c.get('claim', ''))}</td><td>{esc(c.get('metric', ''))}</td>"
            f'<td class="num">{_num(c.get("baseline"), 3)}</td>'
            f'<td class="num">{_num(c.get("variant"), 3)}</td>'
            f'<td class="num" data-value="{esc(c.get("effect"))}">{_num(c.get("effect"), 3)}</td>'
            f'<td class="num">{"" if not ci else f"[{_num(ci[0], 3)}, {_num(ci[1], 3)}]"}</td>'
            f'<td class="verdict-{esc(verdict.replace(" ", "-"))}">{esc(verdict)}</td>'
            f'<td class="num">{_num(c.get("robustness"), 2)}</td></tr>'
        )
    return (
        '<table id="claims-table"><tr><th>id</th><th>claim</th><th>metric</th>'
        "<th>baseline</th><th>variant</th><th>effect</th><th>CI</th><th>verdict</th>"
        f"<th>robustness</th></tr>{''.join(rows)}</table>"
    )


def _tornado_table(panel: Mapping[str, Any], k: int) -> str:
    rows = "".join(
        f'<tr><td>{esc(b["name"])}</td><td class="num">{b["low"]:.3f}</td>'
        f'<td class="num">{b["high"]:.3f}</td><td class="num">{abs(b["high"] - b["low"]):.3f}'
        "</td></tr>"
        for b in sorted(panel["bars"], key=lambda b: -abs(b["high"] - b["low"]))
    )
    return (
        f'<details><summary>Numbers</summary><table class="tornado-table" id="tornado-{k}">'
        "<tr><th>input</th><th>output at low</th><th>output at high</th><th>swing</th></tr>"
        f"{rows}</table></details>"
    )


def _sobol_table(rows: Sequence[Mapping[str, Any]], k: int) -> str:
    """Sobol indices of one output: first-order S1 (the input alone) and total ST (with its
    interactions), each with its bootstrap half-width when given; largest ST first."""

    def val(r: Mapping[str, Any], key: str) -> str:
        x, conf = r.get(key), r.get(f"{key}_conf")
        text = _num(x, 3) if x is not None else ""
        if isinstance(conf, int | float) and not isinstance(conf, bool):
            text += f" ± {conf:.3f}"
        return text

    def total(r: Mapping[str, Any]) -> float:
        x = r.get("ST")
        return -float(x) if isinstance(x, int | float) and not isinstance(x, bool) else 0.0

    body = "".join(
        f'<tr><td>{esc(str(r.get("input", "?")))}</td><td class="num">{val(r, "S1")}</td>'
        f'<td class="num">{val(r, "ST")}</td></tr>'
        for r in sorted(rows, key=total)
    )
    return (
        f'<table class="sobol-table" id="sobol-{k}"><caption>Sobol indices (share of the '
        "output's variance): S1 the input alone, ST with its interactions</caption>"
        f"<tr><th>input</th><th>S1</th><th>ST</th></tr>{body}</table>"
    )


def _pct(x: Any) -> str:
    return f"{x:.0%}" if isinstance(x, int | float) and not isinstance(x, bool) else ""


def _fitted_on(doc: Mapping[str, Any]) -> str:
    """What the durability model was fitted on (``fitted_on`` of the predict document)."""
    text = doc.get("fitted_on")
    if not isinstance(text, str) or not text:
        return ""
    return f'<p class="small fitted-on">Durability model: {esc(text)}.</p>'


def _durability_table(doc: Mapping[str, Any]) -> str:
    """Numbers behind the survival curves (``accord durability predict --json``): chance the
    ceasefire still holds at each horizon with its interval, median duration, hazard ratio."""
    preds = [p for p in doc.get("predictions", []) if isinstance(p, Mapping)]
    preds = [p for p in preds if isinstance(p.get("survival"), Mapping)]
    if not preds:
        return ""
    horizons = sorted(
        {h for p in preds for h in p["survival"]},
        key=lambda h: float(h) if str(h).replace(".", "", 1).isdigit() else float("inf"),
    )
    levels = {p.get("level") for p in preds if isinstance(p.get("level"), int | float)}
    level = f"{levels.pop():.0%} " if len(levels) == 1 else ""
    rows = []
    for p in preds:
        cells = []
        for h in horizons:
            rec = p["survival"].get(h)
            if not isinstance(rec, Mapping):
                cells.append("<td></td>")
                continue
            text = _pct(rec.get("p"))
            iv = rec.get("interval")
            if isinstance(iv, list | tuple) and len(iv) == 2:
                text += f' <span class="small">[{_pct(iv[0])}, {_pct(iv[1])}]</span>'
            cells.append(f'<td class="num" data-horizon="{esc(h)}">{text}</td>')
        median = p.get("median_days")
        med = f"{median:g}" if isinstance(median, int | float) else "beyond the data"
        hr = p.get("hazard_ratio_vs_average")
        assumed = p.get("assumed") or []
        note = (
            '<br><span class="small">assumed (not in the file): '
            f"{esc(', '.join(map(str, assumed)))}</span>"
            if assumed
            else ""
        )
        rows.append(
            f'<tr data-id="{esc(p.get("id", ""))}"><th>{esc(p.get("label") or p.get("id", ""))}'
            f"{note}</th>{''.join(cells)}<td class='num'>{esc(med)}</td>"
            f"<td class='num'>{_num(hr, 2)}</td></tr>"
        )
    head = "".join(f"<th>{esc(h)} days</th>" for h in horizons)
    return (
        '<table id="durability-table"><caption>Chance the ceasefire still holds after each '
        f"horizon (brackets: {esc(level)}interval); median duration in days; hazard of breakdown "
        "relative to the average ceasefire in the fitting data</caption>"
        f"<tr><th>ceasefire</th>{head}<th>median days</th><th>hazard ratio</th></tr>"
        f"{''.join(rows)}</table>"
    )


def _scalars(doc: Mapping[str, Any]) -> str:
    items = {
        k: v
        for k, v in doc.items()
        if isinstance(v, str | int | float | bool)
        or (isinstance(v, Mapping) and all(isinstance(x, int | float) for x in v.values()))
    }
    if not items:
        return ""
    return _tree(items)


def _assumptions(scenario: Scenario, scenario_text: str | None) -> str:
    parts = []
    if scenario.description:
        parts.append(f"<h3>Description</h3><p>{linkify(scenario.description)}</p>")
    # issues
    rows = []
    for i in scenario.issues:
        desc = f"<br><span class=small>{linkify(i.description)}</span>" if i.description else ""
        anchors = "".join(
            f"<li><b>{p:g}</b>: {linkify(t)}</li>" for p, t in sorted(i.anchors.items())
        )
        rows.append(
            f'<tr data-issue="{esc(i.id)}"><td>{esc(i.id)}</td><td>{esc(i.label or "")}'
            f"{desc}"
            f"</td><td>{i.scale[0]:g}–{i.scale[1]:g}</td>"
            f"<td>{'' if i.status_quo is None else f'{i.status_quo:g}'}</td>"
            f"<td>{'<ul>' + anchors + '</ul>' if anchors else ''}</td><td>{_tree(i.meta)}</td></tr>"
        )
    parts.append(
        '<h3>Issues</h3><table id="issues-table"><tr><th>id</th><th>label</th>'
        "<th>scale</th><th>status quo</th><th>anchors</th><th>notes</th></tr>"
        f"{''.join(rows)}</table>"
    )
    # actors: numbers
    head = "".join(f"<th>{esc(i.id)}</th>" for i in scenario.issues)
    rows = []
    for a in scenario.actors:
        cells = []
        for i in scenario.issues:
            if i.id not in a.positions:
                cells.append('<td class="small">—</td>')
                continue
            txt = f"{a.positions[i.id]:g} <span class='small'>(s {a.salience[i.id]:g})</span>"
            if i.id in a.ranges:
                lo, hi = a.ranges[i.id]
                txt += f"<br><span class='small'>range {lo:g}–{hi:g}</span>"
            cells.append(
                f'<td class="num" data-actor="{esc(a.id)}" data-issue="{esc(i.id)}" '
                f'data-position="{a.positions[i.id]!r}">{txt}</td>'
            )
        cap = f"{a.capability:g}"
        if a.capability_range:
            lo, hi = a.capability_range
            cap += f"<br><span class='small'>{lo:g}–{hi:g}</span>"
        rows.append(
            f'<tr data-actor="{esc(a.id)}"><th>{esc(a.name or a.id)}<br>'
            f"<span class='small'>{esc(a.id)}</span></th><td class='num'>{cap}</td>"
            f"{''.join(cells)}</tr>"
        )
    parts.append(
        "<h3>Actors: positions (salience) and uncertainty ranges</h3>"
        '<table id="actors-table"><tr><th>actor</th><th>capability</th>'
        f"{head}</tr>{''.join(rows)}</table>"
    )
    # actors: sources and rationales
    for a in scenario.actors:
        src = "".join(f"<li>{linkify(s)}</li>" for s in a.sources)
        parts.append(
            f'<div class="actor-notes" data-actor="{esc(a.id)}"><h3>{esc(a.name or a.id)}</h3>'
            + (f"<p><b>Sources</b></p><ul class='sources'>{src}</ul>" if src else "")
            + (f"<p><b>Rationales and notes</b></p>{_tree(a.meta)}" if a.meta else "")
            + "</div>"
        )
    if scenario.models:
        parts.append(f"<h3>Model settings in the file</h3>{_tree(scenario.models)}")
    for key in ("ceasefire", "strategy"):
        val = getattr(scenario, key)
        if val:
            parts.append(f"<h3>{esc(key)}</h3>{_tree(val)}")
    if scenario.meta:
        parts.append(
            f'<h3>Scenario notes and sources</h3><div id="scenario-meta">'
            f"{_tree(scenario.meta)}</div>"
        )
    if scenario_text:
        parts.append(
            "<details id='scenario-file'><summary>The scenario file as given "
            f"(with its comments)</summary><pre>{esc(scenario_text)}</pre></details>"
        )
    return "".join(parts)


def _json_script(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, allow_nan=False, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="accord-data">{text}</script>'


def render_report(
    scenario: Scenario,
    *,
    forecast: Mapping[str, Any],
    scenario_text: str | None = None,
    sensitivity: Mapping[str, Any] | Sequence[Any] | None = None,
    experiment: Mapping[str, Any] | None = None,
    durability: Mapping[str, Any] | None = None,
    notes: Sequence[str] = (),
    settings: Mapping[str, Any] | None = None,
    explain: Mapping[str, Any] | None = None,
    advice: Mapping[str, Any] | None = None,
) -> str:
    """The whole report as one HTML string.

    Parameters
    ----------
    scenario : Scenario
        The scenario (for the issue map and the assumptions).
    forecast : dict
        The ``accord forecast --json`` document (with intervals and traces when computed).
    scenario_text : str, optional
        The file as written; shown verbatim so its comments (rationales) are kept.
    sensitivity, experiment, durability : dict, optional
        Documents of the optional panels; a panel without its document says why it is empty.
    explain, advice : dict, optional
        ``accord explain --json`` / ``accord advise --json`` documents: their panels appear
        only when given.
    notes : list of str
        Messages about what was left out, shown at the top.
    settings : dict, optional
        How the report was made (draws, seed, version), shown in the summary.
    """
    from accord import __version__

    figs = _Figures()
    notes = list(notes)
    settings = dict(settings or {})
    settings.setdefault("accord_version", __version__)
    sections = []

    # accord's headline forecast first, when the calibrated model ran
    from accord.report._headline import HEADLINE_PANEL, headline_section

    head = headline_section(forecast)
    if head:
        sections.append(_section(HEADLINE_PANEL, "accord's forecast", head))

    # summary
    summary = []
    if scenario.description:
        summary.append(f"<p>{linkify(scenario.description)}</p>")
    summary.append(
        f"<p class='small'>{len(scenario.actors)} actors, {len(scenario.issues)} issues. "
        + "; ".join(f"{esc(k)}: {esc(v)}" for k, v in settings.items() if v is not None)
        + "</p>"
    )
    if notes:
        summary.append(
            '<ul id="notes">' + "".join(f'<li class="note">{esc(n)}</li>' for n in notes) + "</ul>"
        )
    sections.append(_section("summary", "Summary", "".join(summary)))

    sections.append(
        _section(
            "issue-map",
            "Issue map",
            "<p class='small'>Each actor's position on each issue's scale; marker area grows with "
            "capability × salience; dashed line: status quo; ticks: scale anchors "
            "(full texts under "
            "Assumptions).</p>" + figs.html(F.issue_map_figure(scenario), "fig-issue-map"),
        )
    )
    sections.append(
        _section(
            "forecast",
            "Forecasts",
            figs.html(F.forecast_figure(scenario, forecast), "fig-forecast")
            + _forecast_table(scenario, forecast)
            + convergence_html(scenario, forecast)
            + _track_record(forecast)
            + _models_table(forecast),
        )
    )
    traj = F.trajectory_figure(scenario, forecast)
    if traj is None:
        sections.append(
            _omitted(
                "trajectory",
                "Expected-utility dynamics",
                "No dynamic model (such as eum) with a round-by-round trace was run.",
            )
        )
    else:
        sections.append(
            _section("trajectory", "Expected-utility dynamics", figs.html(traj, "fig-trajectory"))
        )

    extra = {"explain": explain, "advice": advice}
    for panel, title, body in (
        ("explain", "Why these forecasts", explain_section),
        ("advice", "Advice for one side", advice_section),
    ):
        if extra[panel]:
            sections.append(_section(panel, title, body(scenario, extra[panel], figs.html)))

    panels = tornado_panels(sensitivity)
    if panels:
        body = (
            "<p class='small'>One input at a time from its low to its high value; bars span "
            "the resulting outputs, widest first.</p>"
        )
        model = sensitivity.get("model") if isinstance(sensitivity, Mapping) else None
        for k, p in enumerate(panels):
            what, xlabel = _output_label(scenario, p["title"], model)
            fig = F.tornado_figure(
                p["bars"], title=f"Sensitivity of {what}", base=p["base"], xlabel=xlabel
            )
            body += figs.html(fig, f"fig-tornado-{k}") + _tornado_table(p, k)
            if p.get("sobol"):
                body += _sobol_table(p["sobol"], k)
        if (
            isinstance(sensitivity, Mapping)
            and sensitivity.get("sobol")
            and not any(p.get("sobol") for p in panels)
        ):
            body += f"<h3>Sobol indices</h3>{_tree(sensitivity['sobol'])}"
        flat = _flat_outputs(scenario, sensitivity)
        if flat:
            body += (
                '<p class="small" id="sensitivity-flat">No input with a range moves the forecast '
                f"on: {esc(', '.join(flat))}.</p>"
            )
        sections.append(_section("sensitivity", "Sensitivity", body))
    else:
        why = _note(notes, "Sensitivity", "No sensitivity analysis was given or computed.")
        sections.append(_omitted("sensitivity", "Sensitivity", why))

    if experiment and experiment.get("claims"):
        fig = F.experiment_figure(experiment)
        body = (figs.html(fig, "fig-experiments") if fig is not None else "") + _claims_table(
            experiment
        )
        sections.append(_section("experiments", "Strategy experiments", body))
    else:
        why = _note(notes, "Strategy", "No strategy experiments were given or computed.")
        sections.append(_omitted("experiments", "Strategy experiments", why))

    curves = durability_curves(durability)
    if curves:
        fig = F.durability_figure(curves)
        sections.append(
            _section(
                "durability",
                "Ceasefire durability",
                _fitted_on(durability or {})
                + figs.html(fig, "fig-durability")
                + _durability_table(durability or {})
                + _scalars(durability or {}),
            )
        )
    else:
        why = _note(notes, "Durability", "No durability prediction was given or computed.")
        sections.append(_omitted("durability", "Ceasefire durability", why))

    sections.append(
        _section("assumptions", "Assumptions and sources", _assumptions(scenario, scenario_text))
    )

    # the optional panels sit after the trajectory, before the sensitivity panel
    shown = list(PANELS)
    at = shown.index("sensitivity")
    shown[at:at] = [p for p in EXTRA_PANELS if extra[p]]
    if head:
        shown.insert(0, HEADLINE_PANEL)
    nav = "".join(f'<a href="#{p}">{p.replace("-", " ")}</a>' for p in shown)
    data = {
        "scenario": scenario.name,
        "forecast": forecast,
        "sensitivity": sensitivity,
        "experiment": experiment,
        "durability": durability,
        "explain": explain,
        "advice": advice,
        "notes": notes,
        "settings": settings,
    }
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<meta name='generator' content='accord {esc(__version__)}'>"
        f"<title>{esc(scenario.name)} — accord report</title><style>{_CSS}</style></head>"
        f"<body><main><h1>{esc(scenario.name)}</h1><nav>{nav}</nav>"
        + "".join(sections)
        + _json_script(data)
        + "</main></body></html>\n"
    )


def write_report(text: str, out: str | os.PathLike[str]) -> Path:
    """Write the report atomically (an existing ``out`` is overwritten only on success)."""
    return write_atomic(out, text)
