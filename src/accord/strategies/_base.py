"""Strategy interface, the per-actor view of a negotiation round, and the registry.

A strategy is a small class in the manner of Axelrod's library (Knight et al. 2016): a
``name``, a ``classifier`` dict of metadata the simulator acts on, keyword-only parameters
stored as given, and decision methods vectorised over Monte Carlo draws:

- :meth:`Strategy.propose` returns the actor's new stated demand, shape (n_draws, n_issues);
- :meth:`Strategy.accepts` says, per draw, whether the actor accepts the terms on the table;
- :meth:`Strategy.breaks` says, per draw, whether the actor breaks a ceasefire in force.

The registry is discovered from the package (every concrete :class:`Strategy` subclass in an
``accord.strategies._*`` module), as scikit-learn's ``all_estimators`` does, never kept by hand.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

#: Metadata keys every strategy declares (tested; the simulator reads ``stochastic``).
CLASSIFIER_KEYS = ("stochastic", "reciprocal", "concedes_unconditionally", "reneges",
                   "transactional", "persuadable")


def weighted_utility(z: np.ndarray, ideal: np.ndarray, sal: np.ndarray,
                     rng_: np.ndarray) -> np.ndarray:
    """Salience-weighted linear utility of terms, in [0, 1].

    u_i(z) = 1 - sum_k s_ik |z_k - x_ik| / R_k / sum_k s_ik  (models.md §1 loss, summed over
    issues with the actor's saliences as weights; issues it takes no part in have s = 0).

    Parameters
    ----------
    z : ndarray, shape (..., n_issues)
        Terms (or any point) on each issue's scale.
    ideal, sal : ndarray, shape (..., n_issues)
        The actor's ideal points and saliences (0-1), broadcastable against ``z``.
    rng_ : ndarray, shape (n_issues,)
        Issue ranges R_k.
    """
    w = sal.sum(axis=-1)
    w = np.where(w > 0, w, 1.0)
    return 1.0 - (sal * np.abs(z - ideal) / rng_).sum(axis=-1) / w


@dataclass
class ActorView:
    """What one actor sees at the start of a round (arrays over draws).

    Attributes
    ----------
    index : int
        The actor's index in the scenario.
    round : int
        Round number (0-based; a round is a week by default).
    ideal : ndarray, shape (n_draws, n_issues)
        The actor's (current) ideal point; a persuadable actor's ideal drifts.
    ideal0 : ndarray, shape (n_draws, n_issues)
        Its ideal point at the start.
    demand, prev_demand : ndarray, shape (n_draws, n_issues)
        Its stated demand now and one round ago.
    demands, prev_demands : ndarray, shape (n_draws, n_actors, n_issues)
        Every actor's stated demand now and one round ago.
    salience : ndarray, shape (n_draws, n_issues)
        Its saliences (0-1); 0 on issues it takes no part in.
    reservation : ndarray, shape (n_draws,)
        Its (perceived) value of going on: expected war outcome minus costs (Fearon 1995).
    target : ndarray, shape (n_draws, n_issues)
        The point it would concede towards (its counterpart's demand or the table).
    counterpart : int
        Index of the actor whose moves it reciprocates (the other side, for belligerents).
    win_prob, win_prob_at_agreement : ndarray, shape (n_draws,)
        Its battlefield win probability now and when the ceasefire was agreed (NaN before).
    scale_range : ndarray, shape (n_issues,)
        R_k of each issue.
    lo, hi : ndarray, shape (n_issues,)
        Issue scale ends.
    actor_ids, issue_ids : tuple of str
    """

    index: int
    round: int
    ideal: np.ndarray
    ideal0: np.ndarray
    demand: np.ndarray
    prev_demand: np.ndarray
    demands: np.ndarray
    prev_demands: np.ndarray
    salience: np.ndarray
    reservation: np.ndarray
    target: np.ndarray
    counterpart: int
    win_prob: np.ndarray
    win_prob_at_agreement: np.ndarray
    scale_range: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...] = ()
    weights: np.ndarray | None = None

    @property
    def n_draws(self) -> int:
        return self.demand.shape[0]

    def utility(self, z: np.ndarray) -> np.ndarray:
        """This actor's utility of terms ``z`` (n_draws, n_issues) -> (n_draws,)."""
        if self.weights is None:
            self.weights = self.salience / (
                self.scale_range * np.maximum(self.salience.sum(-1, keepdims=True), 1e-12))
        return 1.0 - (self.weights * np.abs(z - self.ideal)).sum(-1)

    def counterpart_conceded(self, eps: float = 1e-9) -> np.ndarray:
        """True where the counterpart's demand got better for this actor last round (Axelrod's
        'cooperated'): u_i(d_j(t)) > u_i(d_j(t-1)). False in round 0."""
        if self.round == 0:
            return np.zeros(self.n_draws, dtype=bool)
        j = self.counterpart
        return self.utility(self.demands[:, j]) > self.utility(self.prev_demands[:, j]) + eps

    def counterpart_retracted(self, eps: float = 1e-9) -> np.ndarray:
        """True where the counterpart's demand got worse for this actor last round."""
        if self.round == 0:
            return np.zeros(self.n_draws, dtype=bool)
        j = self.counterpart
        return self.utility(self.demands[:, j]) < self.utility(self.prev_demands[:, j]) - eps


def concede(view: ActorView, step: np.ndarray | float) -> np.ndarray:
    """Move the demand towards ``view.target`` by ``step`` (0-1), more on less salient issues,
    then keep it acceptable to the actor itself.

    The per-issue step is ``step * (1 - s_k / 2)`` (log-rolling: an actor gives ground first
    where it cares least; Raiffa 1982). The result is pulled back towards the ideal point,
    if needed, until its utility is at least the reservation value (a rational negotiator
    never demands what it prefers less than fighting on; Fearon 1995). A negative step
    retracts towards the ideal point.
    """
    step = np.asarray(step, dtype=float)
    if step.ndim == 1:
        step = step[:, None]
    per_issue = np.clip(step * (1.0 - 0.5 * view.salience), -1.0, 1.0)
    toward = np.where(per_issue >= 0, view.target, view.ideal)
    new = view.demand + np.abs(per_issue) * (toward - view.demand)
    return keep_acceptable(view, new)


def keep_acceptable(view: ActorView, demand: np.ndarray, iters: int = 8) -> np.ndarray:
    """Pull ``demand`` back along the segment from the ideal point until u >= reservation.

    Utility is concave along a straight segment, so the set of acceptable points on the
    segment ideal -> demand is an interval starting at the ideal (u = 1); bisection finds
    its end. Vectorised over draws.
    """
    ok = view.utility(demand) >= view.reservation
    if ok.all():
        return demand
    lo = np.zeros(view.n_draws)
    hi = np.ones(view.n_draws)
    d = demand - view.ideal
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        good = view.utility(view.ideal + mid[:, None] * d) >= view.reservation
        lo = np.where(good, mid, lo)
        hi = np.where(good, hi, mid)
    pulled = view.ideal + lo[:, None] * d
    return np.where(ok[:, None], demand, pulled)


class Strategy(ABC):
    """Base class of negotiation strategies.

    Subclasses set ``name`` (unique, kebab-case), ``classifier`` (all of
    :data:`CLASSIFIER_KEYS`) and implement :meth:`propose`; :meth:`accepts` and
    :meth:`breaks` have rational defaults (accept what beats going on; never break).
    """

    name: ClassVar[str]
    classifier: ClassVar[dict[str, bool]]

    def __init__(self) -> None:  # noqa: B027  # pragma: no cover - subclasses define their own
        pass

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p.name for p in sig.parameters.values()
                if p.name != "self" and p.kind == p.KEYWORD_ONLY]

    def get_params(self) -> dict[str, Any]:
        """Parameters as given to ``__init__`` (read off the signature)."""
        return {k: getattr(self, k) for k in self._param_names()}

    def clone(self) -> Strategy:
        """A fresh copy with the same parameters (no state)."""
        return type(self)(**self.get_params())

    def reset(self) -> None:  # noqa: B027
        """Forget anything remembered from a previous run (default: nothing to forget)."""

    def validate(self) -> None:  # noqa: B027
        """Raise ``ValueError`` naming the parameter if a value is out of range."""

    @abstractmethod
    def propose(self, view: ActorView, rng: np.random.Generator) -> np.ndarray:
        """New stated demand, shape (n_draws, n_issues)."""

    def accepts(self, view: ActorView, terms: np.ndarray, rng: np.random.Generator,
                bonus: np.ndarray | float = 0.0) -> np.ndarray:
        """Accept the terms iff they beat the value of going on (Fearon's bargaining range).

        ``bonus`` is any side payment a mediator attaches to agreeing (e.g. recognition).
        """
        return view.utility(terms) + bonus >= view.reservation

    def breaks(self, view: ActorView, terms: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Whether to break a ceasefire in force on its own initiative (beyond the common
        range and Powell checks the simulator makes for everyone). Default: never."""
        return np.zeros(view.n_draws, dtype=bool)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


def _check(cond: bool, cls: type, param: str, value: Any, allowed: str) -> None:
    if not cond:
        raise ValueError(f"strategy {cls.name}: parameter {param} = {value!r} is invalid; "
                         f"it must be {allowed}")


def all_strategies() -> dict[str, type[Strategy]]:
    """Name -> class of every concrete strategy in the package (discovered, not listed)."""
    import accord.strategies as pkg

    found: dict[str, type[Strategy]] = {}
    for mod in pkgutil.iter_modules(pkg.__path__):
        if not mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{pkg.__name__}.{mod.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if (issubclass(obj, Strategy) and not inspect.isabstract(obj)
                    and obj.__module__ == module.__name__):
                if obj.name in found and found[obj.name] is not obj:
                    raise RuntimeError(f"strategy name {obj.name!r} is used twice")
                found[obj.name] = obj
    return dict(sorted(found.items()))


def filtered_strategies(**criteria: bool) -> list[str]:
    """Names of strategies whose classifier matches every ``key=value`` given
    (Axelrod's ``filtered_strategies``), e.g. ``filtered_strategies(reneges=True)``."""
    for key in criteria:
        if key not in CLASSIFIER_KEYS:
            raise ValueError(f"unknown classifier key {key!r}; known: {', '.join(CLASSIFIER_KEYS)}")
    return [name for name, cls in all_strategies().items()
            if all(cls.classifier.get(k) == v for k, v in criteria.items())]


def make_strategy(name: str, **params: Any) -> Strategy:
    """Instantiate a strategy by name; unknown names or parameters raise ``ValueError``."""
    registry = all_strategies()
    if name not in registry:
        raise ValueError(f"unknown strategy {name!r}; available: {', '.join(registry)}")
    cls = registry[name]
    unknown = set(params) - set(cls._param_names())
    if unknown:
        raise ValueError(f"strategy {name!r} has no parameter {sorted(unknown)[0]!r}; "
                         f"it takes: {', '.join(cls._param_names()) or 'none'}")
    obj = cls(**params)
    obj.validate()
    return obj
