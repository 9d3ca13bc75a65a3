"""Fitted models that forecast a distribution over outcomes and report its median.

Why: the mean absolute error is minimised by the median of the predictive distribution, and
DEU outcomes are lumpy: on DEU III part A about 45 % sit exactly at 0, 50 or 100 and about
60 % exactly at a position some actor held. A forecast that knows this can beat the smooth
compromise mean. Every model here fits a conditional-logit distribution over the integer
points 0..100 of the scale (McFadden 1974, "Conditional logit analysis of qualitative choice
behavior", in Zarembka (ed.) *Frontiers in Econometrics*), by penalised maximum likelihood
(L2 on standardised features; L-BFGS with exact gradients), and forecasts its median.
The penalty is chosen by an inner cross-validation grouped by proposal *inside* the training
data (nested CV), so nothing sees the issues being scored.

- ``fit-candidates``: the outcome is one of a few candidates (positions held, 0/50/100, the
  reference point, the rounded compromise mean) chosen with conditional-logit probabilities
  that depend on the candidate's weighted support, who holds it (Commission; Parliament under
  co-decision or consultation; Commission under unanimity), its distance from the compromise
  mean, and whether it is extreme or central; with probability ε (fitted) the outcome is
  anywhere on the scale. Candidate-set choice models follow the "procedural" readings of EU
  bargaining in Thomson et al. 2006, *The European Union Decides*, ch. 1.
- ``fit-grid-logit``: the same idea without a fixed candidate set: every grid point is a
  choice, with features (distance to the compromise mean, support, held, who holds it,
  reference point, 0/50/100, round numbers, inside the range of positions).
- ``fit-outcome-mix``: the average of the two distributions (a linear opinion pool; Stone
  1961, "The opinion pool", Ann. Math. Stat. 32(4)), its median.

Two point-forecast learners on per-issue summary features, for comparison:

- ``fit-lad``: least-absolute-deviation (median) linear regression with an L1 penalty
  chosen by inner grouped CV (Koenker & Bassett 1978, "Regression quantiles", Econometrica
  46(1)); sklearn ``QuantileRegressor``.
- ``fit-gbm``: shallow gradient boosting with absolute loss (Friedman 2001, "Greedy function
  approximation: a gradient boosting machine", Ann. Stat. 29(5)); sklearn
  ``GradientBoostingRegressor`` (single-threaded: on a few hundred rows the histogram
  variant's thread start-up dominates); depth/iterations chosen by inner grouped CV.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, logsumexp

from accord.backtest._fitted import Features, FittedModel, group_folds

#: Integer outcome grid on the 0-100 scale.
GRID = np.arange(101.0)
#: Penalties tried by the inner CV of the distribution models (a geometric grid, strongest
#: first: each fit warm-starts from the previous, more penalised, solution).
L2_GRID = (128.0, 32.0, 8.0, 2.0)

#: Names of the per-grid-point features built by :func:`grid_features`.
GRID_FEATURES = (
    "dist_mean",  # |v - compromise mean| / 25
    "dist_mean_sq",
    "support",  # share of c*s weight held exactly at v
    "held",  # some actor holds v
    "com",  # the Commission holds v
    "com_unan",  # ... under unanimity
    "ep_cod",  # the Parliament holds v, co-decision
    "ep_cns",  # ... consultation
    "rp",  # v is the reference point
    "extreme",  # v is 0 or 100
    "mid",  # v is 50
    "is_mean",  # v is the rounded compromise mean
    "round10",
    "round5",
    "in_range",  # between the lowest and highest position held
    "held_extreme",
)
#: Features of the candidate model (its candidates are held positions, 0/50/100, rp, mean).
CANDIDATE_USE = (
    "dist_mean",
    "dist_mean_sq",
    "support",
    "com",
    "ep_cod",
    "ep_cns",
    "rp",
    "extreme",
    "mid",
    "is_mean",
    "in_range",
    "com_unan",
)
#: Features of the grid model.
GRIDLOGIT_USE = (
    "dist_mean",
    "dist_mean_sq",
    "support",
    "held",
    "com",
    "ep_cod",
    "ep_cns",
    "rp",
    "extreme",
    "mid",
    "round10",
    "round5",
    "in_range",
    "held_extreme",
)


def compromise_mean(f: Features) -> np.ndarray:
    """c·s-weighted mean position per issue (plain mean where all weights are zero)."""
    w = np.where(f.ok, f.s * f.c, 0.0)
    tot = w.sum(axis=1)
    plain = np.where(f.ok, f.x, 0.0).sum(axis=1) / np.maximum(f.ok.sum(axis=1), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = (w * f.x).sum(axis=1) / tot
    return np.where(tot > 0, m, plain)


def _onehot(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    out = np.zeros((n, GRID.size))
    out[rows, cols] = 1.0
    return out


def grid_features(f: Features) -> tuple[np.ndarray, np.ndarray]:
    """(n, 101, len(GRID_FEATURES)) features of every grid point, and the (n, 101) candidates.

    Positions and the reference point are rounded to the integer grid. Candidates are the
    positions held, 0, 50, 100, the reference point where known and the rounded compromise mean.
    """
    n = f.n
    names = list(f.actors)
    w = np.where(f.ok, f.s * f.c, 0.0)
    tot = w.sum(axis=1)
    share = np.where(tot[:, None] > 0, w / np.where(tot > 0, tot, 1.0)[:, None], 0.0)
    m = compromise_mean(f)
    xi = np.clip(np.rint(np.where(f.ok, f.x, 0.0)), 0, 100).astype(int)
    r, a = np.nonzero(f.ok)
    support = np.zeros((n, GRID.size))
    np.add.at(support, (r, xi[r, a]), share[r, a])
    heldc = np.zeros((n, GRID.size))
    np.add.at(heldc, (r, xi[r, a]), 1.0)
    held = (heldc > 0).astype(float)

    def holds(code: str) -> np.ndarray:
        if code not in names:
            return np.zeros((n, GRID.size))
        j = names.index(code)
        k = np.nonzero(f.ok[:, j])[0]
        return _onehot(n, k, xi[k, j])

    com = holds("com")
    ep = holds("ep")
    known = np.nonzero(~np.isnan(f.rp))[0]
    rp = _onehot(n, known, np.clip(np.rint(f.rp[known]), 0, 100).astype(int))
    mi = np.clip(np.rint(m), 0, 100).astype(int)
    is_mean = _onehot(n, np.arange(n), mi)
    v = GRID[None, :]
    d = np.abs(v - m[:, None]) / 25.0
    lo = np.where(f.ok, f.x, np.inf).min(axis=1)[:, None]
    hi = np.where(f.ok, f.x, -np.inf).max(axis=1)[:, None]
    in_range = ((v >= lo) & (v <= hi)).astype(float)
    ones = np.ones((n, 1))
    extreme = ones * np.isin(GRID, (0.0, 100.0))
    mid = ones * (GRID == 50.0)
    cod = f.cod[:, None].astype(float)
    unan = f.unan[:, None].astype(float)
    cols = {
        "dist_mean": d,
        "dist_mean_sq": d**2,
        "support": support,
        "held": held,
        "com": com,
        "com_unan": com * unan,
        "ep_cod": ep * cod,
        "ep_cns": ep * (1.0 - cod),
        "rp": rp,
        "extreme": extreme,
        "mid": mid,
        "is_mean": is_mean,
        "round10": ones * (GRID % 10 == 0),
        "round5": ones * (GRID % 5 == 0),
        "in_range": in_range,
        "held_extreme": held * extreme,
    }
    z = np.stack([cols[k] for k in GRID_FEATURES], axis=2)
    cand = (held > 0) | (extreme > 0) | (mid > 0) | (rp > 0) | (is_mean > 0)
    return z, cand


def grid_median(p: np.ndarray) -> np.ndarray:
    """Median (lowest grid point reaching half the mass) of each row of ``p`` (n, 101)."""
    c = np.cumsum(p, axis=1)
    return GRID[np.argmax(c >= 0.5 * c[:, -1:] * (1 - 1e-12), axis=1)]


class _GridDist:
    """Penalised conditional logit over grid points (optionally restricted to candidates).

    ``restrict``: utilities outside the candidate set are -inf and a uniform floor ε (fitted,
    as logit(ε)) absorbs outcomes that are not candidates.
    """

    def __init__(self, use: tuple[str, ...], l2: float, restrict: bool) -> None:
        self.idx = [GRID_FEATURES.index(k) for k in use]
        self.use = use
        self.l2 = l2
        self.restrict = restrict
        self.theta = np.zeros(len(use) + int(restrict))

    def objective(self, z: np.ndarray, cand: np.ndarray, y: np.ndarray) -> tuple[Any, np.ndarray]:
        """(penalised mean negative log-likelihood with its gradient, start point).

        Sets the feature standardisation (``mu``, ``sd``) from these training rows.
        """
        z = z[:, :, self.idx]
        n, _, p = z.shape
        flat = z[cand] if self.restrict else z.reshape(-1, p)
        self.mu = flat.mean(axis=0)
        self.sd = flat.std(axis=0) + 1e-9
        zs = (z - self.mu) / self.sd
        yi = np.clip(np.rint(y), 0, 100).astype(int)
        rows = np.arange(n)
        zy = zs[rows, yi]
        hit = cand[rows, yi] if self.restrict else np.ones(n, dtype=bool)
        zm = np.where(cand[..., None], zs, 0.0) if self.restrict else zs
        l2 = self.l2

        def nll(th: np.ndarray) -> tuple[float, np.ndarray]:
            b = th[:p]
            u = zs @ b
            if self.restrict:
                u = np.where(cand, u, -np.inf)
            lse = logsumexp(u, axis=1)
            pi = np.exp(u - lse[:, None])
            ez = np.einsum("nv,nvp->np", pi, zm)
            if not self.restrict:
                loss = float((lse - u[rows, yi]).sum() + l2 * b @ b)
                grad = -(zy - ez).sum(axis=0) + 2 * l2 * b
                return loss / n, grad / n
            e = float(expit(th[p]))
            ph = np.where(hit, np.exp(np.where(hit, u[rows, yi], 0.0) - lse), 0.0)
            lik = (1 - e) * ph + e / GRID.size
            loss = float(-np.log(lik).sum() + l2 * b @ b)
            dph = np.where(hit[:, None], ph[:, None] * (zy - ez), 0.0)
            gb = -(((1 - e) / lik)[:, None] * dph).sum(axis=0) + 2 * l2 * b
            ge = -(((1.0 / GRID.size - ph) / lik) * e * (1 - e)).sum()
            return loss / n, np.r_[gb, ge] / n

        return nll, np.r_[np.zeros(p), [-1.0] if self.restrict else []]

    def fit(
        self, z: np.ndarray, cand: np.ndarray, y: np.ndarray, warm: np.ndarray | None = None
    ) -> _GridDist:
        nll, th0 = self.objective(z, cand, y)
        if warm is not None and warm.shape == th0.shape:
            th0 = warm
        res = minimize(nll, th0, jac=True, method="L-BFGS-B", options={"maxiter": 500})
        self.theta = np.asarray(res.x)
        return self

    def dist(self, z: np.ndarray, cand: np.ndarray) -> np.ndarray:
        z = z[:, :, self.idx]
        p = z.shape[2]
        u = ((z - self.mu) / self.sd) @ self.theta[:p]
        if not self.restrict:
            return np.exp(u - logsumexp(u, axis=1, keepdims=True))
        u = np.where(cand, u, -np.inf)
        e = float(expit(self.theta[p]))
        return (1 - e) * np.exp(u - logsumexp(u, axis=1, keepdims=True)) + e / GRID.size

    def params(self) -> dict[str, float]:
        out = {k: float(v) for k, v in zip(self.use, self.theta, strict=False)}
        if self.restrict:
            out["epsilon"] = float(expit(self.theta[-1]))
        return out


def _inner_rows(groups: np.ndarray, k: int, seeds: tuple[int, ...]) -> list[np.ndarray]:
    """Fold id arrays of the inner grouped CV (one per seed)."""
    return [group_folds(groups, k, s) for s in seeds]


class _NestedModel(FittedModel):
    """Shared plumbing: ``groups`` (set by the CV driver) and the inner CV settings."""

    #: Hyper-parameter settings tried by the inner CV.
    grid: ClassVar[tuple[Any, ...]] = ()

    def __init__(
        self,
        groups: np.ndarray | None = None,
        *,
        inner_k: int = 4,
        seed: int = 0,
        inner_repeats: int = 1,
    ) -> None:
        super().__init__()
        self.groups = groups
        self.inner_k = inner_k
        self.seed = seed
        self.inner_repeats = inner_repeats

    def _groups(self, n: int) -> np.ndarray:
        if self.groups is None or len(self.groups) != n:
            return np.arange(n).astype(str)
        return np.asarray(self.groups, dtype=str)

    def _choose(self, n: int, y: np.ndarray, fit_predict: Any) -> tuple[Any, dict[str, float]]:
        """Setting with the lowest inner grouped-CV MAE (``inner_repeats`` fold draws).

        Ties go to the first setting in ``grid``. ``fit_predict(setting, train, test)`` gets
        boolean row masks of the training data.
        """
        g = self._groups(n)
        seeds = tuple(self.seed + r for r in range(max(1, self.inner_repeats)))
        folds = _inner_rows(g, self.inner_k, seeds)
        scores: dict[str, float] = {}
        best, best_s = self.grid[0], np.inf
        for h in self.grid:
            err = 0.0
            for fo in folds:
                for j in range(int(fo.max()) + 1):
                    te = fo == j
                    err += float(np.abs(fit_predict(h, ~te, te) - y[te]).sum())
            s = err / (n * len(folds))
            scores[str(h)] = s
            if s < best_s - 1e-12:
                best, best_s = h, s
        return best, scores


class _DistModel(_NestedModel):
    grid = L2_GRID
    parts: ClassVar[tuple[tuple[tuple[str, ...], bool], ...]] = ()

    def _make(self, l2: float) -> list[_GridDist]:
        return [_GridDist(use, l2, restrict) for use, restrict in self.parts]

    @staticmethod
    def _pool(models: list[_GridDist], z: np.ndarray, cand: np.ndarray) -> np.ndarray:
        return sum(m.dist(z, cand) for m in models) / len(models)

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        z, cand = grid_features(f)

        warm: dict[bytes, list[np.ndarray]] = {}

        def fit_predict(l2: float, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            key = tr.tobytes()
            prev = warm.get(key, [None] * len(self.parts))
            ms = [
                m.fit(z[tr], cand[tr], y[tr], w) for m, w in zip(self._make(l2), prev, strict=True)
            ]
            warm[key] = [m.theta for m in ms]
            return grid_median(self._pool(ms, z[te], cand[te]))

        l2, scores = self._choose(f.n, y, fit_predict)
        self.models = [m.fit(z, cand, y) for m in self._make(l2)]
        self.params = {"l2": l2, "inner_cv_mae": scores}
        for m in self.models:
            key = "candidates" if m.restrict else "grid"
            self.params[key] = m.params()
        return self

    def distribution(self, f: Features) -> np.ndarray:
        """(n, 101) predictive distribution over the integer outcomes 0..100."""
        z, cand = grid_features(f)
        return self._pool(self.models, z, cand)

    def predict(self, f: Features) -> np.ndarray:
        return grid_median(self.distribution(f))


class CandidateModel(_DistModel):
    name = "fit-candidates"
    description = "conditional logit over candidate outcomes (held, 0/50/100, rp); its median"
    parts = ((CANDIDATE_USE, True),)


class GridLogitModel(_DistModel):
    name = "fit-grid-logit"
    description = "conditional logit over every point 0..100 of the scale; its median"
    parts = ((GRIDLOGIT_USE, False),)


class OutcomeMixModel(_DistModel):
    name = "fit-outcome-mix"
    description = "average of the candidate and grid-logit distributions; its median"
    parts = ((CANDIDATE_USE, True), (GRIDLOGIT_USE, False))


#: Names of the per-issue summary features of :func:`issue_features`.
ISSUE_FEATURES = (
    "mean",
    "median",
    "commission",
    "parliament",
    "parliament_known",
    "rp",
    "rp_known",
    "codecision",
    "unanimity",
    "spread",
    "share_at_0",
    "share_at_100",
    "council_mean",
    "lowest",
    "highest",
    "n_actors",
)


def issue_features(f: Features) -> np.ndarray:
    """(n, len(ISSUE_FEATURES)) summaries of an issue; missing positions -> the mean."""
    names = list(f.actors)
    w = np.where(f.ok, f.s * f.c, 0.0)
    tot = np.maximum(w.sum(axis=1), 1e-12)
    m = compromise_mean(f)
    spread = np.sqrt((w * (f.x - m[:, None]) ** 2).sum(axis=1) / tot)
    # weighted median: sort positions, first reaching half of the weight
    xs = np.where(f.ok, f.x, np.inf)
    order = np.argsort(xs, axis=1, kind="stable")
    cw = np.cumsum(np.take_along_axis(w + 1e-12 * f.ok, order, axis=1), axis=1)
    k = np.argmax(cw >= 0.5 * cw[:, -1:], axis=1)
    med = np.take_along_axis(np.take_along_axis(xs, order, axis=1), k[:, None], axis=1)[:, 0]

    def pos(code: str) -> tuple[np.ndarray, np.ndarray]:
        if code not in names:
            return m, np.zeros(f.n)
        j = names.index(code)
        return np.where(f.ok[:, j], f.x[:, j], m), f.ok[:, j].astype(float)

    com, _ = pos("com")
    ep, ep_ok = pos("ep")
    inst = np.isin(names, ("com", "ep"))[None, :]
    cw2 = np.where(inst, 0.0, w)
    ct = cw2.sum(axis=1)
    cm = np.where(ct > 0, (cw2 * f.x).sum(axis=1) / np.maximum(ct, 1e-12), m)
    rpk = ~np.isnan(f.rp)
    return np.column_stack(
        [
            m,
            med,
            com,
            ep,
            ep_ok,
            np.where(rpk, f.rp, m),
            rpk,
            f.cod,
            f.unan,
            spread,
            (w * (f.x <= 0)).sum(axis=1) / tot,
            (w * (f.x >= 100)).sum(axis=1) / tot,
            cm,
            np.where(f.ok, f.x, np.inf).min(axis=1),
            np.where(f.ok, f.x, -np.inf).max(axis=1),
            f.ok.sum(axis=1),
        ]
    ).astype(float)


class LadModel(_NestedModel):
    name = "fit-lad"
    description = "L1-penalised median (LAD) regression on issue summaries"
    grid = (0.0, 0.01, 0.1, 1.0)

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        from sklearn.linear_model import QuantileRegressor

        x = issue_features(f)
        self.mu, self.sd = x.mean(axis=0), x.std(axis=0) + 1e-9
        z = (x - self.mu) / self.sd

        def fit_predict(alpha: float, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            return _qr(QuantileRegressor, alpha).fit(z[tr], y[tr]).predict(z[te])

        alpha, scores = self._choose(f.n, y, fit_predict)
        self.model = _qr(QuantileRegressor, alpha).fit(z, y)
        coef = dict(zip(ISSUE_FEATURES, map(float, self.model.coef_), strict=True))
        self.params = {
            "alpha": alpha,
            "inner_cv_mae": scores,
            "intercept": float(self.model.intercept_),
            "coef_standardised": coef,
        }
        return self

    def predict(self, f: Features) -> np.ndarray:
        z = (issue_features(f) - self.mu) / self.sd
        return np.clip(self.model.predict(z), 0.0, 100.0)


def _qr(cls: Any, alpha: float) -> Any:
    return cls(quantile=0.5, alpha=alpha, solver="highs")


class GbmModel(_NestedModel):
    name = "fit-gbm"
    description = "shallow gradient boosting, absolute loss, on issue summaries"
    #: (max_depth, n_estimators) pairs; learning rate 0.05, at least 20 issues per leaf
    grid = ((1, 100), (2, 50), (2, 150), (3, 100))

    @staticmethod
    def _new(h: tuple[int, int]) -> Any:
        from sklearn.ensemble import GradientBoostingRegressor

        return GradientBoostingRegressor(
            loss="absolute_error",
            max_depth=h[0],
            n_estimators=h[1],
            learning_rate=0.05,
            min_samples_leaf=20,
            subsample=1.0,
            random_state=0,
        )

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        x = issue_features(f)

        def fit_predict(h: tuple[int, int], tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            return self._new(h).fit(x[tr], y[tr]).predict(x[te])

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            h, scores = self._choose(f.n, y, fit_predict)
            self.model = self._new(h).fit(x, y)
        self.params = {"max_depth": h[0], "n_estimators": h[1], "inner_cv_mae": scores}
        return self

    def predict(self, f: Features) -> np.ndarray:
        return np.clip(self.model.predict(issue_features(f)), 0.0, 100.0)


NESTED_FAMILIES: dict[str, type[_NestedModel]] = {
    m.name: m for m in (CandidateModel, GridLogitModel, OutcomeMixModel, LadModel, GbmModel)
}
