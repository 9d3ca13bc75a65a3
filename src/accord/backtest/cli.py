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


def _coverage(cov: dict | None) -> str:
    if not cov:
        return "-"
    return "/".join(f"{100 * cov[k]:.0f}" for k in ("0.5", "0.8", "0.9") if k in cov)


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
        "cover 50/80/90",
        "CRPS",
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
            _coverage(r.get("coverage")),
            _fmt(r.get("crps")),
            r.get("evaluation", ""),
        )
    console.print(t)
    met = doc["target"]["met_by"]
    console.print(
        "Target (MAE >= 10% below compromise, paired CI excluding 0): "
        + (f"met by {', '.join(met)}" if met else "not met by any model")
    )
    console.print(
        "cover 50/80/90: share of outcomes (%) inside the central 50/80/90 % intervals of models "
        "that forecast a distribution; CRPS in points of the 0-100 scale (lower is better)."
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


@app.command()
def fit(
    path: Annotated[Path, typer.Argument(help="DEU-format file to fit on (tab-separated).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Coefficients JSON to write.")],
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the grouped folds.")] = 0,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Grouped CV folds.")] = 5,
    no_cv: Annotated[
        bool, typer.Option("--no-cv", help="Skip the nested CV scores (faster).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Fit the calibrated model on a DEU-format file; load it with
    --set calibrated.coefficients=FILE."""
    from accord.backtest._calibrate import fit_file
    from accord.backtest._deu import load_deu

    if load_deu(path).scored().n_issues < 2 * folds:
        raise InputError(
            f"too few scoreable issues to fit with {folds} grouped folds.",
            path=str(path),
            fix="use a larger DEU file or fewer --folds.",
        )
    with busy(f"Fitting the calibrated model on {path}", quiet=as_json):
        doc = fit_file(path, seed=seed, folds=folds, with_cv=not no_cv)
    import json

    try:
        write_atomic(output, json.dumps(doc, indent=1) + "\n")
    except OSError as e:
        raise InputError(f"cannot write ({e.strerror}).", path=str(output)) from None
    if as_json:
        emit_json(doc)
        return
    cv = doc.get("cv")
    out.print(f"wrote {output}: penalty {doc['penalty']['chosen']:g}, "
              f"{doc['provenance']['n_issues']} issues", markup=False)
    if cv:
        cov = cv["coverage"]
        out.print(
            f"nested grouped CV: MAE {cv['mae']:.2f} vs compromise {cv['compromise_mae']:.2f} "
            f"(difference {cv['diff_vs_compromise']:+.2f}, 95 % CI [{cv['diff_ci'][0]:+.2f}, "
            f"{cv['diff_ci'][1]:+.2f}]); coverage 50/80/90: {100 * cov['0.5']:.1f}/"
            f"{100 * cov['0.8']:.1f}/{100 * cov['0.9']:.1f}; CRPS {cv['crps']:.2f} "
            f"(compromise-errors {cv['baselines']['compromise-errors']['crps']:.2f}, "
            f"uniform {cv['baselines']['uniform']['crps']:.2f})",
            markup=False,
        )
