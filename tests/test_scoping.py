from __future__ import annotations

import pytest

from impactlog.tenancy.models import AuditEntry, Membership, Node
from impactlog.tenancy.permissions import scope_paths
from impactlog.tenancy.scoping import ScopeError, scope, unscoped

from .conftest import World


@pytest.mark.django_db
def test_a_query_outside_any_scope_refuses_instead_of_leaking(world: World) -> None:
    with pytest.raises(ScopeError):
        list(Node.objects.all())
    with pytest.raises(ScopeError):
        Membership.objects.count()
    with pytest.raises(ScopeError):
        AuditEntry.objects.count()


@pytest.mark.django_db
def test_a_scope_shows_only_its_subtrees(world: World) -> None:
    with scope([world.region.path]):
        names = set(Node.objects.values_list("name", flat=True))
    assert names == {"Riverside Municipality", "Harbour Youth Centre", "Hill Youth Centre"}


@pytest.mark.django_db
def test_an_empty_scope_shows_nothing(world: World) -> None:
    with scope([]):
        assert Node.objects.count() == 0


@pytest.mark.django_db
def test_unscoped_is_explicit_and_sees_everything(world: World) -> None:
    with unscoped():
        assert Node.objects.count() == 6


@pytest.mark.django_db
def test_a_user_scope_is_the_subtrees_of_their_memberships(world: World, maria, otto) -> None:
    with scope(scope_paths(maria)):
        assert list(Node.objects.values_list("name", flat=True)) == ["Harbour Youth Centre"]
    with scope(scope_paths(otto)):
        assert set(Node.objects.values_list("name", flat=True)) == {
            "Other Organisation",
            "Other Club",
        }


@pytest.mark.django_db
def test_related_managers_are_scoped_too(world: World, maria) -> None:
    with scope(scope_paths(maria)):
        assert list(world.region.children.all()) == [world.harbour]
