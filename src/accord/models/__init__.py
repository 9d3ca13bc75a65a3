"""Negotiation models behind one interface, and their registry.

To add a model: write one module with a :class:`Model` subclass decorated with
:func:`register`, and import it below.
"""

# Registration order is the order of `--model all` and of tables.
from accord.models import _static  # noqa: F401, I001  (compromise, median, nash)
from accord.models import _eum  # noqa: F401  (eum)
from accord.models import _smp  # noqa: F401  (smp)
from accord.models import _exchange  # noqa: F401  (exchange)
from accord.models._cost import COSTS, check_cost, estimate_seconds
from accord.models._base import IssueModel, IssueTrace, Model, ModelResult
from accord.models._registry import REGISTRY, available_models, get_model, register
from accord.models._static import nash_bargaining, weighted_mean, weighted_median

__all__ = [
    "COSTS",
    "REGISTRY",
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
