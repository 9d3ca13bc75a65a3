"""Run independent, seeded chunks here or on a Dask cluster, with a progress bar.

Chunks are pure functions of (shared inputs, chunk bounds): each carries its own seed (derived
from its index), so the assembled result is the same with 1, 2 or N workers and in any order
of completion. Dask is an optional extra (``pip install accord[dask]``) and imported only when
``--dask`` is given.

Cluster specifications
----------------------
``local:N``
    A LocalCluster of N worker processes, one thread each (numba told to use one thread per
    worker too, so N workers use N cores).
``threads:N``
    N single-threaded workers inside this process (no spawn cost; for tests and notebooks).
``tcp://host:port`` (or ``tls://``)
    Join an existing scheduler; its workers need accord installed.
"""

from __future__ import annotations

import contextlib
import logging
import resource
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.errors import InputError

__all__ = ["ChunkRun", "dask_client", "map_chunks", "parse_dask_spec"]

Task = tuple[int, int]


#: The accepted forms, for messages.
ACCEPTED = ("local (one worker per core), local:N (N worker processes, at most 2 per core), "
            "tcp://host:port or tls://host:port (a running scheduler)")
#: Seconds to reach a scheduler, and to wait for a worker when none is left.
CONNECT_TIMEOUT = 10.0
NO_WORKER_TIMEOUT = 10.0


class _LostAllWorkers(Exception):
    """Every worker of the cluster left mid-run."""


def parse_dask_spec(spec: str) -> tuple[str, Any]:
    """``"local:4"`` -> ``("local", 4)``; ``"tcp://h:p"`` -> ``("address", "tcp://h:p")``.

    Everything else is refused (exit 2) with the accepted forms: a spec that cannot act must
    not pass silently.
    """
    from accord.limits import check_workers

    text = spec.strip()
    kind, sep, rest = text.partition(":")
    if kind == "local" and not sep:
        import os

        return "local", max(1, os.cpu_count() or 1)
    if kind in ("local", "threads"):
        if not sep or not rest.isdigit():
            raise InputError(
                f"cannot read --dask {spec!r}.",
                field="--dask",
                fix=f"write {kind}:N with N >= 1 workers, e.g. {kind}:2 (accepted: {ACCEPTED}).",
            )
        check_workers(int(rest), text)
        return kind, int(rest)
    if kind in ("tcp", "tls") and rest.startswith("//"):
        host, colon, port = rest[2:].rpartition(":")
        if colon and host and port.isdigit() and 0 < int(port) < 65536 and "/" not in host:
            return "address", text
        raise InputError(
            f"--dask {spec!r} has no host or no port.",
            field="--dask",
            fix=f"write {kind}://host:port, e.g. {kind}://127.0.0.1:8786 (accepted: {ACCEPTED}).",
        )
    raise InputError(
        f"cannot use --dask {spec!r}: unsupported form.",
        field="--dask",
        fix=f"use one of: {ACCEPTED}.",
    )


@contextlib.contextmanager
def dask_client(spec: str) -> Iterator[Any]:
    """A ``distributed.Client`` for ``spec``; a cluster started here is closed on exit."""
    kind, arg = parse_dask_spec(spec)
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - depends on the environment
        raise InputError(
            "--dask needs the optional dask extra, which is not installed.",
            field="--dask",
            fix="pip install 'accord[dask]', or leave out --dask.",
        ) from None
    if kind == "address":
        try:
            client = Client(arg, timeout=f"{CONNECT_TIMEOUT:g}s")
        except (OSError, TimeoutError) as e:
            raise InputError(
                f"cannot reach the Dask scheduler at {arg} within {CONNECT_TIMEOUT:g} s "
                f"({type(e).__name__}).",
                field="--dask",
                fix="start it (dask scheduler) or check the address.",
            ) from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=arg,
        threads_per_worker=1,
        processes=kind == "local",
        dashboard_address=None,
        silence_logs=logging.ERROR,
        **({"env": {"OMP_NUM_THREADS": "1"}} if kind == "local" else {}),
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _progress(label: str, total: float) -> Any:
    """A bar on a terminal, plain lines in logs and pipes (:mod:`accord.progress`)."""
    from accord.progress import progress_bar

    return progress_bar()


