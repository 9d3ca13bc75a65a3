"""Name -> model class. Models register themselves with :func:`register`."""

from __future__ import annotations

from typing import Any

from accord.models._base import Model

REGISTRY: dict[str, type[Model]] = {}


def register(cls: type[Model]) -> type[Model]:
    """Class decorator adding a model to the registry under ``cls.name``."""
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"model name {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls
    return cls


def available_models() -> list[str]:
    """Names of the registered models, in registration order (``accord forecast -m NAME``)."""
    return list(REGISTRY)


def get_model(name: str, **params: Any) -> Model:
    """Instantiate a registered model; unknown names or parameters raise ``ValueError``."""
    try:
        cls = REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"unknown model {name!r}; available: {', '.join(REGISTRY)} (or 'all')"
        ) from None
    model = cls()
    model.set_params(**params)
    return model
