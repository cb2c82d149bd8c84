"""Our PDFs fetch nothing: a URL in a document (a young person's text, say) never makes the
server reach out to it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from impactlog.core.pdf import pdf_from_html

pytestmark = pytest.mark.pure


def test_a_pdf_is_made_without_fetching_what_its_html_points_to() -> None:
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        pdf = pdf_from_html(
            f'<link rel="stylesheet" href="{base}/style.css">'
            f'<p>Fox</p><img src="{base}/photo.png" alt="">'
            f"<style>@font-face {{ font-family: x; src: url({base}/font.woff); }}</style>"
        )
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF")
    assert asked == []
