"""Negotiation models behind one interface, and their registry.

To add a model: write one module with a :class:`Model` subclass decorated with
:func:`register`, and import it below.
"""

from accord.models import _static  # noqa: F401  (registers compromise, median, nash)
from accord.models._base import IssueModel, IssueTrace, Model, ModelResult
from accord.models._registry import REGISTRY, available_models, get_model, register
from accord.models._static import nash_bargaining, weighted_mean, weighted_median

__all__ = [
    "REGISTRY",
    "IssueModel",
    "IssueTrace",
    "Model",
    "ModelResult",
    "available_models",
    "get_model",
    "nash_bargaining",
    "register",
    "weighted_mean",
    "weighted_median",
]
