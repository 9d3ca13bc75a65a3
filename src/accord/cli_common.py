"""What every ``accord`` sub-command shares: the consoles, the Typer app settings, ``--json``
and a status line for work that takes a while.

Sub-command modules (``durability``, ``backtest``, ...) import from here rather than from
:mod:`accord.cli`, which imports them in turn.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Annotated

import typer
from rich.console import Console

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

JsonOpt = Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")]
DaskOpt = Annotated[
    str | None,
    typer.Option(
        "--dask",
        help="Run on Dask: local, local:N (N worker processes, <= 2 per core), or "
        "tcp://host:port / tls://host:port.",
    ),
]

#: Shown while models run: on a new machine numba compiles the kernels once (then cached).
FIRST_RUN = ("a first run compiles the kernels: up to a minute, once; "
             "`accord warmup` does it ahead")


def make_app(name: str | None, help: str) -> typer.Typer:  # noqa: A002 - Typer's own name
    """A Typer app with accord's settings: help when called bare, plain errors (``main()``
    turns :class:`accord.errors.InputError` into one line and exit code 2)."""
    return typer.Typer(
        name=name,
        help=help,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def emit_json(doc: object) -> None:
    """Write one JSON document to stdout (sorted keys: same input, same bytes)."""
    sys.stdout.write(json.dumps(doc, indent=2, sort_keys=True, allow_nan=False) + "\n")


@contextlib.contextmanager
def busy(message: str, *, quiet: bool = False) -> Iterator[None]:
    """``message`` on stderr while the block runs: a spinner on a terminal, plain start and
    end lines otherwise (see :mod:`accord.progress`); nothing when ``quiet`` (``--json``)."""
    from accord.progress import status

    with status(message, err, quiet=quiet):
        yield


def progress_line(message: str) -> None:
    """One plain progress line on stderr (also when stderr is not a terminal: a log shows it)."""
    err.print(message, markup=False, highlight=False, soft_wrap=True)
