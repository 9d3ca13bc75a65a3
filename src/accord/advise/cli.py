"""``accord advise``: the moves that raise one actor's expected utility most.

Registered in :mod:`accord.cli` with one line; heavy imports stay inside the command.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli_common import FIRST_RUN, JsonOpt, busy, emit_json, err, out
from accord.limits import SEED_MAX


def advise_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario file (.yaml, .yml, .json or .csv).")],
    actor: Annotated[str, typer.Option("--actor", "-a", help="The actor to advise (its id).")],
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Model (default: see accord.advise).")
    ] = None,
    draws: Annotated[
        int, typer.Option(min=1, max=1_000_000, help="Monte Carlo draws over the ranges.")
    ] = 1000,
    seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="Random seed.")] = 0,
    level: Annotated[float, typer.Option(min=0.5, max=0.999, help="Interval level.")] = 0.8,
    top: Annotated[int, typer.Option(min=1, help="Moves shown in the table.")] = 12,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a model setting: MODEL.KEY=VALUE (repeatable)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Advice for one side: its expected utility and the moves that raise it most."""
    from accord.advise import advise
    from accord.forecast import parse_overrides
    from accord.scenario import load_scenario

    sc = load_scenario(file)
    t0 = time.perf_counter()
    with busy(f"Advising {actor} ({FIRST_RUN})", quiet=as_json):
        doc = advise(
            sc,
            actor,
            model=model,
            n_draws=draws,
            seed=seed,
            level=level,
            overrides=parse_overrides(set_ or []),
            source=str(file),
        )
    seconds = time.perf_counter() - t0
    if as_json:
        emit_json(doc)  # no timing inside: the same seed gives the same bytes
        return
    print_advice(sc, doc, top=top, seconds=seconds)


def print_advice(scenario: Any, doc: dict[str, Any], *, top: int, seconds: float) -> None:
    from rich.markup import escape
    from rich.table import Table

    names = {a.id: a.name or a.id for a in scenario.actors}
    labels = {i.id: i.label or i.id for i in scenario.issues}
    who = names.get(doc["actor"], doc["actor"])
    u = doc["utility"]
    out.print(
        f"Advice for {who} ({doc['model']} model, {doc['draws_evaluated']} draws, seed "
        f"{doc['seed']}): expected utility {u['expected']:.2f} "
        f"[{u['interval'][0]:.2f}, {u['interval'][1]:.2f}] (0 = every forecast at its ideal)",
        markup=False,
    )
    t = Table(title=f"{escape(str(who))}: ideal, forecast and distance per issue")
    for col in ("issue", "label", "ideal", "salience", "forecast", "distance"):
        t.add_column(col, justify="right" if col not in ("issue", "label") else "left")
    for k, row in u["issues"].items():
        t.add_row(k, escape(str(labels.get(k, k))), f"{row['ideal']:.1f}", f"{row['salience']:.0f}",
                  f"{row['forecast']:.1f}", f"{row['distance']:.1f}")
    out.print(t)
    level = f"{doc['level']:.0%}"
    moves = Table(title=f"Moves that raise {escape(str(who))}'s expected utility most")
    for col, just in (("#", "right"), ("move", "left"), ("gain", "right"),
                      (f"{level} interval", "right"), ("helps in", "right")):
        moves.add_column(col, justify=just, ratio=4 if col == "move" else None)
    for r in doc["moves"][:top]:
        lo, hi = r["interval"]
        moves.add_row(str(r["rank"]), escape(r["description"]), f"{r['gain']:+.2f}",
                      f"[{lo:+.2f}, {hi:+.2f}]", f"{r['share_helping']:.0%}")
    out.print(moves)
    if doc.get("note"):
        out.print(doc["note"], markup=False, style="dim")
    s = doc["search"]
    err.print(
        f"{s['screened']} moves screened on {s['screening_draws']} draws, {s['confirmed']} "
        f"confirmed on {doc['draws_evaluated']}; {s['model_runs']:,} model runs in "
        f"{seconds:.1f} s. Gain: change of utility, points of a 0-100 scale.",
        markup=False,
    )
