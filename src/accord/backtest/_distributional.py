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

- ``fit-council-mix``: the outcome-mix with three features from the member states' Council
  voting weights (the weights in force on the decision date: Treaties of Amsterdam, Nice and
  Lisbon, see ``_capability``): the Council-vote share held at v, whether v is the position
  with the most votes, and the distance to the vote- and salience-weighted mean of member
  states (the Council as the decisive body of the compromise model; Thomson et al. 2006).
- ``fit-procedural-mix``: the outcome-mix with procedural features of spatial veto-player
  models (Tsebelis 2002, *Veto Players*; Tsebelis & Garrett 2000, "Legislative politics in the
  European Union", European Union Politics 1(1)): the share of member states' votes preferring
  v to the reference point, whether v is in the qualified-majority / unanimity winset of the
  reference point, the distance to the reference point, whether v lies between the reference
  point and the Commission (agenda setting), the reference point under unanimity, and the
  distance to the Parliament under co-decision.
- ``fit-mix-select``: one of the three mixes and its penalty, chosen together by the inner
  grouped CV (nested CV).
- ``fit-boosted-mix``: ``fit-council-mix`` with its candidate part replaced by shallow
  gradient-boosted trees (Friedman 2001, below) that score each candidate of an issue, so
  features may interact; settings fixed, only the grid part's penalty is chosen by inner CV.

The point-forecast learners fit-lad and fit-gbm lost to the compromise model on part A and
were removed (docs/backtest.md keeps their record).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, logsumexp
from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

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
    # Council voting weights (Features.vw): member states only, Commission/Parliament excluded
    "support_council",  # share of the member states' Council votes held exactly at v
    "council_top",  # v is the position with the most Council votes
    "dist_council_mean",  # |v - mean of member states weighted by votes x salience| / 25
    # procedure (spatial veto-player reading, Tsebelis 2002; Tsebelis & Garrett 2000)
    "rp_share",  # share of member states' votes preferring v to the reference point
    "winset_qmv",  # ... at least QMV_SHARE of them, under qualified majority
    "winset_unan",  # ... all of them, under unanimity
    "dist_rp",  # |v - reference point| / 25 (0 where unknown)
    "between_rp_com",  # v lies between the reference point and the Commission
    "rp_unan",  # v is the reference point, under unanimity
    "dist_ep_cod",  # |v - Parliament| / 25 under co-decision (0 otherwise)
)
#: Council features added by ``fit-council-mix``.
COUNCIL_USE = ("support_council", "council_top", "dist_council_mean")
#: Procedural features added by ``fit-procedural-mix``.
PROCEDURAL_USE = (
    "rp_share",
    "winset_qmv",
    "winset_unan",
    "dist_rp",
    "between_rp_com",
    "rp_unan",
    "dist_ep_cod",
)
#: Share of Council votes treated as a qualified majority: between Lisbon's 65 % of population
#: and Nice's 74 % of votes (Amsterdam: 71 %); one number for all periods keeps it simple.
QMV_SHARE = 0.71
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
    cols.update(_council_features(f, m, rp))
    z = np.stack([cols[k] for k in GRID_FEATURES], axis=2)
    cand = (held > 0) | (extreme > 0) | (mid > 0) | (rp > 0) | (is_mean > 0)
    return z, cand


