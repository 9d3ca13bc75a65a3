"""Advice for one side: the moves that raise an actor's expected utility most
(``accord advise``; see :mod:`accord.advise._core` for the definitions)."""

from accord.advise._core import DEFAULT_MODEL, KINDS, Move, advise, candidate_moves, utility

__all__ = ["DEFAULT_MODEL", "KINDS", "Move", "advise", "candidate_moves", "utility"]
