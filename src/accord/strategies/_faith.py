"""Bad faith: agree, then renege at a hazard or once ahead.

A party that does not mean to keep a deal pockets the other side's concessions, accepts
terms slightly worse than its value of fighting on (it will not pay for them), and breaks
the ceasefire when a hazard fires or once its battlefield position has improved by a
margin since the agreement (the commitment problem of Fearon 1995 §"commitment problems"
and Powell 2006, played out by a strategy rather than by the equilibrium).
"""

from __future__ import annotations

import numpy as np

from accord.strategies._base import ActorView, Strategy, _check, keep_acceptable


class BadFaith(Strategy):
    """Concedes ``step`` per round at most (default: never), accepts terms up to ``slack``
    below its reservation value, then reneges: each ceasefire week with probability
    ``hazard``, and for sure once its win probability exceeds its value at the agreement
    by ``margin``.

    Parameters
    ----------
    step : float
        Concession per round (0 = pockets concessions, makes none).
    slack : float
        Utility it is willing to "accept" below its reservation (it will not keep the deal).
    hazard : float
        Weekly probability of reneging during a ceasefire.
    margin : float
        Gain in win probability since the agreement at which it reneges ("once ahead");
        ``inf`` disables the rule.

    Names
    -----
    - Reneging under a commitment problem: [Fearon1995]_, [Powell2006]_; "bad faith" as a
      strategy that cooperates then defects once ahead: models.md §6.
    """

    name = "bad-faith"
    classifier = {"stochastic": True, "reciprocal": False, "concedes_unconditionally": False,
                  "reneges": True, "transactional": False, "persuadable": False}

    def __init__(self, *, step: float = 0.0, slack: float = 0.05, hazard: float = 0.01,
                 margin: float = 0.03) -> None:
        self.step = step
        self.slack = slack
        self.hazard = hazard
        self.margin = margin

    def validate(self) -> None:
        _check(0 <= self.step <= 1, type(self), "step", self.step, "in [0, 1]")
        _check(0 <= self.slack <= 1, type(self), "slack", self.slack, "in [0, 1]")
        _check(0 <= self.hazard <= 1, type(self), "hazard", self.hazard, "a probability")
        _check(self.margin > 0, type(self), "margin", self.margin, "> 0 (inf disables it)")

    def propose(self, view: ActorView, rng: np.random.Generator) -> np.ndarray:
        if self.step == 0:
            return keep_acceptable(view, view.demand.copy())
        from accord.strategies._base import concede

        return concede(view, self.step)

    def accepts(self, view: ActorView, terms: np.ndarray, rng: np.random.Generator,
                bonus: np.ndarray | float = 0.0) -> np.ndarray:
        return view.utility(terms) + bonus + self.slack >= view.reservation

    def breaks(self, view: ActorView, terms: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        fire = rng.random(view.n_draws) < self.hazard
        ahead = (view.win_prob - view.win_prob_at_agreement) >= self.margin
        return fire | np.nan_to_num(ahead, nan=0.0).astype(bool)
