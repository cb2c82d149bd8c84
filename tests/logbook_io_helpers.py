"""Helpers shared by the export and import tests."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from impactlog.logbook.models import Session
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .logbook_fixtures import MONDAY, drop_in, record  # noqa: F401  (drop_in: a fixture)

YEAR_2026 = {"kind": "year", "start": "2026-01-01"}


def _body(response: Any) -> bytes:
    assert response.streaming, "exports are streamed"
    return b"".join(response.streaming_content)


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_body(response).decode("utf-8-sig"))))


def _export(client: Client, name: str, node_pk: int, **params: str) -> Any:
    return client.get(reverse(f"logbook:{name}", args=[node_pk]), params)


def _audit(action: str) -> list[AuditEntry]:
    with unscoped():
        return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def _sessions() -> list[Session]:
    return list(Session.all_objects.order_by("date", "start_time"))


# Exports


# Imports: workbooks written by hand, as a hostile sender would (no binary file is committed).

_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORKBOOK_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org'
        '/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_SHEET_NS}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="sessions" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
    ),
}


def _cells(row: int, values: list[str]) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join(
        f'<c r="{letters[i]}{row}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )


def workbook(
    *chunks: bytes,
    dimension: str = "",
    header: tuple[str, ...] = ("activity", "date", "start"),
    prolog: str = "",
) -> bytes:
    """An XLSX file whose first sheet has the column names in row 1 and then `chunks` of raw
    XML inside its <sheetData>, written as a stream."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _WORKBOOK_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'.encode())
            sheet.write(f'<worksheet xmlns="{_SHEET_NS}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(f'<sheetData><row r="1">{_cells(1, list(header))}</row>'.encode())
            for chunk in chunks:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def good_row(row: int) -> bytes:
    return f'<row r="{row}">{_cells(row, ["Open evenings", "2026-10-05", "15:00"])}</row>'.encode()


def hostile_workbooks() -> dict[str, bytes]:
    """The three workbooks of issue 8, a zip bomb, and two that a review found: one row
    number repeated five million times, and one row of four million cells."""
    return {
        "a million blank rows, no dimension": workbook(
            b"".join(f'<row r="{n}"/>'.encode() for n in range(2, 1_000_002))
        ),
        "one cell at row 3,000,000": workbook(
            b'<row r="3000000"><c r="A3000000" t="inlineStr"><is><t>x</t></is></c></row>'
        ),
        "10 million rows": workbook(b"<row/>" * 10_000_000),
        "a sheet that unpacks to 100 MB": workbook(b" " * (100 * 1024 * 1024)),
        "one row number five million times": workbook(b'<row r="2"/>' * 5_000_000),
        "one row of four million cells": workbook(b'<row r="2">' + b"<c/>" * 4_000_000 + b"</row>"),
    }


# Importing through the pages.

HEADER = "activity,date,start,end,minutes,mode,participants_total,girls_13_15,boys_16_18,"
HEADER += "youth_producers,staff,staff_minutes,notes"
GOOD_ROWS = [
    "Open evenings,2026-10-05,15:00,19:00,,on_site,,4,6,1,2,480,Table tennis",
    "Open evenings,12.10.2026,15:00,,90,,15,,,,1,90,No breakdown",
]


def _file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def _upload(client: Client, node_pk: int, content: bytes, name: str = "s.csv", **extra: Any) -> Any:
    """Send a file; a job started by the request (the check of a large file) runs after it."""
    upload = SimpleUploadedFile(name, content)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("logbook:import", args=[node_pk]), {"file": upload, **extra})


def _check(client: Client, node_pk: int) -> Any:
    return client.get(reverse("logbook:import_check", args=[node_pk]))


def _confirm(client: Client, node_pk: int, **data: str) -> Any:
    """Confirm the import; the import job it starts runs after the request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("logbook:import_check", args=[node_pk]), data)
