"""The wheel is complete: built offline from this tree, installed into a fresh venv outside
the repository, it runs from an empty folder with only what it carries (examples, the seed
experiments, docs, the bundled durability model).

Offline: the wheel is built with ``--no-isolation`` (setuptools and wheel come from the dev
extra), installed with ``--no-deps --no-index``, and the fresh venv reaches the third-party
packages through a ``.pth`` line naming this venv's site-packages (accord itself comes from
the wheel: the fresh venv's own site-packages is searched first).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_SKIP = shutil.ignore_patterns(
    ".venv", "build", "dist", "*.egg-info", "__pycache__", ".git", ".pytest_cache",
    ".ruff_cache", ".hypothesis", "*.duckdb*", "accord-report*.html", "out", "_bundled",
)


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert res.returncode == 0, f"{cmd} -> {res.returncode}\n{res.stdout}\n{res.stderr}"
    return res.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    pytest.importorskip("build")
    pytest.importorskip("setuptools")
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src-copy"  # build from a copy: nothing is written into the checkout
    shutil.copytree(ROOT, src, ignore=_SKIP)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    dist = base / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
         src, env)
    (whl,) = dist.glob("accord-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], base, env)
    py = venv / "bin" / "python"
    _run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", str(whl)], base, env)
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     base, env).strip())
    (site / "zz_accord_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = base / "empty"
    work.mkdir()
    env.update(XDG_DATA_HOME=str(base / "data"), HOME=str(base / "home"))
    env.pop("ACCORD_STORE", None)
    return {"wheel": whl, "venv": venv, "py": py, "accord": venv / "bin" / "accord",
            "site": site, "work": work, "env": env}


@pytest.mark.slow
def test_wheel_carries_the_bundled_files(installed):
    import zipfile

    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for need in ("accord/durability/models/eth-prio-1989-2014.json",
                 "accord/_bundled/examples/ukraine-ceasefire-2025.yaml",
                 "accord/_bundled/examples/eu-emissions-1994.yaml",
                 "accord/_bundled/experiments/seed-claims.yaml",
                 "accord/_bundled/docs/strategies.md",
                 "accord/_bundled/docs/models.md",
                 "accord/py.typed"):
        assert need in names, need
    assert not any(n.startswith("tests/") for n in names)


@pytest.mark.slow
def test_installed_wheel_runs_from_an_empty_folder(installed):
    acc, work, env = str(installed["accord"]), installed["work"], installed["env"]
    where = _run([str(installed["py"]), "-c", "import accord; print(accord.__file__)"], work, env)
    assert Path(where.strip()).is_relative_to(installed["site"])  # the wheel, not the checkout
    assert _run([acc, "--version"], work, env).startswith("accord ")
    listing = json.loads(_run([acc, "examples", "--json"], work, env))
    paths = {r["file"]: Path(r["path"]) for r in listing["files"]}
    flagship = paths["examples/ukraine-ceasefire-2025.yaml"]
    assert flagship.is_relative_to(installed["site"])
    doc = json.loads(_run([acc, "forecast", str(paths["examples/eu-emissions-1994.yaml"]),
                           "-m", "median", "-m", "compromise", "--json"], work, env))
    assert {r["model"] for r in doc["results"]} == {"median", "compromise"}
    pred = json.loads(_run([acc, "durability", "predict", str(flagship), "--json"], work, env))
    assert pred["model"] == "bundled" and "1989-2014" in pred["fitted_on"]
    assert len(pred["predictions"]) >= 2
    _run([acc, "examples", "copy", "mine"], work, env)
    assert (work / "mine" / "experiments" / "seed-claims.yaml").is_file()
    # the run store went to the user's data folder, not into the folder
    assert (Path(env["XDG_DATA_HOME"]) / "accord" / "runs.duckdb").is_file()
    assert sorted(p.name for p in work.iterdir()) == ["mine"]


@pytest.mark.slow
def test_installed_app_smoke_test_from_an_empty_folder(installed):
    pytest.importorskip("streamlit")
    code = textwrap.dedent("""
        from streamlit.testing.v1 import AppTest
        from accord.app import streamlit_script, _logic as L, _strategy_logic as SL
        names = list(L.bundled_scenarios())
        assert "ukraine-ceasefire-2025" in names and "eu-emissions-1994" in names, names
        assert SL.docs_path() is not None and SL.seed_claims_path() is not None
        at = AppTest.from_file(str(streamlit_script()), default_timeout=300)
        at.session_state["models"] = ["compromise", "median"]
        at.run()
        assert not at.exception, at.exception
        assert at.selectbox(key="bundled").value == "ukraine-ceasefire-2025"
        assert "ukraine-ceasefire-2025" in at.selectbox(key="bundled").options
        at.radio(key="view").set_value("Strategies: what if?").run()
        assert not at.exception, at.exception
        docs = [e for e in at.expander if "docs/strategies.md" in e.label]
        assert docs and any("Settings" in m.value for m in docs[0].markdown)
        print("app ok")
    """)
    out = _run([str(installed["py"]), "-c", code], installed["work"], installed["env"])
    assert "app ok" in out
