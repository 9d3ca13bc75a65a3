"""The shipped durability model: what it says about itself, and that it is what
``accord durability fit`` makes from the shared 1989-2014 ceasefire file."""

from __future__ import annotations

import json

import numpy as np

from accord.durability import BUNDLED_MODEL, load_bundled, load_model, save_model
from accord.durability._bundled import fit_bundled, sha256_file
from tests.conftest import shared_file


def test_bundled_model_carries_its_provenance():
    doc = json.loads(BUNDLED_MODEL.read_text())
    prov = doc["info"]["provenance"]
    assert prov["dataset"]["doi"] == "10.1177/00220027221129195"
    assert len(prov["sha256"]) == 64
    assert prov["features"] == doc["features"]
    assert prov["fit_date"][:2] == "20"
    assert 0.6 < prov["cv"]["grouped_c_index"] < 1 and 0.6 < prov["cv"]["time_c_index"] < 1
    assert "civil-conflict ceasefires 1989-2014" in doc["info"]["fitted_on"]
    assert doc["info"]["years"] == [1989, 2014]
    assert len(doc["bootstrap"]) == doc["info"]["n_boot"] > 100


def test_bundled_model_is_the_fit_of_the_shared_data(tmp_path):
    data = shared_file("ceasefires/ceasefires_1989_2014.csv")
    shipped = load_bundled()
    assert shipped.info["provenance"]["sha256"] == sha256_file(data)
    out = tmp_path / "refit.json"
    save_model(fit_bundled(data), out)  # rounded on write exactly as the shipped file was
    refit = json.loads(out.read_text())
    doc = json.loads(BUNDLED_MODEL.read_text())
    assert refit["features"] == doc["features"] and refit["penalizer"] == doc["penalizer"]
    for key in ("coef", "mean", "h0", "se", "p"):
        np.testing.assert_allclose(refit["cox"][key], doc["cox"][key], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(refit["km"]["surv"], doc["km"]["surv"], rtol=1e-6, atol=1e-6)
    assert len(refit["bootstrap"]) == len(doc["bootstrap"])
    for a, b in zip(load_model(out).boot, shipped.boot, strict=True):
        for key in ("coef", "mean", "h0"):
            np.testing.assert_allclose(getattr(a, key), getattr(b, key), rtol=1e-6, atol=1e-6)
    assert refit["info"]["provenance"]["cv"] == doc["info"]["provenance"]["cv"]
