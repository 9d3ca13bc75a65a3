"""Lazy package attributes, so that ``import accord`` and ``accord --help`` stay cheap.

A package's ``__init__`` names what it exports and where each name lives; the submodule (and
numpy, pandas, numba behind it) is imported on first use of the name, then cached on the
package. Same public names as eager imports, without their start-up cost.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def attach(
    package: str, where: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``(__getattr__, __dir__, __all__)`` for ``package``.

    ``where`` maps each exported name to ``"module"`` or ``"module:attr"`` (``attr`` when the
    name differs there); a module starting with ``.`` is relative to ``package``.
    """

    def __getattr__(name: str) -> Any:  # noqa: N807 - the module hook's own name
        spec = where.get(name)
        if spec is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        mod_name, _, attr = spec.partition(":")
        value = getattr(importlib.import_module(mod_name, package), attr or name)
        setattr(sys.modules[package], name, value)  # cached: the hook runs once per name
        return value

    def __dir__() -> list[str]:  # noqa: N807
        return sorted(set(where) | set(vars(sys.modules[package])))

    return __getattr__, __dir__, sorted(where)
