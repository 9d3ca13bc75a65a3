"""The "Build / edit" view driven by Streamlit's AppTest (no browser)."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from accord.app import _builder_logic as B  # noqa: E402
from accord.app import _logic as L  # noqa: E402
from accord.app import streamlit_script  # noqa: E402
from accord.app._plain import shown  # noqa: E402
from accord.scenario import scenario_from_text, scenario_to_yaml  # noqa: E402

BUILD = "Build / edit"


@pytest.fixture
def app():
    if L.FLAGSHIP not in L.bundled_scenarios():
        pytest.skip("flagship scenario not bundled")
    at = AppTest.from_file(str(streamlit_script()), default_timeout=180)
    at.session_state["models"] = ["compromise", "median"]
    at.run()
    at.radio(key="view").set_value(BUILD).run()
    assert not at.exception, at.exception
    return at


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _number(at, label):
    return next(n for n in at.number_input if n.label == label)


def _text(at, label):
    return next(t for t in at.text_input if t.label == label)


def test_build_from_blank_then_forecast(app):
    at = app
    _button(at, "Start from a blank scenario").click().run()
    assert any("no issues" in w.value for w in at.warning)
    for iid, label in (("i1", "First issue"), ("i2", "Second issue")):
        _text(at, "New issue id").set_value(iid)
        _text(at, "New issue label").set_value(label)
        _button(at, "Add issue").click().run()
    for aid in ("a1", "a2", "a3"):
        _text(at, "New actor id").set_value(aid)
        _text(at, "New actor name").set_value(aid.upper())
        _button(at, "Add actor").click().run()
    assert not at.exception, at.exception
    for k, aid in enumerate(("a1", "a2", "a3")):
        for iid in ("i1", "i2"):
            _number(at, f"{aid} position on {iid}").set_value(10.0 + 40 * k)
            _number(at, f"{aid} salience on {iid}").set_value(50.0)
        _button(at, f"Save actor {aid}").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.success[0].value.startswith("Valid: 3 actors, 2 issues")
    sc, problem = B.check(at.session_state["b_draft"])
    assert problem is None and sc.actors[2].positions == {"i1": 90.0, "i2": 90.0}
    assert scenario_from_text(scenario_to_yaml(sc), "b.yaml") == sc
    _button(at, "Forecast this scenario").click().run()
    assert not at.exception, at.exception
    assert at.session_state["origin"] == "built in the app"
    assert at.session_state["view"] == "Variant A"
    table = at.table[0].value
    assert list(table.index) == ["First issue", "Second issue"]
    assert list(table.columns) == ["compromise", "median"]
    assert table.loc["First issue", "compromise"] == "50.00"  # capabilities equal: the mean


def test_bad_edit_shows_the_cli_message_and_keeps_the_draft(app):
    at = app
    _button(at, "Start from the loaded scenario").click().run()
    before = at.session_state["b_draft"]
    _number(at, "russia salience on t").set_value(150.0)
    _button(at, "Save actor russia").click().run()
    assert not at.exception, at.exception
    warnings = [shown(w.value) for w in at.warning]  # user text is escaped
    assert any("builder: actors[0] (id 'russia').salience.t: salience of 't' must lie in 0-100"
               in w for w in warnings), warnings
    # an id that is not a slug: the schema's message and fix
    _number(at, "russia salience on t").set_value(80.0)
    _text(at, "Actor id").set_value("Russia Federation")  # the first actor's id field
    _button(at, "Save actor russia").click().run()
    warnings = [shown(w.value) for w in at.warning]
    assert any("actors[0] (id 'Russia Federation').id" in w and "lower-case letters" in w
               for w in warnings), warnings
    assert before["name"] == at.session_state["b_draft"]["name"]
