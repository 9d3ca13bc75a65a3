"""User text is text (issue 18, item 7): a scenario whose name, description, labels and actor
names hold Markdown images and links, HTML, bare URLs and Streamlit codes pointing at a loopback
canary server is shown literally: every element that renders Markdown gets it escaped, nothing
is ever fetched (the browser half is in test_hostile_text_browser.py)."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from accord.app import _logic as L  # noqa: E402
from accord.app import streamlit_script  # noqa: E402
from accord.app._plain import ZWSP, plain, shown  # noqa: E402
from tests.app.hostile import canary  # noqa: E402

# an unescaped Markdown image or link, raw HTML, a bare URL that would be autolinked, an icon code
LIVE = re.compile(r"(?<!\\)!(?<!\\)\[|(?<!\\)\]\(|(?<!\\)<[a-z]|https?://|www\.|(?<!\\):material")


def _live(text: str) -> bool:
    return bool(LIVE.search(text))


@pytest.mark.parametrize("text", [
    "![t](http://127.0.0.1:9/x.png)", "<img src=x>", "[a](http://h/)", ":material/home:",
    "http://h/x", "www.h.invalid", "a@b.c", ":red[x]", "$x$", "**b**", "# h", "`c`",
])
def test_plain_leaves_nothing_live_and_reads_back(text):
    out = plain(text)
    assert not _live(out), out
    assert shown(out) == text


def test_plain_breaks_autolinks_with_a_zero_width_space():
    assert ZWSP in plain("http://host/x") and ZWSP in plain("www.host.org")
    assert ZWSP in plain(":material/home:")


def _all_text(at) -> list[tuple[str, str]]:
    """(kind, Markdown source) of every element and label that Streamlit renders as Markdown."""
    found = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "error", "warning",
                 "info", "success"):
        found += [(kind, e.value) for e in getattr(at, kind)]
    for kind in ("slider", "radio", "selectbox", "number_input", "text_input", "multiselect"):
        found += [(f"{kind} label", w.label) for w in getattr(at, kind)]
    found += [("radio option", str(o)) for r in at.radio for o in r.options]
    found += [("expander", e.label) for e in at.expander]
    for t in at.table:
        found += [("table index", str(i)) for i in t.value.index]
        found += [("table cell", str(v)) for v in t.value.to_numpy().ravel()]
    return found


def test_app_shows_hostile_text_literally():
    with canary() as c:
        at = AppTest.from_file(str(streamlit_script()), default_timeout=120)
        at.session_state["models"] = ["compromise", "median"]
        at.run()
        at.radio(key="source").set_value("Upload a file").run()
        at.file_uploader[0].set_value((c.file_name(), c.yaml().encode(), "text/yaml")).run()
        assert not at.exception and not at.error, (at.exception, at.error)
        t = c.texts()
        views = ["Variant A", "Compare A vs B", "About this scenario"]
        seen = []
        for view in views:
            at.radio(key="view").set_value(view).run()
            assert not at.exception, at.exception
            seen += _all_text(at)
        live = [(k, v) for k, v in seen if _live(v)]
        assert not live, live
        text = [shown(v) for _, v in seen]
        assert t["name"] in text  # the subheader: the whole name, literally
        assert any(t["actor"] in s for s in text)  # slider labels, the expander
        assert t["label"] in text  # the forecast table's index
        assert any(c.file_name() in s for s in text)  # the caption naming the source
        assert not c.hits  # (AppTest renders nothing, but nothing on the server side fetched)


def test_hostile_upload_refusal_is_plain():
    with canary() as c:
        at = AppTest.from_file(str(streamlit_script()), default_timeout=120)
        at.session_state["models"] = ["compromise"]
        at.run()
        at.radio(key="source").set_value("Upload a file").run()
        bad = c.yaml().replace("capability: 3", f"capability: '![c]({c.url}/err.png)'")
        at.file_uploader[0].set_value((c.file_name(), bad.encode(), "text/yaml")).run()
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and not _live(errors[0]), errors
        assert c.file_name() in shown(errors[0])


def test_report_escapes_hostile_text():
    from accord.scenario import scenario_from_text

    with canary() as c:
        sc = scenario_from_text(c.yaml(), "hostile.yaml")
        html = L.report_html(sc, c.yaml(), draws=0)
        for s in c.texts().values():  # HTML is escaped; Markdown means nothing in HTML
            assert "<" not in s or s not in html
        # raw tags nowhere (embedded JSON data writes '<' as \u003c)
        assert "<img" not in html and "<iframe" not in html
