"""A validated scenario as numpy arrays with a leading draws axis.

Models never see pydantic objects: they take a :class:`ScenarioDraws`, whose arrays are
``(n_draws, n_actors, n_issues)`` (positions, salience) and ``(n_draws, n_actors)``
(capability), plus a ``(n_actors, n_issues)`` mask of which actor takes part in which issue.
Salience is stored on 0-1 (the files use 0-100; formulas need 0-1, models.md §2 pitfall 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from accord.scenario._schema import Scenario


@dataclass(frozen=True)
class ScenarioDraws:
    """Arrays of one or many draws of a scenario.

    Attributes
    ----------
    positions : ndarray, shape (n_draws, n_actors, n_issues)
        Positions on each issue's own scale; 0 where ``mask`` is False.
    salience : ndarray, shape (n_draws, n_actors, n_issues)
        Salience on 0-1; 0 where ``mask`` is False.
    capability : ndarray, shape (n_draws, n_actors)
        Capability (> 0; only ratios matter).
    mask : ndarray of bool, shape (n_actors, n_issues)
        True where the actor takes part in the issue.
    scale : ndarray, shape (n_issues, 2)
        ``[min, max]`` of each issue's scale.
    status_quo : ndarray, shape (n_issues,)
        Status quo per issue, NaN where none is given.
    actor_ids, issue_ids : tuple of str
    """

    positions: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    mask: np.ndarray
    scale: np.ndarray
    status_quo: np.ndarray
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    meta: dict = field(default_factory=dict, compare=False)
    # issue(k) results: every model of a run asks for the same issues; ``replace`` starts afresh
    _issues: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        d, n, m = self.positions.shape
        if self.salience.shape != (d, n, m):
            raise ValueError(f"salience shape {self.salience.shape} != positions {(d, n, m)}")
        if self.capability.shape != (d, n):
            raise ValueError(f"capability shape {self.capability.shape} != {(d, n)}")
        if self.mask.shape != (n, m):
            raise ValueError(f"mask shape {self.mask.shape} != {(n, m)}")
        if self.scale.shape != (m, 2) or self.status_quo.shape != (m,):
            raise ValueError("scale must be (n_issues, 2) and status_quo (n_issues,)")
        if len(self.actor_ids) != n or len(self.issue_ids) != m:
            raise ValueError("actor_ids / issue_ids do not match the array shapes")

    @property
    def n_draws(self) -> int:
        return self.positions.shape[0]

    @property
    def n_actors(self) -> int:
        return self.positions.shape[1]

    @property
    def n_issues(self) -> int:
        return self.positions.shape[2]

    @property
    def scale_range(self) -> np.ndarray:
        """R = max - min per issue, shape (n_issues,)."""
        return self.scale[:, 1] - self.scale[:, 0]

    def issue(self, k: int) -> IssueDraws:
        """The participants of issue ``k`` as dense arrays (draws, participants), read-only.

        Built once per issue and kept: the arrays are copies (gathers), so later changes to this
        object's arrays do not reach them — treat a ScenarioDraws as immutable.
        """
        cached = self._issues.get(k)
        if cached is not None:
            return cached
        sel = np.flatnonzero(self.mask[:, k])
        arrays = [self.positions[:, sel, k], self.salience[:, sel, k], self.capability[:, sel]]
        for a in arrays:
            a.flags.writeable = False
        out = IssueDraws(
            positions=arrays[0],
            salience=arrays[1],
            capability=arrays[2],
            lo=float(self.scale[k, 0]),
            hi=float(self.scale[k, 1]),
            status_quo=float(self.status_quo[k]),
            actor_index=sel,
        )
        self._issues[k] = out
        return out

    def take(self, index: slice | np.ndarray) -> ScenarioDraws:
        """A subset of the draws (same actors and issues)."""
        return replace(
            self,
            positions=self.positions[index],
            salience=self.salience[index],
            capability=self.capability[index],
        )


@dataclass(frozen=True)
class IssueDraws:
    """One issue's participants: arrays of shape (n_draws, n_participants)."""

    positions: np.ndarray
    salience: np.ndarray
    capability: np.ndarray
    lo: float
    hi: float
    status_quo: float
    actor_index: np.ndarray

    @property
    def weights(self) -> np.ndarray:
        """c_i * s_i, the weight most static models use."""
        return self.capability * self.salience


def to_arrays(scenario: Scenario, n_draws: int = 1) -> ScenarioDraws:
    """The scenario's point values, repeated ``n_draws`` times."""
    actors, issues = scenario.actors, scenario.issues
    n, m = len(actors), len(issues)
    col = {iss.id: k for k, iss in enumerate(issues)}
    pos = np.zeros((n, m))
    sal = np.zeros((n, m))
    mask = np.zeros((n, m), dtype=bool)
    for i, a in enumerate(actors):
        for key, x in a.positions.items():
            pos[i, col[key]] = x
            sal[i, col[key]] = a.salience[key] / 100.0
            mask[i, col[key]] = True
    cap = np.array([a.capability for a in actors], dtype=float)
    scale = np.array([iss.scale for iss in issues], dtype=float)
    sq = np.array([np.nan if iss.status_quo is None else iss.status_quo for iss in issues])
    return ScenarioDraws(
        positions=np.broadcast_to(pos, (n_draws, n, m)).copy(),
        salience=np.broadcast_to(sal, (n_draws, n, m)).copy(),
        capability=np.broadcast_to(cap, (n_draws, n)).copy(),
        mask=mask,
        scale=scale,
        status_quo=sq,
        actor_ids=tuple(a.id for a in actors),
        issue_ids=tuple(iss.id for iss in issues),
        meta={"name": scenario.name},
    )
