"""Advice for one side: the moves that raise an actor's expected utility most
(``accord advise``; see :mod:`accord.advise._core` for the definitions)."""

from accord._lazy import attach

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "DEFAULT_MODEL": "._core",
        "KINDS": "._core",
        "Move": "._core",
        "advise": "._core",
        "candidate_moves": "._core",
        "utility": "._core",
        "bench_advise": "._bench",
    },
)
