"""Backtests of the models on real decisions (DEU: Decision-making in the European Union)."""

from accord._lazy import attach

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "CAPABILITIES": "._capability",
        "capability_matrix": "._capability",
        "DeuData": "._deu",
        "MIN_ACTORS": "._deu",
        "group_draws": "._deu",
        "issue_scenario": "._deu",
        "load_deu": "._deu",
        "parse_deu": "._deu",
        "COVERAGE_LEVELS": "._calibrate",
        "GridData": "._calibrate",
        "choose_and_fit": "._calibrate",
        "distribution_scores": "._calibrate",
        "grid_data": "._calibrate",
        "FAMILIES": "._distributional:NESTED_FAMILIES",
        "Features": "._fitted",
        "cross_val_predict": "._fitted",
        "group_folds": "._fitted",
        "BASELINES": "._harness",
        "BacktestResult": "._harness",
        "FITTED": "._harness",
        "backtest": "._harness",
        "run_registry_model": "._harness",
        "cluster_counts": "._metrics",
        "interval": "._metrics",
        "score_table": "._metrics",
    },
)
