"""Test kit shipped with accord: common checks every registered model must pass.

Modelled on scikit-learn's ``check_estimator``: run :func:`check_model` on a model class (or
use :func:`model_checks` to parametrize pytest) to check the shared interface contract.
"""

from accord.testing._checks import CHECKS, check_model, model_checks, random_draws

__all__ = ["CHECKS", "check_model", "model_checks", "random_draws"]
