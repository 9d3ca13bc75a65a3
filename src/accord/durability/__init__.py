"""Ceasefire durability: survival models fitted on the ETH/PRIO Civil Conflict Ceasefire data.

See docs/durability.md for the data decisions (``ended`` codes, censoring of planned ends,
partial dates) and the model file format.
"""

from accord._lazy import attach

__getattr__, __dir__, __all__ = attach(
    __name__,
    {
        "BUNDLED_MODEL": "._bundled",
        "FITTED_ON": "._bundled",
        "describe_model": "._bundled:describe",
        "load_bundled": "._bundled",
        "load_or_bundled": "._bundled",
        "HORIZONS": "._evaluate",
        "calibration_table": "._evaluate",
        "evaluate_model": "._evaluate",
        "evaluate_split": "._evaluate",
        "km_by_feature": "._evaluate",
        "predict_ceasefire": "._evaluate",
        "predict_items": "._evaluate",
        "CANDIDATE_SETS": "._features",
        "DEFAULTS": "._features",
        "features_from_mapping": "._features",
        "CeasefireData": "._load",
        "ENDED_CODES": "._load",
        "read_ceasefires": "._load",
        "DurabilityModel": "._models",
        "fit_durability": "._models",
        "load_model": "._models",
        "save_model": "._models",
        "calibration_figure": "._plots",
        "survival_curve_figure": "._plots",
        "ceasefire_items": "._scenario",
        "read_ceasefire_block": "._scenario",
    },
)
