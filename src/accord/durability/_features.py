"""Design features: from the ceasefire table, and from a described ceasefire (scenario block).

A described ceasefire is a mapping such as::

    written: false
    mediated: true
    implementation_mechanism: false
    enforcement: false
    ddr: false
    fixed_term_days: 30          # null or absent: open-ended
    partial: true
    declared_by: bilateral       # bilateral | multilateral | government | rebels
    purpose: [humanitarian]      # any of humanitarian, peace_process, holiday, election, other
    class: cessation             # cessation | compliance | definitive
    renewal: false               # extends or renews an earlier ceasefire
    prior_ceasefires_365d: 0     # ceasefires in the same conflict in the year before

Keys left out take the value shown in ``DEFAULTS`` and are listed as assumed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from accord.errors import InputError

__all__ = [
    "CANDIDATE_SETS",
    "DEFAULTS",
    "DESCRIPTIONS",
    "design_matrix",
    "features_from_mapping",
]

#: Model columns and what they mean (for tables and docs).
DESCRIPTIONS: dict[str, str] = {
    "written": "written agreement",
    "mediated": "third-party mediator in the negotiation",
    "implement": "implementation mechanism agreed (monitoring, verification, commission)",
    "enforcement": "external or international enforcement",
    "ddr": "disarmament, demobilisation and reintegration provisions",
    "fixed": "fixed term",
    "partial": "partial (limited in area, weapons or targets)",
    "unilateral": "unilateral declaration",
    "multilateral": "multilateral (three or more parties)",
    "gov_declared": "unilateral, declared by the government",
    "p_humanitarian": "purpose: humanitarian",
    "p_peaceprocess": "purpose: peace process",
    "p_holiday": "purpose: holiday",
    "p_election": "purpose: election",
    "class_compliance": "class: cessation with compliance terms",
    "class_definitive": "class: definitive",
    "renewal": "renews or extends an earlier ceasefire",
    "log_prior": "log(1 + ceasefires in the same conflict in the year before)",
    "log_fixed": "log(1 + fixed term in days)",
}

DESIGN = [
    "written",
    "mediated",
    "implement",
    "enforcement",
    "ddr",
    "fixed",
    "partial",
    "unilateral",
    "multilateral",
    "gov_declared",
    "p_humanitarian",
    "p_peaceprocess",
    "p_holiday",
    "p_election",
    "class_compliance",
    "class_definitive",
]
#: Feature sets the fit chooses between by cross-validation within the training period.
CANDIDATE_SETS: dict[str, list[str]] = {
    "design": DESIGN,
    "design+history": DESIGN + ["renewal", "log_prior", "log_fixed"],
}

DEFAULTS: dict[str, Any] = {
    "written": False,
    "mediated": False,
    "implementation_mechanism": False,
    "enforcement": False,
    "ddr": False,
    "fixed_term_days": None,
    "partial": False,
    "declared_by": "bilateral",
    "purpose": ["peace_process"],
    "class": "cessation",
    "renewal": False,
    "prior_ceasefires_365d": 0,
}
_ALIASES = {"implement": "implementation_mechanism", "fixed_term": "fixed_term_days"}
_META = {"id", "label", "sources", "notes", "description", "date", "meta"}
_PURPOSES = {
    "humanitarian": "p_humanitarian",
    "peace_process": "p_peaceprocess",
    "holiday": "p_holiday",
    "election": "p_election",
    "other": None,
}
_DECLARED = ("bilateral", "multilateral", "government", "rebels")
_CLASSES = ("cessation", "compliance", "definitive")


def design_matrix(table: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """Model columns from the ceasefire table (adds the derived log columns)."""
    x = table.copy()
    x["log_fixed"] = np.log1p(x["fixed_days"].fillna(0.0).where(x["fixed"] == 1, 0.0))
    x["log_prior"] = np.log1p(x["prior_365"].astype(float))
    return x[features].astype(float)


def _bool(value: Any, key: str, path: str | None) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    raise InputError(
        f"{key} must be true or false, not {value!r}",
        path=path,
        field=f"ceasefire.{key}",
        fix=f"write {key}: true or {key}: false",
    )


def features_from_mapping(
    spec: dict[str, Any], *, path: str | None = None, where: str = "ceasefire"
) -> tuple[dict[str, float], list[str], dict[str, Any]]:
    """Turn a described ceasefire into model columns.

    Returns
    -------
    columns : dict
        Value of every model column (all candidate columns).
    assumed : list[str]
        Input keys that were absent and took their default.
    resolved : dict
        The input keys with defaults filled in (what the prediction is about).
    """
    if not isinstance(spec, dict):
        raise InputError(
            f"{where} must be a mapping of design features, not {type(spec).__name__}",
            path=path,
            field=where,
            fix="see docs/durability.md for the keys",
        )
    spec = {(_ALIASES.get(k, k)): v for k, v in spec.items()}
    unknown = [k for k in spec if k not in DEFAULTS and k not in _META]
    if unknown:
        raise InputError(
            f"unknown key(s) {', '.join(map(repr, unknown))}",
            path=path,
            field=where,
            fix=f"use only {', '.join(DEFAULTS)} (plus id, label, sources, notes)",
        )
    assumed = [k for k in DEFAULTS if k not in spec]
    res = {k: spec.get(k, v) for k, v in DEFAULTS.items()}
    col: dict[str, float] = {}
    for key, name in (
        ("written", "written"),
        ("mediated", "mediated"),
        ("implementation_mechanism", "implement"),
        ("enforcement", "enforcement"),
        ("ddr", "ddr"),
        ("partial", "partial"),
        ("renewal", "renewal"),
    ):
        col[name] = float(_bool(res[key], f"{where}.{key}" if where != "ceasefire" else key, path))
    days = res["fixed_term_days"]
    if days is None or days is False:
        col["fixed"], col["log_fixed"] = 0.0, 0.0
    else:
        if (
            isinstance(days, bool)
            or not isinstance(days, int | float)
            or not (math.isfinite(days) and days > 0)
        ):
            raise InputError(
                f"fixed_term_days must be a positive number of days or null, not {days!r}",
                path=path,
                field=f"{where}.fixed_term_days",
            )
        col["fixed"], col["log_fixed"] = 1.0, float(np.log1p(days))
    who = res["declared_by"]
    if who not in _DECLARED:
        raise InputError(
            f"declared_by must be one of {', '.join(_DECLARED)}, not {who!r}",
            path=path,
            field=f"{where}.declared_by",
        )
    col["unilateral"] = float(who in ("government", "rebels"))
    col["multilateral"] = float(who == "multilateral")
    col["gov_declared"] = float(who == "government")
    purposes = res["purpose"]
    if isinstance(purposes, str):
        purposes = [purposes]
    if not isinstance(purposes, list) or any(p not in _PURPOSES for p in purposes):
        raise InputError(
            f"purpose must be a list drawn from {', '.join(_PURPOSES)}, not {purposes!r}",
            path=path,
            field=f"{where}.purpose",
        )
    for p, name in _PURPOSES.items():
        if name:
            col[name] = float(p in purposes)
    cls = res["class"]
    if cls not in _CLASSES:
        raise InputError(
            f"class must be one of {', '.join(_CLASSES)}, not {cls!r}",
            path=path,
            field=f"{where}.class",
        )
    col["class_compliance"] = float(cls == "compliance")
    col["class_definitive"] = float(cls == "definitive")
    prior = res["prior_ceasefires_365d"]
    if isinstance(prior, bool) or not isinstance(prior, int) or prior < 0:
        raise InputError(
            f"prior_ceasefires_365d must be a whole number >= 0, not {prior!r}",
            path=path,
            field=f"{where}.prior_ceasefires_365d",
        )
    col["log_prior"] = float(np.log1p(prior))
    return col, assumed, res
