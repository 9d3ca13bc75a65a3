"""Report/store tests: never write a run store into the working tree."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TOY = FIXTURES / "toy.yaml"


@pytest.fixture(autouse=True)
def _store_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_STORE", str(tmp_path / "default-runs.duckdb"))
