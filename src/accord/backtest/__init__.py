"""Backtests of the models on real decisions (DEU: Decision-making in the European Union)."""

from accord.backtest._capability import CAPABILITIES, capability_matrix
from accord.backtest._deu import (
    MIN_ACTORS,
    DeuData,
    group_draws,
    issue_scenario,
    load_deu,
    parse_deu,
)
from accord.backtest._distributional import NESTED_FAMILIES as FAMILIES
from accord.backtest._fitted import Features, cross_val_predict, group_folds
from accord.backtest._harness import BASELINES, FITTED, BacktestResult, backtest
from accord.backtest._metrics import cluster_counts, score_table

__all__ = [
    "BASELINES",
    "CAPABILITIES",
    "FAMILIES",
    "FITTED",
    "MIN_ACTORS",
    "BacktestResult",
    "DeuData",
    "Features",
    "backtest",
    "capability_matrix",
    "cluster_counts",
    "cross_val_predict",
    "group_draws",
    "group_folds",
    "issue_scenario",
    "load_deu",
    "parse_deu",
    "score_table",
]
