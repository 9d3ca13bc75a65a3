"""Results do not depend on the number of workers (chunks are seeded by index)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import InputError
from accord.sampling import BLOCK, monte_carlo

pytest.importorskip("distributed")

SPECS = [("compromise", {}), ("median", {})]


def test_uncertainty_two_worker_cluster_equals_serial(toy):
    serial = monte_carlo(toy, SPECS, 6 * BLOCK, seed=3, chunk_size=BLOCK)
    two = monte_carlo(toy, SPECS, 6 * BLOCK, seed=3, chunk_size=BLOCK, dask="threads:2")
    one = monte_carlo(toy, SPECS, 6 * BLOCK, seed=3, chunk_size=2 * BLOCK, dask="threads:1")
    assert two.workers == 2 and one.workers == 1
    for name, _ in SPECS:
        np.testing.assert_array_equal(serial.forecasts[name], two.forecasts[name])
        np.testing.assert_array_equal(serial.forecasts[name], one.forecasts[name])


@pytest.mark.slow
def test_uncertainty_two_worker_processes_equal_serial(toy):
    """A real LocalCluster of worker processes (spawned: a few seconds)."""
    serial = monte_carlo(toy, SPECS, 4 * BLOCK, seed=8, chunk_size=BLOCK)
    procs = monte_carlo(toy, SPECS, 4 * BLOCK, seed=8, chunk_size=BLOCK, dask="local:2")
    assert procs.workers == 2
    for name, _ in SPECS:
        np.testing.assert_array_equal(serial.forecasts[name], procs.forecasts[name])


def test_uncertainty_sensitivity_on_dask_equals_serial(toy):
    from accord.sensitivity import sensitivity

    a = sensitivity(toy, "median", n=128, seed=1)
    b = sensitivity(toy, "median", n=128, seed=1, dask="threads:2")
    np.testing.assert_array_equal(a.ST, b.ST)
    np.testing.assert_array_equal(a.S1, b.S1)


@pytest.mark.parametrize("spec", ["local", "local:0", "local:x", "spark://x", "tcp:host"])
def test_uncertainty_bad_dask_spec(spec):
    from accord.distributed import parse_dask_spec

    with pytest.raises(InputError, match="--dask"):
        parse_dask_spec(spec)
