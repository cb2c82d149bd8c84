"""The learning summary as a PDF (WeasyPrint), from the same template as its page's printable
part. It fetches nothing: the document has no outside resources and any URL is refused."""

from __future__ import annotations

from django.template.loader import render_to_string

from impactlog.core.pdf import pdf_from_html
from impactlog.progress.queries import Summary


def html_of(summary: Summary, language: str) -> str:
    return render_to_string(
        "progress/summary_document.html", {"summary": summary, "language": language}
    )


def pdf_of(summary: Summary, language: str) -> bytes:
    return pdf_from_html(html_of(summary, language))
