"""The one small interface every model shares, in the way scikit-learn estimators do.

``__init__`` takes keyword-only hyper-parameters and stores them as given; ``get_params`` reads
them off the signature; ``run(draws, rng=...)`` validates them, solves every draw at once and
returns a frozen :class:`ModelResult`, leaving the model unchanged.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from accord.models._settle import Settling
from accord.scenario import IssueDraws, ScenarioDraws


@dataclass(frozen=True)
class IssueTrace:
    """Round-by-round record of a dynamic model on one issue.

    ``positions`` is (n_draws, n_rounds + 1, n_participants); ``median`` and ``mean`` are
    (n_draws, n_rounds + 1); ``moves`` lists, for draw 0, per round, dicts describing who moved
    towards whom and why (``{"round", "actor", "challenger", "octant", "from", "to"}``).
    ``settling`` says, per draw, whether the run converged, cycles or has not settled, and what
    the forecast was read from (:mod:`accord.models._settle`).
    """

    positions: np.ndarray
    median: np.ndarray
    mean: np.ndarray
    moves: list[list[dict[str, Any]]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    settling: Settling | None = None


@dataclass(frozen=True)
class ModelResult:
    """What a model run returns.

    Attributes
    ----------
    model : str
        Registry name of the model.
    params : dict
        The hyper-parameters used.
    forecast : ndarray, shape (n_draws, n_issues)
        Forecast outcome of each issue in each draw, on the issue's scale.
    issue_ids, actor_ids : tuple of str
    traces : dict
        For dynamic models: issue id -> :class:`IssueTrace` (participants' order is
        ``actor_index[issue]``).
    actor_index : dict
        Issue id -> indices (into ``actor_ids``) of the actors taking part.
    extra : dict
        Model-specific outputs (JSON-serialisable), e.g. exchanges, SMP turn logs.
    predictive : object or None
        For models that forecast a distribution (``calibrated``): a
        :class:`~accord.models._calibrated.Predictive` with every draw's distribution.
    """

    model: str
    params: dict[str, Any]
    forecast: np.ndarray
    issue_ids: tuple[str, ...]
    actor_ids: tuple[str, ...]
    traces: dict[str, IssueTrace] = field(default_factory=dict)
    actor_index: dict[str, np.ndarray] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    predictive: Any = None

    @property
    def n_draws(self) -> int:
        return self.forecast.shape[0]

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per (draw, issue) with the forecast."""
        d, m = self.forecast.shape
        return pd.DataFrame(
            {
                "model": self.model,
                "draw": np.repeat(np.arange(d), m),
                "issue": np.tile(np.array(self.issue_ids, dtype=object), d),
                "forecast": self.forecast.reshape(-1),
            }
        )

    def trace_size(self) -> int:
        """Numbers in the positions of draw 0's traces (rounds x participants, all issues)."""
        return sum(int(np.prod(tr.positions.shape[1:])) for tr in self.traces.values())

    def trace_records(
        self, issue: str, draw: int = 0, *, changed_only: bool = False
    ) -> list[dict[str, Any]]:
        """The contract's ``trace`` list for one issue and draw (empty for static models).

        ``changed_only`` keeps round 0, the last round and the rounds in which a position on
        this issue changed (each record keeps its round number): for very long traces, such as
        the exchange model's on large scenarios, where most rounds touch other issues.
        """
        tr = self.traces.get(issue)
        if tr is None:
            return []
        ids = [self.actor_ids[i] for i in self.actor_index[issue]]
        out = []
        n_rounds = tr.positions.shape[1]
        rounds: Any = range(n_rounds)
        if changed_only and n_rounds > 1:
            pos = tr.positions[draw]
            moved = np.flatnonzero(np.any(pos[1:] != pos[:-1], axis=1)) + 1
            rounds = sorted({0, n_rounds - 1, *moved.tolist()})
        for r in rounds:
            rec: dict[str, Any] = {
                "round": r,
                "median": float(tr.median[draw, r]),
                "mean": float(tr.mean[draw, r]),
                "positions": dict(zip(ids, tr.positions[draw, r].tolist(), strict=True)),
            }
            if draw == 0 and r >= 1 and len(tr.moves) >= r:
                rec["moves"] = tr.moves[r - 1]
            out.append(rec)
        return out


#: A parameter check: (predicate, what is allowed).
Check = tuple[Callable[[Any], bool], str]


class Model(ABC):
    """Base class of all models.

    Subclasses set ``name`` and ``citation``, declare ``_parameter_checks`` and implement
    :meth:`_run`. A new model is one module plus one line in ``accord.models.__init__``.
    """

    name: ClassVar[str]
    #: Short reference to the source paper (also in the class docstring).
    citation: ClassVar[str] = ""
    #: True when the model records a round-by-round trace.
    dynamic: ClassVar[bool] = False
    _parameter_checks: ClassVar[dict[str, Check]] = {}

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind == p.KEYWORD_ONLY
        ]

    def get_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Model:
        valid = set(self._param_names())
        for key, value in params.items():
            if key not in valid:
                raise ValueError(
                    f"model {self.name!r} has no parameter {key!r}; "
                    f"its parameters are: {', '.join(sorted(valid)) or 'none'}"
                )
            setattr(self, key, value)
        return self

    def _validate_params(self) -> None:
        for key, (ok, allowed) in self._parameter_checks.items():
            value = getattr(self, key)
            try:
                good = ok(value)
            except (TypeError, ValueError):
                good = False
            if not good:
                raise ValueError(
                    f"parameter {self.name}.{key} = {value!r} is invalid: must be {allowed}"
                )

    def run(self, draws: ScenarioDraws, *, rng: np.random.Generator | None = None) -> ModelResult:
        """Solve every draw; returns a :class:`ModelResult` and leaves ``self`` unchanged."""
        self._validate_params()
        return self._run(draws, rng=rng)

    @abstractmethod
    def _run(self, draws: ScenarioDraws, *, rng: np.random.Generator | None) -> ModelResult: ...

    def _result(
        self,
        draws: ScenarioDraws,
        forecast: np.ndarray,
        *,
        traces: dict[str, IssueTrace] | None = None,
        actor_index: dict[str, np.ndarray] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> ModelResult:
        """Wrap a forecast of ``draws`` in a :class:`ModelResult` stamped with this model."""
        return ModelResult(
            model=self.name,
            params=self.get_params(),
            forecast=forecast,
            issue_ids=draws.issue_ids,
            actor_ids=draws.actor_ids,
            traces=traces or {},
            actor_index=actor_index or {},
            extra=extra or {},
        )

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


class IssueModel(Model):
    """A model that solves each issue on its own (most one-dimensional models)."""

    def _run(self, draws: ScenarioDraws, *, rng: np.random.Generator | None) -> ModelResult:
        forecast = np.empty((draws.n_draws, draws.n_issues))
        traces: dict[str, IssueTrace] = {}
        index: dict[str, np.ndarray] = {}
        for k, issue_id in enumerate(draws.issue_ids):
            issue = draws.issue(k)
            index[issue_id] = issue.actor_index
            out = self.solve_issue(issue)
            if isinstance(out, tuple):
                forecast[:, k], traces[issue_id] = out[0], out[1]
            else:
                forecast[:, k] = out
        return self._result(draws, forecast, traces=traces, actor_index=index)

    @abstractmethod
    def solve_issue(self, issue: IssueDraws) -> np.ndarray | tuple[np.ndarray, IssueTrace]:
        """Forecast for one issue, shape (n_draws,), optionally with a trace."""
