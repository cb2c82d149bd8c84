"""A network may count in its own age bands, set before its first head-count."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from impactlog.logbook.models import Session
from impactlog.network import services as logbook_settings

from .conftest import World
from .logbook_fixtures import SETTINGS_FORM, record

# Read-side functions are called directly here, outside any request: no tenant scope.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

ENTRY = {
    "date": "2026-03-02",
    "start_time": "15:00",
    "end_time": "19:00",
    "mode": "on_site",
    "youth_producers": "0",
    "youth_minutes": "0",
    "staff": "0",
    "staff_minutes": "0",
    "volunteers": "0",
    "volunteer_minutes": "0",
}


def _set_bands(client: Any, world: World, text: str) -> Any:
    return client.post(
        reverse("network:settings", args=[world.harbour.pk]),
        {**SETTINGS_FORM, "bands": text},
    )


def test_a_network_counts_in_its_own_bands_everywhere(
    world: World, login, alice, walter, carl, drop_in
) -> None:
    _set_bands(login(alice), world, "10–14\n15-19\n20–26")
    assert [key for key, _label in logbook_settings.bands_for(world.harbour)] == [
        "10_14",
        "15_19",
        "20_26",
        "unknown",
    ]
    client = login(walter)
    entry = client.get(reverse("logbook:log", args=[world.harbour.pk]))
    assert entry.status_code == 200
    form = entry.content.decode()
    assert "15–19" in form and "Under 13" not in form
    response = client.post(
        reverse("logbook:log", args=[world.harbour.pk]),
        {**ENTRY, "activity": drop_in.pk, "c_girls_15_19": "3", "c_boys_20_26": "2"},
    )
    assert response.status_code == 302
    session = Session.all_objects.get()
    assert {(c.gender, c.age_band, c.count) for c in session.counts.all()} == {
        ("girls", "15_19", 3),
        ("boys", "20_26", 2),
    }
    figures = (
        login(carl)
        .get(
            reverse("logbook:figures", args=[world.region.pk]),
            {"kind": "year", "start": "2026-01-01"},
        )
        .content.decode()
    )
    assert '<th scope="row">15–19</th>' in figures
    export = login(walter).get(
        reverse("logbook:export_sessions_csv", args=[world.harbour.pk]),
        {"kind": "year", "start": "2026-01-01"},
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0]["girls_15_19"] == "3" and "girls_13_15" not in rows[0]


def test_an_import_uses_the_networks_bands(world: World, login, alice, walter, drop_in) -> None:
    _set_bands(login(alice), world, "10–14\n15–19")
    client = login(walter)
    template = client.get(reverse("logbook:import_template_csv", args=[world.harbour.pk]))
    header = b"".join(template.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert "girls_10_14" in header and "girls_13_15" not in header
    content = b"activity,date,start,end,girls_10_14,boys_15_19\n" + (
        b"Open evenings,2026-03-02,15:00,19:00,4,5\n"
    )
    client.post(
        reverse("logbook:import", args=[world.harbour.pk]),
        {"file": SimpleUploadedFile("s.csv", content)},
    )
    with TestCase.captureOnCommitCallbacks(execute=True):  # the import is a job
        client.post(reverse("logbook:import_check", args=[world.harbour.pk]), {})
    assert Session.all_objects.get().participants == 9
    wrong = b"activity,date,start,girls_13_15\nOpen evenings,2026-03-03,15:00,4\n"
    response = client.post(
        reverse("logbook:import", args=[world.harbour.pk]),
        {"file": SimpleUploadedFile("s.csv", wrong)},
    )
    assert "Unknown columns: girls_13_15." in response.content.decode()


def test_bands_change_only_before_the_first_head_count(
    world: World, login, alice, walter, drop_in
) -> None:
    record(walter, drop_in, counts={("girls", "13_15"): 2})
    response = _set_bands(login(alice), world, "10–14")
    assert "can only be changed before the first head-count" in response.content.decode()
    assert logbook_settings.bands_for(world.harbour)[0][0] == "u13"


def test_bands_are_written_in_order_without_overlaps() -> None:
    assert logbook_settings.parse_bands(" 10-14 \n\n15–19") == [[10, 14], [15, 19]]
    for text, message in [
        ("10–14\n12–16", "without overlapping"),
        ("14–10", "must not be above"),
        ("teens", "two ages"),
    ]:
        with pytest.raises(ValidationError, match=message):
            logbook_settings.parse_bands(text)
