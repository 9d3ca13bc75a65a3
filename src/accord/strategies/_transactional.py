"""Transactional ("business terms") negotiators.

A transactional party values a deal by what it pays now on a few issues (payment for past
aid, resource revenue) and is impatient (a low discount factor, so its Rubinstein share
and its patience for a well-founded settlement are small; Rubinstein 1982). It accepts any
deal that pays it now and concedes fast on everything else. As a mediator (see the
simulator) it proposes the quickest acceptable deal rather than the centre of the
bargaining range.
"""

from __future__ import annotations

import numpy as np

from accord.strategies._base import ActorView, Strategy, _check, concede


class Transactional(Strategy):
    """Accepts any terms whose utility on its ``pay_issues`` is at least ``threshold``;
    holds its demand on those issues and concedes ``step`` per round on the rest.

    Parameters
    ----------
    pay_issues : tuple of str
        Issue ids that pay it now (e.g. the minerals deal).
    threshold : float
        Minimum utility (0-1) on the pay issues for it to accept.
    step : float
        Concession per round on the other issues.

    Names
    -----
    - Impatient bargainer: [Rubinstein1982]_; transactional vs. diplomatic framing of the
      2025 talks: seed claim 6.
    """

    name = "transactional"
    classifier = {"stochastic": False, "reciprocal": False, "concedes_unconditionally": True,
                  "reneges": False, "transactional": True, "persuadable": False}

    def __init__(self, *, pay_issues: tuple[str, ...] = ("m",), threshold: float = 0.7,
                 step: float = 0.2) -> None:
        self.pay_issues = tuple(pay_issues)
        self.threshold = threshold
        self.step = step

    def validate(self) -> None:
        _check(0 <= self.threshold <= 1, type(self), "threshold", self.threshold, "in [0, 1]")
        _check(0 <= self.step <= 1, type(self), "step", self.step, "in [0, 1]")

    def _pay_mask(self, view: ActorView) -> np.ndarray:
        ids = view.issue_ids
        unknown = set(self.pay_issues) - set(ids)
        if ids and unknown:
            raise ValueError(f"strategy transactional: pay_issues names unknown issue "
                             f"{sorted(unknown)[0]!r}; issues: {', '.join(ids)}")
        return np.array([i in self.pay_issues for i in ids], dtype=bool)

    def pay_utility(self, view: ActorView, terms: np.ndarray) -> np.ndarray:
        """Utility on the pay issues only, (n_draws,); 1 if it has none."""
        mask = self._pay_mask(view)
        sal = view.salience * mask
        if not sal.any():
            return np.ones(view.n_draws)
        from accord.strategies._base import weighted_utility

        return weighted_utility(terms, view.ideal, sal, view.scale_range)

    def propose(self, view: ActorView, rng: np.random.Generator) -> np.ndarray:
        mask = self._pay_mask(view)
        moved = concede(view, self.step)
        return np.where(mask, view.demand, moved)

    def accepts(self, view: ActorView, terms: np.ndarray, rng: np.random.Generator,
                bonus: np.ndarray | float = 0.0) -> np.ndarray:
        return self.pay_utility(view, terms) >= self.threshold