def _council_features(f: Features, m: np.ndarray, rp1: np.ndarray) -> dict[str, np.ndarray]:
    """Council-vote and procedural grid features (see :data:`GRID_FEATURES`).

    ``m`` is the compromise mean and ``rp1`` the one-hot grid position of the reference point.
    Member states without a position are left out (they did not take part on the issue).
    """
    n = f.n
    names = np.array(f.actors)
    v = GRID[None, :]
    vw = f.vw if f.vw is not None else f.c
    okm = f.ok & ~np.isin(names, ("com", "ep"))[None, :]
    w = np.where(okm, vw, 0.0)
    tot = w.sum(axis=1)
    has = tot > 0
    share = np.where(has[:, None], w / np.where(has, tot, 1.0)[:, None], 0.0)
    xi = np.clip(np.rint(np.where(okm, f.x, 0.0)), 0, 100).astype(int)
    r, a = np.nonzero(okm)
    sup = np.zeros((n, GRID.size))
    np.add.at(sup, (r, xi[r, a]), share[r, a])
    top = (sup > 0) & (sup >= sup.max(axis=1, keepdims=True) - 1e-12)
    ws = w * f.s
    wst = ws.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cm = np.where(wst > 0, (ws * f.x).sum(axis=1) / wst, m)
    rpk = ~np.isnan(f.rp)
    r0 = np.nan_to_num(f.rp)
    # a state prefers v to the reference point if v is strictly closer to its position
    dv = np.abs(f.x[:, :, None] - v[None, :, :])
    dr = np.abs(f.x - r0[:, None])[:, :, None]
    at_rp = np.abs(v - r0[:, None]) < 0.5
    pref = (dv < dr - 1e-9) | at_rp[:, None, :]
    prs = np.where((rpk & has)[:, None], (share[:, :, None] * pref).sum(axis=1), 0.0)
    unan = f.unan[:, None]
    known = (rpk & has)[:, None]
    def position(actor: str) -> np.ndarray:  # the actor's position per issue, NaN if absent
        if actor not in f.actors:
            return np.full(n, np.nan)
        k = f.actors.index(actor)
        return np.where(f.ok[:, k], f.x[:, k], np.nan)

    cpos = position("com")
    lo = np.minimum(cpos, r0)[:, None]
    hi = np.maximum(cpos, r0)[:, None]
    between = (rpk & ~np.isnan(cpos))[:, None] & (v >= lo) & (v <= hi)
    epos = position("ep")
    dep = np.where(
        (f.cod & ~np.isnan(epos))[:, None], np.abs(v - np.nan_to_num(epos)[:, None]) / 25.0, 0.0
    )
    return {
        "support_council": sup,
        "council_top": top.astype(float),
        "dist_council_mean": np.abs(v - cm[:, None]) / 25.0,
        "rp_share": prs,
        "winset_qmv": (known & ~unan & (prs >= QMV_SHARE - 1e-9)).astype(float),
        "winset_unan": (known & unan & (prs >= 1.0 - 1e-9)).astype(float),
        "dist_rp": np.where(rpk[:, None], np.abs(v - r0[:, None]) / 25.0, 0.0),
        "between_rp_com": between.astype(float),
        "rp_unan": rp1 * unan,
        "dist_ep_cod": dep,
    }


def grid_median(p: np.ndarray) -> np.ndarray:
    """Median (lowest grid point reaching half the mass) of each row of ``p`` (n, 101)."""
    c = np.cumsum(p, axis=1)
    return GRID[np.argmax(c >= 0.5 * c[:, -1:] * (1 - 1e-12), axis=1)]



