from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError

from impactlog.jobs.registry import kinds, registered
from impactlog.logbook import services as logbook
from impactlog.logbook.io.exporters import PeriodExporter
from impactlog.logbook.models import ReflectionAnswer, Session, SessionCount, SessionRevision
from impactlog.logbook.services import SessionInput
from impactlog.network import services as logbook_settings
from impactlog.structure import services
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AppendOnlyError, AuditEntry, Node, NodeKind
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .logbook_fixtures import record


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(world: World, alice) -> None:
    with unscoped():
        services.update_node(alice, world.hill, name="Hill Youth House")
        entry = AuditEntry.all_objects.filter(action="node.updated").get()
    assert entry.changes == {"name": ["Hill Youth Centre", "Hill Youth House"]}
    assert entry.actor == alice
    entry.action = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.all_objects.all().update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.all_objects.all().delete()


@pytest.mark.django_db
def test_a_change_that_changes_nothing_writes_no_entry(world: World, alice) -> None:
    services.update_node(alice, world.hill, name="Hill Youth Centre")
    assert not AuditEntry.all_objects.filter(action="node.updated").exists()


@pytest.mark.django_db
def test_an_invalid_change_is_refused_and_writes_no_audit_entry(world: World, alice) -> None:
    from django.core.exceptions import ValidationError

    before = AuditEntry.all_objects.count()
    with pytest.raises(ValidationError):
        services.update_node(alice, world.hill, name="")
    assert AuditEntry.all_objects.count() == before
    world.hill.refresh_from_db()
    assert world.hill.name == "Hill Youth Centre"


# Typed actions: every action has a label, and nothing else can be recorded.

PACKAGE = Path(__file__).resolve().parent.parent / "impactlog"


def _is_record_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "record"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "audit"
    )


def _action_values(expr: ast.expr, scope: ast.AST, exporters: list[str]) -> list[str]:
    """Every action string the expression can take: literals, enum members, a conditional, a
    local variable assigned one of those, or the exporters' f"export.{name}"."""
    if ast.unparse(expr) == "runner.audit_action":  # a job kind's, declared when registered
        return [registered(kind).audit_action.value for kind in kinds()]
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        assert expr.value.id == "AuditAction", ast.unparse(expr)
        return [AuditAction[expr.attr].value]
    if isinstance(expr, ast.IfExp):
        return _action_values(expr.body, scope, exporters) + _action_values(
            expr.orelse, scope, exporters
        )
    if isinstance(expr, ast.Name):
        assigned = [
            node.value
            for node in ast.walk(scope)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
        ]
        assert assigned, f"{expr.id} is never assigned"
        return [value for a in assigned for value in _action_values(a, scope, exporters)]
    if isinstance(expr, ast.JoinedStr) and ast.unparse(expr) == "f'export.{exporter.name}'":
        return [f"export.{name}" for name in exporters]
    raise AssertionError(f"cannot tell which action {ast.unparse(expr)} is")


def test_every_action_recorded_anywhere_is_an_audit_action_with_a_label() -> None:
    exporters = [cls.name for cls in PeriodExporter.__subclasses__()]
    assert exporters
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for call in (n for n in ast.walk(tree) if _is_record_call(n)):
            scope = next((f for f in functions if any(c is call for c in ast.walk(f))), tree)
            action = call.args[1] if len(call.args) > 1 else None
            action = next((k.value for k in call.keywords if k.arg == "action"), action)
            assert action is not None, f"{path}:{call.lineno} records no action"
            for value in _action_values(action, scope, exporters):
                found.setdefault(value, []).append(f"{path.name}:{call.lineno}")
    assert len(found) > 30  # the walk found the callers
    unknown = {value: where for value, where in found.items() if value not in AuditAction.values}
    assert not unknown
    for value in found:
        assert str(AuditAction(value).label) not in ("", value)


def test_every_audit_action_has_a_label_of_its_own() -> None:
    labels = [str(action.label) for action in AuditAction]
    assert all(label and label not in AuditAction.values for label in labels)
    assert len(set(labels)) == len(labels)
    assert audit.action_label("tag.created") == "Topic added"
    assert audit.action_label("retired.action") == "retired.action"  # an old entry shows as is


@pytest.mark.django_db
def test_an_unknown_action_is_refused_and_nothing_is_written(world: World) -> None:
    before = AuditEntry.all_objects.count()
    with pytest.raises(ValueError, match=r"node\.renamed"):
        audit.record(None, "node.renamed", world.hill, node=world.hill)
    assert AuditEntry.all_objects.count() == before
    entry = audit.record(None, AuditAction.NODE_UPDATED, world.hill, node=world.hill)
    literal = audit.record(None, "node.updated", world.hill, node=world.hill)
    assert entry.action == literal.action == "node.updated"


