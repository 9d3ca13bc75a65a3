"""Pydantic models of a scenario file (the format in docs/scenario-format.md).

Validation happens here, once, at the edge; everything downstream trusts the arrays.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from accord import limits

SLUG = r"^[a-z0-9_-]+$"


class FieldError(ValueError):
    """A validation failure that knows where it is and what to do about it.

    ``loc`` continues the location pydantic gives the validator that raised it (so a
    model-level check can point at ``actors[2].positions.t``); :mod:`accord.scenario._load`
    turns it into the field and fix of an :class:`~accord.errors.InputError`.
    """

    def __init__(self, message: str, *, loc: tuple[str | int, ...] = (), fix: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.fix = fix


def _not_bool(value: Any) -> Any:
    # pydantic's lax mode reads true/false (and YAML's yes/no/on/off) as 1.0/0.0
    if isinstance(value, bool):
        raise FieldError(
            f"expected a number, got {str(value).lower()}",
            fix="write a number (YAML reads yes/no/on/off/true/false as true or false)",
        )
    return value


#: A float that refuses booleans.
Num = Annotated[float, BeforeValidator(_not_bool)]
_FINITE_FIX = "write a finite number (NaN and infinity are not allowed)"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _finite(value: float, what: str, loc: tuple[str | int, ...] = ()) -> float:
    problem = limits.check_number(value, what)
    if problem is not None:
        fix = _FINITE_FIX if not math.isfinite(value) else "write 0, or a number of normal size"
        raise FieldError(problem, loc=loc, fix=fix)
    return value


def _capability(value: float, what: str, loc: tuple[str | int, ...] = ()) -> None:
    """Capabilities lie in [CAPABILITY_MIN, CAPABILITY_MAX] (see docs/limits.md)."""
    if not limits.CAPABILITY_MIN <= value <= limits.CAPABILITY_MAX:
        raise FieldError(
            f"{what} {value:g} lies outside the supported range "
            f"[{limits.CAPABILITY_MIN:g}, {limits.CAPABILITY_MAX:g}]",
            loc=loc,
            fix="only ratios between actors matter: divide every capability by the same number "
            "so that all lie within that range",
        )


def _salience_size(value: float, what: str, loc: tuple[str | int, ...] = ()) -> None:
    if 0 < value < limits.SALIENCE_MIN:
        raise FieldError(
            f"{what} {value:g} is too small to compute with (0 or at least "
            f"{limits.SALIENCE_MIN:g})",
            loc=loc,
            fix="write 0 if the actor does not care about the issue, else a salience of at "
            f"least {limits.SALIENCE_MIN:g}",
        )


class Issue(_Strict):
    """One issue: a one-dimensional scale on which actors hold positions."""

    id: str = Field(pattern=SLUG, max_length=64)
    label: str | None = None
    description: str | None = None
    scale: tuple[Num, Num] = (0.0, 100.0)
    anchors: dict[Num, str] = Field(default_factory=dict)
    status_quo: Num | None = None
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("scale")
    @classmethod
    def _scale_ordered(cls, v: tuple[float, float]) -> tuple[float, float]:
        lo, hi = (_finite(x, "scale end") for x in v)
        if not hi > lo:
            raise FieldError(
                f"scale must be [min, max] with max > min, got [{lo:g}, {hi:g}]",
                fix="write [min, max] with the smaller number first, e.g. [0, 100]",
            )
        big = max(abs(lo), abs(hi))
        if big > limits.SCALE_MAX:
            raise FieldError(
                f"scale [{lo:g}, {hi:g}] reaches beyond +-{limits.SCALE_MAX:g}, the supported "
                "magnitude",
                fix="express the scale in larger units (e.g. billions) so that both ends lie "
                f"within +-{limits.SCALE_MAX:g}",
            )
        span = max(limits.SCALE_MIN_SPAN, limits.SCALE_MIN_REL * big)
        if hi - lo < span:
            raise FieldError(
                f"scale [{lo:g}, {hi:g}] is too narrow to compute on (it must span at least "
                f"{span:g}: {limits.SCALE_MIN_SPAN:g}, and {limits.SCALE_MIN_REL:g} of its "
                "larger end)",
                fix="express the scale in smaller units, or shift it towards 0 (e.g. 0-100)",
            )
        return (lo, hi)

    @model_validator(mode="after")
    def _inside_scale(self) -> Issue:
        lo, hi = self.scale
        if self.status_quo is not None:
            _finite(self.status_quo, "status_quo", ("status_quo",))
            if not lo <= self.status_quo <= hi:
                raise FieldError(
                    f"status_quo {self.status_quo:g} lies outside the scale [{lo:g}, {hi:g}]",
                    loc=("status_quo",),
                    fix=f"give a value within [{lo:g}, {hi:g}], or widen the scale",
                )
        for point in self.anchors:
            if not (math.isfinite(point) and lo <= point <= hi):
                raise FieldError(
                    f"anchor at {point:g} lies outside the scale [{lo:g}, {hi:g}]",
                    loc=("anchors", f"{point:g}"),
                    fix=f"anchor only points within [{lo:g}, {hi:g}], or widen the scale",
                )
        return self


class Actor(_Strict):
    """One party: capability, and per issue a position, a salience and optional ranges."""

    id: str = Field(pattern=SLUG, max_length=64)
    name: str | None = None
    capability: Num
    positions: dict[str, Num]
    salience: dict[str, Num]
    ranges: dict[str, tuple[Num, Num]] = Field(default_factory=dict)
    salience_ranges: dict[str, tuple[Num, Num]] = Field(default_factory=dict)
    capability_range: tuple[Num, Num] | None = None
    sources: list[str] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("capability")
    @classmethod
    def _positive(cls, v: float) -> float:
        _finite(v, "capability")
        if v <= 0:
            raise FieldError(
                f"capability must be > 0, got {v:g}",
                fix="give a positive number (any unit: only ratios between actors matter)",
            )
        _capability(v, "capability")
        return v

    @field_validator("positions", "salience")
    @classmethod
    def _all_finite(cls, v: dict[str, float]) -> dict[str, float]:
        for key, x in v.items():
            _finite(x, key, (key,))
        return v

    @field_validator("salience")
    @classmethod
    def _salience_range(cls, v: dict[str, float]) -> dict[str, float]:
        for key, x in v.items():
            if not 0 <= x <= 100:
                raise FieldError(
                    f"salience of {key!r} must lie in 0-100, got {x:g}",
                    loc=(key,),
                    fix="give a salience from 0 (does not care) to 100 (cares most)",
                )
            _salience_size(x, f"salience of {key!r}", (key,))
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Actor:
        missing = set(self.positions) ^ set(self.salience)
        if missing:
            key = sorted(missing)[0]
            side = "salience" if key in self.positions else "positions"
            raise FieldError(
                f"issue {key!r} needs both a position and a salience; it is missing under {side}",
                loc=(side,),
                fix=f"add {side}.{key}, or remove issue {key!r} from this actor",
            )
        for key, (lo, hi) in self.ranges.items():
            loc = ("ranges", key)
            if key not in self.positions:
                raise FieldError(f"ranges names issue {key!r}, which has no position", loc=loc,
                                 fix=f"add positions.{key}, or remove ranges.{key}")
            _finite(lo, f"ranges.{key}", loc)
            _finite(hi, f"ranges.{key}", loc)
            if not lo <= self.positions[key] <= hi:
                raise FieldError(
                    f"ranges.{key} = [{lo:g}, {hi:g}] must contain the position "
                    f"{self.positions[key]:g}",
                    loc=loc,
                    fix="write [low, high] with low <= position <= high",
                )
        for key, (lo, hi) in self.salience_ranges.items():
            loc = ("salience_ranges", key)
            if key not in self.salience:
                raise FieldError(
                    f"salience_ranges names issue {key!r}, which has no salience", loc=loc,
                    fix=f"add salience.{key}, or remove salience_ranges.{key}",
                )
            for end in (lo, hi):
                _finite(end, f"salience_ranges.{key}", loc)
                _salience_size(end, f"salience_ranges.{key} end", loc)
            if not (0 <= lo <= self.salience[key] <= hi <= 100):
                raise FieldError(
                    f"salience_ranges.{key} = [{lo:g}, {hi:g}] must lie in 0-100 and contain "
                    f"the salience {self.salience[key]:g}",
                    loc=loc,
                    fix="write [low, high] with 0 <= low <= salience <= high <= 100",
                )
        if self.capability_range is not None:
            lo, hi = self.capability_range
            for end in (lo, hi):
                _finite(end, "capability_range", ("capability_range",))
            if not (0 < lo <= self.capability <= hi and math.isfinite(hi)):
                raise FieldError(
                    f"capability_range [{lo:g}, {hi:g}] must be > 0 and contain the capability "
                    f"{self.capability:g}",
                    loc=("capability_range",),
                    fix="write [low, high] with 0 < low <= capability <= high",
                )
            for end in (lo, hi):
                _capability(end, "capability_range end", ("capability_range",))
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
            raise FieldError("the scenario has no issues", loc=("issues",),
                             fix="add at least one issue under issues:")
        if not self.actors:
            raise FieldError("the scenario has no actors", loc=("actors",),
                             fix="add at least one actor under actors:")
        _unique([i.id for i in self.issues], "issue")
        _unique([a.id for a in self.actors], "actor")
        issues = {i.id: i for i in self.issues}
        for n, a in enumerate(self.actors):
            for field in ("positions", "salience", "ranges", "salience_ranges"):
                for key in getattr(a, field):
                    if key not in issues:
                        raise FieldError(
                            f"actor {a.id!r} names unknown issue {key!r}",
                            loc=("actors", n, field, key),
                            fix=f"use one of the issue ids ({', '.join(issues)}), "
                            "or add the issue under issues:",
                        )
            for key, x in a.positions.items():
                lo, hi = issues[key].scale
                if not lo <= x <= hi:
                    raise FieldError(
                        f"position {x:g} lies outside the issue's scale [{lo:g}, {hi:g}]",
                        loc=("actors", n, "positions", key),
                        fix=f"give a position within [{lo:g}, {hi:g}], or set the issue's "
                        "scale: [min, max]",
                    )
            for key, (rlo, rhi) in a.ranges.items():
                lo, hi = issues[key].scale
                if not lo <= rlo <= rhi <= hi:
                    raise FieldError(
                        f"range [{rlo:g}, {rhi:g}] must lie within the scale [{lo:g}, {hi:g}]",
                        loc=("actors", n, "ranges", key),
                        fix=f"keep both ends within [{lo:g}, {hi:g}]",
                    )
        for k, issue in enumerate(self.issues):
            if not any(issue.id in a.positions for a in self.actors):
                raise FieldError(
                    f"issue {issue.id!r} has no actor with a position on it",
                    loc=("issues", k),
                    fix="give at least one actor a position and salience on it, or remove it",
                )
            if all(a.salience.get(issue.id, 0.0) == 0 for a in self.actors):
                raise FieldError(
                    f"every actor's salience on issue {issue.id!r} is 0, so no one's weight "
                    "can be computed (the weights would divide by zero)",
                    loc=("issues", k),
                    fix="give at least one actor a salience above 0 on it, or remove the issue",
                )
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
    seen: dict[str, int] = {}
    for k, x in enumerate(ids):
        if x in seen:
            raise FieldError(
                f"duplicate {what} id {x!r} (also {what}s[{seen[x]}])",
                loc=(f"{what}s", k, "id"),
                fix=f"give every {what} its own id",
            )
        seen[x] = k
