"""The "Why?" and "Advise one side" views driven by Streamlit's AppTest (no browser)."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from accord.app import _logic as L  # noqa: E402
from accord.app import streamlit_script  # noqa: E402
from accord.app._explain_page import ADVISE, EXPLAIN  # noqa: E402


@pytest.fixture
def app():
    if L.FLAGSHIP not in L.bundled_scenarios():
        pytest.skip("flagship scenario not found")
    at = AppTest.from_file(str(streamlit_script()), default_timeout=180)
    at.session_state["models"] = ["nash", "eum"]
    at.run()
    assert not at.exception, at.exception
    return at


def test_explain_view_gives_words_figure_and_pivotal_actors(app):
    app.radio(key="view").set_value(EXPLAIN).run()
    assert not app.exception and not app.error, (app.exception, [e.value for e in app.error])
    app.selectbox(key="xp_issue").set_value("g").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "wants less than the status quo 50" in text.replace("\\", "")
    assert set(app.dataframe[0].value["model"]) == {"nash", "eum"}


def test_advise_view_ranks_moves(app):
    app.radio(key="view").set_value(ADVISE).run()
    app.selectbox(key="xp_actor").set_value("russia").run()
    app.number_input(key="xp_draws").set_value(20).run()
    assert not app.exception and not app.error, (app.exception, [e.value for e in app.error])
    moves = app.dataframe[0].value
    assert list(moves["#"][:3]) == [1, 2, 3]
    assert moves["gain"].is_monotonic_decreasing
    assert any("expected utility" in m.value for m in app.markdown)
