"""`accord --help` and `--version` stay fast: importing the CLI loads no numerical stack.

(Timings are measured by benchmarks/cli_startup.py, not here: this checks the cause.)"""

from __future__ import annotations

import subprocess
import sys

#: (pydantic is not listed: this Typer converts parameters with pydantic's TypeAdapter.)
HEAVY = ("numpy", "pandas", "numba", "scipy", "pyarrow", "duckdb", "plotly", "lifelines",
         "sklearn", "yaml", "streamlit", "dask", "rich.progress", "accord.scenario._schema")


def _loaded(code: str) -> list[str]:
    probe = (code + "\nimport sys\nprint('HEAVY:', *(m for m in " + repr(HEAVY)
             + " if m in sys.modules), file=sys.stderr)")
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    line = [ln for ln in res.stderr.splitlines() if ln.startswith("HEAVY:")][-1]
    return line.split()[1:]


def test_import_cli_loads_no_heavy_module():
    assert _loaded("import accord.cli") == []


def test_help_and_version_load_no_heavy_module():
    run = ("import sys\nfrom accord.cli import main\nsys.argv = ['accord', {arg!r}]\n"
           "try:\n    main()\nexcept SystemExit:\n    pass")
    for arg in ("--version", "--help"):
        assert _loaded(run.format(arg=arg)) == [], arg


def test_sub_command_help_loads_no_heavy_module():
    run = ("import sys\nfrom accord.cli import main\nsys.argv = ['accord', 'durability', "
           "'predict', '--help']\ntry:\n    main()\nexcept SystemExit:\n    pass")
    assert _loaded(run) == []


def test_warmup_command_compiles_and_reports(tmp_path):
    """`accord warmup` runs every model and a short Monte Carlo, into a fresh numba cache."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    res = subprocess.run([sys.executable, "-m", "accord.cli", "warmup"], capture_output=True,
                         text=True, env=env, timeout=600, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "kernels compiled and cached" in res.stdout
    assert any((tmp_path / "cache").rglob("*.nbi"))  # the cache index files were written
