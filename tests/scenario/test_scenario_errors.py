"""Bad input: one clear message naming file, field and fix, exit code 2, no traceback."""

from __future__ import annotations

import json
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import InputError
from accord.scenario import load_scenario, scenario_from_mapping, scenario_from_text

GOOD = {
    "name": "toy",
    "issues": [{"id": "x", "scale": [0, 100]}, {"id": "y"}],
    "actors": [
        {"id": "a", "capability": 1, "positions": {"x": 10, "y": 20}, "salience": {"x": 50, "y": 5}},
        {"id": "b", "capability": 2, "positions": {"x": 90}, "salience": {"x": 80}},
    ],
}


def _set(doc, path, value):
    node = doc
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[int(k)] if k.isdigit() else node[k]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return doc


def _with(path: str, value):
    return _set(json.loads(json.dumps(GOOD)), path, value)


BAD_CASES = {
    "unknown issue under actor": (_with("actors.1.positions", {"x": 1, "zz": 3}), "zz"),
    "position outside scale": (_with("actors.0.positions.x", 120), "outside"),
    "salience above 100": (_with("actors.0.salience.x", 101), "salience"),
    "salience negative": (_with("actors.0.salience.x", -1), "salience"),
    "capability zero": (_with("actors.0.capability", 0), "capability"),
    "capability negative": (_with("actors.0.capability", -3), "capability"),
    "duplicate actor": (_with("actors.1.id", "a"), "duplicate"),
    "duplicate issue": (_with("issues.1.id", "x"), "duplicate"),
    "no actors": (_with("actors", []), "no actors"),
    "no issues": (_with("issues", []), "no issues"),
    "unknown key": (_with("actors.0.capabilty", 1), "capabilty"),
    "bad slug": (_with("issues.0.id", "Bad Id"), "issues[0]"),
    "missing salience": (_with("actors.1.salience", {}), "salience"),
    "inverted scale": (_with("issues.0.scale", [100, 0]), "scale"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_mapping_names_field_and_fix(case):
    doc, needle = BAD_CASES[case]
    with pytest.raises(InputError) as info:
        scenario_from_mapping(doc, "s.yaml")
    msg = str(info.value)
    assert msg.startswith("s.yaml")
    assert needle in msg
    assert "Fix:" in msg


@pytest.mark.parametrize("token", [".nan", ".inf", "-.inf"])
def test_nan_and_infinity_rejected(token, tmp_path):
    text = yaml.safe_dump(GOOD).replace("capability: 2", f"capability: {token}")
    with pytest.raises(InputError, match="finite|NaN"):
        scenario_from_text(text, "f.yaml")


def test_json_nan_rejected():
    text = json.dumps(GOOD).replace('"capability": 2', '"capability": NaN')
    with pytest.raises(InputError, match="f.json"):
        scenario_from_text(text, "f.json")


def test_good_scenario_loads():
    sc = scenario_from_mapping(GOOD)
    assert sc.actor_ids == ("a", "b")


def _cli_cases(tmp_path):
    cases = {}
    cases["malformed.yaml"] = b"name: x\nissues: [\n  - id: a\n"
    cases["binary.yaml"] = bytes(range(256)) * 10
    cases["empty.yaml"] = b""
    cases["list.yaml"] = b"- 1\n- 2\n"
    cases["nan.yaml"] = yaml.safe_dump(GOOD).replace("capability: 2", "capability: .nan").encode()
    cases["unknown-issue.yaml"] = yaml.safe_dump(BAD_CASES["unknown issue under actor"][0]).encode()
    cases["huge.yaml"] = b"# " + b"x" * (50 * 1024 * 1024) + b"\n"
    cases["latin1.yaml"] = "name: caf\xe9\n".encode("latin-1")
    cases["bad.json"] = b'{"name": "x", '
    cases["bad.csv"] = b"a,b\n"
    paths = {}
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        paths[name] = p
    paths["missing.yaml"] = tmp_path / "does-not-exist.yaml"
    paths["directory"] = tmp_path
    return paths


def test_cli_bad_inputs_exit_2_one_line(tmp_path, run_cli):
    for name, path in _cli_cases(tmp_path).items():
        for cmd in ("validate", "forecast"):
            code, out, err = run_cli(cmd, path)
            assert code == 2, (name, cmd, err)
            assert "Traceback" not in err, name
            lines = [ln for ln in err.strip().splitlines() if ln.strip()]
            assert len(lines) == 1 or all(not ln.startswith("  File") for ln in lines), name
            assert str(path.name) in err or str(path) in err, (name, err)
            assert out == "", name


def test_huge_file_not_parsed(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_bytes(b"a" * (6 * 1024 * 1024))
    with pytest.raises(InputError, match="MB"):
        load_scenario(p)


# ---- fuzz: the loader never crashes, it only raises InputError -------------------------

yaml_text = st.text(alphabet=string.printable, max_size=400)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_text)
def test_fuzz_text_loader_only_input_errors(text):
    for name in ("f.yaml", "f.json", "f.csv"):
        try:
            scenario_from_text(text, name)
        except InputError:
            pass


json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=8), st.sampled_from(["x", "y", "a", "b", "0", "100"]),
)
json_tree = st.recursive(
    json_leaf,
    lambda kids: st.one_of(
        st.lists(kids, max_size=4),
        st.dictionaries(
            st.sampled_from(["id", "name", "issues", "actors", "positions", "salience",
                             "capability", "scale", "x", "y", "ranges", "status_quo", "meta"]),
            kids, max_size=5),
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["name", "issues", "actors", "models", "meta", "zz"]),
                       json_tree, max_size=5))
def test_fuzz_structure_only_input_errors(doc):
    try:
        scenario_from_mapping(doc, "fuzz.yaml")
    except InputError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_fuzz_mutated_good_scenario(data):
    """Replace one value of a valid scenario with arbitrary junk: valid or InputError."""
    doc = json.loads(json.dumps(GOOD))
    paths = ["name", "issues.0.scale", "issues.0.id", "actors.0.capability",
             "actors.0.positions", "actors.0.salience.x", "actors.1.positions.x", "actors"]
    target = data.draw(st.sampled_from(paths))
    junk = data.draw(json_tree)
    try:
        scenario_from_mapping(_set(doc, target, junk), "m.yaml")
    except InputError:
        pass


def test_input_error_reads_as_sentence_then_fix():
    assert str(InputError("no such file", path="a.yaml", fix="check it.")) == (
        "a.yaml: no such file. Fix: check it."
    )
    assert str(InputError("bad value!", field="--x", fix="f")) == "--x: bad value! Fix: f"
    assert str(InputError("plain")) == "plain"
