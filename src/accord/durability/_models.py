"""Survival models of ceasefire breakdown: penalised Cox, Weibull AFT, discrete-time boosting.

- Cox, D. R. (1972) "Regression models and life-tables", *JRSS B* 34(2): proportional hazards
  h(t|x) = h0(t) exp(b.x), fitted with lifelines' objective (Davidson-Pilon 2019, *JOSS* 4(40);
  re-implemented in ``_cox`` for speed and checked against it) with a ridge penalty
  (Verweij & van Houwelingen 1994, *Stat. Med.* 13(23)) whose size is chosen by
  cross-validation grouped by conflict within the training period.
- Weibull accelerated failure time: log T = a + b.x + sigma W (Kalbfleisch & Prentice 2002,
  *The Statistical Analysis of Failure Time Data*, ch. 2).
- Discrete-time hazard by gradient boosting: person-period data, P(break in interval k |
  held until k, x) learned by a classifier (Tutz & Schmid 2016, *Modeling Discrete Time-to-Event
  Data*, ch. 3 and 10; Friedman 2001, *Ann. Statist.* 29(5)).
- Fortna, V. P. (2003) "Scraps of paper? Agreements and the durability of peace", *IO* 57(2)
  motivates the design features (see models.md section 7).

Planned ends (expiry, replacement) are censored: see ``_load`` and docs/durability.md.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from accord.durability._cox import cox_ridge
from accord.durability._features import CANDIDATE_SETS, DESCRIPTIONS, design_matrix
from accord.durability._metrics import concordance, integrated_brier, km_fit, step_eval
from accord.errors import InputError
from accord.files import write_atomic

__all__ = [
    "FORMAT",
    "DurabilityModel",
    "GRID",
    "fit_cox",
    "fit_durability",
    "fit_gbm",
    "fit_weibull",
    "grouped_folds",
    "load_model",
    "save_model",
    "time_folds",
]

FORMAT = "accord-durability/1"
#: Days at which baseline hazards are stored and curves drawn (30, 90, 365 included).
GRID = np.unique(
    np.r_[
        0.5,
        np.arange(1, 91),
        np.arange(92, 366, 2),
        365,
        np.arange(380, 1096, 15),
        np.arange(1125, 3651, 30),
    ]
).astype(float)
#: Integrated Brier score horizon: days 1..365.
IBS_GRID = np.arange(1.0, 366.0)
PENALTIES = (0.01, 0.03, 0.1, 0.3)


# ----------------------------------------------------------------------------- folds
def grouped_folds(groups: np.ndarray, k: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Test-index arrays of k folds; all ceasefires of one conflict land in one fold."""
    uniq = np.unique(groups)
    perm = rng.permutation(len(uniq))
    fold_of = {g: i % k for i, g in zip(range(len(uniq)), uniq[perm], strict=True)}
    labels = np.array([fold_of[g] for g in groups])
    return [np.flatnonzero(labels == i) for i in range(k)]


