"""``accord durability``: fit, evaluate and apply the ceasefire durability model.

Wired into the main CLI with ``app.add_typer(durability_app, name="durability")``.
Bad input raises :class:`accord.errors.InputError`; the top-level ``main()`` turns it into one
line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli_common import JsonOpt, err, make_app, out
from accord.errors import InputError
from accord.limits import SEED_MAX
from accord.report import NoStoreOpt, StoreOpt

app = make_app(
    "durability", "Ceasefire durability: survival models on the ETH/PRIO ceasefire data."
)
UnclearOpt = Annotated[
    str, typer.Option(help="End date without a coded manner: breakdown | censor | drop.")
]


def _emit(doc: Any) -> None:
    import numpy as np

    def clean(v: Any) -> Any:
        if isinstance(v, float):
            return None if not math.isfinite(v) else round(v, 6)
        if isinstance(v, dict):
            return {str(k): clean(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [clean(x) for x in v]
        if isinstance(v, np.generic):
            return clean(v.item())
        return v

    sys.stdout.write(json.dumps(clean(doc), indent=2, sort_keys=True, allow_nan=False) + "\n")


def _read(data: Path, unclear_end: str, quiet: bool = False):  # noqa: ANN202
    from accord.durability import read_ceasefires

    cd = read_ceasefires(data, unclear_end=unclear_end)
    if not quiet:
        for w in cd.warnings:
            err.print(f"warning: {data}: {w}", markup=False, soft_wrap=True)
    if cd.table.empty:
        raise InputError("no ceasefire with a usable outcome in the file", path=str(data))
    return cd


def _f(v: float | None, nd: int = 3) -> str:
    return "—" if v is None or not math.isfinite(v) else f"{v:.{nd}f}"


@app.command("fit")
def fit_cmd(
    data: Annotated[Path, typer.Argument(help="ETH/PRIO ceasefire CSV.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Model file to write (JSON).")],
    max_year: Annotated[
        int | None, typer.Option(help="Fit only on ceasefires declared up to this year.")
    ] = None,
    bootstrap: Annotated[
        int,
        typer.Option(min=0, max=2000, help="Cluster-bootstrap refits for prediction intervals."),
    ] = 200,
    seed: Annotated[
        int, typer.Option(min=0, max=SEED_MAX, help="Random seed (CV folds, bootstrap).")
    ] = 0,
    penalty: Annotated[
        list[float] | None,
        typer.Option(help="Ridge penalty to try (repeatable; default 0.01 0.03 0.1 0.3)."),
    ] = None,
    unclear_end: UnclearOpt = "breakdown",
    as_json: JsonOpt = False,
) -> None:
    """Fit the durability model (feature set and penalty chosen by grouped CV)."""
    import numpy as np

    from accord.durability import fit_durability, save_model

    if penalty and any(not (p >= 0 and math.isfinite(p)) for p in penalty):
        raise InputError(
            f"must be >= 0 and finite, not {penalty}.",
            field="--penalty",
            fix="give ridge penalties such as --penalty 0.01 --penalty 0.1.",
        )
    if output.is_dir():  # found now, not after the fit
        raise InputError("is a folder.", path=str(output), fix="give a file such as model.json.")
    cd = _read(data, unclear_end)
    table = cd.table if max_year is None else cd.table[cd.table["year"] <= max_year]
    if len(table) == 0:
        raise InputError(
            f"no ceasefire declared up to {max_year}.",
            path=str(data),
            field="--max-year",
            fix=f"use a year from {int(cd.table['year'].min())} on.",
        )
    if not as_json:
        err.print(
            f"fitting on {len(table)} ceasefires ({int(table['event'].sum())} "
            f"breakdowns); {bootstrap} bootstrap refits …"
        )
    kw = {"penalties": tuple(penalty)} if penalty else {}
    model = fit_durability(table, rng=np.random.default_rng(seed), n_boot=bootstrap, **kw)
    model.info.update({"data": Path(data).name, "unclear_end": unclear_end, "seed": seed})
    try:
        save_model(model, output)
    except OSError as e:
        raise InputError(
            f"cannot write the model ({e.strerror}).", path=str(output), fix="choose another -o."
        ) from None
    hrs = model.hazard_ratios()
    if as_json:
        _emit(
            {
                "model": str(output),
                "feature_set": model.feature_set,
                "penalizer": model.penalizer,
                "info": model.info,
                "hazard_ratios": hrs,
                "selection": model.selection,
            }
        )
        return
    tab = Table(
        title=f"Hazard ratios of breakdown (Cox, ridge {model.penalizer:g}, "
        f"features: {model.feature_set})"
    )
    for c in ("feature", "meaning", "HR", "95% CI", "p"):
        tab.add_column(c, justify="right" if c in ("HR", "p") else "left")
    for r in hrs:
        tab.add_row(
            r["feature"],
            r["description"],
            _f(r["hr"], 2),
            f"{_f(r['ci'][0], 2)}–{_f(r['ci'][1], 2)}",
            _f(r["p"], 3),
        )
    out.print(tab)
    sel = Table(title="Model selection (CV within the fitting data)")
    for c in ("features", "penalty", "grouped C", "grouped IBS", "time C", "time IBS"):
        sel.add_column(c)
    for r in model.selection:
        sel.add_row(
            r["feature_set"],
            ""
            if r["penalizer"] is None or not math.isfinite(r["penalizer"])
            else f"{r['penalizer']:g}",
            _f(r["grouped_c"]),
            _f(r["grouped_ibs"]),
            _f(r["time_c"]),
            _f(r["time_ibs"]),
        )
    out.print(sel)
    out.print(
        f"model written to {output} ({model.info['n']} ceasefires, "
        f"{model.info['events']} breakdowns, {model.info['n_boot']} bootstrap refits)"
    )


@app.command("evaluate")
def evaluate_cmd(
    model_path: Annotated[Path, typer.Argument(metavar="MODEL", help="Model file from fit.")],
    data: Annotated[Path, typer.Argument(help="ETH/PRIO ceasefire CSV to score on.")],
    split_year: Annotated[
        int | None,
        typer.Option(
            help="Time-ordered hold-out: refit on ceasefires declared <= YEAR (selection by CV "
            "inside that period), score on later ones."
        ),
    ] = None,
    from_year: Annotated[
        int | None, typer.Option(help="Score only ceasefires declared in or after this year.")
    ] = None,
    gbm: Annotated[
        bool,
        typer.Option(help="With --split-year, also score gradient-boosted discrete-time survival."),
    ] = True,
    seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="Random seed (CV folds).")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Score the model: concordance and integrated Brier score against Kaplan-Meier."""
    import numpy as np

    from accord.durability import evaluate_model, evaluate_split, load_model

    model = load_model(model_path)
    cd = _read(data, str(model.info.get("unclear_end", "breakdown")))
    table = cd.table
    if from_year is not None:
        table = table[table["year"] >= from_year]
    if split_year is not None:
        if not as_json:
            err.print(f"refitting on ceasefires declared <= {split_year} …")
        pens = model.info.get("penalties")
        res = evaluate_split(
            table,
            split_year,
            rng=np.random.default_rng(seed),
            gbm=gbm,
            penalties=tuple(pens) if pens else None,
        )
    else:
        yrs = model.info.get("years")
        if yrs and len(table) and table["year"].min() <= yrs[1] and not as_json:
            err.print(
                f"note: the model was fitted on {yrs[0]}–{yrs[1]}; ceasefires from "
                "those years are in-sample and flatter the scores"
            )
        res = evaluate_model(model, table)
    if as_json:
        _emit(res)
        return
    title = (
        f"fit ≤ {res['split_year']}, test {res['test_years'][0]}–{res['test_years'][1]}"
        if split_year is not None
        else f"scored on {data}"
    )
    tab = Table(title=f"Ceasefire durability — {title}: n={res['n']}, breakdowns={res['events']}")
    for c in ("model", "C-index", "IBS (1–365 d)"):
        tab.add_column(c, justify="right" if c != "model" else "left")
    for m in res["models"]:
        tab.add_row(m["model"], _f(m["c_index"]), _f(m["ibs"], 4))
    out.print(tab)
    cal = Table(title="Calibration: predicted vs observed P(holds)")
    for c in ("horizon", "bin", "n", "predicted", "observed (KM)", "95% CI"):
        cal.add_column(c, justify="right")
    for r in res["calibration"]:
        cal.add_row(
            f"{r['horizon']} d",
            str(r["bin"]),
            str(r["n"]),
            _f(r["predicted"]),
            _f(r["observed"]),
            f"{_f(r['observed_ci'][0])}–{_f(r['observed_ci'][1])}",
        )
    out.print(cal)
    verdict = "beats" if res["beats_km"] else "does NOT beat"
    out.print(
        f"Cox {verdict} Kaplan-Meier (C {_f(res['c_index'])} vs 0.5; IBS "
        f"{_f(res['ibs'], 4)} vs {_f(res['km']['ibs'], 4)})"
    )


