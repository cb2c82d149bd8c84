"""The world the logbook's service tests act in: a record of each kind at Harbour and at Hill
(`ctx`, a plugin of conftest.py), and the helpers they share."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from impactlog.accounts.models import User
from impactlog.glossary import services as glossary
from impactlog.glossary.models import Definition, DefinitionQuestion
from impactlog.logbook import files
from impactlog.logbook.models import Activity, Session, SessionFile
from impactlog.logbook.services import SessionInput
from impactlog.network import services as network
from impactlog.network.models import ReflectionQuestion, Tag
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .logbook_fixtures import MONDAY, record

#: The statements that write: none may run when a service refuses, or a page is only viewed.
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def png_upload() -> SimpleUploadedFile:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("mural.png", data, content_type="image/png")


def session_input(total: int = 9, day: dt.date = MONDAY, start: int = 15) -> SessionInput:
    return SessionInput(date=day, start_time=dt.time(start), end_time=dt.time(19), total=total)


@dataclass
class Ctx:
    """The world with a record of each kind at Harbour and at Hill."""

    world: World
    alice: User
    carl: User
    vera: User
    maria: User
    walter: User
    otto: User
    hilda: User  # manager of Hill
    drop_in: Activity  # Harbour
    hill_club: Activity  # Hill
    harbour_session: Session
    hill_session: Session
    hill_file: SessionFile
    hill_question: ReflectionQuestion
    tag: Tag
    visit: Definition
    asked: DefinitionQuestion


@pytest.fixture
def ctx(
    world: World,
    alice: User,
    carl: User,
    vera: User,
    maria: User,
    walter: User,
    otto: User,
    drop_in: Activity,
    hill_club: Activity,
) -> Ctx:
    hilda = User.objects.get(email="h@example.org")
    harbour_session = record(walter, drop_in, total=5)
    hill_session = record(hilda, hill_club, total=7)
    with unscoped():
        hill_file = files.attach_file(hilda, hill_session, png_upload(), "A drawing", False)
        hill_question = network.add_question(None, world.hill, "What did they decide?")
        tag = Tag.all_objects.get(owner=world.network, key="eu-5")
        visit = Definition.all_objects.get(node=world.network, key="visit")
        asked = glossary.ask_question(walter, visit, world.harbour, "Does a sibling count?")
    return Ctx(
        world,
        alice,
        carl,
        vera,
        maria,
        walter,
        otto,
        hilda,
        drop_in,
        hill_club,
        harbour_session,
        hill_session,
        hill_file,
        hill_question,
        tag,
        visit,
        asked,
    )


def tenant_tables() -> list[type[Any]]:
    """Every model of the apps these services write to, and the audit trail."""
    labels = ("logbook", "network", "glossary", "tenancy")
    return [m for m in apps.get_models() if m._meta.app_label in labels]


def tenant_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in tenant_tables()}
