"""``accord explain``: why each model lands where it does, and the pivotal actors.

Registered in :mod:`accord.cli` with one line; heavy imports stay inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli_common import FIRST_RUN, JsonOpt, busy, emit_json, out

#: Pivotal actors listed per model and issue in the table.
TOP = 3


def explain_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario file (.yaml, .yml, .json or .csv).")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="Model name (repeatable) or 'all' (default: all)."),
    ] = None,
    issue: Annotated[
        list[str] | None, typer.Option("--issue", "-i", help="Only these issues (repeatable).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a model setting: MODEL.KEY=VALUE (repeatable)."),
    ] = None,
    pivotal: Annotated[
        bool,
        typer.Option(
            "--pivotal/--no-pivotal",
            help="Compute pivotal actors (5 extra runs per actor and issue).",
        ),
    ] = True,
    as_json: JsonOpt = False,
) -> None:
    """Explain every forecast: per model and issue, why it lands where it does."""
    from accord.explain import explain
    from accord.forecast import parse_overrides
    from accord.scenario import load_scenario

    sc = load_scenario(file)
    with busy(f"Explaining ({FIRST_RUN})", quiet=as_json):
        doc = explain(
            sc,
            model,
            issues=issue,
            overrides=parse_overrides(set_ or []),
            pivotal=pivotal,
            source=str(file),
        )
    if as_json:
        emit_json(doc)
        return
    print_explanations(sc, doc)


def _pivotal_line(entry: dict[str, Any], names: dict[str, str]) -> str:
    rows = [p for p in entry.get("pivotal", []) if p["influence"] > 0][:TOP]
    if not rows:
        return "pivotal: no single change of one actor moves this forecast"
    parts = []
    for p in rows:
        best = max(
            ("position_up", "position_down", "salience_up", "salience_down", "silenced"),
            key=lambda c: abs(p[c]),
        )
        parts.append(f"{names.get(p['actor'], p['actor'])} {p['influence']:.1f} ({_WHAT[best]})")
    return "pivotal (largest change of the forecast): " + "; ".join(parts)


_WHAT = {
    "position_up": "position +10%",
    "position_down": "position −10%",
    "salience_up": "salience +10",
    "salience_down": "salience −10",
    "silenced": "silenced",
}


def print_explanations(scenario: Any, doc: dict[str, Any]) -> None:
    """The explanation as text: per issue, one paragraph per model and its pivotal actors."""
    names = doc.get("actors", {})
    issues = {i.id: i for i in scenario.issues}
    out.print(f"Why the forecasts land where they do: {scenario.name}", markup=False,
              style="bold")
    for issue_id in doc["issues"]:
        iss = issues[issue_id]
        sq = "" if iss.status_quo is None else f", status quo {iss.status_quo:g}"
        out.print()
        out.print(
            f"{issue_id} · {iss.label or issue_id} (scale {iss.scale[0]:g}–{iss.scale[1]:g}{sq})",
            markup=False,
            style="bold underline",
        )
        for e in (e for e in doc["explanations"] if e["issue"] == issue_id):
            out.print(f"  {e['model']} → {e['forecast']:.2f}", markup=False, style="bold")
            out.print(f"    {e['summary']}", markup=False)
            if "pivotal" in e:
                out.print(f"    {_pivotal_line(e, names)}", markup=False, style="dim")
    if doc.get("pivotal_method"):
        out.print()
        out.print(f"Pivotal actors: {doc['pivotal_method']}.", markup=False, style="dim")
