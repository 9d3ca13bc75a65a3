"""Why each model lands where it does: explanations, pivotal actors and convergence notes.

Pure functions over a :class:`~accord.models.ModelResult` and the scenario's arrays; the CLI
(``accord explain``), the report and the app only format what they return.
"""

from accord.explain._explain import explain
from accord.explain._facts import EXPLAINERS, explain_issue
from accord.explain._pivotal import METHOD as PIVOTAL_METHOD
from accord.explain._pivotal import pivotal_actors
from accord.explain._settling import settling_mark, settling_note, settling_notes

__all__ = [
    "EXPLAINERS",
    "PIVOTAL_METHOD",
    "explain",
    "explain_issue",
    "pivotal_actors",
    "settling_mark",
    "settling_note",
    "settling_notes",
]
