"""User text shown as plain text in the app.

Scenario names, labels, descriptions, actor names and file names come from files a user may have
been sent. Streamlit renders Markdown (and its own extensions: ``:red[...]`` colours,
``:emoji:`` short codes, ``:material/icon:`` icons, ``$...$`` LaTeX) in headers, captions,
``st.markdown``, widget labels, radio options, expander labels and ``st.table`` cells; a name
holding ``![t](http://host/x.png)`` would make the browser fetch a remote URL, and a bare
``http://host`` becomes a link. Every piece of user text passes through :func:`plain` before it
reaches such an element.
"""

from __future__ import annotations

import re
from typing import Any

#: Zero-width space: invisible, but a URL, e-mail address or icon code broken by it is no
#: longer recognised (GitHub-flavoured Markdown autolinks ``www.``, ``http://``, ``a@b.c``).
ZWSP = "\u200b"

# Markdown punctuation (CommonMark: any ASCII punctuation may be backslash-escaped), plus
# Streamlit's ':' (colour directives, emoji and icon short codes) and '$' (LaTeX).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=@%^;?,/])")
# what autolinking and icon codes look for, broken by a zero-width space before escaping
_AUTOLINK = re.compile(r"(?i)(://|www\.|@|:material/|:[a-z_]+:)")


def _break(m: re.Match[str]) -> str:
    s = m.group(0)
    return s[0] + ZWSP + s[1:]


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it literally, on one line: no link, image, HTML,
    icon, colour or formula is ever made from it."""
    s = " ".join(str(text).split())  # no line breaks: a newline could start a block
    s = _AUTOLINK.sub(_break, s)
    return _SPECIAL.sub(r"\\\1", s)


def plain_table(df: Any, columns: tuple[str, ...] = ()) -> Any:
    """A copy of a DataFrame for ``st.table`` (which renders cells as Markdown) with its index
    and the text cells of ``columns`` (those holding user text) through :func:`plain`."""
    out = df.copy()
    out.index = [plain(v) if isinstance(v, str) else v for v in out.index]
    out.index.name = df.index.name
    for col in columns:
        out[col] = [plain(v) if isinstance(v, str) else v for v in out[col]]
    return out


def shown(markdown: str) -> str:
    """What a reader sees of :func:`plain`'s output (its inverse, for tests and checks)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(ZWSP, "")
