"""Write a scenario as YAML, and the commented template ``accord new`` starts from."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

import yaml

from accord.scenario._schema import Scenario


def _tidy(obj: Any) -> Any:
    """Whole floats as ints (keys too: scale anchors), tuples as lists: readable YAML."""
    if isinstance(obj, Mapping):
        return {
            (int(k) if isinstance(k, float) and k.is_integer() else k): _tidy(v)
            for k, v in obj.items()
        }
    if isinstance(obj, list | tuple):
        return [_tidy(v) for v in obj]
    if isinstance(obj, float) and math.isfinite(obj) and obj.is_integer():
        return int(obj)
    return obj


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as a YAML file that loads back to the same scenario (comments are lost)."""
    data = _tidy(scenario.model_dump(mode="python", exclude_defaults=True))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)


def slug(text: str, default: str = "scenario") -> str:
    """``"Gaza ceasefire, 2025"`` -> ``"gaza-ceasefire-2025"`` (an id or a file name)."""
    return re.sub(r"[^a-z0-9_]+", "-", text.strip().lower()).strip("-")[:60] or default


_TEMPLATE = """\
# A scenario for accord: fill in the issues and the actors, then run
#   accord validate {file}
#   accord forecast {file} --model all
# Every key is explained in docs/scenario-format.md. Lines starting with # are comments.

name: {name}
description: >-
  What is being negotiated, by whom, and as of which date.

issues:
  # One entry per question the talks must settle, each on a scale (default 0-100).
  # Keep one direction for every issue if you can (e.g. 0 = side A's ideal, 100 = side B's).
  - id: issue-1                    # short id: lower-case letters, digits, '-' or '_'
    label: The first question on the table
    scale: [0, 100]                # [min, max]
    status_quo: 50                 # what holds if there is no agreement (optional)
    anchors:                       # optional: what points of the scale mean
      0: "side A's ideal outcome"
      100: "side B's ideal outcome"

actors:
  # One entry per party with a say. capability: its weight (> 0, any unit, only ratios
  # matter); per issue a position on the scale and a salience 0-100 (how much it cares).
  # Leave an issue out of positions and salience if the actor takes no part in it.
  - id: side-a
    name: Side A
    capability: 1
    positions: {{issue-1: 0}}
    salience: {{issue-1: 80}}
    # ranges: {{issue-1: [0, 10]}}   # optional: uncertainty of the position, for Monte Carlo
    sources: []                    # where the numbers come from (URLs or references)
  - id: side-b
    name: Side B
    capability: 1
    positions: {{issue-1: 100}}
    salience: {{issue-1: 80}}
    sources: []
"""


def template_yaml(name: str, file: str) -> str:
    """The commented template with two actors and one issue (valid as it stands)."""
    # a JSON string is a YAML double-quoted scalar: any name, quoted safely
    return _TEMPLATE.format(name=json.dumps(name, ensure_ascii=False), file=file)
