"""The ``accord`` command line: read, call, write. No model logic lives here.

Exit codes: 0 success, 2 bad input or usage (one message on stderr), 1 internal error.
With ``--json`` the JSON document is the only thing on stdout.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.limits import SEED_MAX

try:  # Typer >= 0.22 vendors click
    from typer._click import exceptions as _click_exceptions
except ImportError:  # pragma: no cover - older Typer uses click itself
    from click import exceptions as _click_exceptions

from accord import __version__
from accord.cli_common import (
    FIRST_RUN,
    JsonOpt,
    busy,
    emit_json,
    err,
    make_app,
    out,
    progress_line,
)
from accord.errors import InputError
from accord.report import NoStoreOpt, StoreOpt

app = make_app(
    "accord",
    "Model multi-party negotiations: forecast outcomes, test strategies, judge durability.",
)

FileArg = Annotated[Path, typer.Argument(help="Scenario file (.yaml, .yml, .json or KTAB .csv).")]

def _version(value: bool) -> None:
    if value:
        out.print(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """accord: forecast negotiations, test strategies, judge whether a ceasefire will hold."""


@app.command()
def validate(file: FileArg, as_json: JsonOpt = False) -> None:
    """Check a scenario file and print a summary."""
    from accord.scenario import load_scenario

    sc = load_scenario(file)
    if sc.models:  # settings under models: must pass here too, not fail later in forecast
        from accord.forecast import build_models

        build_models(sc, list(sc.models), source=str(file))
    if sc.strategy is not None or sc.ceasefire is not None:  # checked now, not mid-experiment
        from accord.strategies import check_blocks

        check_blocks(sc, source=str(file))
    rows = []
    for iss in sc.issues:
        held = [a.positions[iss.id] for a in sc.actors if iss.id in a.positions]
        rows.append(
            {
                "issue": iss.id,
                "label": iss.label or "",
                "scale": list(iss.scale),
                "actors": len(held),
                "min": min(held),
                "max": max(held),
                "status_quo": iss.status_quo,
            }
        )
    if as_json:
        emit_json({"file": str(file), "name": sc.name, "valid": True,
                   "actors": list(sc.actor_ids), "issues": rows})
        return
    # user text goes into Rich tables escaped: a name like "[red]x" is shown, not styled
    table = Table(title=f"{escape(sc.name)} — {len(sc.actors)} actors, {len(sc.issues)} issues")
    for col in ("issue", "label", "scale", "actors", "positions", "status quo"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["issue"], escape(r["label"]), f"{r['scale'][0]:g}–{r['scale'][1]:g}",
            str(r["actors"]),
            f"{r['min']:g}–{r['max']:g}", "" if r["status_quo"] is None else f"{r['status_quo']:g}",
        )
    out.print(table)
    out.print(f"[green]valid[/green]: {escape(str(file))}")


@app.command("forecast")
def forecast_cmd(
    file: FileArg,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="Model name (repeatable) or 'all' (default: all)."),
    ] = None,
    rounds: Annotated[
        int | None, typer.Option(min=0, max=10000, help="Rounds for dynamic models.")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a model setting: MODEL.KEY=VALUE (repeatable)."),
    ] = None,
    draws: Annotated[
        int, typer.Option(min=0, help="Monte Carlo draws over the scenario's ranges (0: none).")
    ] = 0,
    seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="Random seed for --draws.")] = 0,
    level: Annotated[float, typer.Option(min=0.5, max=0.999, help="Interval level.")] = 0.8,
    distribution: Annotated[
        str | None,
        typer.Option(help="Distribution of ranged inputs: pert (default), triangular, uniform."),
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option(help="Run --draws on Dask: local, local:N (N <= 2 per core) or "
                     "tcp://host:port / tls://host:port."),
    ] = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Forecast every issue of a scenario with one or more models."""
    from accord.forecast import forecast, parse_overrides
    from accord.models import REGISTRY
    from accord.scenario import load_scenario

    if dask is not None:  # checked before any work: an option that cannot act is refused
        from accord.uncertainty.distributed import parse_dask_spec

        parse_dask_spec(dask)
        if not draws:
            raise InputError(
                "--dask runs the Monte Carlo draws, and none were asked for.",
                field="--dask",
                fix="add --draws N (e.g. --draws 10000), or leave out --dask.",
            )
    sc = load_scenario(file)
    overrides = parse_overrides(set_ or [])
    if rounds is not None:
        names = model or ["all"]
        chosen = list(REGISTRY) if "all" in names else names
        for name in chosen:
            cls = REGISTRY.get(name)
            if cls is not None and "rounds" in cls._param_names():
                overrides.setdefault(name, {}).setdefault("rounds", rounds)
    with busy(f"Forecasting {len(sc.issues)} issues ({FIRST_RUN})", quiet=as_json):
        run = forecast(sc, model, overrides=overrides, source=str(file), level=level,
                       progress=progress_line)
    if draws:
        from accord.uncertainty.sampling import add_intervals

        add_intervals(run, n_draws=draws, seed=seed, level=level, progress=not as_json,
                      dask=dask, distribution=distribution)
    doc = run.to_json()
    if as_json:
        emit_json(doc)
    else:
        _print_forecast(run, doc)
    from accord.report import record_run

    settings = {"models": model or ["all"], "overrides": overrides, "draws": draws,
                "level": level if draws else None, "params": doc.get("models", {})}
    record_run("forecast", file, settings, seed if draws else None, doc, store, no_store)