ModelOpt = Annotated[
    Path | None,
    typer.Option(
        "--model",
        metavar="PATH",
        help="Model file from `accord durability fit` (default: the bundled model, fitted on "
        "civil-conflict ceasefires 1989-2014).",
        show_default=False,
    ),
]


@app.command("predict")
def predict_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario file with a top-level ceasefire: block.")],
    model_path: ModelOpt = None,
    level: Annotated[float, typer.Option(min=0.5, max=0.99, help="Interval level.")] = 0.9,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """P(a described ceasefire holds 30 / 90 / 365 days), with bootstrap intervals.

    Uses the bundled model (fitted on civil-conflict ceasefires 1989-2014) unless --model."""
    from accord.durability import (
        BUNDLED_MODEL,
        describe_model,
        load_or_bundled,
        predict_items,
        read_ceasefire_block,
    )
    from accord.report import record_run

    model = load_or_bundled(model_path)
    shown = "bundled" if model_path is None else str(model_path)
    fitted_on = describe_model(model)
    preds = predict_items(model, read_ceasefire_block(file), level=level, path=str(file))
    doc = {"file": str(file), "model": shown, "fitted_on": fitted_on, "level": level,
           "predictions": preds}
    settings = {"model": shown if model_path is not None else str(BUNDLED_MODEL.name),
                "level": level}
    if as_json:
        _emit(doc)
        record_run("durability", file, settings, None, doc, store, no_store)
        return
    tab = Table(
        title=f"P(no breakdown) — {level:.0%} bootstrap intervals",
        caption=f"Model ({shown}): {fitted_on}.",
    )
    tab.add_column("ceasefire")
    for h in ("30", "90", "365"):
        tab.add_column(f"{h} days", justify="right")
    tab.add_column("median", justify="right")
    for p in preds:
        cells = []
        for h in ("30", "90", "365"):
            s = p["survival"][h]
            iv = s.get("interval")
            cells.append(f"{s['p']:.2f}" + (f" [{iv[0]:.2f}, {iv[1]:.2f}]" if iv else ""))
        med = p["median_days"]
        tab.add_row(
            escape(p.get("label") or p.get("id") or ""),
            *cells,
            f"{med:g} d" if med is not None else "> 730 d",
        )
    km = preds[0]["survival"]
    tab.add_row(
        "all ceasefires (KM)", *[f"{km[h]['km_baseline']:.2f}" for h in ("30", "90", "365")], ""
    )
    out.print(tab)
    record_run("durability", file, settings, None, doc, store, no_store)
    for p in preds:
        if p["assumed"]:
            err.print(
                f"note: {p.get('id')}: assumed defaults for {', '.join(p['assumed'])}", markup=False
            )


