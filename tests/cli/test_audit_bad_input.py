"""User-level audit: bad input through the real ``accord`` entry point.

Each case is one the audit found broken (a silent pass, a hang, a traceback or a vague
message). The contract: one line on stderr naming file, field and fix; exit code 2; nothing on
stdout; nothing already saved is touched.
"""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import EXAMPLES

EU = EXAMPLES / "eu-emissions-1994.yaml"

GOOD = """\
name: toy
issues:
  - id: d
    scale: [4, 10]
actors:
  - id: a
    capability: 1
    positions: {d: 5}
    salience: {d: 50}
  - id: b
    capability: 2
    positions: {d: 9}
    salience: {d: 60}
"""


def _bad(run_cli, path, *words: str, command: str = "validate") -> str:
    code, out, err = run_cli(command, path)
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith(f"error: {path}"), line
    assert "Traceback" not in err
    for w in words:
        assert w in line, (w, line)
    return line


def test_duplicate_yaml_key_is_an_error(run_cli, tmp_path):
    f = tmp_path / "dup.yaml"
    f.write_text(GOOD.replace("positions: {d: 5}", "positions: {d: 5, d: 6}"))
    _bad(run_cli, f, "line 8, column 23: key 'd' is given twice", "column 17", "Fix:")


def test_duplicate_json_key_is_an_error(run_cli, tmp_path):
    f = tmp_path / "dup.json"
    f.write_text('{"name": "a", "name": "b", "issues": [], "actors": []}')
    _bad(run_cli, f, "'name' is given twice", "Fix:")


def test_yaml_merge_key_override_still_works(run_cli, tmp_path):
    f = tmp_path / "merge.yaml"
    f.write_text(GOOD + "meta:\n  base: &b {x: 1, y: 2}\n  other:\n    <<: *b\n    x: 3\n")
    code, _, err = run_cli("validate", f)
    assert code == 0, err


@pytest.mark.parametrize("where", ["top", "meta"])
def test_alias_bomb_is_refused(run_cli, tmp_path, where):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]")
    if where == "meta":
        text = GOOD + "meta:\n" + "".join(f"  {ln}\n" for ln in lines)
    else:
        text = "\n".join(lines) + "\n"
    f = tmp_path / "bomb.yaml"
    f.write_text(text)
    _bad(run_cli, f, "alias", "Fix:")


def test_self_referencing_alias_is_refused(run_cli, tmp_path):
    f = tmp_path / "cycle.yaml"
    f.write_text(GOOD + "meta: &m\n  self: *m\n")
    _bad(run_cli, f, "refers to", "Fix:")


def test_legitimate_anchors_pass(run_cli):
    code, _, err = run_cli("validate", EU)  # sources: &sources ... *sources
    assert code == 0, err


@pytest.mark.parametrize("value", ["true", "yes", "on"])
def test_boolean_is_not_a_number(run_cli, tmp_path, value):
    f = tmp_path / "bool.yaml"
    f.write_text(GOOD.replace("capability: 1\n", f"capability: {value}\n"))
    _bad(run_cli, f, "actors[0] (id 'a').capability", "expected a number", "Fix:")


def test_boolean_key_names_the_key(run_cli, tmp_path):
    f = tmp_path / "yes.yaml"
    f.write_text(GOOD.replace("id: d", 'id: "yes"').replace("{d:", "{yes:"))
    _bad(run_cli, f, "positions.true", "not as text", "quote")


@pytest.mark.parametrize(
    ("edit", "field", "fix"),
    [
        (("positions: {d: 5}", "positions: {d: 50}"), "actors[0] (id 'a').positions.d",
         "within [4, 10]"),
        (("id: b", "id: a"), "actors[1] (id 'a').id", "its own id"),
        (("positions: {d: 9}\n    salience: {d: 60}", "positions: {d: 9, e: 1}\n"
          "    salience: {d: 60, e: 1}"), "actors[1] (id 'b').positions.e", "issue ids (d)"),
        (("salience: {d: 60}", "salience: {d: 600}"), "actors[1] (id 'b').salience.d",
         "from 0"),
        (("scale: [4, 10]", "scale: [4, 10]\n    status_quo: 11"), "issues[0] (id 'd').status_quo",
         "within [4, 10]"),
        (("capability: 2", "capability: 0"), "actors[1] (id 'b').capability", "positive"),
        (("capability: 2", "capability: .nan"), "actors[1] (id 'b').capability", "finite"),
        (("salience: {d: 60}", "salience: {}"), "actors[1] (id 'b').salience", "add salience.d"),
    ],
)
def test_cross_checks_name_the_field_and_fix(run_cli, tmp_path, edit, field, fix):
    f = tmp_path / "bad.yaml"
    f.write_text(GOOD.replace(*edit))
    line = _bad(run_cli, f, field, "Fix:", fix)
    assert "(top level)" not in line and "correct the value as described" not in line


def test_short_range_says_two_values(run_cli, tmp_path):
    f = tmp_path / "range.yaml"
    f.write_text(GOOD.replace("salience: {d: 50}", "salience: {d: 50}\n    ranges: {d: [5]}"))
    _bad(run_cli, f, "ranges.d:", "[low, high]")


def test_device_without_end_is_refused_not_read_forever(run_cli):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    _bad(run_cli, "/dev/zero", "character device", "not a regular file")  # refused before reading


def test_ktab_huge_dimension_count_fails_fast(run_cli, tmp_path):
    f = tmp_path / "k.csv"
    f.write_text("T,d,1,100000000\nActor,Description,Power,Pos,Sal\nA,a,10,20,50\n")
    _bad(run_cli, f, "line 3", "n_dims")


def test_ktab_repeated_names_get_distinct_ids(run_cli, tmp_path):
    f = tmp_path / "k.csv"
    f.write_text("T,d,3,1,\nActor,Description,Power,Pos,Sal,\nA,a,10,20,50,\n"
                 "A,a,10,30,50,\nA-2,a,10,40,50,\n")
    code, out, err = run_cli("validate", f, "--json")
    assert code == 0, err
    ids = json.loads(out)["actors"]
    assert ids[0] == "a" and len(set(ids)) == 3


@pytest.mark.parametrize(
    ("models", "word"),
    [("eum: {q: -3}", "eum.q"), ("eum: {qq: 1}", "qq"), ("eumm: {q: 1}", "eumm")],
)
def test_validate_checks_model_settings(run_cli, tmp_path, models, word):
    f = tmp_path / "m.yaml"
    f.write_text(GOOD + f"models:\n  {models}\n")
    _bad(run_cli, f, "models.", word, "Fix:")


def test_set_for_a_model_not_run_is_still_checked(run_cli):
    code, out, err = run_cli("forecast", EU, "--model", "median", "--set", "smp.q=1")
    assert code == 2 and out == ""
    assert err.startswith("error: --set:") and "'q'" in err


def test_negative_seed_is_a_usage_error(run_cli, tmp_path):
    store = tmp_path / "runs.duckdb"
    code, out, err = run_cli("forecast", EU, "--draws", "5", "--seed", "-1", "--store", store)
    assert code == 2 and out == "" and "--seed" in err and "internal" not in err
    assert not store.exists()