def _print_forecast(run, doc: dict) -> None:  # noqa: ANN001 - ForecastRun, imported lazily
    """The forecast table of ``run`` from its JSON document ``doc`` (built once by the
    command: the headline's drivers are the costly part of it)."""
    from accord.headline import CAVEAT, HEADLINE_MODEL, fmt

    sc = run.scenario
    heads = {h["issue"]: h for h in doc.get("headline", [])}
    from rich import box

    # Figures are never cut: model columns do not wrap, cells hold the forecast on one line and
    # its interval on the next, and the labels get a column only when the console is wide
    # enough (else they are listed under the table). Narrow terminals and piped logs (80
    # columns) stay readable.
    n_cols = len(run.results) + 1
    with_labels = out.width >= 24 + 11 * n_cols
    table = Table(title=f"{escape(sc.name)}: forecast per issue", box=box.SIMPLE_HEAD,
                  pad_edge=False, collapse_padding=True)
    table.add_column("issue", no_wrap=True)
    if with_labels:
        table.add_column("label", max_width=28)
    if heads:
        level = next(iter(heads.values()))["level"]
        table.add_column(f"accord's\nforecast\n[{level:.0%} int.]", justify="right",
                         style="bold", no_wrap=True)
    shown = [r for r in run.results if not (heads and r.model == HEADLINE_MODEL)]
    for res in shown:
        table.add_column(res.model, justify="right", no_wrap=True)
    labels = {i.id: (i.label or "") for i in sc.issues}
    from accord.explain import settling_notes, settling_parts

    rows = {(r["model"], r["issue"]): r for r in doc["results"]}
    spans = {i.id: i.scale[1] - i.scale[0] for i in sc.issues}
    # interval ends to the precision the scale needs (whole points on a 0-100 scale)
    digits = [0 if spans[i] >= 20 else 1 if spans[i] >= 2 else 2
              for i in run.results[0].issue_ids]
    for k, issue in enumerate(run.results[0].issue_ids):
        cells = []
        if heads:
            h = heads[issue]
            lo, hi = h["interval"]
            cells.append(f"{fmt(h['forecast'])}\n[{fmt(lo)}–{fmt(hi)}]")
        for res in shown:
            flag, swing = settling_parts(rows.get((res.model, issue), {}))
            lines = [f"{res.forecast[0, k]:.2f}{flag}"]  # the swing's range on its own line
            if swing:
                lines.append(swing)
            if res.model in run.intervals:
                lo, hi = run.intervals[res.model][k]
                lines.append(f"[{lo:.{digits[k]}f}–{hi:.{digits[k]}f}]")
            cells.append("\n".join(lines))
        label = [escape(labels.get(issue, ""))] if with_labels else []
        table.add_row(issue, *label, *cells)
    out.print(table)
    if not with_labels:
        for issue in run.results[0].issue_ids:
            if labels.get(issue):
                out.print(f"  {issue}: {labels[issue]}", markup=False, highlight=False)
    if heads:
        out.print(
            "accord's forecast: the median of the calibrated model's predictive distribution; "
            "the other columns are what each theory says.",
            markup=False, highlight=False,
        )
        for issue, h in heads.items():
            out.print(f"  {issue}: {h['why']}", markup=False, highlight=False)
        out.print(f"  {CAVEAT}", markup=False, highlight=False)
    for note in settling_notes(rows.values(), labels):
        out.print(note, markup=False, highlight=False)
    if run.intervals:
        took = run.extra.get("timing", {}).get("seconds")
        took_txt = "" if took is None else f" in {took:.1f} s"
        out.print(
            f"Intervals: {run.level:.0%} over {run.n_draws} draws (seed {run.seed}){took_txt}."
        )
    from accord.track_record import summary_line

    line = summary_line(run.track_records())
    if line:
        out.print(f"[dim]{line}[/dim]")


