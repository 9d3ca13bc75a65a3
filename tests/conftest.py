"""Shared test fixtures: paths to the project's examples, its own fixtures and the large
shared datasets.

Published small test vectors travel with the tests (``tests/fixtures/``). Only tests that need
the large datasets in ``../shared`` skip, naming the file they miss; ``ACCORD_TEST_NO_SHARED=1``
runs the suite as a clone without ``../shared`` would.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
#: Set to 1 to simulate a clone without ``../shared``.
NO_SHARED_ENV = "ACCORD_TEST_NO_SHARED"


def shared_file(relpath: str, *, root: str = "data") -> Path:
    """``../shared/<root>/<relpath>``, or skip the test naming the file when it is absent
    (or when ``ACCORD_TEST_NO_SHARED=1``)."""
    path = SHARED / root / relpath
    if os.environ.get(NO_SHARED_ENV, "") not in ("", "0") or not path.exists():
        pytest.skip(f"needs ../shared/{root}/{relpath} (shared data, not part of the project)")
    return path.resolve()


def fixture_file(name: str) -> Path:
    """A file of ``tests/fixtures/`` (always present: part of the project)."""
    return FIXTURES / name


@pytest.fixture
def shared_data() -> Path:
    """The shared data folder (tests that use it name their file with :func:`shared_file`)."""
    if os.environ.get(NO_SHARED_ENV, "") not in ("", "0") or not SHARED_DATA.is_dir():
        pytest.skip("needs ../shared/data (shared data, not part of the project)")
    return SHARED_DATA


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run ``accord ARGS`` in-process through the real entry point; returns (code, out, err)."""
    from accord.cli import main

    def _run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["accord", *map(str, args)])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run


@pytest.fixture(autouse=True)
def _run_store_in_tmp(tmp_path, monkeypatch):
    """Commands that save runs write to a per-test store, never into the repository."""
    monkeypatch.setenv("ACCORD_STORE", str(tmp_path / "runs.duckdb"))