def _audit_fails_after(monkeypatch: pytest.MonkeyPatch, observe: Callable[[], Any]) -> list[Any]:
    """Make writing any audit entry fail. Just before it fails, `observe` looks at the database
    (inside the change's transaction) and what it saw is appended to the returned list."""
    observed: list[Any] = []

    def save(entry: AuditEntry, *args: Any, **kwargs: Any) -> None:
        observed.append(observe())
        raise DatabaseError("the audit trail cannot be written")

    monkeypatch.setattr(AuditEntry, "save", save)
    return observed


@pytest.mark.django_db
def test_a_renamed_place_whose_audit_entry_fails_keeps_its_name(
    world: World, alice, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = AuditEntry.all_objects.count()
    observed = _audit_fails_after(monkeypatch, lambda: Node.all_objects.get(pk=world.hill.pk).name)
    with unscoped(), pytest.raises(DatabaseError):
        services.update_node(alice, world.hill, name="Hill Youth House")
    assert observed == ["Hill Youth House"]  # the place was saved before the audit failed
    assert Node.all_objects.get(pk=world.hill.pk).name == "Hill Youth Centre"
    assert AuditEntry.all_objects.count() == before


@pytest.mark.django_db
def test_a_new_place_whose_audit_entry_fails_is_not_added(
    world: World, alice, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = Node.all_objects.count()
    observed = _audit_fails_after(
        monkeypatch, lambda: list(Node.all_objects.filter(slug="dunes").values_list("path"))
    )
    with unscoped(), pytest.raises(DatabaseError):
        services.create_node(
            alice,
            world.region,
            kind=NodeKind.UNIT,
            name="Dunes Youth Centre",
            slug="dunes",
            country="LV",
            language="lv",
            time_zone="Europe/Riga",
        )
    [(path,)] = observed[0]
    assert path.startswith(world.region.path)  # saved, path and all, before the audit failed
    assert Node.all_objects.count() == places
    assert not Node.all_objects.filter(slug="dunes").exists()


def _session_rows() -> tuple[int, int, int, int]:
    return (
        Session.all_objects.count(),
        SessionCount.all_objects.count(),
        SessionRevision.all_objects.count(),
        ReflectionAnswer.all_objects.count(),
    )


@pytest.mark.django_db
def test_a_session_whose_audit_entry_fails_is_not_recorded(
    world: World, walter, maria, drop_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    with unscoped():
        question = logbook_settings.add_question(maria, world.harbour, "What went well?")
    before = AuditEntry.all_objects.count()
    observed = _audit_fails_after(monkeypatch, _session_rows)
    with pytest.raises(DatabaseError):
        record(
            walter,
            drop_in,
            counts={("girls", "13_15"): 4, ("boys", "16_18"): 3},
            youth_producers=2,
            reflections={question.pk: "They ran the quiz themselves."},
        )
    assert observed == [(1, 2, 1, 1)]  # session, counts, revision and answer were all saved
    assert _session_rows() == (0, 0, 0, 0)
    assert AuditEntry.all_objects.count() == before


@pytest.mark.django_db
def test_a_change_to_a_session_whose_audit_entry_fails_leaves_it_as_it_was(
    world: World, walter, drop_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = record(walter, drop_in, counts={("girls", "13_15"): 4}, staff=1)
    before = AuditEntry.all_objects.count()
    observed = _audit_fails_after(
        monkeypatch,
        lambda: Session.all_objects.values_list("participants", "version", "staff").get(),
    )
    changed = SessionInput(
        date=session.date,
        start_time=session.start_time,
        end_time=session.end_time,
        counts={("girls", "13_15"): 9, ("boys", "u13"): 2},
        staff=3,
    )
    with unscoped(), pytest.raises(DatabaseError):
        logbook.update_session(walter, session, changed, expected_version=1)
    assert observed == [(11, 2, 3)]
    assert Session.all_objects.values_list("participants", "version", "staff").get() == (4, 1, 1)
    assert {(c.gender, c.age_band, c.count) for c in SessionCount.all_objects.all()} == {
        ("girls", "13_15", 4)
    }
    assert SessionRevision.all_objects.filter(session=session).count() == 1
    assert AuditEntry.all_objects.count() == before