@app.command()
def bench(
    as_json: JsonOpt = False,
    quick: Annotated[bool, typer.Option(help="Smaller sizes, for a fast check.")] = False,
    full: Annotated[
        bool, typer.Option(help="Add the 1,000,000-draw flagship runs (1 and 2 workers) and "
                             "forecast --model all on 200x20, 500x50 and 2,000x1 actors x issues.")
    ] = False,
) -> None:
    """Print throughput figures (solves per second) for the models."""
    from accord.bench import check_targets, machine, print_table, print_targets, run_bench

    if full:
        os.environ["ACCORD_BENCH_FULL"] = "1"

    results = run_bench(quick=quick, progress=None if as_json else err)
    targets = check_targets(results)
    if as_json:
        emit_json({"results": results, "targets": targets, "machine": machine()})
    else:
        print_table(results, out)
        print_targets(targets, out)


@app.command()
def warmup() -> None:
    """Compile the models' kernels once into numba's cache (make install does this; after a
    wheel install, run it once so the first forecast does not spend 10-30 s compiling)."""
    from accord.models import warm_up

    err.print("Compiling the models' kernels once (about a minute on 2 cores) ...",
              markup=False, highlight=False)
    seconds = warm_up()
    out.print(f"kernels compiled and cached in {seconds:.0f} s; later runs start at once",
              markup=False, highlight=False)


# --- sub-commands from other packages: one line each, heavy imports inside the commands ---
# (add lines below this marker)
from accord.backtest.cli import app as _backtest_app  # noqa: E402, I001
app.add_typer(_backtest_app, name="backtest")
from accord.durability.cli import app as _durability_app  # noqa: E402, I001
app.add_typer(_durability_app, name="durability")
from accord.strategies.cli import experiment as _experiment; app.command("experiment")(_experiment)  # noqa: E402,E702,I001
from accord.report import app_cmd, report_cmd, runs_app  # noqa: E402

app.command("report")(report_cmd)
app.command("app")(app_cmd)
app.add_typer(runs_app, name="runs")
from accord.uncertainty.cli import sensitivity_cmd as _sensitivity  # noqa: E402

app.command("sensitivity")(_sensitivity)
from accord.explain.cli import explain_cmd as _explain; app.command("explain")(_explain)  # noqa: E402,E702,I001
from accord.advise.cli import advise_cmd as _advise; app.command("advise")(_advise)  # noqa: E402,E702,I001
from accord.scenario.cli import export_cmd, import_cmd, new_cmd  # noqa: E402

app.command("import")(import_cmd)
app.command("export")(export_cmd)
app.command("new")(new_cmd)
from accord.examples_cli import app as _examples_app  # noqa: E402

app.add_typer(_examples_app, name="examples")


def main() -> None:
    """Console entry point: turn bad input into one message and exit code 2."""
    try:
        rv = app(standalone_mode=False)
    except InputError as e:
        err.print(f"error: {e}", markup=False, soft_wrap=True)
        sys.exit(2)
    except _click_exceptions.ClickException as e:
        err.print(f"error: {e.format_message()}", markup=False, soft_wrap=True)
        sys.exit(e.exit_code if e.exit_code != 1 else 2)
    except (KeyboardInterrupt, getattr(_click_exceptions, "Abort", KeyboardInterrupt)):
        err.print("interrupted", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as e:
        if e.filename is None or os.environ.get("ACCORD_DEBUG"):
            _internal_error(e)
        # a file the user named cannot be read or written (no such folder, no permission,
        # disk full): theirs to fix, not a bug
        err.print(
            f"error: {e.filename}: {e.strerror or type(e).__name__}. Fix: check the path, and "
            "that the folder exists and you may write there.",
            markup=False,
            soft_wrap=True,
        )
        sys.exit(2)
    except Exception as e:  # noqa: BLE001 - last resort: say what broke, no traceback
        _internal_error(e)
    sys.exit(rv if isinstance(rv, int) else 0)


def _internal_error(e: BaseException) -> None:
    """Say what broke in one line and exit 1 (with ACCORD_DEBUG set: the traceback)."""
    if os.environ.get("ACCORD_DEBUG"):
        raise e
    err.print(
        f"internal error: {type(e).__name__}: {e} (set ACCORD_DEBUG=1 for a traceback; "
        "please report it)",
        markup=False,
        soft_wrap=True,
    )
    sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
