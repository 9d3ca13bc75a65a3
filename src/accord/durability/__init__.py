"""Ceasefire durability: survival models fitted on the ETH/PRIO Civil Conflict Ceasefire data.

See docs/durability.md for the data decisions (``ended`` codes, censoring of planned ends,
partial dates) and the model file format.
"""

from accord.durability._evaluate import (
    HORIZONS,
    calibration_table,
    evaluate_model,
    evaluate_split,
    km_by_feature,
    predict_ceasefire,
    predict_items,
)
from accord.durability._features import CANDIDATE_SETS, DEFAULTS, features_from_mapping
from accord.durability._load import ENDED_CODES, CeasefireData, read_ceasefires
from accord.durability._models import DurabilityModel, fit_durability, load_model, save_model
from accord.durability._plots import calibration_figure, survival_curve_figure
from accord.durability._scenario import ceasefire_items, read_ceasefire_block

__all__ = [
    "CANDIDATE_SETS",
    "DEFAULTS",
    "ENDED_CODES",
    "HORIZONS",
    "CeasefireData",
    "DurabilityModel",
    "calibration_figure",
    "calibration_table",
    "ceasefire_items",
    "evaluate_model",
    "evaluate_split",
    "features_from_mapping",
    "fit_durability",
    "km_by_feature",
    "load_model",
    "predict_ceasefire",
    "predict_items",
    "read_ceasefire_block",
    "read_ceasefires",
    "save_model",
    "survival_curve_figure",
]
