"""The run store: every forecast, experiment and durability prediction, kept in one DuckDB file.

Each run is one row: what was run (``kind``), on which scenario (its full text and SHA-256),
with which settings and seed, by which accord version, when, and its results as JSON. That is
enough to show, compare or re-run any result later.

DuckDB allows one writer per file. Every write therefore opens the file, writes inside one
transaction and closes it again: a process killed half-way leaves the committed runs intact
(DuckDB replays only committed transactions from its write-ahead log), and a second writer
waiting for the lock retries for a few seconds before giving up with a clear message.

Where: ``--store PATH``, else ``$ACCORD_STORE``, else ``runs.duckdb`` in the user's data folder
(platformdirs: ``~/.local/share/accord`` on Linux, ``~/Library/Application Support/accord`` on
macOS, ``%LOCALAPPDATA%\\accord`` on Windows), never the current folder unasked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from accord.errors import InputError

__all__ = [
    "STORE_NAME",
    "STORE_ENV",
    "get_run",
    "list_runs",
    "resolve_store",
    "default_store",
    "save_run",
    "scenario_digest",
]

#: File name of the default store, in the user's data folder (:func:`default_store`).
STORE_NAME = "runs.duckdb"
#: Environment variable naming the store; ``off`` (or ``0``, ``none``) disables storing.
STORE_ENV = "ACCORD_STORE"
_OFF = {"", "off", "0", "none", "no", "false"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    accord_version VARCHAR NOT NULL,
    scenario_name VARCHAR,
    scenario_hash VARCHAR,
    scenario_text VARCHAR,
    settings VARCHAR NOT NULL,
    seed BIGINT,
    results VARCHAR NOT NULL
)
"""
_COLUMNS = (
    "run_id",
    "kind",
    "created_at",
    "accord_version",
    "scenario_name",
    "scenario_hash",
    "scenario_text",
    "settings",
    "seed",
    "results",
)
_LOCK_WAIT_S = 5.0


def default_store() -> Path:
    """``runs.duckdb`` in the user's data folder (platformdirs), where runs go unless
    ``--store`` or ``$ACCORD_STORE`` says otherwise: never a file dropped in the cwd."""
    from platformdirs import user_data_path

    return user_data_path("accord", appauthor=False) / STORE_NAME


def resolve_store(path: str | os.PathLike[str] | None, *, no_store: bool = False) -> Path | None:
    """The store to use: ``None`` when storing is off, else an explicit path, ``$ACCORD_STORE``
    or :func:`default_store`, in that order."""
    if no_store:
        return None
    if path is not None and str(path) != "":
        return Path(path)
    env = os.environ.get(STORE_ENV)
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env)
    return default_store()


def scenario_digest(text: str) -> str:
    """SHA-256 of the scenario text as stored (UTF-8), hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _scenario_text_and_name(scenario: Any) -> tuple[str | None, str | None]:
    """Scenario text for the store: a string is kept verbatim (comments and all); a
    :class:`~accord.scenario.Scenario` (or mapping) is written as YAML."""
    if scenario is None:
        return None, None
    if isinstance(scenario, str):
        name = None
        try:
            import yaml

            data = yaml.safe_load(scenario)
            if isinstance(data, dict) and isinstance(data.get("name"), str):
                name = data["name"]
        except Exception:  # noqa: BLE001 - the name is a convenience (CSV, odd text)
            name = None
        return scenario, name
    import yaml

    if hasattr(scenario, "model_dump"):
        data = scenario.model_dump(mode="json", exclude_defaults=True)
    elif isinstance(scenario, dict):
        data = scenario
    else:
        raise TypeError(
            f"scenario must be text, a Scenario or a mapping, not {type(scenario).__name__}"
        )
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return text, data.get("name") if isinstance(data, dict) else None


@contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[Any]:
    """Open the store, retrying while another process holds the write lock."""
    import duckdb

    from accord.files import require_writable_target

    # a FIFO or device would block or stream forever: refused at once (a folder too)
    require_writable_target(path, "run store")
    require_writable_target(path.with_name(path.name + ".lock"), "run store's lock file")
    if read_only and not path.exists():
        raise InputError(
            "no run store here yet.",
            path=str(path),
            fix="run `accord forecast FILE` first, or pass --store PATH.",
        )
    existed = path.exists()
    if not read_only and not existed:  # like -o: a new store may go in a new folder
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError(
                f"cannot create the folder for the run store ({err.strerror}).",
                path=str(path),
                fix="give a path in a folder you may write to with --store PATH.",
            ) from None
    deadline = time.monotonic() + _LOCK_WAIT_S
    # DuckDB's own file lock leaves a window while a new file is being created in which another
    # process can open a half-written file; an advisory lock on a sidecar file closes it.
    lock = _acquire_lock(path, shared=read_only, deadline=deadline)
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as err:
            locked = "lock" in str(err).lower()
            if not locked or time.monotonic() > deadline:
                _release_lock(lock)
                raise InputError(
                    f"cannot open the run store ({str(err).splitlines()[0]}).",
                    path=str(path),
                    fix="wait for the other accord process to finish, or use --store PATH."
                    if locked
                    else "this file is not a run store: give a new or existing .duckdb file "
                    "with --store PATH (the file was left as it is)."
                    if existed
                    else "give a path in a folder you may write to with --store PATH.",
                ) from None
            time.sleep(0.1)
        except duckdb.Error as err:
            _release_lock(lock)
            raise InputError(
                f"cannot open the run store ({str(err).splitlines()[0]}).",
                path=str(path),
                fix="give another file with --store PATH (is this a DuckDB file?).",
            ) from None
        except BaseException:
            _release_lock(lock)
            raise
    try:
        yield con
    finally:
        con.close()
        _release_lock(lock)


def _acquire_lock(path: Path, *, shared: bool, deadline: float) -> Any:
    """Advisory lock on ``PATH.lock`` (exclusive for writers, shared for readers); None where
    locking is unavailable (not POSIX, or a read-only directory)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    try:
        fh = open(path.with_name(path.name + ".lock"), "a+b")  # noqa: SIM115 - held until release
    except OSError:
        return None
    mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
    while True:
        try:
            fcntl.flock(fh, mode)
            return fh
        except BlockingIOError:
            if time.monotonic() > deadline:
                fh.close()
                raise InputError(
                    "the run store is busy (another accord process is writing to it).",
                    path=str(path),
                    fix="wait for the other accord process to finish, or use --store PATH.",
                ) from None
            time.sleep(0.05)


