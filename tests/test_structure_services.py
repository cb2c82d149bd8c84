from __future__ import annotations

import copy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from impactlog.accounts.models import User
from impactlog.structure import services
from impactlog.tenancy.models import AuditEntry, Invitation, Membership, Node, NodeKind
from impactlog.tenancy.permissions import acting_as
from impactlog.tenancy.roles import Role

from .conftest import World, make_person


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
    with pytest.raises(ValidationError) as error:
        services.change_role(None, membership, Role.VIEWER)  # type: ignore[arg-type]
    assert error.value.messages == ["A top-level place must keep at least one administrator."]
    with pytest.raises(ValidationError) as error:
        services.remove_membership(alice, membership)
    assert error.value.messages == ["A top-level place must keep at least one administrator."]
    assert Membership.all_objects.get(pk=membership.pk).role == Role.ADMIN


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


def _counts() -> tuple[int, int, int, int]:
    return (
        Node.all_objects.count(),
        Membership.all_objects.count(),
        Invitation.all_objects.count(),
        AuditEntry.all_objects.count(),
    )


@pytest.mark.django_db
def test_a_kind_change_is_checked_against_the_places_inside(world: World, alice) -> None:
    services.create_node(alice, world.region, **_fields("club-org", NodeKind.ORGANISATION))
    before = _counts()
    with pytest.raises(ValidationError) as error:
        services.update_node(alice, world.region, kind=NodeKind.UNIT)
    assert error.value.message_dict["kind"] == [
        "This place cannot change to the kind “Unit”: it holds a place "
        "of the kind “Organisation”, which cannot be inside it."
    ]
    assert Node.all_objects.get(pk=world.region.pk).kind == NodeKind.REGION
    assert _counts() == before
    # A kind that still holds what is inside is fine: units fit in an organisation.
    services.update_node(alice, world.network, name="North")
    services.update_node(alice, world.hill, kind=NodeKind.UNIT)


@pytest.mark.django_db
def test_a_region_holding_only_units_may_become_an_organisation(world: World, alice) -> None:
    services.update_node(alice, world.region, kind=NodeKind.ORGANISATION)
    assert Node.all_objects.get(pk=world.region.pk).kind == NodeKind.ORGANISATION


@pytest.mark.django_db
def test_update_node_does_not_move_or_archive(world: World, alice) -> None:
    with pytest.raises(TypeError):
        services.update_node(alice, world.harbour, parent=world.network)
    with pytest.raises(TypeError):
        services.update_node(alice, world.harbour, path="/1/")


@pytest.mark.django_db
def test_a_place_does_not_move_to_another_network(world: World, alice, otto) -> None:
    # Alice administers both trees, so only the rule itself stands in the way.
    services.grant_role(otto, alice, world.other_org, Role.ADMIN)
    before = _counts()
    with pytest.raises(ValidationError) as error:
        services.move_node(alice, world.harbour, world.other_org)
    assert "within its own network or organisation" in error.value.messages[0]
    harbour = Node.all_objects.get(pk=world.harbour.pk)
    assert (harbour.parent_id, harbour.path) == (world.region.pk, world.harbour.path)
    assert _counts() == before


@pytest.mark.parametrize(
    "call",
    [
        lambda w, alice, walter: services.invite(alice, w.harbour, "n@x.org", "owner", base_url=""),
        lambda w, alice, walter: services.change_role(
            alice, Membership.all_objects.get(user=walter), "superuser"
        ),
        lambda w, alice, walter: services.grant_role(alice, walter, w.hill, "Admin"),
        lambda w, alice, walter: services.grant_role(None, walter, w.hill, ""),
    ],
    ids=["invite", "change_role", "grant_role", "grant_role by the system"],
)
@pytest.mark.django_db
def test_a_role_that_does_not_exist_is_refused(world: World, alice, walter, call) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as error:
        call(world, alice, walter)
    assert error.value.message_dict == {"role": ["This is not a role a person can hold."]}
    assert _counts() == before
    assert Membership.all_objects.get(user=walter).role == Role.WORKER


@pytest.mark.django_db
def test_an_invitation_with_a_role_no_longer_known_is_not_accepted(world: World, alice) -> None:
    invitation = services.invite(alice, world.hill, "n@example.org", Role.VIEWER, base_url="")
    Invitation.all_objects.filter(pk=invitation.pk).update(role="ghost")
    newcomer = User.objects.create_user(email="n@example.org", full_name="Nina")
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation, newcomer)
    assert not Membership.all_objects.filter(user=newcomer).exists()


@pytest.mark.django_db
def test_an_invitation_is_accepted_only_by_the_person_it_was_sent_to(
    world: World, alice, walter
) -> None:
    invitation = services.invite(alice, world.hill, "n@example.org", Role.MANAGER, base_url="")
    with pytest.raises(PermissionDenied):
        services.accept_invitation(invitation, walter)
    assert not Membership.all_objects.filter(user=walter, node=world.hill).exists()
    assert Invitation.all_objects.get(pk=invitation.pk).accepted_at is None


SELF_GRANT = "another administrator must do it"


@pytest.mark.django_db
def test_an_admin_cannot_invite_their_own_address_anywhere(world: World, alice) -> None:
    for node in (world.network, world.region, world.hill):
        with pytest.raises(ValidationError) as error:
            services.invite(alice, node, " Alice@Example.org ", Role.MANAGER, base_url="")
        assert SELF_GRANT in error.value.messages[0]
    assert not Invitation.all_objects.exists()


