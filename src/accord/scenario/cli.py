"""``accord import``, ``accord export`` and ``accord new``: scenarios from and to spreadsheets,
and a template to start from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from accord.cli_common import out
from accord.errors import InputError

if TYPE_CHECKING:
    from accord.scenario import Scenario

ForceOpt = Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")]
_YAML = (".yaml", ".yml")


def _check_out(path: Path, force: bool, suffixes: tuple[str, ...], what: str) -> None:
    """Refuse an output that would silently replace a file, or has the wrong suffix."""
    if path.suffix.lower() not in suffixes:
        raise InputError(f"cannot tell the format from the suffix {path.suffix or '(none)'!r}.",
                         path=str(path), field="-o",
                         fix=f"name the {what} {' or '.join(suffixes)}.")
    if path.is_dir():
        raise InputError("is a directory.", path=str(path), field="-o",
                         fix="give a file name, e.g. DIR/scenario" + suffixes[0] + ".")
    if path.exists() and not force:
        raise InputError("already exists; it was left as it is.", path=str(path), field="-o",
                         fix="choose another name, or add --force to replace it.")


def _scenario_text(scenario: Scenario, path: Path) -> str:
    from accord.scenario import scenario_to_yaml

    if path.suffix.lower() == ".json":
        doc = scenario.model_dump(mode="json", exclude_defaults=True)
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return scenario_to_yaml(scenario)


def import_cmd(
    file: Annotated[Path, typer.Argument(help="Spreadsheet: .xlsx, or .csv in accord's layout "
                                         "or KTAB's.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Scenario file to write "
                                         "(.yaml, .yml or .json).")],
    force: ForceOpt = False,
) -> None:
    """Read a scenario from a spreadsheet, check it, and write it as YAML."""
    from accord.files import write_atomic
    from accord.scenario import load_scenario

    _check_out(output, force, (*_YAML, ".json"), "scenario file")
    sc = load_scenario(file)  # every bad cell is reported before anything is written
    if sc.models:
        from accord.forecast import build_models

        build_models(sc, list(sc.models), source=str(file))
    write_atomic(output, _scenario_text(sc, output))
    out.print(f"{file} -> {output}: {len(sc.actors)} actors, {len(sc.issues)} issues "
              f"(accord validate {output})", markup=False, soft_wrap=True)


def export_cmd(
    file: Annotated[Path, typer.Argument(help="Scenario file (.yaml, .json, .csv or .xlsx).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Spreadsheet to write: .xlsx "
                                         "(sheets issues, actors, scenario) or .csv (one file, "
                                         "one section per table).")],
    force: ForceOpt = False,
) -> None:
    """Write a scenario as a spreadsheet (.xlsx or .csv) to edit and import back."""
    from accord.scenario import load_scenario, write_sheet

    _check_out(output, force, (".xlsx", ".csv"), "spreadsheet")
    sc = load_scenario(file)
    write_sheet(sc, output)
    out.print(f"{file} -> {output}: {len(sc.actors)} actors, {len(sc.issues)} issues "
              f"(edit it, then: accord import {output} -o FILE.yaml)", markup=False,
              soft_wrap=True)


def new_cmd(
    name: Annotated[str | None, typer.Argument(help="Scenario name; the file is NAME.yaml "
                                               "(lower case, '-' for spaces) unless -o.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write: .yaml "
                                                "(commented template), .xlsx or .csv "
                                                "(spreadsheet template).")] = None,
    force: ForceOpt = False,
) -> None:
    """Write a template scenario (two actors, one issue) to fill in."""
    from accord.files import write_atomic
    from accord.scenario._write import slug, template_yaml

    if name is None and output is None:
        raise InputError("give a scenario NAME or -o FILE.", field="NAME",
                         fix="e.g. accord new \"Gaza talks 2025\" or accord new -o talks.xlsx.")
    if output is None:
        output = Path(f"{slug(name or '')}.yaml")
    if name is None or not name.strip():
        name = output.stem
    _check_out(output, force, (*_YAML, ".xlsx", ".csv"), "template")
    text = template_yaml(name, output.name)
    if output.suffix.lower() in _YAML:
        write_atomic(output, text)
    else:
        from accord.scenario import scenario_from_text, write_sheet

        write_sheet(scenario_from_text(text, "template.yaml"), output)
    out.print(f"wrote {output}: fill in the issues and actors, then accord validate {output}",
              markup=False, soft_wrap=True)
