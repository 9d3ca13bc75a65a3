"""``accord backtest``: score models on real decisions. Wired by the lead with
``app.add_typer(backtest_app, name="backtest")``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from accord.cli_common import JsonOpt, busy, emit_json, make_app, out
from accord.errors import InputError
from accord.files import write_atomic
from accord.limits import SEED_MAX

app = make_app(None, "Score the models on real decisions (DEU data).")


@app.callback()
def _backtest() -> None:
    """Score the models on real decisions."""


def _fmt(v: object, digits: int = 2) -> str:
    if v is None:
        return "-"
    if isinstance(v, list):
        return "[" + ", ".join(_fmt(x, digits) for x in v) + "]"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def print_table(doc: dict, console: Console) -> None:
    """The leaderboard as a Rich table."""
    t = Table(
        title=f"DEU backtest: {doc['n_issues']} issues, {doc['n_proposals']} proposals, "
        f"capability {doc['capability']} (95% CIs: {doc['bootstrap']} proposal resamples)"
    )
    for col in (
        "model",
        "kind",
        "MAE",
        "95% CI",
        "RMSE",
        "MdAE",
        "Δ vs compromise",
        "Δ 95% CI",
        "evaluation",
    ):
        t.add_column(col, justify="left" if col in ("model", "kind", "evaluation") else "right")
    for r in doc["models"]:
        if r.get("status") != "ok":
            t.add_row(
                r["model"],
                r.get("kind", "model"),
                "failed",
                "",
                "",
                "",
                "",
                "",
                (r.get("error") or "")[:60],
                style="red",
            )
            continue
        t.add_row(
            r["model"],
            r.get("kind", ""),
            _fmt(r["mae"]),
            _fmt(r["ci"]),
            _fmt(r["rmse"]),
            _fmt(r["median_ae"]),
            _fmt(r.get("diff_vs_compromise")),
            _fmt(r.get("diff_ci")),
            r.get("evaluation", ""),
        )
    console.print(t)
    met = doc["target"]["met_by"]
    console.print(
        "Target (MAE >= 10% below compromise, paired CI excluding 0): "
        + (f"met by {', '.join(met)}" if met else "not met by any model")
    )
    if doc["problems"]:
        console.print(f"{len(doc['problems'])} problem(s) in the file:")
        for p in doc["problems"][:10]:
            console.print(f"  {p}")


@app.command()
def deu(
    path: Annotated[Path, typer.Argument(help="DEU-format file (tab-separated, quoted).")],
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="Model name (repeatable); all, base or fitted."),
    ] = None,
    train: Annotated[
        Path | None, typer.Option("--train", help="Fit fitted models on this file instead of CV.")
    ] = None,
    capability: Annotated[
        str, typer.Option("--capability", help="equal | gdp | council")
    ] = "equal",
    as_json: JsonOpt = False,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Write the per-issue forecasts to this CSV.")
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained HTML leaderboard.")
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", min=0, max=SEED_MAX, help="Seed for folds and bootstrap.")
    ] = 0,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", help="Bootstrap resamples of proposals.")
    ] = 2000,
    folds: Annotated[int, typer.Option("--folds", help="Grouped CV folds.")] = 5,
) -> None:
    """Score every model on DEU decisions: MAE, RMSE, median error with proposal-bootstrap CIs."""
    from accord.backtest._harness import backtest
    from accord.backtest._report import write_html

    if capability not in ("equal", "gdp", "council"):
        raise InputError(
            f"unknown capability {capability!r}.",
            field="--capability",
            fix="use equal, gdp or council.",
        )
    with busy(f"Backtesting on {path}", quiet=as_json):
        res = backtest(
            str(path),
            models=model or None,
            train=str(train) if train else None,
            capability=capability,
            seed=seed,
            n_boot=bootstrap,
            folds=folds,
        )
    if csv_out is not None:
        try:
            write_atomic(csv_out, res.per_issue.to_csv(index=False, float_format="%.6g"))
        except OSError as e:
            raise InputError(f"cannot write ({e.strerror}).", path=str(csv_out)) from None
    if html_out is not None:
        try:
            write_html(res.doc, html_out)
        except OSError as e:
            raise InputError(f"cannot write ({e.strerror}).", path=str(html_out)) from None
    if as_json:
        emit_json(res.doc)
    else:
        print_table(res.doc, out)
