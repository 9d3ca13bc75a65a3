"""Small scenarios with ranges for the uncertainty tests."""

from __future__ import annotations

import pytest

from accord.scenario import Scenario, scenario_from_mapping


def toy_mapping() -> dict:
    """Three actors, two issues; every kind of range, one actor without any."""
    return {
        "name": "toy with ranges",
        "issues": [
            {"id": "x", "scale": [0, 100], "status_quo": 40},
            {"id": "y", "scale": [4, 10]},
        ],
        "actors": [
            {
                "id": "a",
                "capability": 3.0,
                "capability_range": [2.0, 5.0],
                "positions": {"x": 20, "y": 5},
                "salience": {"x": 80, "y": 50},
                "ranges": {"x": [10, 40], "y": [4, 6]},
                "salience_ranges": {"x": [60, 90]},
            },
            {
                "id": "b",
                "capability": 2.0,
                "positions": {"x": 70, "y": 9},
                "salience": {"x": 60, "y": 70},
                "ranges": {"x": [60, 70], "y": [9, 9]},
            },
            {"id": "c", "capability": 1.0, "positions": {"x": 50}, "salience": {"x": 40}},
        ],
    }


@pytest.fixture
def toy() -> Scenario:
    return scenario_from_mapping(toy_mapping(), "toy.yaml")
