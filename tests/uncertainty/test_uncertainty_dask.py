"""Results do not depend on the number of workers (chunks are seeded by index)."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import InputError
from accord.uncertainty.sampling import BLOCK, monte_carlo

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
    from accord.uncertainty.sensitivity import sensitivity

    a = sensitivity(toy, "median", n=128, seed=1)
    b = sensitivity(toy, "median", n=128, seed=1, dask="threads:2")
    np.testing.assert_array_equal(a.ST, b.ST)
    np.testing.assert_array_equal(a.S1, b.S1)


@pytest.mark.parametrize("spec", ["local:0", "local:x", "spark://x", "tcp:host", "tcp://",
                                  "tls://", "tcp://host", "tcp://:8786", "inproc://x",
                                  "ucx://h:1", "local:999"])
def test_uncertainty_bad_dask_spec(spec):
    from accord.uncertainty.distributed import parse_dask_spec

    with pytest.raises(InputError, match="--dask") as exc:
        parse_dask_spec(spec)
    assert "tcp://host:port" in str(exc.value)  # the accepted forms are listed


def test_dask_local_worker_bound():
    """local:N: at least 1 and at most 2 per core (local:999 once started 999 workers)."""
    import os

    from accord.uncertainty.distributed import parse_dask_spec

    cores = os.cpu_count() or 1
    assert parse_dask_spec(f"local:{2 * cores}") == ("local", 2 * cores)
    assert parse_dask_spec("local") == ("local", cores)
    with pytest.raises(InputError, match=f"at most {2 * cores}"):
        parse_dask_spec(f"local:{2 * cores + 1}")


@pytest.mark.parametrize("spec", ["tcp://127.0.0.1:8786", "tls://127.0.0.1:8786"])
def test_dask_address_forms(spec):
    from accord.uncertainty.distributed import parse_dask_spec

    assert parse_dask_spec(spec) == ("address", spec)
