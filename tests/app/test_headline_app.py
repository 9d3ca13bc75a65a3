"""The app's headline panel (AppTest) and its table (logic)."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from accord.app import _logic as L  # noqa: E402
from accord.app import streamlit_script  # noqa: E402
from accord.app._headline import headline_table  # noqa: E402


def test_headline_table_from_the_forecast_document() -> None:
    name = next(iter(L.bundled_scenarios()))
    sc, _ = L.load_bundled(name)
    doc, _ = L.forecast_doc(sc, ["calibrated", "compromise"])
    t = headline_table(doc)
    assert t is not None and len(t) == len(sc.issues)
    assert list(t.columns) == ["accord's forecast", "80 % interval", "what each theory says"]
    assert t.iloc[0]["what each theory says"].startswith("compromise ")
    assert headline_table(L.forecast_doc(sc, ["compromise"])[0]) is None


def test_app_shows_the_headline_first() -> None:
    if not L.bundled_scenarios():
        pytest.skip("no bundled examples found")
    at = AppTest.from_file(str(streamlit_script()), default_timeout=120)
    at.session_state["models"] = ["calibrated", "compromise"]
    at.run()
    assert not at.exception, at.exception
    texts = [m.value for m in at.markdown]
    # the first text is the headline (Markdown-escaped: accord\'s forecast\: 50, ...)
    from accord.app._plain import shown

    assert shown(texts[0]).startswith("#### accord's forecast") and "80 % interval" in shown(texts[0])
    assert list(at.table[0].value.columns)[0] == "accord's forecast"  # the first table
    assert any("EU legislative decisions" in c.value for c in at.caption)
