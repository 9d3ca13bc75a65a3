"""Models whose few parameters are fitted to DEU outcomes, and honest grouped cross-validation.

Every fitted model minimises the mean absolute error on its training issues only (scipy.optimize;
linear programming for the blend). Within one file they are scored out-of-fold with folds that
keep all issues of a proposal together (:func:`group_folds`); with ``--train`` they are fitted on
one file and scored on another. ``fit-select`` picks among the other families by an inner
grouped cross-validation inside each training fold (nested CV), so no choice sees test issues.

The families start from the compromise model (van den Bos 1991; Thomson et al. 2006, *The
European Union Decides*) and add one idea each:

- ``fit-exponents``: weights c^a s^b (salience/capability exponents; cf. Achen 2006 on the
  compromise model as a Nash-bargaining approximation, where exponents are free);
- ``fit-rp-pull``: O = (1 - λ) mean + λ rp where the reference point is known (status-quo
  bias, Tsebelis 2002 *Veto Players*; λ may be negative: outcomes move away from rp);
- ``fit-actor-types``: multipliers for the Commission, the Parliament (separately under
  co-decision and consultation) and the four large member states (Thomson 2011 *Resolving
  Controversy in the EU* on institutional actors);
- ``fit-combined``: exponents, actor types and the rp pull together;
- ``fit-blend``: a convex least-absolute-deviation blend of the base forecasts
  (compromise, median, Nash, EUM, SMP, exchange, rp, constant 50, Commission), i.e. stacking
  (Wolpert 1992, "Stacked generalization", Neural Networks 5(2)).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from scipy.optimize import linprog, minimize

#: Actor codes treated as "large member states".
LARGE_STATES = ("de", "fr", "it", "uk")


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


def mean_with_log_weights(f: Features, logw: np.ndarray) -> np.ndarray:
    """Weighted mean of positions with weights exp(logw) over participants (stable softmax).

    Participants with zero salience get weight 0; an issue whose participants all have zero
    salience gets the plain mean of their positions.
    """
    active = f.ok & (f.s > 0)
    lw = np.where(active, logw, -np.inf)
    top = lw.max(axis=1, keepdims=True)
    has = np.isfinite(top[:, 0])
    w = np.where(active, np.exp(lw - np.where(np.isfinite(top), top, 0.0)), 0.0)
    tot = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = (w * f.x).sum(axis=1) / tot
    plain = np.where(f.ok, f.x, 0.0).sum(axis=1) / np.maximum(f.ok.sum(axis=1), 1)
    return np.where(has & (tot > 0), m, plain)


def _log(a: np.ndarray) -> np.ndarray:
    """log where positive, 0 elsewhere (inactive actors are masked by the caller)."""
    return np.log(np.where(a > 0, a, 1.0))


def _mae(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.abs(pred - y)))


def _nelder_mead(
    loss: Callable[[np.ndarray], float], starts: list[np.ndarray]
) -> tuple[np.ndarray, float]:
    """Best of a few deterministic Nelder-Mead starts (MAE is piecewise linear: no gradients)."""
    best_x, best_f = starts[0], loss(starts[0])
    for x0 in starts:
        res = minimize(
            loss,
            x0,
            method="Nelder-Mead",
            options={"maxiter": 150 * len(x0), "xatol": 1e-3, "fatol": 1e-5},
        )
        if res.fun < best_f - 1e-12:
            best_x, best_f = np.asarray(res.x), float(res.fun)
    return best_x, best_f


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


class _LogWeightModel(FittedModel):
    """Compromise mean with log-weights linear in a few parameters, plus an optional rp pull."""

    keys: ClassVar[tuple[str, ...]] = ()
    default: ClassVar[tuple[float, ...]] = ()
    bounds: ClassVar[tuple[tuple[float, float], ...]] = ()

    def _theta(self) -> np.ndarray:
        return np.array(
            [self.params.get(k, d) for k, d in zip(self.keys, self.default, strict=True)]
        )

    def _forecast(self, f: Features, th: dict[str, float]) -> np.ndarray:
        logw = th.get("b", 1.0) * _log(f.s) + th.get("a", 1.0) * _log(f.c)
        names = np.array(f.actors)
        com = (names == "com")[None, :]
        ep = (names == "ep")[None, :]
        large = np.isin(names, LARGE_STATES)[None, :]
        if "log_com" in th:
            logw = logw + th["log_com"] * com
        if "log_ep_cod" in th:
            ep_cod = np.where(f.cod[:, None], th["log_ep_cod"], th["log_ep_cns"])
            logw = logw + ep_cod * ep
        if "log_large" in th:
            logw = logw + th["log_large"] * large
        m = mean_with_log_weights(f, logw)
        lam = th.get("lam", 0.0)
        if lam:
            m = np.where(np.isnan(f.rp), m, (1 - lam) * m + lam * np.nan_to_num(f.rp))
        return np.clip(m, 0.0, 100.0)

    def _clip(self, th: np.ndarray) -> np.ndarray:
        lo = np.array([b[0] for b in self.bounds])
        hi = np.array([b[1] for b in self.bounds])
        return np.clip(th, lo, hi)

    def _starts(self) -> list[np.ndarray]:
        d = np.array(self.default, dtype=float)
        starts = [d]
        for k, (_lo, hi) in enumerate(self.bounds):
            alt = d.copy()
            alt[k] = d[k] + 0.5 * (hi - d[k]) if hi > d[k] else d[k]
            starts.append(alt)
        return starts

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        def loss(th: np.ndarray) -> float:
            thc = self._clip(th)
            # a small penalty for leaving the box keeps Nelder-Mead inside it
            return _mae(self._forecast(f, dict(zip(self.keys, thc, strict=True))), y) + float(
                np.abs(th - thc).sum()
            )

        best, _ = _nelder_mead(loss, self._starts())
        best = self._clip(best)
        self.params = {k: float(v) for k, v in zip(self.keys, best, strict=True)}
        return self

    def predict(self, f: Features) -> np.ndarray:
        return self._forecast(f, self.params)


class ExponentModel(_LogWeightModel):
    name = "fit-exponents"
    description = "compromise mean with weights c^a s^b (a, b fitted)"
    keys = ("a", "b")
    default = (1.0, 1.0)
    bounds = ((-2.0, 4.0), (0.0, 6.0))


class ActorTypeModel(_LogWeightModel):
    name = "fit-actor-types"
    description = "compromise mean with multipliers for Commission, EP (COD/CNS), large states"
    keys = ("log_com", "log_ep_cod", "log_ep_cns", "log_large")
    default = (0.0, 0.0, 0.0, 0.0)
    bounds = ((-4.0, 4.0),) * 4


class CombinedModel(_LogWeightModel):
    name = "fit-combined"
    description = "exponents + actor types + reference-point pull"
    keys = ("a", "b", "log_com", "log_ep_cod", "log_ep_cns", "log_large", "lam")
    default = (1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    bounds = ((-2.0, 4.0), (0.0, 6.0)) + ((-4.0, 4.0),) * 4 + ((-1.0, 1.0),)

    def _starts(self) -> list[np.ndarray]:
        d = np.array(self.default, dtype=float)
        alt = d.copy()
        alt[1] = 2.0
        return [d, alt]


class ReferencePullModel(FittedModel):
    """O = (1 - λ) compromise + λ rp where rp is known; λ in [-1, 1], fitted exactly.

    The MAE is piecewise linear in λ, so its minimiser is a weighted median of the breakpoints
    -r_i/d_i with weights |d_i| (r = compromise - y, d = rp - compromise).
    """

    name = "fit-rp-pull"
    description = "(1-λ)·compromise + λ·rp where rp is known"

    @staticmethod
    def _mean(f: Features) -> np.ndarray:
        return mean_with_log_weights(f, _log(f.s) + _log(f.c))

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        m = self._mean(f)
        known = ~np.isnan(f.rp)
        d = (f.rp - m)[known]
        r = (m - y)[known]
        use = np.abs(d) > 1e-12
        lam = 0.0
        if use.any():
            bp = -r[use] / d[use]
            w = np.abs(d[use])
            order = np.argsort(bp)
            cum = np.cumsum(w[order])
            lam = float(bp[order][np.argmax(cum >= 0.5 * cum[-1])])
        self.params = {"lam": float(np.clip(lam, -1.0, 1.0))}
        return self

    def predict(self, f: Features) -> np.ndarray:
        m = self._mean(f)
        lam = self.params["lam"]
        return np.clip(
            np.where(np.isnan(f.rp), m, (1 - lam) * m + lam * np.nan_to_num(f.rp)), 0.0, 100.0
        )


#: Base forecasts a blend may use (those present in Features.base).
BLEND_INPUTS = (
    "compromise",
    "median",
    "nash",
    "eum",
    "smp",
    "exchange",
    "rp",
    "constant50",
    "commission",
)


class BlendModel(FittedModel):
    """Convex blend of base forecasts minimising MAE exactly (linear programme, HiGHS)."""

    name = "fit-blend"
    description = "convex least-absolute-deviation blend of base model forecasts (stacking)"

    def _inputs(self, f: Features) -> list[str]:
        return [k for k in BLEND_INPUTS if k in f.base and np.all(np.isfinite(f.base[k]))]

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        names = self._inputs(f)
        X = np.column_stack([f.base[k] for k in names])
        n, k = X.shape
        # variables: w (k), e_plus (n), e_minus (n); minimise sum(e+ + e-)
        cost = np.concatenate([np.zeros(k), np.ones(2 * n)])
        a_eq = np.zeros((n + 1, k + 2 * n))
        a_eq[:n, :k] = X
        a_eq[:n, k : k + n] = np.eye(n)
        a_eq[:n, k + n :] = -np.eye(n)
        a_eq[n, :k] = 1.0
        b_eq = np.concatenate([y, [1.0]])
        res = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=[(0, None)] * (k + 2 * n), method="highs")
        if not res.success:
            raise RuntimeError(f"blend LP failed: {res.message}")
        w = np.clip(res.x[:k], 0.0, None)
        w = w / w.sum()
        self.params = {name: float(v) for name, v in zip(names, w, strict=True)}
        return self

    def predict(self, f: Features) -> np.ndarray:
        out = np.zeros(f.n)
        for k, w in self.params.items():
            out = out + w * f.base[k]
        return out


FAMILIES: dict[str, type[FittedModel]] = {
    m.name: m
    for m in (ExponentModel, ReferencePullModel, ActorTypeModel, CombinedModel, BlendModel)
}


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


class SelectModel(FittedModel):
    """Nested CV: choose the family with the lowest inner grouped-CV MAE, refit on all data."""

    name = "fit-select"
    description = "family chosen by inner grouped CV inside the training data (nested CV)"

    def __init__(
        self,
        groups: np.ndarray | None = None,
        *,
        inner_k: int = 4,
        seed: int = 0,
        candidates: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__()
        self.groups = groups
        self.inner_k = inner_k
        self.seed = seed
        self.candidates = candidates or tuple(FAMILIES)
        self.chosen: FittedModel | None = None

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        groups = self.groups if self.groups is not None else np.arange(f.n).astype(str)
        scores = {}
        for name in self.candidates:
            pred = cross_val_predict(FAMILIES[name], f, y, groups, self.inner_k, self.seed)[0]
            scores[name] = _mae(pred, y)
        best = min(scores, key=lambda n: (scores[n], n))
        self.chosen = FAMILIES[best]().fit(f, y)
        self.params = {"chosen": best, "inner_cv_mae": scores, **self.chosen.params}
        return self

    def predict(self, f: Features) -> np.ndarray:
        assert self.chosen is not None, "fit first"
        return self.chosen.predict(f)


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
