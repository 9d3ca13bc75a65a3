"""Why each model lands where it does: explanations, pivotal actors and convergence notes.

Pure functions over a :class:`~accord.models.ModelResult` and the scenario's arrays; the CLI
(``accord explain``), the report and the app only format what they return.
"""

from accord.explain._settling import settling_mark, settling_note, settling_notes

__all__ = ["settling_mark", "settling_note", "settling_notes"]
