"""The web app (``accord app``): Streamlit front end over plain, testable functions.

The logic lives in :mod:`accord.app._logic`; ``streamlit_app.py`` only lays out widgets.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["streamlit_script"]


def streamlit_script() -> Path:
    """Path of the Streamlit script that ``accord app`` runs."""
    return Path(__file__).resolve().parent / "streamlit_app.py"
