"""Pydantic models of a scenario file (the contract in docs/contracts.md).

Validation happens here, once, at the edge; everything downstream trusts the arrays.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9_-]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _finite(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return value


class Issue(_Strict):
    """One issue: a one-dimensional scale on which actors hold positions."""

    id: str = Field(pattern=SLUG, max_length=64)
    label: str | None = None
    description: str | None = None
    scale: tuple[float, float] = (0.0, 100.0)
    anchors: dict[float, str] = Field(default_factory=dict)
    status_quo: float | None = None
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("scale")
    @classmethod
    def _scale_ordered(cls, v: tuple[float, float]) -> tuple[float, float]:
        lo, hi = (_finite(x, "scale end") for x in v)
        if not hi > lo:
            raise ValueError(f"scale must be [min, max] with max > min, got [{lo}, {hi}]")
        return (lo, hi)

    @model_validator(mode="after")
    def _inside_scale(self) -> Issue:
        lo, hi = self.scale
        if self.status_quo is not None:
            _finite(self.status_quo, "status_quo")
            if not lo <= self.status_quo <= hi:
                raise ValueError(
                    f"status_quo {self.status_quo} lies outside the scale [{lo}, {hi}]"
                )
        for point in self.anchors:
            if not (math.isfinite(point) and lo <= point <= hi):
                raise ValueError(f"anchor at {point} lies outside the scale [{lo}, {hi}]")
        return self


class Actor(_Strict):
    """One party: capability, and per issue a position, a salience and optional ranges."""

    id: str = Field(pattern=SLUG, max_length=64)
    name: str | None = None
    capability: float
    positions: dict[str, float]
    salience: dict[str, float]
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    salience_ranges: dict[str, tuple[float, float]] = Field(default_factory=dict)
    capability_range: tuple[float, float] | None = None
    sources: list[str] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("capability")
    @classmethod
    def _positive(cls, v: float) -> float:
        _finite(v, "capability")
        if v <= 0:
            raise ValueError(f"capability must be > 0 (only ratios matter), got {v}")
        return v

    @field_validator("positions", "salience")
    @classmethod
    def _all_finite(cls, v: dict[str, float]) -> dict[str, float]:
        for key, x in v.items():
            _finite(x, key)
        return v

    @field_validator("salience")
    @classmethod
    def _salience_range(cls, v: dict[str, float]) -> dict[str, float]:
        for key, x in v.items():
            if not 0 <= x <= 100:
                raise ValueError(f"salience of {key!r} must lie in 0-100, got {x}")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Actor:
        missing = set(self.positions) ^ set(self.salience)
        if missing:
            key = sorted(missing)[0]
            side = "salience" if key in self.positions else "positions"
            raise ValueError(
                f"issue {key!r} needs both a position and a salience; it is missing under {side}"
            )
        for key, (lo, hi) in self.ranges.items():
            if key not in self.positions:
                raise ValueError(f"ranges names issue {key!r}, which has no position")
            _finite(lo, f"ranges.{key}")
            _finite(hi, f"ranges.{key}")
            if not lo <= self.positions[key] <= hi:
                raise ValueError(
                    f"ranges.{key} = [{lo}, {hi}] must contain the position {self.positions[key]}"
                )
        for key, (lo, hi) in self.salience_ranges.items():
            if key not in self.salience:
                raise ValueError(f"salience_ranges names issue {key!r}, which has no salience")
            if not (0 <= lo <= self.salience[key] <= hi <= 100):
                raise ValueError(
                    f"salience_ranges.{key} = [{lo}, {hi}] must lie in 0-100 and contain "
                    f"the salience {self.salience[key]}"
                )
        if self.capability_range is not None:
            lo, hi = self.capability_range
            if not (0 < lo <= self.capability <= hi and math.isfinite(hi)):
                raise ValueError(
                    f"capability_range [{lo}, {hi}] must be > 0 and contain the capability "
                    f"{self.capability}"
                )
        return self


class Sampling(_Strict):
    """How Monte Carlo draws the scenario's ranges (see docs/uncertainty.md)."""

    distribution: Literal["pert", "triangular", "uniform"] = "pert"
    #: Per-input choice by name pattern (fnmatch), e.g. ``{"*.capability": "uniform"}``.
    overrides: dict[str, Literal["pert", "triangular", "uniform"]] = Field(default_factory=dict)


class Scenario(_Strict):
    """A whole scenario file."""

    name: str
    description: str | None = None
    issues: list[Issue]
    actors: list[Actor]
    models: dict[str, dict[str, Any]] = Field(default_factory=dict)
    ceasefire: dict[str, Any] | list[dict[str, Any]] | None = None
    strategy: dict[str, Any] | None = None
    sampling: Sampling | None = None
    meta: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cross_checks(self) -> Scenario:
        if not self.issues:
            raise ValueError("the scenario has no issues; add at least one under issues:")
        if not self.actors:
            raise ValueError("the scenario has no actors; add at least one under actors:")
        _unique([i.id for i in self.issues], "issue")
        _unique([a.id for a in self.actors], "actor")
        issues = {i.id: i for i in self.issues}
        for a in self.actors:
            for field in ("positions", "salience", "ranges", "salience_ranges"):
                for key in getattr(a, field):
                    if key not in issues:
                        raise ValueError(
                            f"actor {a.id!r} names unknown issue {key!r} under {field} "
                            f"(known issues: {', '.join(issues)})"
                        )
            for key, x in a.positions.items():
                lo, hi = issues[key].scale
                if not lo <= x <= hi:
                    raise ValueError(
                        f"position of actor {a.id!r} on issue {key!r} is {x}, outside the "
                        f"issue's scale [{lo}, {hi}]"
                    )
            for key, (rlo, rhi) in a.ranges.items():
                lo, hi = issues[key].scale
                if not lo <= rlo <= rhi <= hi:
                    raise ValueError(
                        f"ranges.{key} of actor {a.id!r} = [{rlo}, {rhi}] must lie within the "
                        f"scale [{lo}, {hi}]"
                    )
        for issue in self.issues:
            if not any(issue.id in a.positions for a in self.actors):
                raise ValueError(f"issue {issue.id!r} has no actor with a position on it")
        return self

    @property
    def issue_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.issues)

    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actors)

    def model_settings(self, model: str) -> dict[str, Any]:
        return dict(self.models.get(model, {}))


def _unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for x in ids:
        if x in seen:
            raise ValueError(f"duplicate {what} id {x!r}; every {what} id must be unique")
        seen.add(x)
