"""The printable guardian consent form: one document, shown as a page (printed from the
browser, with the print styles of site.css) or made into a PDF with WeasyPrint, which fetches
nothing (its styles are in the document, and any URL it meets is refused)."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from impactlog.core.pdf import pdf_from_html
from impactlog.participants import services
from impactlog.tenancy.models import Node

STYLES = "impactlog/guardian-paper.css"


def context_for(unit: Node, language: str, alias: str) -> dict[str, Any]:
    """What the form says: the unit, its organisation, the current notice in `language`."""
    organisation = services.organisation_of(unit)
    notice = services.current_notice(organisation)
    return {
        "language": language,
        "alias": alias.strip(),
        "unit": unit,
        "organisation": organisation,
        "notice": notice,
        "notice_text": notice.text_in(language) if notice else "",
    }


def html_of(document: dict[str, Any]) -> str:
    path = finders.find(STYLES)
    assert isinstance(path, str)
    with open(path, encoding="utf-8") as styles:
        css = styles.read()
    with translation.override(document["language"]):
        return render_to_string("participants/guardian_paper_doc.html", {**document, "css": css})


def pdf_of(document: dict[str, Any]) -> bytes:
    return pdf_from_html(html_of(document))
