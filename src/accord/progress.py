"""Progress on stderr: a spinner or bar on a terminal, plain lines everywhere else.

Output piped to a file or a log (CI, ``nohup``, a service) is not left silent while a long run
works: it gets one line when the work starts, a line at each further tenth done (at most one
every few seconds) and one when it ends. Plain text, no control characters, never on stdout.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

#: Plain lines: at most one progress line per this many seconds (start and end always).
EVERY_S = 5.0
#: A status line appears only for work still running after this long: a command that fails
#: at once on bad input still says one thing only (its error).
STATUS_DELAY_S = 1.0


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


class PlainProgress:
    """The part of :class:`rich.progress.Progress` accord uses (``add_task``, ``update``), as
    plain lines on a console that is not a terminal."""

    def __init__(self, console: Any = None, every_s: float = EVERY_S) -> None:
        self.console = console if console is not None else _stderr()
        self.every_s = every_s
        self._tasks: dict[int, dict[str, Any]] = {}

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        for t in self._tasks.values():
            if exc[0] is None:
                self._line(t, f"done in {time.monotonic() - t['start']:.1f} s")

    def _line(self, t: dict[str, Any], what: str) -> None:
        self.console.print(f"{t['label']}: {what}", markup=False, highlight=False,
                           soft_wrap=True)

    def add_task(self, description: str, total: float | None = None, **_: Any) -> int:
        tid = len(self._tasks)
        now = time.monotonic()
        self._tasks[tid] = {"label": description, "total": total, "done": 0.0, "start": now,
                            "last": now, "step": 0}
        self._line(self._tasks[tid], "started" + (f" ({total:g} to do)" if total else ""))
        return tid

    def update(self, tid: int, advance: float = 0.0, **_: Any) -> None:
        t = self._tasks[tid]
        t["done"] += advance
        if not t["total"]:
            return
        step = int(10 * t["done"] / t["total"])
        now = time.monotonic()
        if step > t["step"] and step < 10 and now - t["last"] >= self.every_s:
            t["step"], t["last"] = step, now
            self._line(t, f"{t['done'] / t['total']:.0%} ({t['done']:g}/{t['total']:g}) after "
                          f"{now - t['start']:.1f} s")


def progress_bar(console: Any = None) -> Any:
    """A progress display for stderr: rich's bar on a terminal, :class:`PlainProgress` lines
    otherwise. Use as ``with progress_bar() as p: tid = p.add_task(label, total=n)``."""
    console = console if console is not None else _stderr()
    if not console.is_terminal:
        return PlainProgress(console)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


@contextlib.contextmanager
def status(
    message: str, console: Any = None, *, quiet: bool = False, delay_s: float | None = None
) -> Iterator[None]:
    """``message`` on stderr while the block runs: a spinner on a terminal; otherwise a line
    once the work has taken ``delay_s`` seconds and one when it ends (work that is done or
    fails sooner prints nothing). Nothing when ``quiet``, e.g. with ``--json``."""
    if quiet:
        yield
        return
    console = console if console is not None else _stderr()
    if console.is_terminal:
        with console.status(message):
            yield
        return
    import threading

    start = time.monotonic()
    lock = threading.Lock()
    shown = threading.Event()
    finished = threading.Event()

    def announce() -> None:
        with lock:
            if not finished.is_set():
                console.print(f"{message} …", markup=False, highlight=False, soft_wrap=True)
                shown.set()

    timer = threading.Timer(STATUS_DELAY_S if delay_s is None else delay_s, announce)
    timer.daemon = True
    timer.start()
    ok = False
    try:
        yield
        ok = True
    finally:
        with lock:
            finished.set()
        timer.cancel()
        if ok and shown.is_set():
            console.print(f"{message}: done in {time.monotonic() - start:.1f} s", markup=False,
                          highlight=False, soft_wrap=True)
