"""Every bound on input numbers and on requested work, in one place.

Why: a valid-looking input must give a finite answer or a clear refusal (exit 2), never an
overflow or a MemoryError. The scenario schema (YAML, JSON, KTAB CSV and spreadsheets all pass
through it) reads the number bounds from here; the commands read the work bounds from here and
check them before any work starts. docs/limits.md lists them for users.
"""

from __future__ import annotations

import math
import os
import sys

from accord.errors import InputError

# --- numbers in a scenario -----------------------------------------------------------------

#: Capability bounds: only ratios matter, and 1e30 * 100 (salience) * 1e15 (a distance) squared
#: still fits a double with room to spare.
CAPABILITY_MIN = 1e-30
CAPABILITY_MAX = 1e30
#: Scale ends (and so positions, status quo, anchors) lie within +-SCALE_MAX.
SCALE_MAX = 1e15
#: A scale spans at least SCALE_MIN_SPAN, and at least SCALE_MIN_REL of its larger end: a
#: narrower one has too few distinct doubles to compute distances on.
SCALE_MIN_SPAN = 1e-6
SCALE_MIN_REL = 1e-9
#: A salience is 0 (the actor does not care) or at least SALIENCE_MIN.
SALIENCE_MIN = 1e-9
#: Smallest normal double; non-zero numbers below it (denormals) lose precision and are refused.
TINY = sys.float_info.min

# --- requested work ------------------------------------------------------------------------

#: Seeds accepted everywhere (the run store keeps them as a signed 64-bit integer).
SEED_MAX = 2**63 - 1
SEED_RANGE = f"0 to 2**63-1 ({SEED_MAX})"
#: Largest Monte Carlo chunk: big runs go through in pieces of at most this many bytes.
CHUNK_BYTES = 256 * 2**20
#: Working float64 arrays of actors x issues per Monte Carlo draw (positions, saliences, the
#: models' temporaries), for sizing chunks.
ARRAYS_PER_DRAW = 16
#: Dask local workers per core.
WORKERS_PER_CORE = 2


def check_number(value: float, what: str) -> str | None:
    """Why ``value`` cannot be used (``None`` when it can): non-finite or denormal."""
    if not math.isfinite(value):
        return f"{what} must be a finite number, got {value!r}"
    if value != 0 and abs(value) < TINY:
        return f"{what} {value!r} is too close to zero to compute with (a denormal number)"
    return None


def memory_budget() -> int:
    """Bytes a command may plan to use: ``$ACCORD_MAX_MEMORY`` (bytes, or with a K/M/G/T
    suffix) or 75 % of the memory the system reports available."""
    text = os.environ.get("ACCORD_MAX_MEMORY", "").strip()
    if text:
        mult = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}.get(text[-1:].upper(), 1)
        digits = text[:-1] if mult > 1 else text
        try:
            value = float(digits) * mult
        except ValueError:
            raise InputError(
                f"cannot read ACCORD_MAX_MEMORY={text!r}.",
                field="ACCORD_MAX_MEMORY",
                fix="give a number of bytes, e.g. 4G or 512M, or unset it.",
            ) from None
        if not math.isfinite(value) or value <= 0:
            raise InputError(f"ACCORD_MAX_MEMORY={text!r} must be > 0.",
                             field="ACCORD_MAX_MEMORY", fix="give e.g. 4G, or unset it.")
        return int(value)
    return int(0.75 * _available())


def _available() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    try:  # pragma: no cover - not Linux
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return 4 * 2**30


def _size(n: float) -> str:
    for unit, div in (("TB", 2**40), ("GB", 2**30), ("MB", 2**20)):
        if n >= div:
            return f"{n / div:.1f} {unit}"
    return f"{n / 2**10:.0f} KB"


def check_work(option: str, count: int, bytes_each: float, *, what: str,
               base_bytes: float = 0.0) -> None:
    """Refuse (exit 2) ``count`` units of ``bytes_each`` bytes when they cannot fit in memory.

    ``what`` says what one unit holds (the reason in the message); the largest count that fits
    is named as the limit.
    """
    budget = memory_budget()
    need = base_bytes + count * bytes_each
    if need <= budget:
        return
    most = max(0, int((budget - base_bytes) // max(bytes_each, 1.0)))
    raise InputError(
        f"{option} {count:,} needs about {_size(need)} of memory ({what}), more than the "
        f"{_size(budget)} allowed (75 % of the memory available, or ACCORD_MAX_MEMORY).",
        field=option,
        fix=f"use {option} {most:,} or fewer (the limit on this machine for this input), or "
        "set ACCORD_MAX_MEMORY if more memory is really free.",
    )


def mc_bytes_per_draw(n_issues: int, n_models: int) -> float:
    """Memory a Monte Carlo run keeps per draw: every model's float32 forecasts, plus the
    float64 copy and percentile work of one model's summary."""
    return n_issues * (4.0 * n_models + 24.0)


def mc_chunk_draws(n_actors: int, n_issues: int, default: int, block: int) -> int:
    """Draws per Monte Carlo chunk: ``default``, cut so one chunk's working arrays (about 16
    float64 arrays of actors x issues per draw) stay under :data:`CHUNK_BYTES`; a multiple of
    ``block`` when at least one block fits. The bundled examples keep ``default``."""
    per_draw = ARRAYS_PER_DRAW * 8 * max(1, n_actors) * max(1, n_issues)
    fit = max(1, CHUNK_BYTES // per_draw)
    if fit >= default:
        return default
    return (fit // block) * block if fit >= block else int(fit)


def check_workers(n: int, spec: str) -> None:
    """``--dask local:N``: 1 <= N <= 2 per core."""
    cores = os.cpu_count() or 1
    most = WORKERS_PER_CORE * cores
    if not 1 <= n <= most:
        raise InputError(
            f"--dask {spec} asks for {n} workers; this machine has {cores} core(s), so at most "
            f"{most} ({WORKERS_PER_CORE} per core) and at least 1.",
            field="--dask",
            fix=f"use local:N with 1 <= N <= {most}, or a scheduler address tcp://host:port.",
        )


def check_seed(seed: int, option: str = "--seed") -> int:
    """Seeds are integers from 0 to 2**63-1, everywhere."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX:
        raise InputError(f"seed {seed!r} is outside the accepted range {SEED_RANGE}.",
                         field=option, fix=f"give a seed from {SEED_RANGE}.")
    return seed