def _one_numba_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn`` in a worker process with one numba thread: the workers already share the
    cores. (Not by ``NUMBA_NUM_THREADS`` in the workers' environment: a worker that imports
    numba before that is applied fails at its next JIT compile, numba refusing a thread count
    that changed after its thread pool started.)"""
    import numba

    numba.set_num_threads(1)
    return fn(*args)


@dataclass
class ChunkRun:
    """Iterate to get ``(task, result)`` pairs as chunks finish (in completion order).

    After iteration, ``workers`` is the number of workers used and ``worker_peak_mb`` the
    largest peak resident memory among them (0 when run here).
    """

    fn: Callable[..., Any]
    tasks: Sequence[Task]
    shared: tuple
    dask: str | None = None
    progress: bool = False
    label: str = "working"
    weights: Sequence[float] | None = None
    client: Any = None
    workers: int = 1
    worker_peak_mb: float = 0.0
    _done: bool = field(default=False, repr=False)

    def __iter__(self) -> Iterator[tuple[Task, Any]]:
        weights = list(self.weights) if self.weights is not None else [1.0] * len(self.tasks)
        bar = _progress(self.label, sum(weights)) if self.progress else contextlib.nullcontext()
        with bar as prog:
            tid = prog.add_task(self.label, total=sum(weights)) if prog is not None else None

            def tick(i: int) -> None:
                if prog is not None:
                    prog.update(tid, advance=weights[i])

            if self.client is not None:
                yield from self._distributed(self.client, tick)
            elif self.dask:
                with dask_client(self.dask) as client:
                    yield from self._distributed(client, tick)
            else:
                for i, task in enumerate(self.tasks):
                    res = self.fn(*self.shared, *task)
                    tick(i)
                    yield task, res
        self._done = True

    def _collect(self, client: Any, futures: list[Any], index: dict[Any, int],
                 tick: Callable[[int], None]) -> Iterator[tuple[Task, Any]]:
        """Results as they finish; :class:`_LostAllWorkers` when no worker is left (the
        scheduler would otherwise wait for one forever) or tasks died with their workers."""
        import time

        from distributed import wait

        try:
            from distributed import KilledWorker
        except ImportError:  # pragma: no cover - older distributed
            from distributed.scheduler import KilledWorker
        from concurrent.futures import CancelledError

        pending = set(futures)
        idle_since: float | None = None
        while pending:
            try:
                done, pending = wait(pending, timeout=1.0, return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            except (KilledWorker, CancelledError) as e:  # their inputs died with the workers
                raise _LostAllWorkers from e
            for fut in done:
                i = index[fut.key]
                try:
                    res = fut.result()
                except (KilledWorker, CancelledError) as e:
                    raise _LostAllWorkers from e
                fut.release()
                tick(i)
                yield self.tasks[i], res
            if done:
                idle_since = None
                continue
            try:
                workers = len(client.nthreads())
            except (OSError, TimeoutError) as e:  # the scheduler itself is gone
                raise _LostAllWorkers from e
            if workers:
                idle_since = None
            elif idle_since is None:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since > NO_WORKER_TIMEOUT:
                raise _LostAllWorkers

    def _lost(self, client: Any) -> InputError:
        address = getattr(client.scheduler, "address", None) or str(self.dask)
        return InputError(
            f"every Dask worker of the scheduler at {address} was lost mid-run (none came "
            f"back within {NO_WORKER_TIMEOUT:g} s); nothing was written.",
            field="--dask",
            fix="restart the workers (dask worker ADDRESS) and run the command again, or "
            "leave out --dask.",
        )

    def _distributed(self, client: Any, tick: Callable[[int], None]) -> Iterator[tuple[Task, Any]]:

        from concurrent.futures import CancelledError

        self.workers = max(1, len(client.scheduler_info().get("workers", {})))
        try:
            shared = client.scatter(list(self.shared), broadcast=True, hash=False)
        except (TimeoutError, CancelledError):  # "no valid workers found"
            raise self._lost(client) from None
        index = {}
        futures = []
        # local:N clusters run one process per core: one numba thread each
        spec = str(self.dask) if self.client is None and self.dask else ""
        local = bool(spec) and parse_dask_spec(spec)[0] == "local"
        for i, task in enumerate(self.tasks):
            if local:
                fut = client.submit(_one_numba_thread, self.fn, *shared, *task, pure=False)
            else:
                fut = client.submit(self.fn, *shared, *task, pure=False)
            index[fut.key] = i
            futures.append(fut)
        try:
            yield from self._collect(client, futures, index, tick)
        except _LostAllWorkers:
            with contextlib.suppress(Exception):
                client.cancel(futures)
            raise self._lost(client) from None
        with contextlib.suppress(Exception):
            self.worker_peak_mb = max(client.run(_worker_peak_mb).values(), default=0.0)


def map_chunks(
    fn: Callable[..., Any],
    tasks: Sequence[Task],
    *,
    shared: tuple = (),
    dask: str | None = None,
    client: Any = None,
    progress: bool = False,
    label: str = "working",
    weights: Sequence[float] | None = None,
) -> ChunkRun:
    """Run ``fn(*shared, *task)`` for every task, here or on Dask; iterate the result.

    Parameters
    ----------
    fn : callable
        A top-level (picklable) function.
    tasks : sequence of tuples
        Per-chunk arguments, e.g. ``(start, n)``.
    shared : tuple
        Arguments common to every chunk (sent to each worker once).
    dask : str, optional
        Cluster spec (see module docstring); None runs here.
    client : distributed.Client, optional
        An existing client (takes precedence over ``dask``).
    progress : bool
        Rich progress bar on stderr.
    weights : sequence of float, optional
        Work per task for the progress bar (e.g. draws per chunk).
    """
    return ChunkRun(fn, tasks, shared, dask, progress, label, weights, client)
