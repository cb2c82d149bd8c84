"""The subject access export as a readable PDF in the reader's language (WeasyPrint).

The PDF is made from the same dictionary as the JSON (privacy.subject_access), so the two never
say different things. WeasyPrint fetches nothing: the page has no outside resources and any URL
it meets is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string

from impactlog.core.pdf import pdf_from_html
from impactlog.participants.models import ConsentKind, Gender, GivenBy, Method, Status
from impactlog.participants.privacy import EXPORT_TEMPLATES

LABELS: dict[str, Any] = {
    "gender": Gender,
    "status": Status,
    "kind": ConsentKind,
    "given_by": GivenBy,
    "method": Method,
}
MOMENTS = {
    "registered_at",
    "updated_at",
    "stopped_at",
    "anonymised_at",
    "given_at",
    "withdrawn_at",
    "issued_at",
    "revoked_at",
}


def _readable(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its codes as labels and its ISO 8601 times as datetimes, for the template."""
    shown = dict(row)
    for key, choices in LABELS.items():
        if row.get(key) in choices.values:
            shown[key] = choices(row[key]).label
    for key in MOMENTS & set(row):
        shown[key] = dt.datetime.fromisoformat(row[key]) if row[key] else None
    return shown


def html_of(export: dict[str, Any]) -> str:
    return render_to_string(
        "participants/export.html",
        {
            "export": export,
            "participant": _readable(export["participant"]),
            "consents": [_readable(consent) for consent in export["consents"]],
            "entries": [
                {**entry, "at": dt.datetime.fromisoformat(entry["at"])} for entry in export["audit"]
            ],
            # What other apps add (privacy.export_part), each shown by its own template.
            "parts": [
                {"template": template, "data": export[key]}
                for key, template in EXPORT_TEMPLATES.items()
                if key in export
            ],
        },
    )


def pdf_of(export: dict[str, Any]) -> bytes:
    return pdf_from_html(html_of(export))
