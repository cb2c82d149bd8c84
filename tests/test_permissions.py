from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import has_perm, nodes_where, resolve, roles_at
from impactlog.tenancy.roles import Perm

from .conftest import World


@pytest.mark.django_db
def test_a_role_is_inherited_by_the_whole_subtree(world: World, alice, carl) -> None:
    assert has_perm(alice, Perm.MANAGE_STRUCTURE, world.harbour)
    assert has_perm(carl, Perm.VIEW_REPORTS, world.hill)
    assert not has_perm(carl, Perm.VIEW_REPORTS, world.network)


@pytest.mark.django_db
def test_a_coordinator_sees_figures_but_no_personal_data(world: World, carl) -> None:
    assert has_perm(carl, Perm.VIEW_REPORTS, world.harbour)
    assert not has_perm(carl, Perm.VIEW_PERSONAL, world.harbour)
    assert not has_perm(carl, Perm.EDIT_RECORDS, world.harbour)


@pytest.mark.django_db
def test_a_worker_records_only_in_their_units(world: World, walter) -> None:
    assert has_perm(walter, Perm.EDIT_RECORDS, world.harbour)
    assert not has_perm(walter, Perm.EDIT_RECORDS, world.hill)
    assert not has_perm(walter, Perm.MANAGE_MEMBERS, world.harbour)


@pytest.mark.django_db
def test_a_viewer_sees_reports_only(world: World, vera) -> None:
    assert has_perm(vera, Perm.VIEW_REPORTS, world.harbour)
    assert not has_perm(vera, Perm.VIEW_RECORDS, world.harbour)
    assert not has_perm(vera, Perm.VIEW_MEMBERS, world.harbour)


@pytest.mark.django_db
def test_several_memberships_add_up(world: World, walter) -> None:
    from impactlog.structure import services
    from impactlog.tenancy.permissions import forget_memberships
    from impactlog.tenancy.roles import Role
    from impactlog.tenancy.scoping import unscoped

    with unscoped():
        services.grant_role(None, walter, world.hill, Role.VIEWER)
    forget_memberships(walter)
    assert roles_at(walter, world.hill) == {"viewer"}
    assert set(nodes_where(walter, Perm.VIEW_REPORTS)) == {world.harbour, world.hill}
    assert set(nodes_where(walter, Perm.EDIT_RECORDS)) == {world.harbour}


@pytest.mark.django_db
def test_another_organisations_node_is_not_found_rather_than_forbidden(world: World, otto) -> None:
    with pytest.raises(Http404):
        resolve(otto, Node, world.harbour.pk, Perm.VIEW_NODE)
    with pytest.raises(Http404):
        resolve(otto, Node, 987654, Perm.VIEW_NODE)


@pytest.mark.django_db
def test_a_visible_node_without_the_permission_is_forbidden(world: World, walter) -> None:
    with pytest.raises(PermissionDenied):
        resolve(walter, Node, world.harbour.pk, Perm.MANAGE_STRUCTURE)
    assert resolve(walter, Node, world.harbour.pk, Perm.VIEW_NODE) == world.harbour


@pytest.mark.django_db
def test_anonymous_people_hold_no_permission(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not has_perm(AnonymousUser(), Perm.VIEW_NODE, world.harbour)
    assert list(nodes_where(AnonymousUser(), Perm.VIEW_NODE)) == []
