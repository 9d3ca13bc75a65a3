"""Why each model lands where it does: explanations, pivotal actors and convergence notes.

Pure functions over a :class:`~accord.models.ModelResult` and the scenario's arrays; the CLI
(``accord explain``), the report and the app only format what they return.
"""

from accord._lazy import attach

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "explain": "._explain",
        "EXPLAINERS": "._facts",
        "explain_issue": "._facts",
        "pivotal_actors": "._pivotal",
        "PIVOTAL_METHOD": "._pivotal:METHOD",
        "settling_mark": "._settling",
        "settling_parts": "._settling",
        "settling_note": "._settling",
        "settling_notes": "._settling",
    },
)