def time_folds(years: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Expanding-window splits: train on all years before a block, test on the block.

    The year range is cut into k+1 consecutive blocks of about equal numbers of ceasefires;
    the first block is only ever trained on.
    """
    years = np.asarray(years)
    cuts = np.quantile(years, np.linspace(0, 1, k + 2)[1:-1])
    out = []
    bounds = list(np.unique(np.floor(cuts))) + [years.max()]
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        train = np.flatnonzero(years <= lo)
        test = np.flatnonzero((years > lo) & (years <= hi))
        if len(train) and len(test):
            out.append((train, test))
    return out


# ----------------------------------------------------------------------------- Cox
@dataclass
class CoxFit:
    """A fitted Cox model in plain arrays: S(t|x) = exp(-H0(t) exp((x - mean).coef))."""

    features: list[str]
    coef: np.ndarray
    mean: np.ndarray
    h0: np.ndarray  # baseline cumulative hazard on GRID
    se: np.ndarray | None = None
    p: np.ndarray | None = None

    def risk(self, x: np.ndarray) -> np.ndarray:
        """Linear predictor (higher = breaks down sooner)."""
        return (np.asarray(x, float) - self.mean) @ self.coef

    def survival(self, x: np.ndarray, times: np.ndarray) -> np.ndarray:
        """(n, len(times)) survival; H0 linearly interpolated between GRID points."""
        h0 = np.interp(np.asarray(times, float), GRID, self.h0, left=0.0)
        return np.exp(-np.exp(self.risk(x))[:, None] * h0[None, :])


def fit_cox(x: pd.DataFrame, time: np.ndarray, event: np.ndarray, penalizer: float) -> CoxFit:
    """Ridge-penalised Cox fit (same objective and estimates as lifelines' ``CoxPHFitter``,
    see ``_cox``); returns plain arrays.

    Columns that are constant in ``x`` (e.g. a rare flag absent from a CV fold) carry no
    information: they get coefficient 0 and are left out of the fit.
    """
    feats = list(x.columns)
    xv = x.to_numpy(float)
    varying = xv.std(axis=0) > 0
    fit = cox_ridge(xv[:, varying], time, event, penalizer)
    coef = np.zeros(len(feats))
    se = np.full(len(feats), np.nan)
    p = np.full(len(feats), np.nan)
    mean = xv.mean(axis=0) if len(xv) else np.zeros(len(feats))
    coef[varying], se[varying], p[varying], mean[varying] = fit.coef, fit.se, fit.p, fit.mean
    h0 = step_eval(fit.times, fit.cumhaz, GRID, start=0.0)
    return CoxFit(feats, coef, mean, h0, se, p)


# ----------------------------------------------------------------------------- Weibull
@dataclass
class WeibullFit:
    """Weibull AFT: S(t|x) = exp(-(t / exp(a + b.x))^rho)."""

    features: list[str]
    intercept: float
    coef: np.ndarray
    rho: float

    def survival(self, x: np.ndarray, times: np.ndarray) -> np.ndarray:
        lam = np.exp(self.intercept + np.asarray(x, float) @ self.coef)
        return np.exp(-((np.asarray(times, float)[None, :] / lam[:, None]) ** self.rho))


def fit_weibull(
    x: pd.DataFrame, time: np.ndarray, event: np.ndarray, penalizer: float
) -> WeibullFit:
    """Penalised Weibull AFT fit with lifelines."""
    from lifelines import WeibullAFTFitter

    df = x.copy()
    df["_t"], df["_e"] = np.asarray(time, float), np.asarray(event, int)
    m = WeibullAFTFitter(penalizer=penalizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m.fit(df, "_t", "_e")
    lam = m.params_.loc["lambda_"]
    feats = list(x.columns)
    return WeibullFit(
        feats,
        float(lam["Intercept"]),
        lam[feats].to_numpy(float),
        float(np.exp(m.params_.loc["rho_"]["Intercept"])),
    )


# ----------------------------------------------------------------------------- boosting
EDGES = np.array([0.0, 1, 3, 7, 14, 30, 60, 90, 180, 365, 730, 1e9])


@dataclass
class GBMFit:
    """Discrete-time hazard from a gradient-boosted classifier over (interval, features)."""

    features: list[str]
    clf: Any

    def hazards(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, float)
        k = len(EDGES) - 1
        rows = np.repeat(x, k, axis=0)
        ks = np.tile(np.arange(k, dtype=float), len(x))[:, None]
        return self.clf.predict_proba(np.hstack([ks, rows]))[:, 1].reshape(len(x), k)

    def survival(self, x: np.ndarray, times: np.ndarray) -> np.ndarray:
        """Log-linear interpolation of S within each interval."""
        h = np.clip(self.hazards(x), 1e-9, 1 - 1e-9)
        logs = np.c_[np.zeros(len(h)), np.cumsum(np.log1p(-h), axis=1)]
        ends = EDGES.copy()
        ends[-1] = max(ends[-2] * 4, 10000)
        out = np.empty((len(h), len(times)))
        for j, t in enumerate(np.asarray(times, float)):
            out[:, j] = np.interp(t, ends, np.arange(len(ends)))
        idx = np.floor(out).astype(int).clip(0, len(ends) - 2)
        frac = out - idx
        rows = np.arange(len(h))[:, None]
        return np.exp(logs[rows, idx] + frac * (logs[rows, idx + 1] - logs[rows, idx]))


def fit_gbm(x: pd.DataFrame, time: np.ndarray, event: np.ndarray, seed: int = 0) -> GBMFit:
    """Person-period expansion (an interval enters if the ceasefire was at risk all through
    it, or broke down in it) and a shallow HistGradientBoostingClassifier."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    xv = np.asarray(x, float)
    time, event = np.asarray(time, float), np.asarray(event, int)
    rows, ys = [], []
    for k in range(len(EDGES) - 1):
        lo, hi = EDGES[k], EDGES[k + 1]
        at_risk = time > lo
        broke = at_risk & (time <= hi) & (event == 1)
        survived = time > hi
        use = broke | survived
        rows.append(np.hstack([np.full((use.sum(), 1), float(k)), xv[use]]))
        ys.append(broke[use].astype(int))
    clf = HistGradientBoostingClassifier(
        max_depth=3,
        learning_rate=0.05,
        max_iter=150,
        min_samples_leaf=40,
        l2_regularization=1.0,
        random_state=seed,
    )
    clf.fit(np.vstack(rows), np.concatenate(ys))
    return GBMFit(list(x.columns), clf)


# ----------------------------------------------------------------------------- model
@dataclass
class DurabilityModel:
    """Everything ``predict`` and ``evaluate`` need, storable as JSON."""

    feature_set: str
    features: list[str]
    penalizer: float
    cox: CoxFit
    weibull: WeibullFit | None
    km_times: np.ndarray
    km_surv: np.ndarray
    boot: list[CoxFit] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    selection: list[dict[str, Any]] = field(default_factory=list)

    def hazard_ratios(self, level: float = 0.95) -> list[dict[str, Any]]:
        """Hazard ratio of breakdown per feature with a Wald interval."""
        from scipy.stats import norm

        z = norm.ppf(0.5 + level / 2)
        out = []
        for k, f in enumerate(self.features):
            b = float(self.cox.coef[k])
            se = float(self.cox.se[k]) if self.cox.se is not None else float("nan")
            out.append(
                {
                    "feature": f,
                    "description": DESCRIPTIONS.get(f, f),
                    "coef": b,
                    "hr": math.exp(b),
                    "ci": [math.exp(b - z * se), math.exp(b + z * se)],
                    "p": float(self.cox.p[k]) if self.cox.p is not None else float("nan"),
                }
            )
        return out

    def km_at(self, times: np.ndarray) -> np.ndarray:
        return step_eval(self.km_times, self.km_surv, np.asarray(times, float))


def _cv_score(
    x: pd.DataFrame,
    t: np.ndarray,
    e: np.ndarray,
    splits: list[tuple[np.ndarray, np.ndarray]],
    penalizer: float,
) -> tuple[float, float]:
    cs, ibs = [], []
    for tr, te in splits:
        if e[te].sum() == 0 or e[tr].sum() < 5:
            continue
        try:
            fit = fit_cox(x.iloc[tr], t[tr], e[tr], penalizer)
        except Exception:  # noqa: BLE001 - a fold that does not converge scores nothing
            continue
        sv = fit.survival(x.iloc[te].to_numpy(), IBS_GRID)
        cs.append(concordance(t[te], e[te], -fit.risk(x.iloc[te].to_numpy())))
        ibs.append(integrated_brier(sv, t[te], e[te], IBS_GRID))
    if not ibs:
        return float("nan"), float("inf")
    return float(np.nanmean(cs)), float(np.nanmean(ibs))


def _km_cv(t: np.ndarray, e: np.ndarray, splits: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """Integrated Brier score of the training-fold Kaplan-Meier on the same folds."""
    out = []
    for tr, te in splits:
        if e[te].sum() == 0 or e[tr].sum() < 5:
            continue
        kt, ks = km_fit(t[tr], e[tr])
        sv = np.tile(step_eval(kt, ks, IBS_GRID), (len(te), 1))
        out.append(integrated_brier(sv, t[te], e[te], IBS_GRID))
    return float(np.mean(out)) if out else float("nan")


def fit_durability(
    table: pd.DataFrame,
    *,
    rng: np.random.Generator,
    n_boot: int = 100,
    folds: int = 5,
    feature_sets: dict[str, list[str]] | None = None,
    penalties: tuple[float, ...] = PENALTIES,
) -> DurabilityModel:
    """Choose feature set and ridge penalty by grouped CV, then fit Cox, Weibull and bootstrap.

    Selection minimises the mean integrated Brier score (days 1-365) over folds that keep all
    ceasefires of a conflict together; only ``table`` (the training period) is used.
    The bootstrap resamples whole conflicts (cluster bootstrap) for prediction intervals.
    """
    sets = feature_sets or CANDIDATE_SETS
    if len(table) < 20 or table["event"].sum() < 5:
        raise InputError(
            f"too few ceasefires to fit ({len(table)} with "
            f"{int(table['event'].sum())} breakdowns); need >= 20 and >= 5",
            fix="give more data (or a later --max-year)",
        )
    t = table["duration"].to_numpy(float)
    e = table["event"].to_numpy(int)
    groups = table["conflict"].to_numpy()
    k = max(2, min(folds, len(np.unique(groups))))
    test_folds = grouped_folds(groups, k, rng)
    allidx = np.arange(len(table))
    splits = [(np.setdiff1d(allidx, te), te) for te in test_folds]
    tsplits = time_folds(table["year"].to_numpy(), 3)
    selection = [
        {
            "feature_set": "km (no features)",
            "penalizer": float("nan"),
            "grouped_c": 0.5,
            "grouped_ibs": _km_cv(t, e, splits),
            "time_c": 0.5,
            "time_ibs": _km_cv(t, e, tsplits),
        }
    ]
    for name, feats in sets.items():
        x = design_matrix(table, feats)
        for pen in penalties:
            c, ibs = _cv_score(x, t, e, splits, pen)
            ct, ibst = _cv_score(x, t, e, tsplits, pen)
            selection.append(
                {
                    "feature_set": name,
                    "penalizer": pen,
                    "grouped_c": c,
                    "grouped_ibs": ibs,
                    "time_c": ct,
                    "time_ibs": ibst,
                }
            )
    best = min(selection[1:], key=lambda r: (r["grouped_ibs"], -r["grouped_c"]))
    feats = sets[best["feature_set"]]
    x = design_matrix(table, feats)
    cox = fit_cox(x, t, e, best["penalizer"])
    try:
        wb = fit_weibull(x, t, e, best["penalizer"])
    except Exception:  # noqa: BLE001 - the Weibull is a comparison; the Cox carries predictions
        wb = None
    km_t, km_s = km_fit(t, e)
    boot = []
    uniq = np.unique(groups)
    members = {g: np.flatnonzero(groups == g) for g in uniq}
    for _ in range(n_boot):
        pick = rng.choice(uniq, size=len(uniq), replace=True)
        idx = np.concatenate([members[g] for g in pick])
        if e[idx].sum() < 5:
            continue
        try:
            boot.append(
                fit_cox(x.iloc[idx].reset_index(drop=True), t[idx], e[idx], best["penalizer"])
            )
        except Exception:  # noqa: BLE001 - a degenerate resample is skipped, counted below
            continue
    info = {
        "n": int(len(table)),
        "events": int(e.sum()),
        "penalties": [float(v) for v in penalties],
        "years": [int(table["year"].min()), int(table["year"].max())],
        "conflicts": int(len(uniq)),
        "n_boot": len(boot),
        "folds": k,
        "outcomes": {str(a): int(b) for a, b in table["outcome"].value_counts().items()},
    }
    return DurabilityModel(
        best["feature_set"],
        list(feats),
        best["penalizer"],
        cox,
        wb,
        km_t,
        km_s,
        boot,
        info,
        selection,
    )


# ----------------------------------------------------------------------------- I/O
def _r(a: np.ndarray, sig: int = 7) -> list[float]:
    return [float(f"{v:.{sig}g}") if np.isfinite(v) else None for v in np.asarray(a, float)]


def _steps(h0: list[float]) -> dict[str, list]:
    """A baseline cumulative hazard on GRID as its steps: the grid indices where it changes
    (index 0 first) and the values from there on. Lossless, and about a third of the size:
    a bootstrap refit's baseline is flat between its sample's events (most grid points), and
    200 refits written out in full made the bundled model 0.7 MB."""
    at = [0, *(i for i in range(1, len(h0)) if h0[i] != h0[i - 1])]
    return {"at": at, "h0": [h0[i] for i in at]}


def _unsteps(d: dict[str, Any]) -> np.ndarray:
    """The inverse of :func:`_steps`: the baseline on every GRID point."""
    at = np.asarray(d["at"], int)
    values = np.asarray(d["h0"], float)
    if at.ndim != 1 or at.shape != values.shape or not len(at) or at[0] != 0 \
            or np.any(np.diff(at) <= 0) or at[-1] >= len(GRID):
        raise ValueError("h0_steps must list increasing grid indices from 0, one value each")
    return values[np.searchsorted(at, np.arange(len(GRID)), side="right") - 1]


def _cox_doc(c: CoxFit) -> dict[str, Any]:
    d = {"coef": _r(c.coef), "mean": _r(c.mean), "h0": _r(c.h0, 6)}
    if c.se is not None:
        d["se"] = _r(c.se)
        d["p"] = _r(c.p)
    return d


def save_model(model: DurabilityModel, path: str | Path) -> None:
    """Write the model as JSON (format ``accord-durability/1``; see docs/durability.md)."""
    doc = {
        "format": FORMAT,
        "feature_set": model.feature_set,
        "features": model.features,
        "penalizer": model.penalizer,
        "grid": _r(GRID),
        "cox": _cox_doc(model.cox),
        "weibull": None
        if model.weibull is None
        else {
            "intercept": model.weibull.intercept,
            "coef": _r(model.weibull.coef),
            "rho": model.weibull.rho,
        },
        "km": {"times": _r(model.km_times), "surv": _r(model.km_surv)},
        "bootstrap": [
            {"coef": _r(b.coef), "mean": _r(b.mean), "h0_steps": _steps(_r(b.h0, 5))}
            for b in model.boot
        ],
        "info": model.info,
        "selection": [
            {k: (v if not isinstance(v, float) or math.isfinite(v) else None) for k, v in r.items()}
            for r in model.selection
        ],
    }
    write_atomic(path, json.dumps(doc, allow_nan=False, separators=(",", ":")) + "\n")


def load_model(path: str | Path) -> DurabilityModel:
    """Read a model written by :func:`save_model`; anything else is an InputError."""
    path = Path(path)
    fix = "fit one with: accord durability fit DATA.csv -o MODEL.json"
    from accord.files import require_regular_file

    require_regular_file(path, "model file")
    try:
        doc = json.loads(path.read_text())
    except OSError as e:
        raise InputError(
            f"cannot read the model file ({e.strerror})", path=str(path), fix=fix
        ) from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(
            f"not a durability model (invalid JSON: {e})", path=str(path), fix=fix
        ) from e
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(
            f"not a durability model (format is not {FORMAT!r})", path=str(path), fix=fix
        )
    try:
        feats = [str(f) for f in doc["features"]]
        grid = np.asarray(doc["grid"], float)
        if grid.shape != GRID.shape or not np.allclose(grid, GRID):
            raise ValueError("grid differs from this version's")

        def cox(d: dict[str, Any]) -> CoxFit:
            c = CoxFit(
                feats,
                np.asarray(d["coef"], float),
                np.asarray(d["mean"], float),
                np.asarray(d["h0"], float) if "h0" in d else _unsteps(d["h0_steps"]),
                np.asarray(d["se"], float) if "se" in d else None,
                np.asarray(d["p"], float) if "p" in d else None,
            )
            if (
                c.coef.shape != (len(feats),)
                or c.mean.shape != (len(feats),)
                or c.h0.shape != GRID.shape
            ):
                raise ValueError("coefficient or hazard arrays have the wrong length")
            return c

        w = doc.get("weibull")
        wb = (
            None
            if w is None
            else WeibullFit(
                feats, float(w["intercept"]), np.asarray(w["coef"], float), float(w["rho"])
            )
        )
        return DurabilityModel(
            str(doc["feature_set"]),
            feats,
            float(doc["penalizer"]),
            cox(doc["cox"]),
            wb,
            np.asarray(doc["km"]["times"], float),
            np.asarray(doc["km"]["surv"], float),
            [cox(b) for b in doc.get("bootstrap", [])],
            dict(doc.get("info", {})),
            list(doc.get("selection", [])),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(
            f"corrupt durability model ({type(e).__name__}: {e})", path=str(path), fix=fix
        ) from e
