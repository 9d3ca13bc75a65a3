"""The Streamlit app driven by Streamlit's own AppTest (no browser)."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from accord.app import _logic as L  # noqa: E402
from accord.app import streamlit_script  # noqa: E402
from accord.app._plain import shown  # noqa: E402


@pytest.fixture
def app():
    if not L.bundled_scenarios():
        pytest.skip("no bundled examples found")
    at = AppTest.from_file(str(streamlit_script()), default_timeout=120)
    at.session_state["models"] = ["compromise", "median"]  # fast models only
    at.run()
    assert not at.exception, at.exception
    assert at.multiselect(key="models").value == ["compromise", "median"]
    return at


def _first_row(at, k):
    return at.table[k].value.iloc[0].tolist()


def test_app_loads_default_scenario(app):
    name = next(iter(L.bundled_scenarios()))
    sc, _ = L.load_bundled(name)
    assert app.selectbox(key="bundled").value == name
    assert sc.name in [shown(e.value) for e in app.subheader]
    assert len(app.table) == 1  # the view shows variant A
    assert list(app.table[0].value.columns) == ["compromise", "median"]
    issue = sc.issues[0]
    n_part = sum(issue.id in a.positions for a in sc.actors)
    sliders = [s for s in app.slider if s.key.startswith(f"pos_A_{issue.id}_")]
    assert len(sliders) == n_part
    # the forecast shown is the library's forecast
    doc, _ = L.forecast_doc(sc, ["compromise", "median"])
    want = next(
        r["forecast"]
        for r in doc["results"]
        if r["model"] == "compromise" and r["issue"] == issue.id
    )
    assert _first_row(app, 0)[0] == f"{want:.2f}"


def _view(app, name):
    app.radio(key="view").set_value(name).run()
    assert not app.exception, app.exception


def test_app_slider_changes_forecast_of_one_variant(app):
    before_a = _first_row(app, 0)
    _view(app, "Variant B")
    before_b = _first_row(app, 0)
    _view(app, "Variant A")
    slider = next(s for s in app.slider if s.key.startswith("pos_A_"))
    lo, hi = slider.min, slider.max
    new = lo if slider.value - lo > hi - slider.value else hi
    slider.set_value(new).run()
    assert not app.exception, app.exception
    assert _first_row(app, 0)[0] != before_a[0]  # compromise moved
    moved = next(s for s in app.slider if s.key.startswith("pos_A_"))
    assert moved.value == new and moved.key.endswith("_1")  # rebuilt from the new scenario
    _view(app, "Variant B")
    assert _first_row(app, 0) == before_b  # variant B untouched
    _view(app, "Compare A vs B")
    cmp = app.dataframe[-1].value
    assert (cmp["B − A"].abs() > 0).any()
    _view(app, "Variant A")
    app.button(key="reset_A").click().run()
    assert _first_row(app, 0) == before_a


def test_app_issue_choice_and_salience(app):
    sc, _ = L.load_bundled(app.selectbox(key="bundled").value)
    _view(app, "Variant B")
    last = sc.issues[-1].id
    app.selectbox(key="issue_B").set_value(last).run()
    assert any(s.key.startswith(f"pos_B_{last}_") for s in app.slider)
    row = [lab for lab in app.table[0].value.index].index(sc.issues[-1].label or last)
    before = app.table[0].value.iloc[row].tolist()
    sal = next(s for s in app.slider if s.key.startswith(f"sal_B_{last}_"))
    sal.set_value(0.0 if sal.value > 50 else 100.0).run()
    assert not app.exception, app.exception
    assert app.table[0].value.iloc[row].tolist() != before


def test_app_capability_slider(app):
    before = app.table[0].value.values.tolist()
    cap = next(s for s in app.slider if s.key.startswith("cap_A_"))
    cap.set_value(cap.max).run()
    assert not app.exception, app.exception
    assert app.table[0].value.values.tolist() != before
    _view(app, "About this scenario")
    assert not app.table
