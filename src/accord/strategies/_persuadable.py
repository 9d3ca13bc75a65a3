"""Persuadable decision-makers: the position drifts towards the last party met.

A recency effect in attitude change (Miller & Campbell 1959: the later message wins when
the decision follows it closely) applied to a negotiator's ideal point: at each meeting the
ideal moves a share ``drift`` of the way to what the visitor demands, and between meetings
it relaxes back to the original ideal at rate ``anchor``.
"""

from __future__ import annotations

import numpy as np

from accord.strategies._base import ActorView, Strategy, _check, keep_acceptable


class Persuadable(Strategy):
    """States its current (drifting) ideal point; the ideal drifts towards the demand of the
    party it met this round.

    Parameters
    ----------
    meetings : list of [round, actor id]
        Who it meets, and when (rounds are 0-based weeks).
    drift : float
        Share of the distance to the visitor's demand adopted at a meeting (0-1).
    anchor : float
        Per-round pull back towards its original ideal point (0-1).

    Names
    -----
    - Recency effect: [Miller1959]_; "whoever spoke to him last" is seed claim 5.
    """

    name = "persuadable"
    classifier = {"stochastic": False, "reciprocal": False, "concedes_unconditionally": False,
                  "reneges": False, "transactional": False, "persuadable": True}

    def __init__(self, *, meetings: tuple = (), drift: float = 0.3,
                 anchor: float = 0.05) -> None:
        self.meetings = tuple(tuple(m) for m in meetings)
        self.drift = drift
        self.anchor = anchor

    def validate(self) -> None:
        _check(0 <= self.drift <= 1, type(self), "drift", self.drift, "in [0, 1]")
        _check(0 <= self.anchor <= 1, type(self), "anchor", self.anchor, "in [0, 1]")
        for m in self.meetings:
            _check(len(m) == 2 and isinstance(m[0], int) and m[0] >= 0, type(self),
                   "meetings", m, "a list of [round, actor id] pairs")

    def met_at(self, rnd: int) -> str | None:
        """The actor met in round ``rnd`` (the last listed if several), or None."""
        who = None
        for r, a in self.meetings:
            if r == rnd:
                who = a
        return who

    def update_ideal(self, view: ActorView) -> np.ndarray:
        ideal = view.ideal + self.anchor * (view.ideal0 - view.ideal)
        who = self.met_at(view.round)
        if who is not None:
            if who not in view.actor_ids:
                raise ValueError(f"strategy persuadable: meetings names unknown actor {who!r}; "
                                 f"actors: {', '.join(view.actor_ids)}")
            j = view.actor_ids.index(who)
            take = view.salience > 0
            ideal = np.where(take, ideal + self.drift * (view.demands[:, j] - ideal), ideal)
        return ideal

    def propose(self, view: ActorView, rng: np.random.Generator) -> np.ndarray:
        return keep_acceptable(view, view.ideal.copy())
