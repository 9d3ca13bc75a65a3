"""The durability model that ships with accord, and how it was made.

It is a derived artifact (coefficients, baseline hazard, bootstrap refits), never the raw
data: ``accord durability fit`` with its defaults (seed 0, 200 cluster-bootstrap refits) on
the ETH/PRIO Civil Conflict Ceasefire data declared 1989-2014 (Clayton et al. 2022), plus
provenance. Rebuild it with::

    python -m accord.durability._bundled ../shared/data/ceasefires/ceasefires_1989_2014.csv

``tests/durability/test_bundled_model.py`` refits it from the shared data and checks it.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from accord.files import sha256_file

if TYPE_CHECKING:
    from accord.durability._models import DurabilityModel

#: The shipped model file (package data).
BUNDLED_MODEL = Path(__file__).parent / "models" / "eth-prio-1989-2014.json"
#: Said wherever the bundled model's predictions are shown.
FITTED_ON = "fitted on civil-conflict ceasefires 1989-2014 (ETH/PRIO ceasefire data)"
DATASET = {
    "name": "ETH/PRIO Civil Conflict Ceasefire dataset, ceasefires declared 1989-2014",
    "citation": "Clayton, G., Nygård, H. M., Strand, H., Rustad, S. A. et al. (2022). "
    "Introducing the ETH/PRIO Civil Conflict Ceasefire Dataset. Journal of Conflict "
    "Resolution.",
    "doi": "10.1177/00220027221129195",
    "file": "ceasefires_1989_2014.csv",
}
SEED = 0
N_BOOT = 200


def describe(model: DurabilityModel) -> str:
    """One phrase saying what a model was fitted on, for every output that uses it."""
    info = model.info
    if info.get("fitted_on"):
        return str(info["fitted_on"])
    years = info.get("years") or []
    span = f" {years[0]}-{years[1]}" if len(years) == 2 else ""
    src = f" from {info['data']}" if info.get("data") else ""
    return f"fitted on {info.get('n', '?')} ceasefires{span}{src}"


def fit_bundled(data: str | Path) -> DurabilityModel:
    """Fit the bundled model from the 1989-2014 ceasefire file, with its provenance."""
    import numpy as np

    from accord.durability._load import read_ceasefires
    from accord.durability._models import fit_durability

    table = read_ceasefires(data, unclear_end="breakdown").table
    model = fit_durability(table, rng=np.random.default_rng(SEED), n_boot=N_BOOT)
    best = next(
        r for r in model.selection
        if r["feature_set"] == model.feature_set and r["penalizer"] == model.penalizer
    )
    model.info.update(
        {
            "data": Path(data).name,
            "unclear_end": "breakdown",
            "seed": SEED,
            "fitted_on": f"fitted on {model.info['n']:,} {FITTED_ON.removeprefix('fitted on ')}",
            "provenance": {
                "dataset": DATASET,
                "sha256": sha256_file(data),
                "features": list(model.features),
                "feature_set": model.feature_set,
                "penalizer": model.penalizer,
                "fit_date": dt.date.today().isoformat(),
                "command": f"accord durability fit {DATASET['file']} -o MODEL.json "
                f"--seed {SEED} --bootstrap {N_BOOT}",
                "cv": {
                    "grouped_c_index": best["grouped_c"],
                    "grouped_ibs": best["grouped_ibs"],
                    "time_c_index": best["time_c"],
                    "time_ibs": best["time_ibs"],
                    "note": "grouped: 5 folds keeping each conflict together; time: 3 "
                    "forward-in-time folds; within 1989-2014 only",
                },
            },
        }
    )
    return model


def load_bundled() -> DurabilityModel:
    """The shipped model."""
    from accord.durability._models import load_model

    return load_model(BUNDLED_MODEL)


def load_or_bundled(path: str | Path | None) -> DurabilityModel:
    """A user's model file when given, else the shipped one."""
    from accord.durability._models import load_model

    return load_model(BUNDLED_MODEL if path is None else path)


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - a maintainer's tool
    """Refit the bundled model from the shared data and write it in place."""
    from accord.durability._models import save_model

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit("usage: python -m accord.durability._bundled ceasefires_1989_2014.csv")
    model = fit_bundled(args[0])
    BUNDLED_MODEL.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, BUNDLED_MODEL)
    cv = model.info["provenance"]["cv"]
    print(
        f"wrote {BUNDLED_MODEL}: {model.info['n']} ceasefires, {model.feature_set}, ridge "
        f"{model.penalizer:g}, CV C-index grouped {cv['grouped_c_index']:.3f} / time "
        f"{cv['time_c_index']:.3f}"
    )


if __name__ == "__main__":  # pragma: no cover
    main()
