"""Helpers shared by the export and import tests."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.test import Client
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
