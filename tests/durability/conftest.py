from pathlib import Path

import numpy as np
import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "ceasefires_tiny.csv"
SHARED = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "data"
    / "ceasefires"
    / "ceasefires_1989_2014.csv"
)


@pytest.fixture(scope="session")
def tiny_data():
    from accord.durability import read_ceasefires

    return read_ceasefires(FIXTURE)


@pytest.fixture(scope="session")
def tiny_model(tiny_data):
    from accord.durability import fit_durability

    return fit_durability(
        tiny_data.table, rng=np.random.default_rng(1), n_boot=30, folds=3, penalties=(0.1, 0.3)
    )


@pytest.fixture(scope="session")
def shared_csv():
    from tests.conftest import shared_file

    return shared_file("ceasefires/ceasefires_1989_2014.csv")
