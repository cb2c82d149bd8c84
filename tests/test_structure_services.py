from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from impactlog.structure import services
from impactlog.tenancy.models import AuditEntry, Membership, Node, NodeKind
from impactlog.tenancy.roles import Role

from .conftest import World


def _fields(slug: str, kind: str = NodeKind.UNIT) -> dict[str, str]:
    return {
        "kind": kind,
        "name": slug.title(),
        "slug": slug,
        "country": "LV",
        "language": "lv",
        "time_zone": "Europe/Riga",
    }


@pytest.mark.django_db
def test_a_new_node_gets_its_path_depth_and_an_audit_entry(world: World, alice) -> None:
    node = services.create_node(alice, world.harbour, **_fields("music-room"))
    assert node.path == f"{world.harbour.path}{node.pk}/"
    assert node.depth == 3
    entry = AuditEntry.all_objects.get(action="node.created", object_id=str(node.pk))
    assert entry.actor == alice
    assert entry.node == node


@pytest.mark.django_db
def test_only_an_admin_of_the_parent_may_add(world: World, maria, otto) -> None:
    with pytest.raises(PermissionDenied):
        services.create_node(maria, world.harbour, **_fields("x"))
    with pytest.raises(PermissionDenied):
        services.create_node(otto, world.harbour, **_fields("x"))
    with pytest.raises(PermissionDenied):
        services.create_node(otto, None, **_fields("x", NodeKind.ORGANISATION))


@pytest.mark.django_db
def test_a_unit_cannot_hold_a_network(world: World, alice) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_node(alice, world.harbour, **_fields("net", NodeKind.NETWORK))
    assert "cannot be placed inside" in str(error.value)


@pytest.mark.django_db
def test_short_names_are_unique_among_siblings_only(world: World, alice) -> None:
    services.create_node(alice, world.hill, **_fields("harbour"))  # fine: another parent
    with pytest.raises(ValidationError):
        services.create_node(alice, world.region, **_fields("harbour"))


@pytest.mark.django_db
def test_moving_carries_the_whole_subtree(world: World, alice) -> None:
    room = services.create_node(alice, world.harbour, **_fields("room"))
    second = services.create_node(alice, world.network, **_fields("second", NodeKind.REGION))
    services.move_node(alice, world.harbour, second)
    world.harbour.refresh_from_db()
    room.refresh_from_db()
    assert world.harbour.parent == second
    assert world.harbour.path == f"{second.path}{world.harbour.pk}/"
    assert room.path == f"{world.harbour.path}{room.pk}/"
    assert (world.harbour.depth, room.depth) == (2, 3)
    moved = AuditEntry.all_objects.get(action="node.moved")
    assert moved.changes == {"parent": [world.region.pk, second.pk]}


@pytest.mark.django_db
def test_a_node_cannot_move_inside_itself(world: World, alice) -> None:
    with pytest.raises(ValidationError):
        services.move_node(alice, world.region, world.harbour)


@pytest.mark.django_db
def test_moving_needs_admin_rights_on_both_ends(world: World, alice, otto) -> None:
    with pytest.raises(PermissionDenied):
        services.move_node(otto, world.other_club, world.region)
    with pytest.raises(PermissionDenied):
        services.move_node(alice, world.harbour, world.other_org)


@pytest.mark.django_db
def test_archiving_keeps_everything_and_restoring_brings_it_back(world: World, alice) -> None:
    assert services.archive_node(alice, world.region) == 3
    assert Node.all_objects.filter(archived_at__isnull=False).count() == 3
    with pytest.raises(ValidationError):
        services.restore_node(alice, world.harbour)  # its parent is still archived
    with pytest.raises(ValidationError):
        services.create_node(alice, world.harbour, **_fields("late"))
    assert services.restore_node(alice, world.region) == 3
    assert Node.all_objects.filter(archived_at__isnull=False).count() == 0


@pytest.mark.django_db
def test_an_invitation_is_accepted_once(world: World, alice) -> None:
    from impactlog.accounts.models import User

    invitation = services.invite(
        alice, world.harbour, "New@Example.org", Role.WORKER, base_url="http://x"
    )
    assert invitation.email == "new@example.org"
    assert invitation.token_hash and len(invitation.token_hash) == 64
    newcomer = User.objects.create_user(email="new@example.org", full_name="Nina New")
    membership = services.accept_invitation(invitation, newcomer)
    assert (membership.node, membership.role) == (world.harbour, Role.WORKER)
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation, newcomer)


@pytest.mark.django_db
def test_inviting_someone_who_already_has_a_role_here_is_refused(world, alice, walter) -> None:
    with pytest.raises(ValidationError):
        services.invite(alice, world.harbour, "walter@example.org", Role.MANAGER, base_url="x")


@pytest.mark.django_db
def test_the_last_admin_of_a_top_level_place_stays(world: World, alice) -> None:
    membership = Membership.all_objects.get(user=alice)
    with pytest.raises(ValidationError):
        services.change_role(alice, membership, Role.VIEWER)
    with pytest.raises(ValidationError):
        services.remove_membership(alice, membership)


@pytest.mark.django_db
def test_role_changes_and_removals_are_audited(world: World, alice, walter) -> None:
    membership = Membership.all_objects.get(user=walter)
    services.change_role(alice, membership, Role.MANAGER)
    services.remove_membership(alice, membership)
    actions = list(
        AuditEntry.all_objects.filter(action__startswith="membership.").values_list(
            "action", "changes"
        )
    )
    assert ("membership.changed", {"role": ["worker", "manager"]}) in actions
    assert ("membership.removed", {"user": "walter@example.org", "role": "manager"}) in actions
    assert not Membership.all_objects.filter(user=walter).exists()
