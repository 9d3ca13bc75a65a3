"""The "Strategies: what if?" view driven by Streamlit's AppTest (no browser)."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from accord.app import _logic as L  # noqa: E402
from accord.app import _strategy_logic as SL  # noqa: E402
from accord.app import streamlit_script  # noqa: E402
from accord.app._plain import shown as literal  # noqa: E402

VIEW = "Strategies: what if?"


@pytest.fixture
def app():
    if L.FLAGSHIP not in L.bundled_scenarios() or SL.seed_claims_path() is None:
        pytest.skip("flagship scenario or experiments/seed-claims.yaml not found")
    at = AppTest.from_file(str(streamlit_script()), default_timeout=120)
    at.session_state["models"] = ["compromise"]
    at.run()
    assert not at.exception, at.exception
    at.radio(key="view").set_value(VIEW).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _table(at):
    return at.dataframe[0].value


def _row(at, measure):
    t = _table(at).set_index("measure")
    return t.loc[measure].tolist()


def test_strategy_app_view_changes_with_a_widget(app):
    assert app.number_input(key="sx_draws").value == SL.DEFAULT_DRAWS
    assert any("assumption" in e.value for e in app.info)  # the caveat
    assert any("docs/strategies.md" in e.label for e in app.expander)
    before = _table(app)
    assert (before["baseline"] == before["what-if"]).all()  # untouched: what-if = baseline
    assert before["change"].str.startswith(("0", "+0", "-0")).all()
    app.selectbox(key="sx_strategy_russia").set_value("tit-for-tat").run()
    assert not app.exception and not app.error, (app.exception, app.error)
    after = _table(app)
    assert after["baseline"].tolist() == before["baseline"].tolist()  # same baseline
    brk = _row(app, "Agreements that break down within a year")
    assert brk[1] != brk[0] and brk[2].startswith("-")
    assert any("Russia plays tit-for-tat" in literal(m.value) for m in app.markdown)
    # a parameter of the chosen strategy appears, and the numbers move with it
    app.slider(key="sx_step_russia_tit-for-tat").set_value(20.0).run()
    assert not app.exception
    assert _table(app)["what-if"].tolist() != after["what-if"].tolist()
    # rerun: same seed, same numbers; reset: back to the baseline
    shown = _table(app)
    app.run()
    assert _table(app).equals(shown)
    app.button(key="sx_reset_button").click().run()
    assert not app.exception
    assert (_table(app)["baseline"] == _table(app)["what-if"]).all()
    # the forecast views still work
    app.radio(key="view").set_value("Variant A").run()
    assert not app.exception and len(app.table) == 1


def test_strategy_app_mediator_and_seed(app):
    app.radio(key="sx_mediator").set_value("russia").run()
    app.slider(key="sx_bias").set_value(0.5).run()
    assert not app.exception and not app.error
    agree = _row(app, "Runs that reach an agreement")
    assert agree[2].startswith("-")  # fewer agreements with a mediator on Russia's side
    first = _table(app)
    app.number_input(key="sx_seed").set_value(7).run()
    assert not app.exception
    assert not _table(app).equals(first)


def test_strategy_app_scenario_without_settings_one_error(app):
    other = next(
        (n for n in L.bundled_scenarios() if n != L.FLAGSHIP and not L.load_bundled(n)[0].strategy),
        None,
    )
    if other is None:
        pytest.skip("every bundled scenario has simulator settings")
    app.selectbox(key="bundled").set_value(other).run()
    assert not app.exception, app.exception
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and "no simulator settings" in errors[0]
    assert not app.dataframe
