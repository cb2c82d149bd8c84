"""PDFs made from our own HTML with WeasyPrint, which fetches nothing: every stylesheet, image and
font a document needs is inline, so a PDF never reaches out to a URL (a link in a young person's
data cannot make the server fetch it)."""

from __future__ import annotations


def pdf_from_html(html: str) -> bytes:
    """The PDF of `html`; a resource it points to is left out, never fetched."""
    # imported on use: WeasyPrint loads Pango
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetchingError

    class FetchNothing(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> object:
            raise URLFetchingError(f"A PDF fetches nothing ({url}).")

    return bytes(HTML(string=html, url_fetcher=FetchNothing()).write_pdf())
