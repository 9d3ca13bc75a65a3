"""Every validated input gives a finite answer or exit 2 (docs/limits.md).

A property test feeds every registered model scenarios at the edges of the documented bounds
(capabilities 1e-30..1e30, scales reaching 1e15 or only 1e-6 wide, saliences of 0 or 1e-9) and
checks each forecast is finite, inside the scale, and survives the JSON writer.
"""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord import limits
from accord.errors import InputError
from accord.forecast import forecast
from accord.models import available_models
from accord.scenario import scenario_from_mapping

CAPS = st.sampled_from([limits.CAPABILITY_MIN, 1e-12, 1.0, 1e12, limits.CAPABILITY_MAX]) | \
    st.floats(limits.CAPABILITY_MIN, limits.CAPABILITY_MAX)
SALS = st.sampled_from([0.0, limits.SALIENCE_MIN, 1.0, 100.0]) | st.floats(limits.SALIENCE_MIN, 100)
SCALES = st.sampled_from([
    (0.0, 100.0),
    (-limits.SCALE_MAX, limits.SCALE_MAX),
    (0.0, limits.SCALE_MAX),
    (0.0, limits.SCALE_MIN_SPAN),
    (1e6, 1e6 + 1e-3),  # at the relative bound: 1e-9 of 1e6
    (-1e-3, 1e-3),
])


@st.composite
def extreme_scenarios(draw: st.DrawFn) -> dict:
    n_issues = draw(st.integers(1, 2))
    issues, scales = [], []
    for k in range(n_issues):
        lo, hi = draw(SCALES)
        issues.append({"id": f"i{k}", "scale": [lo, hi]})
        scales.append((lo, hi))
    actors = []
    for a in range(draw(st.integers(1, 5))):
        pos, sal = {}, {}
        for k, (lo, hi) in enumerate(scales):
            t = draw(st.sampled_from([0.0, 1.0, 0.5]) | st.floats(0, 1))
            pos[f"i{k}"] = min(hi, max(lo, lo + t * (hi - lo)))
            sal[f"i{k}"] = draw(SALS) if a else draw(SALS.filter(lambda s: s > 0))
        actors.append({"id": f"a{a}", "capability": draw(CAPS), "positions": pos,
                       "salience": sal})
    return {"name": "extreme", "issues": issues, "actors": actors}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(extreme_scenarios())
def test_every_model_finite_or_refused(data):
    try:
        sc = scenario_from_mapping(data, "extreme.yaml")
    except InputError:
        return  # a refusal (exit 2) is an accepted answer
    for model in available_models():
        try:
            run = forecast(sc, [model], overrides={"eum": {"rounds": 5}, "smp": {"max_turns": 5}}
                           if model in ("eum", "smp") else {})
        except InputError:
            continue
        res = run.results[0]
        assert np.all(np.isfinite(res.forecast)), (model, data)
        for k, iss in enumerate(sc.issues):
            lo, hi = iss.scale
            tol = 1e-9 * max(1.0, abs(lo), abs(hi))
            assert lo - tol <= float(res.forecast[0, k]) <= hi + tol, (model, data)
        json.dumps(run.to_json(), allow_nan=False)  # the writer that once met inf


def test_limits_are_consistent():
    assert limits.CAPABILITY_MIN > limits.TINY and math.isfinite(limits.CAPABILITY_MAX ** 2 * 1e4)
    assert limits.SEED_MAX == 2**63 - 1