def grid_logit_nll(
    zs: np.ndarray, cand: np.ndarray, yi: np.ndarray, l2: float, restrict: bool
) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Penalised mean negative log-likelihood (and gradient) of a conditional logit over the
    0-100 grid: ``zs`` (issues, 101, features) standardised, ``yi`` the outcome's grid index.

    With ``restrict`` only candidate points (``cand``) carry the logit, and an outcome that is
    no candidate is absorbed by a uniform share ``e = expit(theta[-1])`` of the grid; the
    parameter vector is then the coefficients followed by that logit.
    """
    n, _, p = zs.shape
    rows = np.arange(n)
    zy = zs[rows, yi]
    hit = cand[rows, yi] if restrict else np.ones(n, dtype=bool)
    zm = np.where(cand[..., None], zs, 0.0) if restrict else zs

    def nll(th: np.ndarray) -> tuple[float, np.ndarray]:
        b = th[:p]
        u = zs @ b
        if restrict:
            u = np.where(cand, u, -np.inf)
        lse = logsumexp(u, axis=1)
        pi = np.exp(u - lse[:, None])
        ez = np.einsum("nv,nvp->np", pi, zm)
        if not restrict:
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

    return nll


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
        l2 = self.l2

        nll = grid_logit_nll(zs, cand, yi, l2, self.restrict)

        return nll, np.r_[np.zeros(p), [-1.0] if self.restrict else []]

    def fit(
        self, z: np.ndarray, cand: np.ndarray, y: np.ndarray, warm: np.ndarray | None = None
    ) -> _GridDist:
        nll, th0 = self.objective(z, cand, y)
        if warm is not None and warm.shape == th0.shape:
            th0 = warm
        # one BLAS thread: the arrays are small and threads thrash when the machine is busy
        with threadpool_limits(limits=1, user_api="blas"):
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

    def _make(self, l2: Any) -> list[_GridDist]:
        return [_GridDist(use, l2, restrict) for use, restrict in self.parts]

    def _warm_key(self, h: Any, tr: np.ndarray) -> Any:
        """Fits share a warm start when they solve the same problem on the same rows."""
        return tr.tobytes()

    @staticmethod
    def _pool(models: list[_GridDist], z: np.ndarray, cand: np.ndarray) -> np.ndarray:
        return sum(m.dist(z, cand) for m in models) / len(models)

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        z, cand = grid_features(f)

        warm: dict[bytes, list[np.ndarray]] = {}

        def fit_predict(l2: Any, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            key = self._warm_key(l2, tr)
            made = self._make(l2)
            prev = warm.get(key, [None] * len(made))
            ms = [m.fit(z[tr], cand[tr], y[tr], w) for m, w in zip(made, prev, strict=True)]
            warm[key] = [m.theta for m in ms]
            return grid_median(self._pool(ms, z[te], cand[te]))

        l2, scores = self._choose(f.n, y, fit_predict)
        self.models = [m.fit(z, cand, y) for m in self._make(l2)]
        self.params = {"l2": l2, "inner_cv_mae": scores}
        if isinstance(l2, tuple):
            self.params.update(features=l2[0], l2=l2[1])
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


class CouncilMixModel(_DistModel):
    name = "fit-council-mix"
    description = "outcome-mix plus Council-vote features (support, plurality, weighted mean)"
    parts = ((CANDIDATE_USE + COUNCIL_USE, True), (GRIDLOGIT_USE + COUNCIL_USE, False))


class ProceduralMixModel(_DistModel):
    name = "fit-procedural-mix"
    description = "outcome-mix plus procedural features (QMV/unanimity winset, rp, EP under COD)"
    parts = ((CANDIDATE_USE + PROCEDURAL_USE, True), (GRIDLOGIT_USE + PROCEDURAL_USE, False))


class MixSelectModel(_DistModel):
    """Nested choice of the feature set (outcome-mix / council / procedural) and the penalty.

    The inner grouped CV (inside the training data) scores every (feature set, L2) pair, so the
    choice among the three mixes never sees the issues being scored.
    """

    name = "fit-mix-select"
    description = "outcome-mix, council-mix or procedural-mix, chosen by inner grouped CV"
    SETS: ClassVar[dict[str, tuple[str, ...]]] = {
        "outcome-mix": (),
        "council": COUNCIL_USE,
        "procedural": PROCEDURAL_USE,
    }
    grid = tuple((k, l2) for k in SETS for l2 in L2_GRID)

    def _make(self, h: Any) -> list[_GridDist]:
        extra = self.SETS[h[0]]
        return [
            _GridDist(CANDIDATE_USE + extra, h[1], True),
            _GridDist(GRIDLOGIT_USE + extra, h[1], False),
        ]

    def _warm_key(self, h: Any, tr: np.ndarray) -> Any:
        return (h[0], tr.tobytes())


class _BoostedCandidates:
    """P(outcome = candidate v) by gradient-boosted trees on (issue, candidate) rows.

    Each candidate of each training issue is one row labelled 1 if it is the outcome; the
    probabilities are renormalised over an issue's candidates and mixed with a uniform floor
    whose weight is the training share of outcomes that are no candidate.
    """

    def __init__(self, use: tuple[str, ...]) -> None:
        self.idx = [GRID_FEATURES.index(k) for k in use]

    def fit(self, z: np.ndarray, cand: np.ndarray, y: np.ndarray) -> _BoostedCandidates:
        from sklearn.ensemble import HistGradientBoostingClassifier

        yi = np.clip(np.rint(y), 0, 100).astype(int)
        rows = np.arange(len(y))
        lab = np.zeros(cand.shape, dtype=int)
        lab[rows, yi] = 1
        self.eps = float(1.0 - cand[rows, yi].mean())
        clf = HistGradientBoostingClassifier(
            max_depth=2,
            max_iter=100,
            learning_rate=0.05,
            min_samples_leaf=20,
            early_stopping=False,
            random_state=0,
        )
        # one thread: on ~2,000 rows OpenMP start-up (and oversubscription) dominates
        with threadpool_limits(limits=1, user_api="openmp"):
            self.clf = clf.fit(z[:, :, self.idx][cand], lab[cand])
        return self

    def dist(self, z: np.ndarray, cand: np.ndarray) -> np.ndarray:
        p = np.zeros(cand.shape)
        with threadpool_limits(limits=1, user_api="openmp"):
            p[cand] = self.clf.predict_proba(z[:, :, self.idx][cand])[:, 1]
        p = p / np.maximum(p.sum(axis=1, keepdims=True), 1e-12)
        return (1.0 - self.eps) * p + self.eps / GRID.size


class BoostedMixModel(_DistModel):
    """Council-mix whose candidate part is boosted trees instead of a conditional logit.

    The grid part is the penalised conditional logit of ``fit-council-mix``; its penalty is
    chosen by the inner grouped CV of the pooled forecast. The trees' settings are fixed
    (depth 2, 100 rounds, rate 0.05, 20 rows per leaf), not tuned.
    """

    name = "fit-boosted-mix"
    description = "council-mix with a boosted-tree candidate model (Friedman 2001)"
    parts = ((GRIDLOGIT_USE + COUNCIL_USE, False),)
    boost_use = CANDIDATE_USE + COUNCIL_USE

    def fit(self, f: Features, y: np.ndarray) -> FittedModel:
        z, cand = grid_features(f)
        trees: dict[bytes, _BoostedCandidates] = {}
        warm: dict[bytes, np.ndarray] = {}

        def fit_predict(l2: float, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            key = tr.tobytes()
            if key not in trees:
                trees[key] = _BoostedCandidates(self.boost_use).fit(z[tr], cand[tr], y[tr])
            g = self._make(l2)[0].fit(z[tr], cand[tr], y[tr], warm.get(key))
            warm[key] = g.theta
            return grid_median(
                0.5 * trees[key].dist(z[te], cand[te]) + 0.5 * g.dist(z[te], cand[te])
            )

        l2, scores = self._choose(f.n, y, fit_predict)
        self.models = [m.fit(z, cand, y) for m in self._make(l2)]
        self.trees = _BoostedCandidates(self.boost_use).fit(z, cand, y)
        self.params = {
            "l2": l2,
            "inner_cv_mae": scores,
            "grid": self.models[0].params(),
            "candidate_epsilon": self.trees.eps,
        }
        return self

    def distribution(self, f: Features) -> np.ndarray:
        z, cand = grid_features(f)
        return 0.5 * self.trees.dist(z, cand) + 0.5 * self.models[0].dist(z, cand)


NESTED_FAMILIES: dict[str, type[_NestedModel]] = {
    m.name: m
    for m in (
        CandidateModel,
        GridLogitModel,
        OutcomeMixModel,
        CouncilMixModel,
        ProceduralMixModel,
        MixSelectModel,
        BoostedMixModel,
    )
}
