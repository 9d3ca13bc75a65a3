"""Shared pieces of the fitted backtest models: their inputs and honest grouped CV.

Fitted models (``_distributional``, ``_calibrate``) are scored out-of-fold with folds that keep
all issues of a proposal together (:func:`group_folds`); with ``--train`` they are fitted on
one file and scored on another. Every hyper-parameter is chosen by a second grouped CV inside
each training fold (nested CV), so no choice sees test issues.

The point-forecast families that lost to the compromise model on DEU III part A
(fit-exponents, fit-actor-types, fit-combined, fit-rp-pull, fit-blend, fit-select; and
fit-lad, fit-gbm in ``_distributional``) were removed; docs/backtest.md keeps their record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np


@dataclass(frozen=True)
class Features:
    """Per-issue arrays a fitted model may use; rows are issues, columns actors.

    ``x`` positions 0-100 and ``s`` saliences 0-1 (0 where the actor takes no part), ``ok`` the
    participation mask, ``c`` capabilities, ``rp`` reference points (NaN unknown), ``cod`` and
    ``unan`` procedure flags, ``base`` forecasts of unfitted models by name, ``vw`` each
    actor's Council vote share under the rules in force (``_capability`` option ``council``;
    equal shares under unanimity), ``None`` when unknown (models then use ``c``).
    """

    x: np.ndarray
    s: np.ndarray
    ok: np.ndarray
    c: np.ndarray
    rp: np.ndarray
    cod: np.ndarray
    unan: np.ndarray
    actors: tuple[str, ...]
    base: dict[str, np.ndarray] = field(default_factory=dict)
    vw: np.ndarray | None = None

    @property
    def n(self) -> int:
        return self.x.shape[0]

    def take(self, rows: np.ndarray) -> Features:
        return Features(
            x=self.x[rows],
            s=self.s[rows],
            ok=self.ok[rows],
            c=self.c[rows],
            rp=self.rp[rows],
            cod=self.cod[rows],
            unan=self.unan[rows],
            actors=self.actors,
            base={k: v[rows] for k, v in self.base.items()},
            vw=None if self.vw is None else self.vw[rows],
        )


class FittedModel:
    """Base class: ``fit(features, y)`` then ``predict(features)``; ``params`` after fitting."""

    name: ClassVar[str]
    description: ClassVar[str]

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        raise NotImplementedError

    def predict(self, f: Features) -> np.ndarray:
        raise NotImplementedError


def group_folds(groups: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold id per issue; all issues of a group (proposal) share a fold.

    Groups are shuffled with ``seed`` and dealt to folds largest-first so fold sizes balance
    (GroupKFold's rule, with a seeded order among equal sizes).
    """
    labels, inv, sizes = np.unique(
        np.asarray(groups, dtype=str), return_inverse=True, return_counts=True
    )
    k = max(2, min(k, len(labels)))
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(labels))
    order = perm[np.argsort(-sizes[perm], kind="stable")]
    load = np.zeros(k)
    fold_of_group = np.empty(len(labels), dtype=int)
    for g in order:
        j = int(np.argmin(load))
        fold_of_group[g] = j
        load[j] += sizes[g]
    return fold_of_group[inv]


def cross_val_predict(
    factory: Callable[[], FittedModel] | type[FittedModel],
    f: Features,
    y: np.ndarray,
    groups: np.ndarray,
    k: int,
    seed: int,
) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Out-of-fold predictions with proposal-grouped folds, and each fold's fitted params."""
    folds = group_folds(groups, k, seed)
    pred = np.full(f.n, np.nan)
    params = []
    for j in range(int(folds.max()) + 1):
        test = folds == j
        train = ~test
        model = factory()
        if hasattr(model, "groups"):  # models with an inner grouped CV
            model.groups = np.asarray(groups)[train]
        model.fit(f.take(train), y[train])
        pred[test] = model.predict(f.take(test))
        params.append(model.params)
    return pred, params
