"""Shipped files (examples, experiments, docs) are found and copied, and `accord examples`
lists and writes them."""

from __future__ import annotations

import json

import pytest

from accord import resources
from accord.errors import InputError


def test_shipped_files_are_found():
    found = resources.files()
    assert "examples/ukraine-ceasefire-2025.yaml" in found
    assert "experiments/seed-claims.yaml" in found
    assert resources.path("docs/strategies.md") is not None
    assert resources.path("docs/models.md") is not None
    assert resources.path("examples/../pyproject.toml") is None  # no way out of the folder
    assert resources.path("nowhere/x.md") is None


def test_copy_to_refuses_to_overwrite(tmp_path):
    written = resources.copy_to(tmp_path)
    assert tmp_path / "examples" / "eu-emissions-1994.yaml" in written
    with pytest.raises(InputError, match="--force"):
        resources.copy_to(tmp_path)
    assert resources.copy_to(tmp_path, force=True) == written


def test_examples_cli_lists_and_copies(run_cli, tmp_path):
    code, out, _ = run_cli("examples", "--json")
    assert code == 0
    files = {r["file"]: r for r in json.loads(out)["files"]}
    assert files["examples/eu-emissions-1994.yaml"]["name"] == "EU car emission standards (1994)"
    code, out, _ = run_cli("examples")
    assert code == 0 and "seed-claims" in out
    code, out, err = run_cli("examples", "copy", tmp_path / "mine", "--docs")
    assert code == 0 and "copied" in err
    assert (tmp_path / "mine" / "docs" / "strategies.md").is_file()
    code, _, err = run_cli("examples", "copy", tmp_path / "mine")
    assert code == 2 and "--force" in err
    # a copied experiment still finds its scenario (paths are kept)
    code, _, err = run_cli("validate", tmp_path / "mine" / "examples" / "ukraine-ceasefire-2025.yaml")
    assert code == 0, err
