"""The learning summary as a PDF (WeasyPrint), from the same template as its page's printable
part. It fetches nothing: the document has no outside resources and any URL is refused."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from impactlog.progress.queries import Summary


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"The summary fetches nothing ({url}).")


def html_of(summary: Summary, language: str) -> str:
    return render_to_string(
        "progress/summary_document.html", {"summary": summary, "language": language}
    )


def pdf_of(summary: Summary, language: str) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango

    return bytes(HTML(string=html_of(summary, language), url_fetcher=_refuse).write_pdf())
