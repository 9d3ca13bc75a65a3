"""``accord sensitivity``: which uncertain inputs move each issue's forecast.

Registered in :mod:`accord.cli` with one line; heavy imports stay inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli_common import DaskOpt, JsonOpt, emit_json, out
from accord.limits import SEED_MAX

DistOpt = Annotated[
    str | None,
    typer.Option(
        "--distribution",
        help="Distribution of every ranged input: pert (default), triangular or uniform.",
    ),
]


def sensitivity_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario file with ranges.")],
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="Model (default: eum if available).")
    ] = None,
    n: Annotated[
        int, typer.Option("--n", min=2, help="Sobol base sample, a power of 2; N (D+2) runs.")
    ] = 1024,
    seed: Annotated[
        int, typer.Option(min=0, max=SEED_MAX, help="Seed of the Sobol sequence and bootstrap.")
    ] = 0,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a model setting: MODEL.KEY=VALUE (repeatable)."),
    ] = None,
    distribution: DistOpt = None,
    issue: Annotated[
        list[str] | None, typer.Option("--issue", help="Show only these issues (repeatable).")
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows per issue in the table.")] = 10,
    dask: DaskOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Tornado (one at a time) and Sobol indices (first, total order) of every issue."""
    from rich.table import Table

    from accord.errors import InputError
    from accord.forecast import parse_overrides
    from accord.models import available_models
    from accord.scenario import load_scenario
    from accord.uncertainty.sensitivity import sensitivity

    if dask is not None:
        from accord.uncertainty.distributed import parse_dask_spec

        parse_dask_spec(dask)  # before any work
    sc = load_scenario(file)
    name = model or ("eum" if "eum" in available_models() else "compromise")
    if name not in available_models():
        raise InputError(
            f"unknown model {name!r}.",
            field="--model",
            fix=f"use one of: {', '.join(available_models())}.",
        )
    if issue:
        unknown = [i for i in issue if i not in sc.issue_ids]
        if unknown:
            raise InputError(
                f"unknown issue {unknown[0]!r}.",
                path=str(file),
                field="--issue",
                fix=f"use one of: {', '.join(sc.issue_ids)}.",
            )
    res = sensitivity(
        sc,
        name,
        overrides=parse_overrides(set_ or []),
        n=n,
        seed=seed,
        distribution=distribution,
        dask=dask,
        progress=not as_json,
        source=str(file),
    )
    if as_json:
        doc = res.to_json()
        if issue:
            doc["issues"] = [d for d in doc["issues"] if d["issue"] in issue]
        emit_json(doc)
        return
    labels = {i.id: (i.label or "") for i in sc.issues}
    for k, iss in enumerate(res.issue_ids):
        if issue and iss not in issue:
            continue
        rows = res.issue_table(k, top=top, by="ST")
        table = Table(
            title=f"{iss} {labels[iss]}: {res.model} forecast {res.base[k]:.1f}",
            title_justify="left",
        )
        for col, just in (
            ("#", "right"),
            ("input", "left"),
            ("range", "right"),
            ("low → high", "right"),
            ("swing", "right"),
            ("S1", "right"),
            ("ST", "right"),
        ):
            wide = col == "input"
            table.add_column(
                col,
                justify=just,  # type: ignore[arg-type]
                no_wrap=wide,
                min_width=max((len(r["input"]) for r in rows), default=5) if wide else None,
            )
        for rank, r in enumerate(rows, 1):
            table.add_row(
                str(rank),
                r["input"],
                f"{r['range'][0]:g}–{r['range'][1]:g}",
                f"{r['at_low']:.1f} → {r['at_high']:.1f}",
                f"{r['swing']:.2f}",
                f"{r['S1']:.2f} ± {r['S1_conf']:.2f}",
                f"{r['ST']:.2f} ± {r['ST_conf']:.2f}",
            )
        out.print(table)
        ne = res.no_effect(k)
        shown = len(rows)
        rest = res.inputs.n_inputs - ne["both"] - shown
        note = f"{ne['both']} of {res.inputs.n_inputs} ranged inputs had no effect"
        if rest > 0:
            note += f"; {rest} more with a small effect not shown"
        out.print(f"[dim]{note}.[/dim]\n")
    out.print(
        f"Sobol: N = {res.n}, {res.n_runs:,} runs of {res.model}, inputs drawn from "
        f"{res.distribution}, seed {res.seed}; {res.seconds:.1f} s. Ranked by total order ST; "
        "swing = one-at-a-time |f(high) − f(low)|."
    )
