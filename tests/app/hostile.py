"""A scenario whose user text holds Markdown images and links, bare URLs, HTML, Streamlit icon
and colour codes, all pointing at a loopback canary HTTP server that records every request."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Canary:
    """An HTTP server on 127.0.0.1 (a free port) that counts what is asked of it."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def texts(self) -> dict[str, str]:
        """Hostile strings, one per place user text comes from."""
        u = self.url
        return {
            "name": f"Talks ![t]({u}/name.png) <img src='{u}/name-html.png'> :material/home: "
                    f":red[red] $x^2$",
            "description": f"See [here]({u}/desc) and {u}/bare and www.example.invalid "
                           f"<iframe src='{u}/iframe'></iframe>",
            "label": f"Border ![l]({u}/label.png) <b>bold</b>",
            "actor": f"North ![a]({u}/actor.png) <img src={u}/actor-html.png> [x]({u}/link)",
            "anchor": f"Line ![n]({u}/anchor.png)",
        }

    def yaml(self) -> str:
        t = self.texts()

        def q(s: str) -> str:
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

        return (
            f"name: {q(t['name'])}\n"
            f"description: {q(t['description'])}\n"
            "issues:\n"
            f"  - id: border\n    label: {q(t['label'])}\n    scale: [0, 100]\n"
            f"    anchors: {{0: {q(t['anchor'])}}}\n"
            "actors:\n"
            f"  - id: north\n    name: {q(t['actor'])}\n    capability: 3\n"
            "    positions: {border: 90}\n    salience: {border: 80}\n"
            "    ranges: {border: [80, 100]}\n"
            "  - id: south\n    name: South\n    capability: 2\n"
            "    positions: {border: 10}\n    salience: {border: 60}\n"
        )

    def file_name(self) -> str:
        # no '/': an uploaded file's name is its last path part
        return "report ![f](cid:x) <b>bold :smile: &amp;.yaml"


@contextmanager
def canary() -> Iterator[Canary]:
    c = Canary()
    c.thread.start()
    try:
        yield c
    finally:
        c.server.shutdown()
        c.server.server_close()