@app.command("km")
def km_cmd(
    data: Annotated[Path, typer.Argument(help="ETH/PRIO ceasefire CSV.")],
    unclear_end: UnclearOpt = "breakdown",
    as_json: JsonOpt = False,
) -> None:
    """Kaplan-Meier P(holds) at 30/90/365 days by design feature, with competing-risk shares."""
    from accord.durability import km_by_feature

    cd = _read(data, unclear_end, quiet=as_json)
    rows = km_by_feature(cd.table)
    if as_json:
        _emit({"n": int(len(cd.table)), "events": int(cd.table["event"].sum()), "rows": rows})
        return
    tab = Table(title=f"Kaplan-Meier by feature ({len(cd.table)} ceasefires)")
    for c in (
        "feature",
        "level",
        "n",
        "30 d",
        "90 d",
        "365 d",
        "breakdown ≤365",
        "planned end ≤365",
        "log-rank p",
    ):
        tab.add_column(c, justify="left" if c == "feature" else "right")
    for r in rows:
        tab.add_row(
            r["feature"],
            str(r["level"]),
            str(r["n"]),
            _f(r["s30"], 2),
            _f(r["s90"], 2),
            _f(r["s365"], 2),
            _f(r["cif_breakdown_365"], 2),
            _f(r["cif_planned_365"], 2),
            _f(r["logrank_p"], 3),
        )
    out.print(tab)
