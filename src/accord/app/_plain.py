"""User text shown as plain text in the app.

Scenario names, labels, descriptions, actor names and file names come from files a user may have
been sent. Streamlit renders Markdown (and its own extensions: ``:red[...]`` colours,
``:emoji:`` short codes, ``$...$`` LaTeX) in headers, captions and ``st.markdown``; a name holding
``![t](http://host/x.png)`` would make the browser fetch a remote URL. Every piece of user text
passes through :func:`plain` before it reaches such an element.
"""

from __future__ import annotations

import re

# Markdown punctuation (CommonMark: any ASCII punctuation may be backslash-escaped), plus
# Streamlit's ':' (colour directives, emoji short codes) and '$' (LaTeX).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=])")


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it literally, on one line."""
    s = " ".join(str(text).split())  # no line breaks: a newline could start a block
    return _SPECIAL.sub(r"\\\1", s)
