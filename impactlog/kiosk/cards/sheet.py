"""A sheet of kiosk cards: each card's QR code as inline SVG (segno), in HTML for the browser's
print and as a PDF (WeasyPrint, which fetches nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from impactlog.core.pdf import pdf_from_html
from impactlog.kiosk.cards.services import IssuedCard

PER_PAGE = 8  # two columns of four on A4


@dataclass(frozen=True)
class PrintedCard:
    alias: str
    qr: SafeString


def qr_svg(text: str) -> SafeString:
    """The QR code as an SVG element that scales to its box (no width or height of its own)."""
    code = segno.make(text, error="m", micro=False)
    # segno writes only its own markup around the code's text, which is capitals, digits, dashes
    svg = code.svg_inline(
        border=4, omitsize=True, svgclass="kiosk-qr", title=_("QR code of the card")
    )
    return mark_safe(svg)  # noqa: S308


def printed(cards: list[IssuedCard]) -> list[list[PrintedCard]]:
    """The cards in pages of eight."""
    shown = [PrintedCard(c.participant.alias, qr_svg(c.text)) for c in cards]
    return [shown[i : i + PER_PAGE] for i in range(0, len(shown), PER_PAGE)]


def pdf_of(context: dict[str, Any]) -> bytes:
    html = render_to_string("kiosk/cards/sheet_pdf.html", context)
    return pdf_from_html(html)
