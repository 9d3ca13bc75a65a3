"""``calibrated``: a fitted predictive distribution over each issue's scale.

The model scores every point of the issue's scale (mapped linearly to 0-100) with a pool of two
penalised conditional logits (McFadden 1974, "Conditional logit analysis of qualitative choice
behavior", in Zarembka (ed.), *Frontiers in Econometrics*): one over all 101 grid points and
one over a few candidate outcomes (positions held, the ends and midpoint, the status quo, the
static models' forecasts) with a uniform floor; the two are averaged (a linear opinion pool;
Stone 1961, "The opinion pool", *Ann. Math. Stat.* 32(4)). Features
(:mod:`accord.models._calibrated_features`) are those every scenario has. The point forecast is
the median of the distribution (it minimises the expected absolute error); intervals use
split-conformal recalibrated levels (:mod:`accord.models._predictive`).

The coefficients are fitted on EU legislative decisions (DEU III, Arregui & Perarnaud 2022,
doi:10.34810/data53) by ``accord backtest fit`` and shipped as ``calibrated.json``;
``--set calibrated.coefficients=FILE`` loads another fit. Its error on other kinds of
negotiation is unknown.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import logsumexp

from accord.models._base import Model, ModelResult
from accord.models._calibrated_features import FEATURES, from_unit, grid_features, to_unit
from accord.models._predictive import LevelTable, quantile
from accord.models._registry import register
from accord.scenario import ScenarioDraws

#: The bundled coefficients file (package data).
DEFAULT_FILE = "calibrated.json"
#: Format version written by the fitter and accepted here.
FORMAT = 1


@dataclass(frozen=True)
class LogitPart:
    """One conditional logit: standardisation, coefficients, and (candidate part) its floor."""

    theta: np.ndarray
    mu: np.ndarray
    sd: np.ndarray
    restrict: bool
    epsilon: float = 0.0

    def utilities(self, z: np.ndarray) -> np.ndarray:
        return ((z - self.mu) / self.sd) @ self.theta

    def dist(self, z: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """(…, 101) probabilities from features (…, 101, p) and candidates (…, 101)."""
        u = self.utilities(z)
        if not self.restrict:
            return np.exp(u - logsumexp(u, axis=-1, keepdims=True))
        u = np.where(cand, u, -np.inf)
        core = np.exp(u - logsumexp(u, axis=-1, keepdims=True))
        return (1 - self.epsilon) * core + self.epsilon / z.shape[-2]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": "candidates" if self.restrict else "grid",
            "coefficients": dict(zip(FEATURES, map(float, self.theta), strict=True)),
            "mean": dict(zip(FEATURES, map(float, self.mu), strict=True)),
            "sd": dict(zip(FEATURES, map(float, self.sd), strict=True)),
        }
        if self.restrict:
            out["epsilon"] = float(self.epsilon)
        return out

    @staticmethod
    def from_json(d: dict[str, Any]) -> LogitPart:
        restrict = d["kind"] == "candidates"
        if not restrict and d["kind"] != "grid":
            raise ValueError(f"unknown part kind {d['kind']!r}")

        def vec(key: str) -> np.ndarray:
            return np.array([float(d[key][k]) for k in FEATURES])

        sd = vec("sd")
        if np.any(sd <= 0):
            raise ValueError("every sd must be > 0")
        eps = float(d.get("epsilon", 0.0)) if restrict else 0.0
        if not 0.0 <= eps <= 1.0:
            raise ValueError("epsilon must lie in [0, 1]")
        return LogitPart(vec("coefficients"), vec("mean"), sd, restrict, eps)


@dataclass(frozen=True)
class Coefficients:
    """A fitted ``calibrated`` model: its parts, pool weights, level table and provenance."""

    parts: tuple[LogitPart, ...]
    weights: np.ndarray
    table: LevelTable
    doc: dict[str, Any]

    def dist(self, z: np.ndarray, cand: np.ndarray) -> np.ndarray:
        return sum(w * p.dist(z, cand) for w, p in zip(self.weights, self.parts, strict=True))

    @staticmethod
    def from_json(doc: dict[str, Any]) -> Coefficients:
        if doc.get("model") != "calibrated" or doc.get("format") != FORMAT:
            raise ValueError(f"not a calibrated-model file (format {FORMAT})")
        if list(doc["features"]) != list(FEATURES):
            raise ValueError("its features differ from this version's")
        parts = tuple(LogitPart.from_json(p) for p in doc["parts"])
        w = np.array([float(p.get("weight", 1.0)) for p in doc["parts"]])
        if not parts or np.any(w < 0) or not w.sum() > 0:
            raise ValueError("needs at least one part with weights >= 0")
        rec = doc["recalibration"]
        nominal = np.array(rec["nominal"], dtype=float)
        raw = np.array(rec["raw"], dtype=float)
        if nominal.shape != raw.shape or np.any(np.diff(nominal) <= 0) or np.any(np.diff(raw) < 0):
            raise ValueError("recalibration levels must be increasing")
        return Coefficients(parts, w / w.sum(), (nominal, raw), doc)


def load_coefficients(path: str | Path | None = None) -> Coefficients:
    """The bundled coefficients, or those in ``path``; ``ValueError`` naming what is wrong."""
    try:
        if path is None:
            text = resources.files("accord.models").joinpath(DEFAULT_FILE).read_text("utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ValueError(f"cannot read {path}: {getattr(err, 'strerror', None) or err}") from None
    try:
        return Coefficients.from_json(json.loads(text))
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        what = err.args[0] if err.args else type(err).__name__
        name = path or DEFAULT_FILE
        raise ValueError(f"{name} is not a calibrated-model file ({what})") from None


@dataclass(frozen=True)
class Predictive:
    """Per-draw predictive distributions of a ``calibrated`` run.

    ``dist`` (n_draws, n_issues, 101) on each issue's scale mapped to 0-100; ``scale``
    (n_issues, 2); ``status_quo`` (n_issues,) on the issue's own scale (NaN: none);
    ``table`` the recalibration of the levels.
    """

    dist: np.ndarray
    scale: np.ndarray
    status_quo: np.ndarray
    table: LevelTable


def issue_distribution(
    coef: Coefficients, x: np.ndarray, s: np.ndarray, c: np.ndarray, lo: float, hi: float,
    status_quo: float,
) -> np.ndarray:
    """(n_draws, 101) distribution of one issue from arrays (n_draws, n_participants) on its
    own scale [lo, hi]."""
    sq = to_unit(status_quo, lo, hi) if not math.isnan(status_quo) else math.nan
    z, cand, _ = grid_features(to_unit(x, lo, hi), s, c, float(sq))
    return coef.dist(z, cand)


@register
class Calibrated(Model):
    """Fitted predictive distribution over each issue's scale; forecast = its median.

    References: McFadden (1974) on conditional logit; Stone (1961) on the opinion pool;
    Kuleshov et al. (2018) on recalibrated intervals; fitted on DEU III (Arregui & Perarnaud
    2022, doi:10.34810/data53). See the module docstring.
    """

    name = "calibrated"
    citation = "McFadden 1974; Stone 1961; fitted on DEU III (Arregui & Perarnaud 2022)"

    def __init__(self, *, coefficients: str | None = None) -> None:
        self.coefficients = coefficients

    def _validate_params(self) -> None:
        if self.coefficients is not None and not isinstance(self.coefficients, str):
            raise ValueError(
                f"parameter calibrated.coefficients = {self.coefficients!r} is invalid: "
                "must be the path of a coefficients file"
            )
        try:
            load_coefficients(self.coefficients)
        except ValueError as err:
            raise ValueError(
                f"parameter calibrated.coefficients: {err}; write one with "
                "`accord backtest fit DATA.tsv -o FILE`"
            ) from None

    def load(self) -> Coefficients:
        return load_coefficients(self.coefficients)

    def _run(self, draws: ScenarioDraws, *, rng: np.random.Generator | None) -> ModelResult:
        coef = self.load()
        d, m = draws.n_draws, draws.n_issues
        dist = np.empty((d, m, 101))
        index = {}
        for k, issue_id in enumerate(draws.issue_ids):
            iss = draws.issue(k)
            index[issue_id] = iss.actor_index
            dist[:, k] = issue_distribution(
                coef, iss.positions, iss.salience, iss.capability, iss.lo, iss.hi, iss.status_quo
            )
        med = quantile(dist, 0.5)  # (d, m) on 0-100
        forecast = from_unit(med, draws.scale[:, 0][None, :], draws.scale[:, 1][None, :])
        res = self._result(draws, np.asarray(forecast, dtype=float), actor_index=index)
        pred = Predictive(dist, draws.scale.copy(), draws.status_quo.copy(), coef.table)
        return replace(res, predictive=pred)


def feature_effects(
    coef: Coefficients, x: np.ndarray, s: np.ndarray, c: np.ndarray, lo: float, hi: float,
    status_quo: float,
) -> list[dict[str, Any]]:
    """How much each feature moves one issue's distribution (draw 0 of the inputs).

    Each feature in turn is set to its training mean (so it no longer favours any point); the
    change is the area between the two cumulative distributions (the Wasserstein-1 distance,
    in points of the 0-100 scale) and the shift of the median. Sorted, largest first.
    """
    sq = to_unit(status_quo, lo, hi) if not math.isnan(status_quo) else math.nan
    z, cand, _ = grid_features(to_unit(x[:1], lo, hi), s[:1], c[:1], float(sq))
    base = coef.dist(z, cand)[0]
    f0 = np.cumsum(base)
    med0 = float(quantile(base, 0.5))
    out = []
    for j, name in enumerate(FEATURES):
        # every part standardises with its own mean: set the feature to each part's mean
        p = sum(
            w * part.dist(_at_mean(z, j, part), cand)
            for w, part in zip(coef.weights, coef.parts, strict=True)
        )[0]
        moved = float(np.abs(np.cumsum(p) - f0).sum())
        out.append(
            {
                "feature": name,
                "moved": moved * (hi - lo) / 100.0,
                "median_without": float(from_unit(quantile(p, 0.5), lo, hi)),
                "median": float(from_unit(med0, lo, hi)),
            }
        )
    out.sort(key=lambda r: -r["moved"])
    return out


def _at_mean(z: np.ndarray, j: int, part: LogitPart) -> np.ndarray:
    z2 = z.copy()
    z2[..., j] = part.mu[j]
    return z2
