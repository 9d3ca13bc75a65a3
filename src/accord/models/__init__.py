"""Negotiation models behind one interface, and their registry.

To add a model: write one module with a :class:`Model` subclass decorated with
:func:`register`, and import it below.
"""

# Registration order is the order of `--model all` and of tables.
from accord.models import _static  # noqa: F401, I001  (compromise, median, nash)
from accord.models import _eum  # noqa: F401  (eum)
from accord.models import _smp  # noqa: F401  (smp)
from accord.models import _exchange  # noqa: F401  (exchange)
from accord.models import _calibrated  # noqa: F401  (calibrated: fitted distribution)
from accord.models._cost import COSTS, check_cost, estimate_seconds
from accord.models._smp import bench_smp_files
from accord.models._warmup import warm_up
from accord.models._base import IssueModel, IssueTrace, Model, ModelResult
from accord.models._registry import REGISTRY, available_models, get_model, register
from accord.models._static import nash_bargaining, weighted_mean, weighted_median
from accord.models._calibrated import (
    FORMAT as CALIBRATED_FORMAT,
    Coefficients,
    LogitPart,
    Predictive,
    feature_effects,
    issue_distribution,
    load_coefficients,
)
from accord.models._calibrated_features import (
    FEATURES as CALIBRATED_FEATURES,
    LABELS as FEATURE_LABELS,
    grid_features as calibrated_grid_features,
)
from accord.models._predictive import (
    QUANTILES,
    calibrated_quantiles,
    crps,
    fit_level_table,
    log_score,
    pit,
    quantile,
    row_fields,
)
from accord.models._predictive import interval as predictive_interval

__all__ = [
    "bench_smp_files",
    "warm_up",
    "CALIBRATED_FEATURES",
    "CALIBRATED_FORMAT",
    "FEATURE_LABELS",
    "QUANTILES",
    "COSTS",
    "REGISTRY",
    "Coefficients",
    "LogitPart",
    "Predictive",
    "calibrated_grid_features",
    "calibrated_quantiles",
    "crps",
    "feature_effects",
    "fit_level_table",
    "issue_distribution",
    "load_coefficients",
    "log_score",
    "pit",
    "predictive_interval",
    "quantile",
    "row_fields",
    "IssueModel",
    "IssueTrace",
    "Model",
    "ModelResult",
    "available_models",
    "check_cost",
    "estimate_seconds",
    "get_model",
    "nash_bargaining",
    "register",
    "weighted_mean",
    "weighted_median",
]
