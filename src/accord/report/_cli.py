"""Commands ``accord report``, ``accord app`` and ``accord runs``; registered in accord.cli.

Only Typer is imported here; Plotly, DuckDB and Streamlit are imported inside the commands.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli_common import FIRST_RUN, JsonOpt, busy, emit_json
from accord.cli_common import out as console
from accord.errors import InputError
from accord.limits import SEED_MAX

__all__ = ["app_cmd", "record_run", "report_cmd", "runs_app"]

def _check_store(value: Path | None) -> Path | None:
    """A run store named by --store (or $ACCORD_STORE) that is a FIFO, device, socket or folder
    is refused before any work (exit 2), not after it as a warning."""
    import os

    from accord.files import require_writable_target

    target = value if value is not None else os.environ.get("ACCORD_STORE")
    if target:
        require_writable_target(target, "run store")
    return value


StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Run store (DuckDB file; default $ACCORD_STORE, else runs.duckdb in your user "
        "data folder; `accord runs list` says where).",
        show_default=False,
        callback=_check_store,
    ),
]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="Do not save this run.")]


def _err(msg: str) -> None:
    sys.stderr.write(msg + "\n")


def record_run(
    kind: str,
    file: Path | None,
    settings: dict[str, Any],
    seed: int | None,
    results: dict[str, Any],
    store: Path | None,
    no_store: bool,
    scenario: Any = None,
) -> str | None:
    """Save a finished run and say so on stderr; a store failure is a warning, never a lost
    result (the result has been printed already)."""
    from accord.store import resolve_store, save_run

    path = resolve_store(store, no_store=no_store)
    if path is None:
        return None
    text: Any = scenario
    if file is not None:
        from accord.scenario import read_text

        try:
            text = read_text(file)
        except InputError:
            text = scenario
    try:
        run_id = save_run(kind, text, settings, seed, results, path)
    except (InputError, OSError, ValueError, TypeError) as err:
        _err(f"warning: run not saved to {path}: {err}")
        return None
    _err(f"saved run {run_id} to {path}")
    return run_id


def _read_json(path: Path | None, what: str) -> dict[str, Any] | None:
    if path is None:
        return None
    from accord.scenario import read_text

    try:
        doc = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise InputError(
            f"is not valid JSON (line {err.lineno}: {err.msg}).",
            path=str(path),
            field=what,
            fix=f"give the output of the {what} command with --json.",
        ) from None
    if not isinstance(doc, dict | list):
        raise InputError("must hold a JSON object.", path=str(path), field=what)
    return doc if isinstance(doc, dict) else {"items": doc}


#: What each ``--forecast/--sensitivity/--experiment/--durability`` file must yield, and the
#: command whose ``--json`` output it is.
_GIVEN = {
    "forecast": "accord forecast FILE --json",
    "sensitivity": "accord sensitivity FILE --json",
    "experiment": "accord experiment FILE --json",
    "durability": "accord durability predict FILE --json",
}


def _check_given(docs: dict[str, Any], paths: dict[str, Path | None]) -> None:
    """A given JSON file that yields nothing for its panel is the wrong file: say so, rather
    than draw an empty panel."""
    from accord.report._data import durability_curves, tornado_panels

    usable = {
        "forecast": lambda d: isinstance(d.get("results"), list),
        "sensitivity": lambda d: bool(tornado_panels(d)),
        "experiment": lambda d: isinstance(d.get("claims"), list),
        "durability": lambda d: bool(durability_curves(d)),
    }
    for what, doc in docs.items():
        if doc is not None and not usable[what](doc):
            raise InputError(
                f"holds no {what} results.",
                path=str(paths[what]),
                field=f"--{what}",
                fix=f"give the output of `{_GIVEN[what]}`.",
            )


def report_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario file (.yaml, .yml, .json or .csv).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output HTML file (overwritten).")],
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="Model (repeatable); default all.")
    ] = None,
    draws: Annotated[int, typer.Option(min=0, help="Monte Carlo draws (0: no intervals).")] = 200,
    seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="Random seed.")] = 0,
    level: Annotated[float, typer.Option(min=0.5, max=0.999, help="Interval level.")] = 0.8,
    forecast_json: Annotated[
        Path | None, typer.Option("--forecast", help="Use this `forecast --json` output.")
    ] = None,
    sensitivity_json: Annotated[
        Path | None, typer.Option("--sensitivity", help="Sensitivity JSON for the tornado.")
    ] = None,
    experiment_json: Annotated[
        Path | None, typer.Option("--experiment", help="`experiment --json` output.")
    ] = None,
    durability_json: Annotated[
        Path | None, typer.Option("--durability", help="`durability predict --json` output.")
    ] = None,
    durability_model: Annotated[
        Path | None,
        typer.Option("--durability-model", help="Durability model from `accord durability fit` "
                     "(default: the bundled one, fitted on civil-conflict ceasefires 1989-2014)."),
    ] = None,
    advise_actor: Annotated[
        str | None, typer.Option("--advise", help="Add advice for this actor (its id).")
    ] = None,
) -> None:
    """Write a self-contained HTML report (works offline) of every result for a scenario."""
    from accord.report import build_report, write_report
    from accord.scenario import read_text, scenario_from_text

    text = read_text(file)
    scenario = scenario_from_text(text, str(file))
    if out.exists() and out.is_dir():
        raise InputError(
            "is a directory.",
            path=str(out),
            field="-o",
            fix="give a file name such as report.html.",
        )
    blocker = next((p for p in out.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():  # found now, not after the build
        raise InputError(
            "is a file, so the report cannot go below it.",
            path=str(blocker),
            field="-o",
            fix="give a path in an existing folder (or a new one), such as report.html.",
        )
    paths = {
        "forecast": forecast_json,
        "sensitivity": sensitivity_json,
        "experiment": experiment_json,
        "durability": durability_json,
    }
    given = {what: _read_json(path, what) for what, path in paths.items()}
    _check_given(given, paths)
    with busy(f"Building the report ({FIRST_RUN})"):
        html = build_report(
            scenario,
            scenario_text=text,
            models=model,
            draws=draws,
            seed=seed,
            level=level,
            durability_model=durability_model,
            source=str(file),
            advise_actor=advise_actor,
            **given,
        )
    path = write_report(html, out)
    _err(f"wrote {path} ({len(html.encode('utf-8')) / 1e6:.1f} MB); open it in a browser.")


def _free_port_or_fail(address: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((address, port))
        except OSError:
            raise InputError(
                f"port {port} on {address} is in use.",
                field="--port",
                fix="choose another port with --port N.",
            ) from None


def app_cmd(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8501,
    address: Annotated[
        str, typer.Option(help="Address to bind (default: this machine only).")
    ] = "127.0.0.1",
) -> None:
    """Start the web app (Streamlit) on localhost."""
    import importlib.util

    if importlib.util.find_spec("streamlit") is None:
        raise InputError(
            "the web app needs Streamlit, which is not installed.", fix="pip install 'accord[app]'."
        )
    from accord.app import streamlit_script

    _free_port_or_fail(address, port)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(streamlit_script()),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.maxUploadSize",
        "1",
    ]
    _err(f"accord app: open http://{address}:{port} in a browser (Ctrl+C to stop)")
    raise typer.Exit(run_forwarding_signals(cmd))


def run_forwarding_signals(cmd: list[str], grace_s: float = 10.0) -> int:
    """Run ``cmd`` and pass SIGTERM/SIGINT on to it, so that stopping ``accord app`` (by its
    PID, by a service manager, by Ctrl+C) stops the Streamlit server too; a server that has
    not exited ``grace_s`` seconds after the signal is killed. Returns its exit code (0 when
    it was stopped by a signal)."""
    import signal

    proc = subprocess.Popen(cmd)
    stopped: list[float] = []

    def forward(signum: int, _frame: Any) -> None:
        import time

        stopped.append(time.monotonic())
        if proc.poll() is None:
            proc.send_signal(signum)

    wanted = [signal.SIGTERM, signal.SIGINT] + (
        [signal.SIGHUP] if hasattr(signal, "SIGHUP") else []
    )
    old = {s: signal.signal(s, forward) for s in wanted}
    try:
        import time

        while True:
            try:
                rc = proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if stopped and time.monotonic() - stopped[0] > grace_s:
                    proc.kill()
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        if proc.poll() is None:  # an error in this process: never leave the server behind
            proc.kill()
            proc.wait()
    return 0 if stopped else rc


runs_app = typer.Typer(help="Runs saved in the run store.", no_args_is_help=True)


@runs_app.command("list")
def runs_list(
    store: StoreOpt = None,
    kind: Annotated[str | None, typer.Option(help="Only runs of this kind.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many (newest first).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")] = False,
) -> None:
    """List saved runs, newest first."""
    from accord.store import default_store, list_runs, resolve_store

    path = resolve_store(store) or default_store()
    runs = list_runs(path, kind=kind, limit=limit)
    if as_json:
        emit_json({"store": str(path), "runs": runs})
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{len(runs)} run(s) in {escape(str(path))}")
    for col in ("id", "kind", "created (UTC)", "scenario", "hash", "seed", "version"):
        table.add_column(col, no_wrap=col in ("id", "created (UTC)"))
    for r in runs:
        created = r["created_at"][:16].replace("T", " ")
        table.add_row(
            r["run_id"],
            r["kind"],
            created,
            escape(r["scenario_name"] or ""),
            (r["scenario_hash"] or "")[:10],
            "" if r["seed"] is None else str(r["seed"]),
            r["accord_version"],
        )
    console.print(table)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[str, typer.Argument(metavar="ID", help="Run id (or a unique prefix).")],
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one saved run: settings, scenario and results."""
    from accord.store import default_store, get_run, resolve_store

    path = resolve_store(store) or default_store()
    run = get_run(path, run_id)
    if as_json:
        emit_json(run)
        return
    from rich.markup import escape
    from rich.table import Table

    meta = Table(show_header=False, title=f"run {run['run_id']}")
    meta.add_column("key")
    meta.add_column("value")
    for key in ("kind", "created_at", "accord_version", "scenario_name", "scenario_hash", "seed"):
        meta.add_row(key, "" if run[key] is None else escape(str(run[key])))
    meta.add_row("settings", escape(json.dumps(run["settings"], sort_keys=True)))
    console.print(meta)
    rows = run["results"].get("results") if isinstance(run["results"], dict) else None
    if rows and isinstance(rows, list) and all("forecast" in r for r in rows):
        t = Table(title="results")
        for col in ("model", "issue", "forecast", "interval"):
            t.add_column(col)
        for r in rows:
            iv = r.get("interval")
            t.add_row(
                str(r.get("model")),
                str(r.get("issue")),
                f"{r['forecast']:.3f}",
                "" if not iv else f"[{iv[0]:.2f}, {iv[1]:.2f}]",
            )
        console.print(t)
    else:
        console.print_json(json.dumps(run["results"], sort_keys=True))
    console.print("(full record, with the scenario text: --json)")
