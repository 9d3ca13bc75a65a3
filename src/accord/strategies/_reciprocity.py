"""Concession strategies: hardline, up-front concession (GRIT), tit-for-tat, generous TFT.

Axelrod (1984) found that nice, retaliatory, forgiving strategies (tit-for-tat) do well in
repeated play; Osgood (1962) proposed GRIT (Graduated Reciprocation in Tension-reduction):
a run of unilateral concessions made regardless of the reply, then reciprocity. Here a
"concession" moves an actor's stated demand towards its counterpart's demand on every issue
(see :func:`accord.strategies._base.concede`); "defection" holds or retracts it.
"""

from __future__ import annotations

import numpy as np

from accord.strategies._base import ActorView, Strategy, _check, concede, keep_acceptable


class Hardline(Strategy):
    """Never concedes: states its ideal point every round and accepts only terms that beat
    its value of going on.

    Names
    -----
    - Hardliner / "Defector" in the IPD literature: [Axelrod1984]_.
    """

    name = "hardline"
    classifier = {"stochastic": False, "reciprocal": False, "concedes_unconditionally": False,
                  "reneges": False, "transactional": False, "persuadable": False}

    def __init__(self) -> None:
        pass

    def propose(self, view: ActorView, rng: np.random.Generator) -> np.ndarray:
        return view.ideal.copy()


class TitForTat(Strategy):
    """Concedes in the first round, then mirrors its counterpart: concedes ``step`` after a
    concession, retracts ``step`` after a retraction, holds otherwise.

    Parameters
    ----------
    step : float
        Share of the distance to the counterpart's demand conceded per round (0-1).
    opening : bool
        Concede in round 0 (Axelrod's "nice" property).

    Names
    -----
    - Tit For Tat: [Axelrod1984]_ (Rapoport's entry).
    """

    name = "tit-for-tat"
    classifier = {"stochastic": False, "reciprocal": True, "concedes_unconditionally": False,
                  "reneges": False, "transactional": False, "persuadable": False}

    def __init__(self, *, step: float = 0.05, opening: bool = True) -> None:
        self.step = step
        self.opening = opening

    def validate(self) -> None:
        _check(0 <= self.step <= 1, type(self), "step", self.step, "in [0, 1]")

    def _step(self, view: ActorView, rng: np.random.Generator) -> np.ndarray:
        if view.round == 0:
            return np.full(view.n_draws, self.step if self.opening else 0.0)
        return np.where(view.counterpart_conceded(), self.step,
                        np.where(view.counterpart_retracted(), -self.step, 0.0))

    def propose(self, view: ActorView, rng: np.random.Generator) -> np.ndarray:
        s = self._step(view, rng)
        if not s.any():
            return keep_acceptable(view, view.demand.copy())
        return concede(view, s)


class GenerousTitForTat(TitForTat):
    """Tit-for-tat that, when its counterpart did not concede, still concedes with
    probability ``generosity`` (forgiveness protects against noise; Nowak & Sigmund 1992;
    models.md §6 gives the optimal rate min{1 - (T-R)/(R-S), (R-P)/(T-P)}).

    Parameters
    ----------
    step : float
        Share of the distance conceded per round.
    generosity : float
        Probability of conceding after a non-concession (0-1).

    Names
    -----
    - Generous Tit For Tat: [Nowak1992]_, [Axelrod1984]_.
    """

    name = "generous-tit-for-tat"
    classifier = {"stochastic": True, "reciprocal": True, "concedes_unconditionally": False,
                  "reneges": False, "transactional": False, "persuadable": False}

    def __init__(self, *, step: float = 0.05, opening: bool = True,
                 generosity: float = 0.1) -> None:
        super().__init__(step=step, opening=opening)
        self.generosity = generosity

    def validate(self) -> None:
        super().validate()
        _check(0 <= self.generosity <= 1, type(self), "generosity", self.generosity,
               "a probability in [0, 1]")

    def _step(self, view: ActorView, rng: np.random.Generator) -> np.ndarray:
        s = super()._step(view, rng)
        forgive = (s <= 0) & (rng.random(view.n_draws) < self.generosity)
        return np.where(forgive, self.step, s)


class UnconditionalConcession(Strategy):
    """GRIT: concedes ``step`` per round for the first ``rounds`` rounds whatever the
    counterpart does, then plays tit-for-tat with ``reciprocal_step``.

    Up-front concessions signal good intentions; against a counterpart that pockets them
    they only move the terms towards it (the seed claim 1 tests this).

    Parameters
    ----------
    rounds : int
        Number of unconditional concession rounds (k).
    step : float
        Share of the distance to the counterpart's demand conceded per unconditional round.
    reciprocal_step : float
        Step of the tit-for-tat phase afterwards.

    Names
    -----
    - GRIT: [Osgood1962]_; discussed as a reciprocity strategy by [Axelrod1984]_.
    """

    name = "grit"
    classifier = {"stochastic": False, "reciprocal": True, "concedes_unconditionally": True,
                  "reneges": False, "transactional": False, "persuadable": False}

    def __init__(self, *, rounds: int = 8, step: float = 0.1,
                 reciprocal_step: float = 0.05) -> None:
        self.rounds = rounds
        self.step = step
        self.reciprocal_step = reciprocal_step

    def validate(self) -> None:
        _check(isinstance(self.rounds, int) and self.rounds >= 0, type(self), "rounds",
               self.rounds, "an integer >= 0")
        _check(0 <= self.step <= 1, type(self), "step", self.step, "in [0, 1]")
        _check(0 <= self.reciprocal_step <= 1, type(self), "reciprocal_step",
               self.reciprocal_step, "in [0, 1]")

    def propose(self, view: ActorView, rng: np.random.Generator) -> np.ndarray:
        if view.round < self.rounds:
            return concede(view, self.step)
        s = np.where(view.counterpart_conceded(), self.reciprocal_step,
                     np.where(view.counterpart_retracted(), -self.reciprocal_step, 0.0))
        return concede(view, s)
