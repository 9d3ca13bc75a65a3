"""Monte Carlo over a scenario's uncertainty ranges, streamed in seeded chunks.

Every input with a range (``ranges`` on positions, ``salience_ranges``, ``capability_range``)
becomes one random variable; inputs without a range stay at their point value. Each variable is
drawn by inverse CDF from one column of a matrix of uniforms, so

* the choice of distribution of one input never changes the draws of another (common random
  numbers: comparing PERT with uniform compares like with like);
* the uniforms come in fixed blocks of :data:`BLOCK` draws, block ``b`` seeded by
  ``SeedSequence(entropy, spawn_key=(..., 0, b))``: draw ``j`` is the same whatever chunk or
  worker produces it, the first ``k`` of ``n`` draws equal a ``k``-draw run, and a sweep gives
  identical results on 1, 2 or N Dask workers.

Distributions (all on ``[lo, hi]`` with mode = the point value in the file):

``pert`` (default)
    Beta-PERT: ``lo + (hi - lo) * Beta(1 + 4 (m - lo)/(hi - lo), 1 + 4 (hi - m)/(hi - lo))``
    (Malcolm et al. 1959; Vose 2008, *Risk Analysis*, §9.1.6). Most mass near the point value,
    tails thinner than the triangular's, so the coder's best guess carries weight.
``triangular``
    Triangular with that mode (closed-form inverse CDF).
``uniform``
    Flat on the range: the point value carries no special weight.

The PERT quantile function is tabulated per shape on :data:`PERT_GRID` intervals of
probability (from the exact CDF, ``scipy.special.betainc``) and interpolated linearly: the
error is confined to the two end cells (probability ``1/PERT_GRID`` each).
"""

from __future__ import annotations

import fnmatch
import resource
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numba as nb
import numpy as np

from accord.errors import InputError
from accord.scenario import Scenario, ScenarioDraws, to_arrays

if TYPE_CHECKING:  # pragma: no cover
    from accord.forecast import ForecastRun

__all__ = [
    "BLOCK",
    "DISTRIBUTIONS",
    "Inputs",
    "child_seed",
    "SeedLike",
    "add_intervals",
    "apply_inputs",
    "chunk_bounds",
    "monte_carlo",
    "peak_rss_mb",
    "ppf",
    "sample_scenario",
    "scenario_inputs",
    "seed_sequence",
    "summarise",
    "uniforms",
]

#: Draws per seeded block of uniforms. Chunk sizes that are multiples of it waste nothing.
BLOCK = 1024
#: Probability intervals of the tabulated PERT quantile function.
PERT_GRID = 1 << 14
#: Default draws per chunk (one task on a worker).
CHUNK = 32 * BLOCK
DISTRIBUTIONS = ("pert", "triangular", "uniform")
_CODE = {name: i for i, name in enumerate(DISTRIBUTIONS)}
_KINDS = ("position", "salience", "capability")

SeedLike = int | np.random.SeedSequence | np.random.Generator


def seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """The root :class:`~numpy.random.SeedSequence` of a run.

    An ``int`` or a ``SeedSequence`` is used as given. A ``Generator`` hands out a child of the
    sequence it was built from (``seed_seq.spawn``), so a fresh generator from seed ``s`` always
    gives the same draws and a reused one gives new draws; its stream is not consumed.
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        ss = getattr(seed.bit_generator, "seed_seq", None)
        if isinstance(ss, np.random.SeedSequence):
            return ss.spawn(1)[0]
        return np.random.SeedSequence(seed.integers(0, 2**63, size=4))
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an int, SeedSequence or Generator, got {type(seed)}")
    if seed < 0:  # numpy's own message ("expected non-negative integer") names no option
        raise InputError(
            f"the seed must be >= 0, got {seed}.",
            field="--seed",
            fix="give a non-negative integer, e.g. --seed 0.",
        )
    return np.random.SeedSequence(int(seed))


def child_seed(root: np.random.SeedSequence, *key: int) -> np.random.SeedSequence:
    """Child stream ``key`` of ``root``, derived by index (no spawn counter, no order)."""
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, *key))


# --------------------------------------------------------------------------------------------
# Inputs: the scenario's ranged values as a flat table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """Every ranged input of a scenario, one column of the draws each.

    Attributes
    ----------
    names : tuple of str
        ``actor.position.issue``, ``actor.salience.issue`` or ``actor.capability``.
    kind : ndarray of int, shape (n_inputs,)
        0 position, 1 salience, 2 capability.
    actor, issue : ndarray of int, shape (n_inputs,)
        Indices into the scenario's actors and issues (issue -1 for capability).
    lo, mode, hi : ndarray, shape (n_inputs,)
        Range and point value, in file units (salience 0-100).
    dist : ndarray of int, shape (n_inputs,)
        Index into :data:`DISTRIBUTIONS`.
    """

    names: tuple[str, ...]
    kind: np.ndarray
    actor: np.ndarray
    issue: np.ndarray
    lo: np.ndarray
    mode: np.ndarray
    hi: np.ndarray
    dist: np.ndarray
    fixed: tuple[str, ...] = field(default=(), compare=False)
    default: str = field(default="pert", compare=False)

    @property
    def n_inputs(self) -> int:
        return len(self.names)

    def __getstate__(self) -> dict[str, Any]:
        # the PERT tables kept by _ppf_tables are rebuilt where needed, never shipped to workers
        state = dict(self.__dict__)
        state.pop("_ppf_tables", None)
        return state

    @classmethod
    def from_bounds(
        cls,
        names: Sequence[str],
        lo: Sequence[float],
        hi: Sequence[float],
        mode: Sequence[float] | None = None,
        *,
        distribution: str = "uniform",
    ) -> Inputs:
        """Inputs not tied to a scenario (kind -1), e.g. for a test function's parameters."""
        lo_, hi_ = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        mode_ = (lo_ + hi_) / 2 if mode is None else np.asarray(mode, dtype=float)
        if not (np.all(hi_ > lo_) and np.all((lo_ <= mode_) & (mode_ <= hi_))):
            raise ValueError("need lo < hi and lo <= mode <= hi for every input")
        p = len(names)
        code = _CODE[_check_distribution(distribution, "distribution")]
        return cls(
            names=tuple(names),
            kind=np.full(p, -1, dtype=np.int64),
            actor=np.full(p, -1, dtype=np.int64),
            issue=np.full(p, -1, dtype=np.int64),
            lo=lo_,
            mode=mode_,
            hi=hi_,
            dist=np.full(p, code, dtype=np.int64),
        )

    def distribution_of(self, name: str) -> str:
        return DISTRIBUTIONS[int(self.dist[self.names.index(name)])]


def _check_distribution(name: str, where: str) -> str:
    key = str(name).strip().lower()
    if key == "pert-beta" or key == "beta-pert":
        key = "pert"
    if key == "triang":
        key = "triangular"
    if key not in _CODE:
        raise InputError(
            f"unknown distribution {name!r}.",
            field=where,
            fix=f"use one of: {', '.join(DISTRIBUTIONS)}.",
        )
    return key


