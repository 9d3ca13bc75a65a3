"""The exchange model's incremental, compiled search against the full numpy search."""

from __future__ import annotations

import numpy as np
import pytest

from accord.models._exchange import run_exchange


def _case(seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 9)), int(rng.integers(2, 6))
    # coarse grids make ties between exchanges (and between issue pairs) common
    x = rng.integers(0, 5, (n, m)) / 4.0
    s = rng.integers(0, 5, (n, m)) / 4.0
    c = rng.integers(1, 4, n).astype(float)
    mask = rng.random((n, m)) > 0.15
    return x, s, c, mask


@pytest.mark.parametrize("seed", range(60))
def test_incremental_search_is_bit_identical_to_the_reference(seed: int) -> None:
    x, s, c, mask = _case(seed)
    limit = None if seed % 3 else 3
    fast = run_exchange(x, s, c, mask, max_exchanges=limit)
    ref = run_exchange(x, s, c, mask, max_exchanges=limit, reference=True)
    assert fast["stopped_by"] == ref["stopped_by"]
    assert len(fast["log"]) == len(ref["log"])
    for a, b in zip(fast["log"], ref["log"], strict=True):
        assert (a["i"], a["j"], a["p"], a["q"]) == (b["i"], b["j"], b["p"], b["q"])
        assert a["gain"] == b["gain"]
    for a, b in zip(fast["states"], ref["states"], strict=True):
        assert np.array_equal(a, b)
    for a, b in zip(fast["outcomes"], ref["outcomes"], strict=True):
        assert np.array_equal(a, b)


def test_some_cases_trade() -> None:
    """The comparison above is not vacuous: most random cases make several exchanges."""
    counts = [len(run_exchange(*_case(seed))["log"]) for seed in range(60)]
    assert sum(k >= 2 for k in counts) >= 20


def test_model_gives_the_same_with_either_search(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.bench import large_scenario
    from accord.models import _exchange as ex
    from accord.models import get_model
    from accord.scenario import to_arrays

    draws = to_arrays(large_scenario(12, 4, seed=5), 1)
    monkeypatch.setattr(ex, "REFERENCE_WORK", 10**12)
    ref = get_model("exchange").run(draws)
    monkeypatch.setattr(ex, "REFERENCE_WORK", 0)
    fast = get_model("exchange").run(draws)
    assert np.array_equal(ref.forecast, fast.forecast)
    assert ref.extra["exchanges"] == fast.extra["exchanges"] and ref.extra["exchanges"]
