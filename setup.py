"""Build hook: the wheel carries examples/, experiments/ and docs/ as package data.

They are copied into ``accord/_bundled/`` at build time (not kept twice in the repository);
:mod:`accord.resources` finds them there in an installed wheel, or in the source tree.
Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("examples", "experiments", "docs")


class BuildPyWithBundled(build_py):
    """``build_py`` that also copies the bundled folders into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the source tree
            return
        target = Path(self.build_lib) / "accord" / "_bundled"
        for name in BUNDLED:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(
                    src, target / name, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"),
                )


setup(cmdclass={"build_py": BuildPyWithBundled})
