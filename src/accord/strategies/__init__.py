"""Strategy simulator: concessions, reciprocity, reneging, mediators and shifting power.

Strategies are small classes (:class:`Strategy`), discovered from this package
(:func:`all_strategies`); :func:`simulate` runs a round-based negotiation over any scenario,
batched over Monte Carlo draws; :func:`run_experiment` tests claims as comparisons of two
variants of a scenario. Closed forms of the underlying models are in ``_theory``.
"""

from accord.strategies._base import (
    CLASSIFIER_KEYS,
    ActorView,
    Strategy,
    all_strategies,
    concede,
    filtered_strategies,
    keep_acceptable,
    make_strategy,
    weighted_utility,
)
from accord.strategies._faith import BadFaith
from accord.strategies._persuadable import Persuadable
from accord.strategies._reciprocity import (
    GenerousTitForTat,
    Hardline,
    TitForTat,
    UnconditionalConcession,
)
from accord.strategies._simulator import (
    SimConfig,
    SimulationResult,
    deep_merge,
    hazard_from_survival,
    parse_config,
    sample_draws,
    simulate,
)
from accord.strategies._transactional import Transactional

__all__ = [
    "CLASSIFIER_KEYS",
    "ActorView",
    "BadFaith",
    "GenerousTitForTat",
    "Hardline",
    "Persuadable",
    "SimConfig",
    "SimulationResult",
    "Strategy",
    "TitForTat",
    "Transactional",
    "UnconditionalConcession",
    "all_strategies",
    "concede",
    "deep_merge",
    "filtered_strategies",
    "hazard_from_survival",
    "keep_acceptable",
    "make_strategy",
    "parse_config",
    "sample_draws",
    "simulate",
    "weighted_utility",
]
