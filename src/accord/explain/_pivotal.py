"""Pivotal actors: whose position or salience moves a model's forecast most, issue by issue.

A local, finite-difference computation on the scenario as written (one draw), the same for
every registered model because it only calls ``model.run``. For each actor taking part in
issue k, five perturbed copies of the scenario are made, each changing one input of that actor
on that issue and nothing else:

* position up / down by :data:`POSITION_STEP` of the scale's range (10 points on 0-100),
  clipped to the scale (an actor already at the end has no room on that side: change 0);
* salience up / down by :data:`SALIENCE_STEP` (10 points of 0-100), clipped to 0-100;
* salience 0 ("silenced", a leave-one-out that keeps the actor's position in the model).

All copies of all issues run as one batch of draws (so one call per model). The effect of a
change is the forecast of issue k with it minus the forecast without it; an actor's
``influence`` is the largest absolute effect of the five, and actors are ranked by it. Models
whose forecast is piecewise constant (median, EUM) show 0 for small changes that cross no other
actor: the step is finite on purpose, so such changes are caught when they matter.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from accord.models import Model
from accord.scenario import ScenarioDraws

#: Position change, as a share of the issue's scale range.
POSITION_STEP = 0.10
#: Salience change on 0-1 (10 points of the files' 0-100).
SALIENCE_STEP = 0.10
#: The five changes, in the order of the batch.
CHANGES = ("position_up", "position_down", "salience_up", "salience_down", "silenced")
#: Effects smaller than this share of the scale range count as none.
NO_EFFECT = 1e-9

METHOD = (
    f"finite differences on the scenario as written: each actor's position moved by "
    f"{POSITION_STEP:.0%} of the scale up and down, its salience by {SALIENCE_STEP * 100:g} "
    "points up and down, and its salience set to 0 (silenced), one at a time; influence = "
    "the largest absolute change of that issue's forecast"
)


def perturbations(
    base: ScenarioDraws, issues: list[int]
) -> tuple[ScenarioDraws, list[tuple[int, int, str]]]:
    """The batch: draw 0 is ``base`` (one draw), then five draws per (issue, participant).

    Returns the stacked draws and, per perturbed draw, ``(issue index, actor index, change)``.
    """
    pos0, sal0 = base.positions[0], base.salience[0]
    keys: list[tuple[int, int, str]] = []
    pos, sal = [pos0], [sal0]
    for k in issues:
        lo, hi = base.scale[k]
        step = POSITION_STEP * (hi - lo)
        for i in np.flatnonzero(base.mask[:, k]):
            for change in CHANGES:
                p, s = pos0.copy(), sal0.copy()
                if change == "position_up":
                    p[i, k] = min(hi, p[i, k] + step)
                elif change == "position_down":
                    p[i, k] = max(lo, p[i, k] - step)
                elif change == "salience_up":
                    s[i, k] = min(1.0, s[i, k] + SALIENCE_STEP)
                elif change == "salience_down":
                    s[i, k] = max(0.0, s[i, k] - SALIENCE_STEP)
                else:
                    s[i, k] = 0.0
                pos.append(p)
                sal.append(s)
                keys.append((k, int(i), change))
    n = len(pos)
    draws = replace(
        base,
        positions=np.stack(pos),
        salience=np.stack(sal),
        capability=np.broadcast_to(base.capability[:1], (n, base.n_actors)).copy(),
    )
    return draws, keys


def pivotal_actors(
    model: Model, base: ScenarioDraws, issues: list[int] | None = None, *, seed: int = 0
) -> dict[str, list[dict[str, Any]]]:
    """Per issue id, every participant's effects and influence, most influential first.

    Parameters
    ----------
    model : Model
        Any registered model, with its settings.
    base : ScenarioDraws
        The scenario as written (its first draw is used).
    issues : list of int, optional
        Issue indices (default: all).
    """
    base = base.take(slice(0, 1))
    issues = list(range(base.n_issues)) if issues is None else list(issues)
    draws, keys = perturbations(base, issues)
    fc = model.run(draws, rng=np.random.default_rng(seed)).forecast
    out: dict[str, list[dict[str, Any]]] = {}
    eff: dict[tuple[int, int], dict[str, float]] = {}
    for row, (k, i, change) in enumerate(keys, start=1):
        r = float(base.scale[k, 1] - base.scale[k, 0])
        delta = float(fc[row, k] - fc[0, k])
        eff.setdefault((k, i), {})[change] = 0.0 if abs(delta) <= NO_EFFECT * r else delta
    for k in issues:
        rows = []
        for i in np.flatnonzero(base.mask[:, k]):
            e = eff[(k, int(i))]
            rows.append(
                {
                    "actor": base.actor_ids[int(i)],
                    **{c: round(e[c], 6) for c in CHANGES},
                    "influence": round(max(abs(v) for v in e.values()), 6),
                }
            )
        rows.sort(key=lambda d: (-d["influence"], d["actor"]))
        out[base.issue_ids[k]] = rows
    return out
