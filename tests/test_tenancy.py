"""The tenancy layer: every table declares its owner; authorise and resolve any tenant object;
shared network data is readable through the default manager by the network's members."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from impactlog.accounts.models import User
from impactlog.glossary.models import Definition, DefinitionQuestion
from impactlog.logbook.models import Activity, Session, SessionCount
from impactlog.network.models import NetworkSettings, Tag
from impactlog.tenancy.models import GLOBAL_MODELS, Node, TenantModel
from impactlog.tenancy.permissions import acting_as, authorize, resolve
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.scoping import ScopeError, scope

from .conftest import World
from .logbook_fixtures import record

pytestmark = pytest.mark.django_db


def _definition(network: Node) -> Definition:
    return Definition.all_objects.create(
        node=network, key="test-term", term="Test term", text="What it means."
    )


def test_every_model_is_owned_by_a_node_or_declared_global() -> None:
    undeclared = [
        model._meta.label_lower
        for model in apps.get_models()
        if not issubclass(model, TenantModel)
        and model._meta.label_lower not in GLOBAL_MODELS
        and not model._meta.auto_created  # many-to-many tables follow their model
    ]
    assert undeclared == []


def test_the_list_of_global_models_names_only_models_that_exist_and_are_not_tenant_owned() -> None:
    labels = {model._meta.label_lower: model for model in apps.get_models()}
    for label in GLOBAL_MODELS:
        assert label in labels, label
        assert not issubclass(labels[label], TenantModel), label


def test_every_owner_declaration_leads_to_a_node(world: World, walter: User, drop_in) -> None:
    session = record(walter, drop_in, counts={("girls", "13_15"): 2})
    count = SessionCount.all_objects.get(session=session)
    for obj in (world.harbour, drop_in, session, count):
        assert obj.owner_node() == world.harbour
    for model in apps.get_models():
        if issubclass(model, TenantModel) and model.tenant_owner:
            # The lookup is valid: a query along it compiles.
            str(model.all_objects.filter(**{f"{model.tenant_owner}__path": "/"}).query)


def test_a_tenant_model_read_outside_any_scope_refuses() -> None:
    with pytest.raises(ScopeError):
        list(Session.objects.all())


def test_shared_network_data_is_read_through_the_default_manager_by_members(
    world: World, walter: User, otto: User, no_scope: None
) -> None:
    tag = Tag.all_objects.create(owner=world.network, vocabulary="topic", key="music", name="Music")
    definition = _definition(world.network)
    with acting_as(walter):  # a youth worker of a unit far below the network
        assert Tag.objects.filter(pk=tag.pk).exists()
        assert Definition.objects.filter(pk=definition.pk).exists()
        # …but not the other units' records, nor another tree's shared data.
        assert not Node.objects.filter(pk=world.hill.pk).exists()
    with acting_as(otto):
        assert not Tag.objects.filter(pk=tag.pk).exists()
        assert not Definition.objects.filter(pk=definition.pk).exists()


def test_records_are_not_shared_upwards_or_sideways(
    world: World, walter: User, hill_club: Activity, drop_in: Activity
) -> None:
    with scope([world.harbour.path]):
        assert list(Activity.objects.all()) == [drop_in]


def test_authorize_checks_the_object_not_the_url(
    world: World, walter: User, maria: User, hill_club: Activity, drop_in: Activity
) -> None:
    authorize(walter, Perm.EDIT_RECORDS, drop_in)
    with pytest.raises(PermissionDenied):
        authorize(walter, Perm.EDIT_RECORDS, hill_club)
    authorize(None, Perm.EDIT_RECORDS, hill_club)  # the system


def test_network_level_permissions_are_checked_at_the_top_of_the_tree(
    world: World, carl: User, alice: User, no_scope: None
) -> None:
    settings = NetworkSettings(owner=world.network)
    # carl coordinates the municipality: definitions.edit is his there, but it is checked at
    # the network, where he holds no role.
    with pytest.raises(PermissionDenied):
        authorize(carl, Perm.EDIT_DEFINITIONS, world.region)
    with pytest.raises(PermissionDenied):
        authorize(carl, Perm.EDIT_DEFINITIONS, settings)
    authorize(alice, Perm.EDIT_DEFINITIONS, world.harbour)
    authorize(alice, Perm.EDIT_DEFINITIONS, settings)


def test_resolve_answers_404_outside_the_tree_and_403_inside_without_the_right(
    world: World, walter: User, otto: User, carl: User, drop_in: Activity
) -> None:
    session = record(walter, drop_in)
    assert resolve(walter, Session, session.pk, Perm.EDIT_RECORDS) == session
    with pytest.raises(PermissionDenied):
        resolve(carl, Session, session.pk, Perm.VIEW_RECORDS)
    with pytest.raises(Http404):
        resolve(otto, Session, session.pk, Perm.VIEW_RECORDS)
    for bad in (987654321, "x", "²", 10**30):
        with pytest.raises(Http404):
            resolve(walter, Session, bad, Perm.VIEW_RECORDS)


def test_resolve_finds_shared_rows_for_members_below_their_owner(
    world: World, walter: User, otto: User
) -> None:
    definition = _definition(world.network)
    assert resolve(walter, Definition, definition.pk, Perm.VIEW_NODE) == definition
    with pytest.raises(PermissionDenied):
        resolve(walter, Definition, definition.pk, Perm.EDIT_DEFINITIONS)
    with pytest.raises(Http404):
        resolve(otto, Definition, definition.pk, Perm.VIEW_NODE)


def test_a_question_is_read_at_its_place_until_the_network_answers_it(
    world: World, walter: User, alice: User, otto: User, hill_club: Activity, no_scope: None
) -> None:
    from impactlog.glossary import services as glossary

    hilda = User.objects.get(email="h@example.org")  # manager of Hill, from hill_club
    glossary.ensure_glossary(world.network)
    definition = Definition.all_objects.get(node=world.network, key="visit")
    question = glossary.ask_question(hilda, definition, world.hill, "Jānis (15) from Hill: count?")
    # It may name a young person: Harbour's worker does not read it…
    with acting_as(walter):
        assert not DefinitionQuestion.objects.filter(pk=question.pk).exists()
    with pytest.raises(Http404):
        resolve(walter, DefinitionQuestion, question.pk, Perm.VIEW_NODE)
    # …its place and the top of the network do.
    for reader in (hilda, alice):
        with acting_as(reader):
            assert DefinitionQuestion.objects.filter(pk=question.pk).exists()
        assert resolve(reader, DefinitionQuestion, question.pk, Perm.VIEW_NODE) == question
    glossary.answer_question(alice, question, "Yes, if he took part.")
    # Answered, it is the network's: every member reads it, nobody outside.
    with acting_as(walter):
        assert DefinitionQuestion.objects.filter(pk=question.pk).exists()
    question.refresh_from_db()
    assert resolve(walter, DefinitionQuestion, question.pk, Perm.VIEW_NODE) == question
    with acting_as(otto):
        assert not DefinitionQuestion.objects.filter(pk=question.pk).exists()
    with pytest.raises(Http404):
        resolve(otto, DefinitionQuestion, question.pk, Perm.VIEW_NODE)


def test_the_tenancy_layer_imports_nothing_built_on_it() -> None:
    """No import cycle: tenancy imports only itself, core's domain-free helpers and the user
    model (which imports nothing of ours); apps built on it answer its questions through
    tenancy/holders.py instead of being imported."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "impactlog" / "tenancy"
    allowed = ("impactlog.tenancy", "impactlog.core.countries", "impactlog.accounts.models")
    found = []
    for module in package.rglob("*.py"):
        if "migrations" in module.parts:
            continue
        for node in ast.walk(ast.parse(module.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                if name.startswith("impactlog") and not name.startswith(allowed):
                    found.append(f"{module.relative_to(package)}: {name}")
    assert found == []