def scenario_inputs(
    scenario: Scenario,
    *,
    distribution: str | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Inputs:
    """List the scenario's ranged inputs and the distribution each is drawn from.

    Parameters
    ----------
    scenario : Scenario
    distribution : str, optional
        Default for every input: ``pert``, ``triangular`` or ``uniform``. When None, the
        scenario's ``sampling.distribution`` if the schema has it, else ``pert``.
    overrides : mapping of str to str, optional
        Per-input choice by name pattern (``fnmatch``; later patterns win), e.g.
        ``{"*.capability": "uniform", "russia.position.t": "triangular"}``. Merged over the
        scenario's ``sampling.overrides`` when the schema has it.

    Notes
    -----
    Ranges with ``lo == hi`` are constants and are not listed (reported in ``fixed``).
    """
    spec = getattr(scenario, "sampling", None) or {}
    if not isinstance(spec, Mapping):
        spec = spec.model_dump() if hasattr(spec, "model_dump") else dict(spec)
    default = _check_distribution(
        distribution or spec.get("distribution") or "pert",
        "--distribution" if distribution else "sampling.distribution",
    )
    rules = [
        (pat, _check_distribution(d, f"sampling.overrides.{pat}"))
        for pat, d in {**(spec.get("overrides") or {}), **(overrides or {})}.items()
    ]
    issue_col = {iss.id: k for k, iss in enumerate(scenario.issues)}
    rows: list[tuple[str, int, int, int, float, float, float]] = []
    fixed: list[str] = []

    def add(name: str, kind: int, i: int, k: int, lo: float, m: float, hi: float) -> None:
        if hi > lo:
            rows.append((name, kind, i, k, lo, m, hi))
        else:
            fixed.append(name)

    for i, a in enumerate(scenario.actors):
        if a.capability_range is not None:
            lo, hi = a.capability_range
            add(f"{a.id}.capability", 2, i, -1, lo, a.capability, hi)
        for iss in scenario.issues:
            if iss.id in a.ranges:
                lo, hi = a.ranges[iss.id]
                add(
                    f"{a.id}.position.{iss.id}",
                    0,
                    i,
                    issue_col[iss.id],
                    lo,
                    a.positions[iss.id],
                    hi,
                )
            if iss.id in a.salience_ranges:
                lo, hi = a.salience_ranges[iss.id]
                add(
                    f"{a.id}.salience.{iss.id}", 1, i, issue_col[iss.id], lo, a.salience[iss.id], hi
                )
    names = tuple(r[0] for r in rows)
    dist = np.full(len(rows), _CODE[default], dtype=np.int64)
    for pat, d in rules:
        hit = [j for j, n in enumerate(names) if fnmatch.fnmatchcase(n, pat)]
        dist[hit] = _CODE[d]
    col = list(zip(*rows, strict=True)) if rows else [()] * 7
    return Inputs(
        names=names,
        kind=np.array(col[1], dtype=np.int64),
        actor=np.array(col[2], dtype=np.int64),
        issue=np.array(col[3], dtype=np.int64),
        lo=np.array(col[4], dtype=float),
        mode=np.array(col[5], dtype=float),
        hi=np.array(col[6], dtype=float),
        dist=dist,
        fixed=tuple(fixed),
        default=default,
    )


# --------------------------------------------------------------------------------------------
# Uniforms in seeded blocks, and the inverse CDFs
# --------------------------------------------------------------------------------------------


def uniforms(root: np.random.SeedSequence, start: int, n: int, n_inputs: int) -> np.ndarray:
    """Uniforms on [0, 1) for draws ``start .. start + n``, shape (n, n_inputs).

    Block ``b`` (draws ``b*BLOCK .. (b+1)*BLOCK``) always comes from the same child seed and is
    always generated whole, so any draw is independent of how the run was chunked.
    """
    out = np.empty((n, n_inputs))
    if n == 0 or n_inputs == 0:
        return out
    first, last = start // BLOCK, (start + n - 1) // BLOCK
    for b in range(first, last + 1):
        gen = np.random.default_rng(child_seed(root, 0, b))
        lo, hi = max(start, b * BLOCK), min(start + n, (b + 1) * BLOCK)
        if hi - lo == BLOCK:
            gen.random(out=out[lo - start : hi - start])
        else:
            block = gen.random((BLOCK, n_inputs))
            out[lo - start : hi - start] = block[lo - b * BLOCK : hi - b * BLOCK]
    return out


def pert_shape(lo: float, mode: float, hi: float) -> tuple[float, float]:
    """Beta parameters (alpha, beta) of the PERT distribution with lambda = 4."""
    span = hi - lo
    return 1.0 + 4.0 * (mode - lo) / span, 1.0 + 4.0 * (hi - mode) / span


@lru_cache(maxsize=512)
def _pert_table(alpha: float, beta: float) -> np.ndarray:
    """Quantile function of Beta(alpha, beta) on PERT_GRID + 1 equally spaced probabilities.

    Built from the exact CDF on a fine grid of x (dense where the density is high) and inverted
    by interpolation, which is accurate where the CDF is flat (the tails) as well.
    """
    from scipy import special

    x = np.linspace(0.0, 1.0, 8 * PERT_GRID + 1)
    cdf = special.betainc(alpha, beta, x)
    cdf[0], cdf[-1] = 0.0, 1.0
    return np.interp(np.linspace(0.0, 1.0, PERT_GRID + 1), cdf, x)


@nb.njit(cache=True)
def _ppf_kernel(
    u: np.ndarray,
    dist: np.ndarray,
    lo: np.ndarray,
    mode: np.ndarray,
    hi: np.ndarray,
    tables: np.ndarray,
    table_of: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled
    n, p = u.shape
    g = tables.shape[1] - 1
    for i in range(n):
        for j in range(p):
            v = u[i, j]
            a = lo[j]
            span = hi[j] - a
            if dist[j] == 2:  # uniform
                z = v
            elif dist[j] == 1:  # triangular
                c = (mode[j] - a) / span
                if v < c:
                    z = np.sqrt(v * c)
                else:
                    z = 1.0 - np.sqrt((1.0 - v) * (1.0 - c))
            else:  # pert: tabulated quantile function
                s = v * g
                k = int(s)
                if k >= g:
                    k = g - 1
                f = s - k
                t = table_of[j]
                z = tables[t, k] + f * (tables[t, k + 1] - tables[t, k])
            out[i, j] = a + span * z


@nb.njit(cache=True)
def _scatter_kernel(
    values: np.ndarray,
    kind: np.ndarray,
    actor: np.ndarray,
    issue: np.ndarray,
    pos: np.ndarray,
    sal: np.ndarray,
    cap: np.ndarray,
) -> None:  # pragma: no cover - compiled
    n, p = values.shape
    for i in range(n):
        for j in range(p):
            if kind[j] == 0:
                pos[i, actor[j], issue[j]] = values[i, j]
            elif kind[j] == 1:
                sal[i, actor[j], issue[j]] = values[i, j] * 0.01
            else:
                cap[i, actor[j]] = values[i, j]


def _ppf_tables(inputs: Inputs) -> tuple[np.ndarray, np.ndarray]:
    """The PERT quantile tables of ``inputs``, built once per Inputs object and kept on it.

    Why: a chunked run calls :func:`ppf` once per chunk, and a large scenario can have more
    distinct PERT shapes than :func:`_pert_table`'s cache holds; rebuilding them every chunk
    (some 30 ms each) once made 1,000 ranged inputs cost 30 s per chunk.
    """
    cached = inputs.__dict__.get("_ppf_tables")
    if cached is not None:
        return cached
    shapes: dict[tuple[float, float], int] = {}
    table_of = np.zeros(inputs.n_inputs, dtype=np.int64)
    for j in range(inputs.n_inputs):
        if inputs.dist[j] == _CODE["pert"]:
            shape = pert_shape(inputs.lo[j], inputs.mode[j], inputs.hi[j])
            key = (round(shape[0], 12), round(shape[1], 12))
            table_of[j] = shapes.setdefault(key, len(shapes))
    tables = np.stack([_pert_table(*k) for k in shapes]) if shapes else np.zeros((1, 2))
    object.__setattr__(inputs, "_ppf_tables", (tables, table_of))  # not a field: not compared
    return tables, table_of


def ppf(inputs: Inputs, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of every input applied to uniforms ``u`` (n, n_inputs) -> values, file units."""
    u = np.ascontiguousarray(u, dtype=float)
    if u.ndim != 2 or u.shape[1] != inputs.n_inputs:
        raise ValueError(f"u must have shape (n, {inputs.n_inputs}), got {u.shape}")
    tables, table_of = _ppf_tables(inputs)
    out = np.empty_like(u)
    _ppf_kernel(u, inputs.dist, inputs.lo, inputs.mode, inputs.hi, tables, table_of, out)
    return out


def apply_inputs(base: ScenarioDraws, inputs: Inputs, values: np.ndarray) -> ScenarioDraws:
    """Draws of the scenario: the single-draw ``base`` with ``values`` (n, n_inputs) put in.

    Values are in file units (salience 0-100); salience is stored on 0-1 as models expect.
    """
    n = values.shape[0]
    pos = np.empty((n, *base.positions.shape[1:]))
    sal = np.empty_like(pos)
    cap = np.empty((n, base.capability.shape[1]))
    pos[:] = base.positions[:1]
    sal[:] = base.salience[:1]
    cap[:] = base.capability[:1]
    _scatter_kernel(
        np.ascontiguousarray(values, dtype=float),
        inputs.kind,
        inputs.actor,
        inputs.issue,
        pos,
        sal,
        cap,
    )
    return ScenarioDraws(
        positions=pos,
        salience=sal,
        capability=cap,
        mask=base.mask,
        scale=base.scale,
        status_quo=base.status_quo,
        actor_ids=base.actor_ids,
        issue_ids=base.issue_ids,
        meta=dict(base.meta),
    )


def sample_scenario(
    scenario: Scenario,
    n_draws: int,
    *,
    rng: SeedLike,
    distribution: str | None = None,
    overrides: Mapping[str, str] | None = None,
    start: int = 0,
) -> ScenarioDraws:
    """Draw ``n_draws`` versions of the scenario from its uncertainty ranges.

    Parameters
    ----------
    scenario : Scenario
    n_draws : int
        Number of draws.
    rng : int, SeedSequence or Generator
        Root of the run's random streams (see :func:`seed_sequence`).
    distribution, overrides
        See :func:`scenario_inputs`.
    start : int, default 0
        Index of the first draw: ``sample_scenario(sc, n, rng=s, start=a)`` equals draws
        ``a .. a+n`` of a bigger run with the same seed (how chunks are made).

    Returns
    -------
    ScenarioDraws
        Arrays (n_draws, n_actors, n_issues); ``meta`` records seed, distribution and start.
    """
    if n_draws < 0 or start < 0:
        raise ValueError(f"n_draws and start must be >= 0, got {n_draws}, {start}")
    root = seed_sequence(rng)
    inputs = scenario_inputs(scenario, distribution=distribution, overrides=overrides)
    return _draw(scenario, inputs, root, start, n_draws)


def _draw(
    scenario: Scenario | ScenarioDraws,
    inputs: Inputs,
    root: np.random.SeedSequence,
    start: int,
    n: int,
) -> ScenarioDraws:
    base = scenario if isinstance(scenario, ScenarioDraws) else to_arrays(scenario, 1)
    values = ppf(inputs, uniforms(root, start, n, inputs.n_inputs))
    draws = apply_inputs(base, inputs, values)
    draws.meta.update(
        seed_entropy=root.entropy,
        seed_spawn_key=tuple(root.spawn_key),
        start=start,
        distributions={
            DISTRIBUTIONS[c]: int((inputs.dist == c).sum()) for c in set(inputs.dist.tolist())
        },
    )
    return draws


# --------------------------------------------------------------------------------------------
# Monte Carlo over models, chunked; reducers
# --------------------------------------------------------------------------------------------


def chunk_bounds(n_draws: int, chunk_size: int = CHUNK) -> list[tuple[int, int]]:
    """``[(start, n), ...]`` covering ``0 .. n_draws``; sizes rounded up to whole blocks."""
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be > 0, got {chunk_size}")
    size = -(-chunk_size // BLOCK) * BLOCK if chunk_size >= BLOCK else chunk_size
    return [(s, min(size, n_draws - s)) for s in range(0, n_draws, size)]


def _mc_models(specs: Sequence[tuple[str, dict[str, Any]]]) -> list[Any]:
    """Models for a sweep: trace off where a model supports it (nobody reads per-draw traces)."""
    from accord.models import get_model

    models = []
    for name, params in specs:
        m = get_model(name, **params)
        if "trace" in m._param_names():
            m.set_params(trace=False)
        models.append(m)
    return models


#: Key prefix of a chunk's summed predictive distributions (models that forecast one).
MIXTURE = "mixture:"


def mc_chunk(
    scenario: Scenario,
    specs: Sequence[tuple[str, dict[str, Any]]],
    inputs: Inputs,
    root: np.random.SeedSequence,
    start: int,
    n: int,
) -> dict[str, np.ndarray]:
    """One chunk of a sweep: draw, run every model, return forecasts (n, n_issues) as float32.

    A plain top-level function (picklable) so Dask workers can run it. Models get a generator
    seeded by the chunk's start, independent of which worker runs it.
    """
    draws = _draw(scenario, inputs, root, start, n)
    out = {}
    for model in _mc_models(specs):
        rng = np.random.default_rng(child_seed(root, 1, start))
        res = model.run(draws, rng=rng)
        out[model.name] = res.forecast.astype(np.float32)
        if res.predictive is not None:  # distribution models: the chunk's summed distributions
            out[MIXTURE + model.name] = res.predictive.dist.sum(axis=0)
    return out


@dataclass
class MonteCarloResult:
    """Forecasts of every draw, assembled by draw index (so independent of chunk order).

    Attributes
    ----------
    forecasts : dict of str to ndarray, shape (n_draws, n_issues), float32
    inputs : Inputs
    seconds : float
        Wall time of the sweep.
    peak_rss_mb : float
        Peak resident memory of this process (and of the workers, when distributed).
    """

    forecasts: dict[str, np.ndarray]
    inputs: Inputs
    n_draws: int
    seed: Any
    chunk_size: int
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    workers: int = 1
    info: dict[str, Any] = field(default_factory=dict)
    #: model -> (n_issues, 101) mixture of the per-draw predictive distributions
    mixtures: dict[str, np.ndarray] = field(default_factory=dict)


def monte_carlo(
    scenario: Scenario,
    specs: Sequence[tuple[str, dict[str, Any]]],
    n_draws: int,
    *,
    seed: SeedLike = 0,
    distribution: str | None = None,
    overrides: Mapping[str, str] | None = None,
    chunk_size: int = CHUNK,
    dask: str | None = None,
    progress: bool = False,
) -> MonteCarloResult:
    """Run models over ``n_draws`` draws of the scenario, chunk by chunk.

    Parameters
    ----------
    scenario : Scenario
    specs : sequence of (model name, params)
    n_draws : int
    seed : int, SeedSequence or Generator
    distribution, overrides : see :func:`scenario_inputs`
    chunk_size : int
        Draws per task; results do not depend on it.
    dask : str, optional
        ``local:N`` (LocalCluster of N worker processes), ``tcp://host:port`` (existing
        scheduler), or None (run here, one chunk after another).
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    MonteCarloResult
        Holds every forecast as float32 (4 bytes x draws x issues x models): 1,000,000 draws of
        9 issues and 5 models take 180 MB; the chunks themselves are freed as they arrive.
    """
    from accord import limits
    from accord.uncertainty.distributed import map_chunks

    if n_draws <= 0:
        raise ValueError(f"n_draws must be > 0, got {n_draws}")
    m = len(scenario.issues)
    # checked before any work: the forecasts of every draw are kept (see Returns)
    limits.check_work("--draws", n_draws, limits.mc_bytes_per_draw(m, len(specs)),
                      what=f"{len(specs)} model(s) x {m} issue(s) of forecasts per draw")
    # one chunk's working arrays stay under limits.CHUNK_BYTES, however big the scenario
    chunk_size = min(chunk_size, limits.mc_chunk_draws(len(scenario.actors), m, CHUNK, BLOCK))
    root = seed_sequence(seed)
    inputs = scenario_inputs(scenario, distribution=distribution, overrides=overrides)
    forecasts = {name: np.empty((n_draws, m), dtype=np.float32) for name, _ in specs}
    bounds = chunk_bounds(n_draws, chunk_size)
    t0 = time.perf_counter()
    tasks = [(start, n) for start, n in bounds]
    report = map_chunks(
        mc_chunk,
        tasks,
        shared=(scenario, list(specs), inputs, root),
        dask=dask,
        progress=progress,
        label=f"Monte Carlo, {n_draws:,} draws",
        weights=[n for _, n in bounds],
    )
    mixtures: dict[str, np.ndarray] = {}
    for (start, n), res in report:
        for name, arr in res.items():
            if name.startswith(MIXTURE):  # summed in draw order: same bytes for any chunking
                key = name[len(MIXTURE) :]
                mixtures.setdefault(key, []).append((start, arr))
            else:
                forecasts[name][start : start + n] = arr
    mixtures = {k: sum(a for _, a in sorted(v, key=lambda t: t[0])) / n_draws
                for k, v in mixtures.items()}
    seconds = time.perf_counter() - t0
    return MonteCarloResult(
        forecasts=forecasts,
        inputs=inputs,
        n_draws=n_draws,
        seed=seed if isinstance(seed, int) else repr(root),
        chunk_size=chunk_size,
        seconds=seconds,
        peak_rss_mb=max(peak_rss_mb(), report.worker_peak_mb),
        workers=report.workers,
        info={"dask": dask, "worker_peak_rss_mb": report.worker_peak_mb},
        mixtures=mixtures,
    )


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (``getrusage``; KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


#: Percentiles kept in the distribution summary.
PERCENTILES = tuple(range(1, 100))
#: Histogram bins over each issue's scale.
HIST_BINS = 50


def summarise(
    values: np.ndarray, scale: np.ndarray, *, level: float = 0.8
) -> tuple[np.ndarray, np.ndarray, list[dict[str, Any]]]:
    """Intervals and a compact distribution summary of forecasts (n_draws, n_issues).

    Returns
    -------
    interval : ndarray (n_issues, 2)
        Central ``level`` interval (equal tails).
    interval95 : ndarray (n_issues, 2)
        Central 95 % interval.
    summary : list of dict, one per issue
        ``mean``, ``sd``, ``min``, ``max``, ``percentiles`` (list: the 1st to the 99th) and a
        50-bin ``histogram``
        over the issue's scale (``edges``, ``counts``): a few KB per model and issue, whatever
        the number of draws.
    """
    tail = (1.0 - level) / 2.0
    qs = np.array([100 * tail, 100 * (1 - tail), 2.5, 97.5, *PERCENTILES], dtype=float)
    v = np.asarray(values, dtype=np.float64)
    pct = np.percentile(v, qs, axis=0)  # (n_q, n_issues)
    interval = pct[:2].T.copy()
    interval95 = pct[2:4].T.copy()
    out = []
    for k in range(v.shape[1]):
        lo, hi = float(scale[k, 0]), float(scale[k, 1])
        counts, edges = np.histogram(v[:, k], bins=HIST_BINS, range=(lo, hi))
        out.append(
            {
                "mean": float(v[:, k].mean()),
                "sd": float(v[:, k].std()),
                "min": float(v[:, k].min()),
                "max": float(v[:, k].max()),
                "percentiles": [round(float(x), 4) for x in pct[4:, k]],
                "histogram": {
                    "edges": [round(float(e), 6) for e in edges],
                    "counts": counts.astype(int).tolist(),
                },
            }
        )
    return interval, interval95, out


def add_intervals(
    run: ForecastRun,
    *,
    n_draws: int,
    seed: SeedLike = 0,
    level: float = 0.8,
    progress: bool = False,
    dask: str | None = None,
    distribution: str | None = None,
    overrides: Mapping[str, str] | None = None,
    chunk_size: int = CHUNK,
) -> ForecastRun:
    """Add Monte Carlo intervals and distributions to a point-forecast run (in place).

    Runs every model of ``run`` with the same parameters over ``n_draws`` draws of the scenario's
    ranges and fills ``run.intervals`` (``level``), ``run.extra["intervals95"]``,
    ``run.distributions`` (float32 forecasts of every draw), ``run.extra["distributions"]``
    (per model, per issue summary; see :func:`summarise`) and ``run.extra["monte_carlo"]``
    (settings; in the JSON document). Wall time and memory go to ``run.extra["timing"]``,
    which the JSON leaves out: the same seed must give the same bytes.
    """
    specs = [(r.model, dict(r.params)) for r in run.results]
    mc = monte_carlo(
        run.scenario,
        specs,
        n_draws,
        seed=seed,
        distribution=distribution,
        overrides=overrides,
        chunk_size=chunk_size,
        dask=dask,
        progress=progress,
    )
    scale = np.array([iss.scale for iss in run.scenario.issues], dtype=float)
    run.extra.setdefault("intervals95", {})
    run.extra.setdefault("distributions", {})
    for name, values in mc.forecasts.items():
        interval, interval95, summary = summarise(values, scale, level=level)
        run.intervals[name] = interval
        run.extra["intervals95"][name] = interval95
        run.extra["distributions"][name] = summary
        run.distributions[name] = values
    run.predictive.update(mc.mixtures)
    run.level = level
    run.seed = seed if isinstance(seed, int) else None
    run.n_draws = n_draws
    run.extra["monte_carlo"] = {
        "draws": n_draws,
        "seed": mc.seed,
        "level": level,
        "distribution": mc.inputs.default,
        "distributions": {d: int((mc.inputs.dist == c).sum()) for c, d in enumerate(DISTRIBUTIONS)},
        "inputs": mc.inputs.n_inputs,
        "chunk_size": mc.chunk_size,
        "workers": mc.workers,
        "dask": dask,
    }
    run.extra["timing"] = {
        "seconds": round(mc.seconds, 3),
        "peak_rss_mb": round(mc.peak_rss_mb, 1),
    }
    return run
