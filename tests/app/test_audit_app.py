"""Audit fixes of the web app: only negotiation scenarios are offered, capability cannot be
slid to a refused 0, bad uploads give one clear error."""

from __future__ import annotations

import pytest

from accord.app import _logic as L
from accord.app import streamlit_script
from accord.app._plain import shown
from tests.report.conftest import TOY

CEASEFIRE_ONLY = """\
name: Two ceasefires
ceasefire:
  - id: a
    written: true
"""


def test_audit_bundled_lists_only_negotiation_scenarios(tmp_path, monkeypatch):
    (tmp_path / "toy.yaml").write_text(TOY.read_text())
    (tmp_path / "durability").mkdir()  # durability-only examples: not negotiation scenarios
    (tmp_path / "durability" / "truces.yaml").write_text(CEASEFIRE_ONLY)
    (tmp_path / "broken.yaml").write_text("name: [unclosed")  # kept: choosing it says why
    (tmp_path / "ktab.csv").write_text("title\nh\n")
    (tmp_path / "notes.txt").write_text("x")
    monkeypatch.setattr(L, "examples_dir", lambda: tmp_path)
    assert list(L.bundled_scenarios()) == ["broken", "ktab", "toy"]


def test_audit_every_real_bundled_example_loads():
    """Before: examples/ceasefire-march-2025.yaml (now examples/durability/) was offered and failed with "required key
    'issues' is missing" when chosen."""
    files = L.bundled_scenarios()
    if not files:
        pytest.skip("no bundled examples found")
    for name in files:
        sc, _ = L.load_bundled(name)
        assert sc.issues and sc.actors


@pytest.fixture
def app():
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    if not L.bundled_scenarios():
        pytest.skip("no bundled examples found")
    at = AppTest.from_file(str(streamlit_script()), default_timeout=120)
    at.session_state["models"] = ["compromise", "median"]
    at.run()
    assert not at.exception, at.exception
    at.radio(key="source").set_value("Upload a file").run()
    at.file_uploader[0].set_value(("toy.yaml", TOY.read_bytes(), "text/yaml")).run()
    assert not at.exception and not at.error, (at.exception, at.error)
    return at


def _cap(at, actor: str):
    return next(s for s in at.slider if s.key.startswith(f"cap_A_{actor}_"))


def test_audit_capability_slider_stays_positive(app):
    north = _cap(app, "north")
    # before: the slider went down to 0.0, a value the scenario refuses ("Edit refused")
    assert 0 < north.min <= min(a.capability for a in app.session_state["sc_A"].actors)
    assert north.value == 3.0
    before = app.table[0].value.values.tolist()
    _cap(app, "north").set_value(north.min).run()
    assert not app.exception and not app.error, (app.exception, app.error)
    assert app.session_state["sc_A"].actors[0].capability == pytest.approx(north.min)
    assert app.table[0].value.values.tolist() != before


def test_audit_bad_uploads_show_one_clear_error(app):
    for name, data, fix in (
        ("bad.yaml", b"name: [unclosed", "malformed YAML"),
        ("truces.yaml", CEASEFIRE_ONLY.encode(), "required key 'issues'"),
        ("x.csv", b"a,b\n1,2\n", "KTAB CSV"),
    ):
        app.file_uploader[0].set_value((name, data, "text/plain")).run()
        assert not app.exception, app.exception
        errors = [shown(e.value) for e in app.error]  # user text is escaped
        assert len(errors) == 1 and errors[0].startswith("Upload refused") and fix in errors[0]
