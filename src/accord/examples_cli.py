"""``accord examples``: list the example scenarios and experiment files that ship with accord,
and copy them into a folder to edit (they are read-only inside an installed package)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli_common import JsonOpt, emit_json, err, out

app = typer.Typer(
    name="examples",
    help="Example scenarios and experiments that ship with accord: list them, copy them out.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _describe(path: Path) -> str:
    """The file's ``name:`` (scenarios) or ``experiment:``/first comment line, for the list."""
    try:
        for line in path.read_text(encoding="utf-8").splitlines()[:40]:
            s = line.strip()
            for key in ("name:", "experiment:"):
                if s.startswith(key):
                    return s[len(key):].strip().strip("\"'")
    except (OSError, UnicodeDecodeError):
        return ""
    return ""


@app.callback()
def list_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the shipped examples and experiments (with where they are)."""
    if ctx.invoked_subcommand is not None:
        return
    from accord.resources import files, path

    rows = []
    for rel in files():
        p = path(rel)
        if p is not None:
            rows.append({"file": rel, "path": str(p), "name": _describe(p)})
    if as_json:
        emit_json({"files": rows})
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} files ship with accord")
    table.add_column("file", no_wrap=True)
    table.add_column("what")
    for r in rows:
        table.add_row(r["file"], r["name"])
    out.print(table)
    out.print("Copy them to edit: accord examples copy DIR. Run one: accord forecast "
              "DIR/examples/ukraine-ceasefire-2025.yaml", markup=False, highlight=False)


@app.command("copy")
def copy_cmd(
    dest: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to write into.")],
    docs: Annotated[bool, typer.Option("--docs", help="Also copy the docs.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite files there.")] = False,
) -> None:
    """Write the examples and experiments (and with --docs the docs) into DIR."""
    from accord.resources import copy_to

    kinds = ("examples", "experiments", "docs") if docs else ("examples", "experiments")
    written = copy_to(dest, kinds, force=force)
    for p in written:
        out.print(str(p), markup=False, highlight=False)
    err.print(f"copied {len(written)} files into {dest}", markup=False, highlight=False)
