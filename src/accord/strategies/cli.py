"""``accord experiment``: test claims as comparisons of two scenario variants."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli_common import DaskOpt, JsonOpt, emit_json, err, out
from accord.limits import SEED_MAX
from accord.report import NoStoreOpt, StoreOpt


def experiment(
    file: Annotated[Path, typer.Argument(help="Experiment file (YAML), e.g. "
                                         "experiments/seed-claims.yaml.")],
    draws: Annotated[int | None, typer.Option(min=10, help="Monte Carlo draws per arm "
                                              "(default: the file's).")] = None,
    seed: Annotated[int | None, typer.Option(min=0, max=SEED_MAX, help="Random seed "
                                             "(default: the file's).")] = None,
    as_json: JsonOpt = False,
    hazard_from: Annotated[str | None, typer.Option(
        "--hazard-from", metavar="MODEL[:CEASEFIRE]",
        help="Set the baseline breach hazard from a durability model and a ceasefire described "
             "in the experiment's scenario: 'bundled' (the model fitted on civil-conflict "
             "ceasefires 1989-2014), 'bundled:ID' or ':ID', or a file from accord durability "
             "fit (PATH or PATH:ID).")] = None,
    dask: DaskOpt = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Run strategy experiments: per claim the effect, its interval, verdict and robustness."""
    from rich.table import Table

    from accord.strategies._experiment import run_experiment

    if dask is not None:
        from accord.uncertainty.distributed import parse_dask_spec

        parse_dask_spec(dask)  # before any work
    hazard = None
    if hazard_from:
        from accord.strategies._experiment import (
            hazard_from_durability,
            load_experiment,
            scenario_path,
        )

        model_path, _, cf_id = hazard_from.partition(":")
        sc_path = scenario_path(load_experiment(file), file)
        bundled = model_path.strip().lower() in ("", "bundled", "default")
        hazard = hazard_from_durability(None if bundled else model_path, sc_path, cf_id or None)
        if not as_json:
            err.print(f"baseline breach hazard: {hazard['source']}", markup=False,
                      soft_wrap=True)
    doc = run_experiment(file, draws=draws, seed=seed, progress=not as_json,
                         baseline_hazard=hazard, dask=dask)
    from accord.report import record_run

    if as_json:
        emit_json(doc)
        record_run("experiment", file, {"draws": doc.get("draws")}, doc.get("seed"), doc, store,
                   no_store)
        return
    from rich.markup import escape

    table = Table(title=f"{escape(doc['experiment'])}: {doc['draws']} draws per arm, "
                        f"seed {doc['seed']}")
    for col, just in (("claim", "left"), ("metric", "left"), ("baseline", "right"),
                      ("variant", "right"), ("effect [CI]", "right"), ("verdict", "left"),
                      ("robustness", "right")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    colour = {"supported": "green", "not supported": "red", "inconclusive": "yellow"}

    def num(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    for c in doc["claims"]:
        lo, hi = c["ci"]
        rob = "n/a" if c["robustness"] is None else f"{c['robustness']:.0%}"
        verdict = f"[{colour[c['verdict']]}]{c['verdict']}[/]"
        if c.get("mechanism_notes"):
            verdict += " [yellow]*[/]"  # a mechanism never acted: noted under the table
        table.add_row(c["id"], c["metric"], num(c["baseline"]), num(c["variant"]),
                      f"{num(c['effect'])} [{num(lo)}, {num(hi)}]", verdict, rob)
    out.print(table)
    for c in doc["claims"]:
        for n in c.get("mechanism_notes", []):
            out.print(f"[yellow]*[/] {c['id']}: mechanism idle: {n['note']}.", soft_wrap=True)
    for line in direction_notes(doc.get("scale_direction") or {}):
        out.print(line, markup=False)
    out.print(f"Intervals: {doc['claims'][0]['level']:.0%} paired bootstrap. Robustness: share "
              f"of {doc['sweep']['points']} sweep points with the same verdict. Verdicts hold "
              "only under the assumptions written in the experiment file.")
    record_run("experiment", file, {"draws": doc.get("draws")}, doc.get("seed"), doc, store,
               no_store)


def direction_notes(directions: dict[str, dict[str, str]]) -> list[str]:
    """Lines on issues whose scale runs the other way, or whose direction is unknown."""
    high = [k for k, d in directions.items() if d["a_end"] == "high"]
    unknown = [k for k, d in directions.items() if d["source"] == "undetermined"]
    lines = []
    if high:
        lines.append(f"Scale direction: side A wants the high end of {', '.join(high)}; "
                     "positions and term effects are counted from side A's end.")
    if unknown:
        lines.append(f"Scale direction of {', '.join(unknown)} undetermined (a side takes no "
                     "part, or both stand at one point): counted from the low end; declare "
                     "strategy.scale_direction to be sure.")
    return lines
