"""Every registered model passes the common interface checks (accord.testing)."""

from __future__ import annotations

import pytest

from accord.models import available_models
from accord.testing import model_checks

# Expected failures, with reasons (scikit-learn's PER_ESTIMATOR_XFAIL_CHECKS).
XFAIL: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize(
    ("name", "check"),
    list(model_checks(available_models())),
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_common_checks(name, check):
    reason = XFAIL.get((name, check.__name__))
    if reason:
        pytest.xfail(reason)
    check(name)
