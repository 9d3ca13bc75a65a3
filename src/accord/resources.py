"""Files that ship with accord: example scenarios, experiment files and the docs.

An installed wheel has them under ``accord/_bundled/`` (copied there by the build hook in
``setup.py``); a source checkout (including an editable install) has them at the repository
root. Callers ask here and do not care which.
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: The folders that ship: ``accord examples`` lists them, ``accord examples copy`` writes them.
KINDS = ("examples", "experiments", "docs")
_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_bundled"
_REPO = _PACKAGE.parents[1]  # src/accord -> repository root (source checkout only)


def root(kind: str) -> Path | None:
    """The folder of ``kind`` (``examples``, ``experiments`` or ``docs``), or None."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    for cand in (_BUNDLED / kind, _REPO / kind):
        if cand.is_dir() and any(cand.iterdir()):
            return cand
    return None


def path(relpath: str) -> Path | None:
    """A shipped file by its path in the project, e.g. ``examples/eu-emissions-1994.yaml`` or
    ``docs/strategies.md``; None when it is not there."""
    kind, _, rest = relpath.replace("\\", "/").partition("/")
    base = root(kind) if kind in KINDS else None
    if base is None or not rest:
        return None
    p = (base / rest).resolve()
    if base.resolve() not in p.parents or not p.is_file():  # no way out of the folder
        return None
    return p


def files(kinds: tuple[str, ...] = ("examples", "experiments")) -> list[str]:
    """Shipped files of ``kinds`` as project paths (``examples/...``), sorted."""
    out = []
    for kind in kinds:
        base = root(kind)
        if base is None:
            continue
        out += [
            f"{kind}/{p.relative_to(base).as_posix()}"
            for p in base.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
        ]
    return sorted(out)


def example_path(name: str) -> Path:
    """A bundled example scenario by file name or stem (``"eu-emissions-1994"``)."""
    from accord.errors import InputError

    names = files(("examples",))
    for f in names:
        p = Path(f)
        if name in (p.name, p.stem, f, p.relative_to("examples").as_posix()):
            found = path(f)
            if found is not None:
                return found
    stems = ", ".join(Path(f).stem for f in names) or "(none shipped)"
    raise InputError(f"no bundled example {name!r}.", field="example",
                     fix=f"choose one of: {stems} (list them with `accord examples`).")


def copy_to(dest: str | Path, kinds: tuple[str, ...] = ("examples", "experiments"), *,
            force: bool = False) -> list[Path]:
    """Write the shipped files of ``kinds`` under ``dest`` (keeping ``examples/...`` paths).
    An existing file is kept unless ``force``; returns the files written."""
    from accord.errors import InputError

    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise InputError("is a file, not a folder.", path=str(dest),
                         fix="give a folder to copy the examples into.")
    todo = [(f, dest / f) for f in files(kinds)]
    clash = [str(t) for _, t in todo if t.exists()]
    if clash and not force:
        raise InputError(f"{len(clash)} file(s) exist already, e.g. {clash[0]}.", path=str(dest),
                         fix="choose an empty folder, or pass --force to overwrite them.")
    written = []
    for rel, target in todo:
        src = path(rel)
        if src is None:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        written.append(target)
    return written
