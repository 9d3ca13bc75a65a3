"""Strategy simulator: concessions, reciprocity, reneging, mediators and shifting power.

Strategies are small classes (:class:`Strategy`), discovered from this package
(:func:`all_strategies`); :func:`simulate` runs a round-based negotiation over any scenario,
batched over Monte Carlo draws; :func:`run_experiment` tests claims as comparisons of two
variants of a scenario. Closed forms of the underlying models are in ``_theory``.
"""

from accord._lazy import attach

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "ActorView": "._base",
        "CLASSIFIER_KEYS": "._base",
        "Strategy": "._base",
        "all_strategies": "._base",
        "concede": "._base",
        "filtered_strategies": "._base",
        "keep_acceptable": "._base",
        "make_strategy": "._base",
        "weighted_utility": "._base",
        "BadFaith": "._faith",
        "Persuadable": "._persuadable",
        "GenerousTitForTat": "._reciprocity",
        "Hardline": "._reciprocity",
        "TitForTat": "._reciprocity",
        "UnconditionalConcession": "._reciprocity",
        "SimConfig": "._simulator",
        "SimulationResult": "._simulator",
        "deep_merge": "._simulator",
        "hazard_from_survival": "._simulator",
        "parse_config": "._simulator",
        "sample_draws": "._simulator",
        "simulate": "._simulator",
        "Transactional": "._transactional",
        "ArmRun": "._experiment",
        "Metric": "._experiment",
        "bench_simulator": "._experiment",
        "check_blocks": "._check",
        "load_experiment": "._experiment",
        "paired_bootstrap": "._experiment",
        "run_arm": "._experiment:_run_arm",
        "scenario_path": "._experiment",
    },
)