@pytest.mark.django_db
def test_an_admin_cannot_change_their_own_role_or_grant_themselves_one(world: World, alice) -> None:
    second = make_person("adam@example.org", "Adam Admin", world.network, Role.ADMIN)
    own = Membership.all_objects.get(user=alice)
    before = _counts()
    with pytest.raises(ValidationError) as error:
        services.change_role(alice, own, Role.MANAGER)
    assert SELF_GRANT in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services.grant_role(alice, alice, world.harbour, Role.MANAGER)
    assert SELF_GRANT in error.value.messages[0]
    assert _counts() == before
    assert Membership.all_objects.get(pk=own.pk).role == Role.ADMIN
    # Another administrator may do it.
    services.grant_role(second, alice, world.harbour, Role.MANAGER)
    assert Membership.all_objects.get(user=alice, node=world.harbour).role == Role.MANAGER


@pytest.mark.django_db
def test_an_admin_gives_roles_only_where_they_manage(world: World, alice, walter) -> None:
    ann = make_person("ann@example.org", "Ann", world.harbour, Role.ADMIN)
    hill_member = make_person("h@example.org", "Hilda", world.hill, Role.VIEWER)
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.grant_role(ann, walter, world.hill, Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.change_role(ann, Membership.all_objects.get(user=hill_member), Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.invite(ann, world.region, "n@example.org", Role.ADMIN, base_url="")
    assert _counts() == before
    services.change_role(ann, Membership.all_objects.get(user=walter), Role.MANAGER)


@pytest.mark.django_db
def test_a_membership_passed_in_is_read_again_before_it_is_authorised(
    world: World, alice, otto
) -> None:
    # A stale or forged instance claiming to be at Alice's network does not let her change it.
    theirs = Membership.all_objects.get(user=otto)
    theirs.node = world.network
    with pytest.raises(PermissionDenied):
        services.remove_membership(alice, theirs)
    assert Membership.all_objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_archiving_and_restoring_act_on_the_place_read_again_not_the_path_handed_in(
    world: World, alice
) -> None:
    # A stale or forged Harbour claiming the network's path. (An administrator of the unit alone
    # is held inside it by the scope a service reads in; alice's scope is the whole network.)
    forged = copy.copy(world.harbour)
    forged.path = world.network.path
    assert services.archive_node(alice, forged) == 1
    archived = Node.all_objects.filter(archived_at__isnull=False)
    assert list(archived.values_list("pk", flat=True)) == [world.harbour.pk]
    assert forged.path == world.harbour.path  # the object handed in is brought up to date
    services.archive_node(alice, world.hill)
    forged = copy.copy(Node.all_objects.get(pk=world.harbour.pk))
    forged.path = world.region.path
    assert services.restore_node(alice, forged) == 1
    assert list(archived.values_list("pk", flat=True)) == [world.hill.pk]


@pytest.mark.django_db
def test_a_stale_invitation_cannot_demote_the_last_administrator(world: World, alice) -> None:
    stale = services.invite(alice, world.network, "x@example.org", Role.VIEWER, base_url="")
    # Since then x became the network's administrator and the only one.
    x = make_person("x@example.org", "Xenia", world.network, Role.ADMIN)
    services.remove_membership(x, Membership.all_objects.get(user=alice, node=world.network))
    # accepted from the invitation page, in the scope of the person signed in
    with acting_as(x), pytest.raises(ValidationError) as error:
        services.accept_invitation(stale, x)
    assert error.value.messages == ["A top-level place must keep at least one administrator."]
    assert Membership.all_objects.get(user=x, node=world.network).role == Role.ADMIN
    assert Invitation.all_objects.get(pk=stale.pk).accepted_at is None


@pytest.mark.django_db
def test_a_person_has_one_open_invitation_per_place_until_it_is_withdrawn(
    world: World, alice
) -> None:
    first = services.invite(alice, world.hill, "n@example.org", Role.VIEWER, base_url="")
    with pytest.raises(ValidationError) as error:
        services.invite(alice, world.hill, "N@example.org", Role.ADMIN, base_url="")
    assert "open invitation here already" in error.value.message_dict["email"][0]
    services.invite(alice, world.harbour, "n@example.org", Role.VIEWER, base_url="")  # elsewhere
    services.revoke_invitation(alice, first)
    services.invite(alice, world.hill, "n@example.org", Role.ADMIN, base_url="")
    assert Invitation.all_objects.filter(node=world.hill).count() == 2


@pytest.mark.django_db
def test_a_unit_that_holds_activities_stays_a_unit(world: World, alice, drop_in) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as error:
        services.update_node(alice, world.harbour, kind=NodeKind.ORGANISATION)
    assert error.value.message_dict["kind"] == [
        "This unit holds activities and sessions: it must stay a unit."
    ]
    assert Node.all_objects.get(pk=world.harbour.pk).kind == NodeKind.UNIT
    assert _counts() == before
    # A unit without records may still become another kind.
    services.update_node(alice, world.hill, kind=NodeKind.ORGANISATION)
    assert Node.all_objects.get(pk=world.hill.pk).kind == NodeKind.ORGANISATION
