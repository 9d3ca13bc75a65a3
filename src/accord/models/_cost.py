"""What a model costs on a scenario of n actors and k issues, and refusing what cannot finish.

Each registered model has a cost formula in n (actors) and k (issues) for one draw, with a
constant measured on the reference 2-core machine (docs/performance.md gives the table and
the measurements behind it). :func:`check_cost` refuses, before any work starts, a model whose
single-draw estimate exceeds the budget (``ACCORD_MAX_MODEL_SECONDS``, default
:data:`DEFAULT_BUDGET` seconds): the message names the model, the size, the estimate and how to
leave the model out or raise the budget. The estimates are deliberately rough (within a factor
of about 2-3): the dynamic models stop when they settle, which no formula knows in advance.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from accord.errors import InputError

#: Default per-model budget, seconds of computing for one draw (``ACCORD_MAX_MODEL_SECONDS``).
DEFAULT_BUDGET = 10.0
BUDGET_ENV = "ACCORD_MAX_MODEL_SECONDS"


@dataclass(frozen=True)
class Cost:
    """One model's cost: the growth law (for docs and messages) and an estimate in seconds."""

    law: str
    seconds: Callable[[int, int, dict], float]  # (n actors, k issues, params) -> seconds


def _rounds(params: dict, key: str, default: int) -> int:
    try:
        return max(1, int(params.get(key, default) or default))
    except (TypeError, ValueError):
        return default


#: Constants fitted to single-draw runs of random 0-100 scenarios (docs/performance.md).
COSTS: dict[str, Cost] = {
    "compromise": Cost("O(n k)", lambda n, k, p: 2e-8 * n * k),
    "median": Cost("O(n log n k)", lambda n, k, p: 5e-8 * n * k),
    "nash": Cost("O(n k) per grid point, per issue", lambda n, k, p: 3e-5 * n * k),
    # 10 rounds of O(n^2) each per issue (sorted prefix sums; see _eum)
    "eum": Cost(
        "O(rounds n^2 k)", lambda n, k, p: 5e-8 * _rounds(p, "rounds", 10) * n * n * k
    ),
    # every turn: each actor weighs a challenge to every other with every third party voting,
    # O(n^3), plus O(n^2 k) distances; about 50 turns on random scenarios (max_turns 100)
    "smp": Cost(
        "O(turns (n^3 + n^2 k)), about 50 turns",
        lambda n, k, p: 3.5e-8 * min(50, _rounds(p, "max_turns", 100)) * (n**3 + n * n * k),
    ),
    # up to n k / 2 exchanges (each locks two actor-issue cells); after each, the best
    # exchange of the 4k pairs of issues touching the two traded issues, O(n^2) each
    "exchange": Cost(
        "O(exchanges k n^2), up to n k / 2 exchanges: O(n^3 k^2)",
        lambda n, k, p: 0.0 if k < 2 else 2.5e-9 * (n * k / 2) * (4 * k) * n * n / 4,
    ),
    # features from the actors (weighted mean, median, spread: O(n log n) per issue) and two
    # logits over the 101-point grid per issue
    "calibrated": Cost("O(n log n k + 101 k)", lambda n, k, p: 1e-7 * n * k + 2e-3 * k),
}


def budget() -> float:
    """The per-model budget in seconds (``ACCORD_MAX_MODEL_SECONDS`` or the default)."""
    raw = os.environ.get(BUDGET_ENV, "").strip()
    if not raw:
        return DEFAULT_BUDGET
    try:
        value = float(raw)
    except ValueError:
        raise InputError(
            f"{BUDGET_ENV}={raw!r} is not a number.",
            field=BUDGET_ENV,
            fix="set it to a number of seconds (for example 120), or unset it.",
        ) from None
    if not value > 0:
        raise InputError(
            f"{BUDGET_ENV}={raw!r} must be > 0.", field=BUDGET_ENV,
            fix="set it to a number of seconds (for example 120), or unset it.",
        )
    return value


def estimate_seconds(model: str, n_actors: int, n_issues: int, params: dict | None = None) -> float:
    """Estimated seconds of one draw of ``model`` (0 for a model without a cost entry)."""
    cost = COSTS.get(model)
    return 0.0 if cost is None else float(cost.seconds(n_actors, n_issues, params or {}))


def check_cost(
    models: Sequence[tuple[str, dict]], n_actors: int, n_issues: int, *, all_names: Sequence[str]
) -> dict[str, float]:
    """Refuse (``InputError``, exit 2) when a model's single-draw estimate exceeds the budget.

    Returns each model's estimate in seconds (for progress messages).
    """
    limit = budget()
    est = {name: estimate_seconds(name, n_actors, n_issues, p) for name, p in models}
    slow = [name for name, s in est.items() if s > limit]
    if slow:
        keep = [name for name in all_names if name not in slow]
        size = f"{n_actors:,} actors x {n_issues:,} issues"
        what = "; ".join(
            f"{name} would take about {_human(est[name])} (cost {COSTS[name].law})" for name in slow
        )
        skip = " ".join(f"--model {name}" for name in keep) if keep else ""
        raise InputError(
            f"the scenario is too large for {', '.join(slow)}: {size}; {what}; "
            f"the limit is {_human(limit)} per model.",
            field="--model",
            fix=(f"leave {'it' if len(slow) == 1 else 'them'} out"
                 + (f" with {skip}" if skip else "")
                 + f", or raise the limit with {BUDGET_ENV}=SECONDS (see docs/performance.md)."),
        )
    return est


def _human(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:,.0f} days"