def _release_lock(fh: Any) -> None:
    if fh is not None:
        fh.close()  # closing the file releases the flock


def save_run(
    kind: str,
    scenario_text_or_obj: Any,
    settings: dict[str, Any],
    seed: int | None,
    results: dict[str, Any],
    path: str | os.PathLike[str] | None = None,
) -> str:
    """Store one run and return its id.

    Parameters
    ----------
    kind : str
        ``forecast``, ``experiment``, ``durability`` ... (free text, shown by ``runs list``).
    scenario_text_or_obj : str, Scenario, mapping or None
        The scenario. Text is stored verbatim (so comments survive); objects as YAML. The hash
        is the SHA-256 of the stored text.
    settings : dict
        Model settings and options of the run (JSON-serialisable).
    seed : int or None
        The seed, when the run was random.
    results : dict
        The run's JSON document, as ``--json`` prints it.
    path : path or None
        The DuckDB file; created with its table (and folder) on first use. None: the
        store :func:`resolve_store` picks (``$ACCORD_STORE`` or :func:`default_store`).

    Returns
    -------
    str
        The new run's id (12 hex digits).

    Notes
    -----
    The row is written in one transaction: on any error it is rolled back and every earlier
    run stays as it was.
    """
    from accord import __version__

    if not isinstance(kind, str) or not kind:
        raise ValueError("kind must be a non-empty string such as 'forecast'")
    text, name = _scenario_text_and_name(scenario_text_or_obj)
    if seed is not None:
        from accord.limits import check_seed

        seed = check_seed(int(seed))  # the store keeps a signed 64-bit integer
    row = {
        "run_id": uuid.uuid4().hex[:12],
        "kind": kind,
        "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
        "accord_version": __version__,
        "scenario_name": name,
        "scenario_hash": None if text is None else scenario_digest(text),
        "scenario_text": text,
        "settings": json.dumps(settings, sort_keys=True, allow_nan=False, default=_default),
        "seed": seed,
        "results": json.dumps(results, sort_keys=True, allow_nan=False, default=_default),
    }
    p = Path(path) if path is not None else (resolve_store(None) or default_store())
    with _connect(p) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(_SCHEMA)
            con.execute(
                f"INSERT INTO runs ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                [row[c] for c in _COLUMNS],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return row["run_id"]


def _default(obj: Any) -> Any:
    """JSON fallback for numpy scalars/arrays and paths."""
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON-serialisable")


def _has_table(con: Any) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'runs'"
        ).fetchone()[0]
    )


def list_runs(
    path: str | os.PathLike[str] | None = None,
    *,
    kind: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Runs in the store, newest first, without their scenario text and results."""
    cols = [c for c in _COLUMNS if c not in ("scenario_text", "results")]
    p = Path(path) if path is not None else (resolve_store(None) or default_store())
    with _connect(p, read_only=True) as con:
        if not _has_table(con):
            return []
        sql = f"SELECT {', '.join(cols)} FROM runs"
        args: list[Any] = []
        if kind:
            sql += " WHERE kind = ?"
            args.append(kind)
        sql += " ORDER BY created_at DESC, run_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = con.execute(sql, args).fetchall()
    return [_decode(dict(zip(cols, r, strict=True))) for r in rows]


def get_run(path: str | os.PathLike[str], run_id: str) -> dict[str, Any]:
    """One run with everything stored; ``run_id`` may be a unique prefix (at least 4 digits)."""
    run_id = run_id.strip().lower()
    if len(run_id) < 4 or any(ch not in "0123456789abcdef" for ch in run_id):
        raise InputError(
            f"{run_id!r} is not a run id.",
            field="ID",
            fix="give the id (or its first 4+ characters) shown by `accord runs list`.",
        )
    with _connect(Path(path), read_only=True) as con:
        rows = []
        if _has_table(con):
            rows = con.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM runs WHERE run_id LIKE ? ORDER BY run_id",
                [run_id + "%"],
            ).fetchall()
    if not rows:
        raise InputError(
            f"no run {run_id!r} in the store.",
            path=str(path),
            fix="see `accord runs list` for the ids.",
        )
    if len(rows) > 1:
        raise InputError(
            f"{run_id!r} matches {len(rows)} runs.",
            path=str(path),
            field="ID",
            fix="give more characters of the id.",
        )
    return _decode(dict(zip(_COLUMNS, rows[0], strict=True)))


def _decode(rec: dict[str, Any]) -> dict[str, Any]:
    for key in ("settings", "results"):
        if key in rec and isinstance(rec[key], str):
            rec[key] = json.loads(rec[key])
    if isinstance(rec.get("created_at"), dt.datetime):
        rec["created_at"] = rec["created_at"].isoformat() + "Z"
    return rec
