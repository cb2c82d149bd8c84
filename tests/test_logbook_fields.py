"""A session's fields are declared once (`logbook/fields.py`); every list of them follows."""

from __future__ import annotations

import dataclasses

from impactlog.logbook import fields as session_fields
from impactlog.logbook import services
from impactlog.logbook.io.exporters import SessionsExporter, cell_columns
from impactlog.logbook.io.importers.columns import columns_for
from impactlog.logbook.models import Session
from impactlog.logbook.views.forms import ENTRY_FIELDS, SessionForm
from impactlog.network.services import default_bands

# What a session row holds besides what a person records: keys, owner and bookkeeping.
BOOKKEEPING = {"id", "activity", "node", "version", "created_by", "created_at", "updated_at"}


def test_every_field_of_the_model_is_declared_once() -> None:
    model_fields = [f.name for f in Session._meta.concrete_fields if f.name not in BOOKKEEPING]
    assert model_fields == session_fields.NAMES


def test_session_input_has_an_attribute_for_each_entered_field() -> None:
    # Beyond the session's own fields: the head-counts, a total without them, the reflections.
    others = {"counts", "total", "reflections"}
    attributes = [f.name for f in dataclasses.fields(services.SessionInput)]
    assert [name for name in attributes if name not in others] == [
        f.name for f in session_fields.ENTERED
    ]


def test_the_audit_snapshot_and_the_save_cover_every_declared_field() -> None:
    assert services.SESSION_FIELDS == session_fields.NAMES
    data = services.SessionInput(date=services.dt.date(2026, 1, 5), start_time=services.dt.time(15))
    assert list(services.session_values(data, 60)) == session_fields.NAMES


def test_the_entry_form_asks_for_every_entered_field_with_a_label() -> None:
    form = SessionForm(activities=Session.all_objects.none())
    labelled = [f.name for f in session_fields.ENTERED if f.label is not None]
    assert [f.name for f in ENTRY_FIELDS] == labelled
    for declared in ENTRY_FIELDS:
        assert form.fields[declared.name].label == declared.label
    # How many came is asked as a total or as the head-counts, never as the field itself.
    assert "participants" not in form.fields and "breakdown_known" not in form.fields


def test_the_export_and_the_import_take_their_columns_from_the_declaration() -> None:
    bands = default_bands()
    cells = [column for column, _g, _b in cell_columns(bands)]
    exporter = SessionsExporter(node=None, period=None)  # its headers need no database
    exporter.__dict__["cells"] = cell_columns(bands)
    assert exporter.headers() == [
        "unit",
        "activity",
        "kind",
        *(f.column for f in session_fields.HEAD),
        *cells,
        *(f.column for f in session_fields.TAIL),
    ]
    imported = [f.import_column for f in session_fields.SESSION if f.import_column]
    assert [c for c in columns_for(bands) if c != "activity" and c not in cells] == imported
