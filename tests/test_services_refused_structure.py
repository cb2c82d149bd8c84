"""Every service of the tree, its people and invitations, called by someone without the right on
the object it changes: refused, and nothing written.

Each row of `REFUSALS` is (label, service, build, refusal): `build(f)` takes the fixtures and
returns the positional and keyword arguments; `refusal` is what is raised. A missing right is
`PermissionDenied`; giving oneself a role is `ValidationError` (the page shows why: another
administrator must do it), checked after the right, so someone without the right still gets
`PermissionDenied`. A `ValidationError` for another reason names it in `REASONS`.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from impactlog.accounts import services as account_services
from impactlog.accounts.models import User
from impactlog.structure import services
from impactlog.tenancy.models import AuditEntry, Invitation, Membership, Node, NodeKind
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import World, make_person

Args = tuple[tuple[Any, ...], dict[str, Any]]

NEW_UNIT = {
    "kind": NodeKind.UNIT,
    "name": "Dock",
    "slug": "dock",
    "country": "LV",
    "language": "lv",
    "time_zone": "Europe/Riga",
}


def _member(user: User, node: Node) -> Membership:
    return Membership.all_objects.get(user=user, node=node)


def _archived(node: Node) -> Node:
    services.archive_node(None, node)  # type: ignore[arg-type]
    return Node.all_objects.get(pk=node.pk)


def _disguised(target: Node, as_: Node) -> Node:
    """A stale or forged copy of `target` that claims to sit where `as_` is."""
    forged = copy.copy(target)
    forged.path, forged.parent_id = as_.path, as_.parent_id
    return forged


def _accepted(invitation: Invitation) -> Invitation:
    user = User.objects.create_user(email=invitation.email, full_name="Taken Up")
    services.accept_invitation(invitation, user)
    return Invitation.all_objects.get(pk=invitation.pk)


def _invited_then_archived(invitation: Invitation) -> tuple[Invitation, User]:
    user = User.objects.create_user(email=invitation.email, full_name="Too Late")
    _archived(invitation.node)
    return Invitation.all_objects.get(pk=invitation.pk), user


REFUSALS: list[tuple[str, Callable[..., Any], Callable[[Any], Args], type[Exception]]] = [
    # The structure: only administrators of the place change it.
    (
        "walter adds a place inside his unit",
        services.create_node,
        lambda f: ((f.walter, f.w.harbour), NEW_UNIT),
        PermissionDenied,
    ),
    (
        "otto adds a place inside North's region",
        services.create_node,
        lambda f: ((f.otto, f.w.region), NEW_UNIT),
        PermissionDenied,
    ),
    (
        "an administrator adds a top-level place",
        services.create_node,
        lambda f: ((f.alice, None), {**NEW_UNIT, "kind": NodeKind.ORGANISATION}),
        PermissionDenied,
    ),
    (
        "walter renames his unit",
        services.update_node,
        lambda f: ((f.walter, f.w.harbour), {"name": "Mine"}),
        PermissionDenied,
    ),
    (
        "alice of North renames otto's organisation",
        services.update_node,
        lambda f: ((f.alice, f.w.other_org), {"name": "Taken"}),
        PermissionDenied,
    ),
    (
        "carl the coordinator moves a unit",
        services.move_node,
        lambda f: ((f.carl, f.w.harbour, f.w.network), {}),
        PermissionDenied,
    ),
    (
        "alice of North moves otto's club into her network",
        services.move_node,
        lambda f: ((f.alice, f.w.other_club, f.w.region), {}),
        PermissionDenied,
    ),
    (
        "ann of Harbour moves her unit below another place",
        services.move_node,
        lambda f: ((f.ann, f.w.harbour, f.w.hill), {}),
        PermissionDenied,
    ),
    (
        "walter archives his unit",
        services.archive_node,
        lambda f: ((f.walter, f.w.harbour), {}),
        PermissionDenied,
    ),
    (
        "alice of North archives otto's club",
        services.archive_node,
        lambda f: ((f.alice, f.w.other_club), {}),
        PermissionDenied,
    ),
    (
        "maria restores an archived place",
        services.restore_node,
        lambda f: ((f.maria, _archived(f.w.harbour)), {}),
        PermissionDenied,
    ),
    (
        "alice of North restores otto's club",
        services.restore_node,
        lambda f: ((f.alice, _archived(f.w.other_club)), {}),
        PermissionDenied,
    ),
    # People: only administrators of the place give and change roles there.
    (
        "carl the coordinator invites",
        services.invite,
        lambda f: ((f.carl, f.w.harbour, "new@example.org", Role.WORKER), {"base_url": ""}),
        PermissionDenied,
    ),
    (
        "maria the manager invites to her unit",
        services.invite,
        lambda f: ((f.maria, f.w.harbour, "new@example.org", Role.WORKER), {"base_url": ""}),
        PermissionDenied,
    ),
    (
        "alice of North invites to otto's organisation",
        services.invite,
        lambda f: ((f.alice, f.w.other_org, "new@example.org", Role.ADMIN), {"base_url": ""}),
        PermissionDenied,
    ),
    (
        "ann of Harbour invites to Hill",
        services.invite,
        lambda f: ((f.ann, f.w.hill, "new@example.org", Role.MANAGER), {"base_url": ""}),
        PermissionDenied,
    ),
    (
        "ann of Harbour invites an administrator to the network disguised as her unit",
        services.invite,
        lambda f: (
            (f.ann, _disguised(f.w.network, f.w.harbour), "new@example.org", Role.ADMIN),
            {"base_url": ""},
        ),
        PermissionDenied,
    ),
    (
        "walter withdraws an invitation to his unit",
        services.revoke_invitation,
        lambda f: ((f.walter, f.harbour_invitation), {}),
        PermissionDenied,
    ),
    (
        "alice of North withdraws otto's invitation",
        services.revoke_invitation,
        lambda f: ((f.alice, f.other_invitation), {}),
        PermissionDenied,
    ),
    (
        "maria changes the role of someone at Hill",
        services.change_role,
        lambda f: ((f.maria, _member(f.hilda, f.w.hill), Role.MANAGER), {}),
        PermissionDenied,
    ),
    (
        "ann of Harbour changes the role of someone at Hill",
        services.change_role,
        lambda f: ((f.ann, _member(f.hilda, f.w.hill), Role.MANAGER), {}),
        PermissionDenied,
    ),
    (
        "alice of North changes otto's role",
        services.change_role,
        lambda f: ((f.alice, _member(f.otto, f.w.other_org), Role.VIEWER), {}),
        PermissionDenied,
    ),
    (
        "walter changes his own role",
        services.change_role,
        lambda f: ((f.walter, _member(f.walter, f.w.harbour), Role.MANAGER), {}),
        PermissionDenied,
    ),
    (
        "maria removes someone at Hill",
        services.remove_membership,
        lambda f: ((f.maria, _member(f.hilda, f.w.hill)), {}),
        PermissionDenied,
    ),
    (
        "alice of North removes otto",
        services.remove_membership,
        lambda f: ((f.alice, _member(f.otto, f.w.other_org)), {}),
        PermissionDenied,
    ),
    (
        "carl the coordinator gives walter a role at Hill",
        services.grant_role,
        lambda f: ((f.carl, f.walter, f.w.hill, Role.VIEWER), {}),
        PermissionDenied,
    ),
    (
        "ann of Harbour gives walter a role at Hill",
        services.grant_role,
        lambda f: ((f.ann, f.walter, f.w.hill, Role.MANAGER), {}),
        PermissionDenied,
    ),
    (
        "alice of North gives walter a role in otto's club",
        services.grant_role,
        lambda f: ((f.alice, f.walter, f.w.other_club, Role.WORKER), {}),
        PermissionDenied,
    ),
    (
        "ann of Harbour gives walter a role in otto's club disguised as her unit",
        services.grant_role,
        lambda f: ((f.ann, f.walter, _disguised(f.w.other_club, f.w.harbour), Role.MANAGER), {}),
        PermissionDenied,
    ),
    (
        "walter takes up an invitation sent to someone else",
        services.accept_invitation,
        lambda f: ((f.harbour_invitation, f.walter), {}),
        PermissionDenied,
    ),
    (
        "someone signs up with a withdrawn invitation",
        account_services.sign_up_from_invitation,
        lambda f: (
            (f.withdrawn_invitation,),
            {"full_name": "Late", "password": "a fine passphrase"},
        ),
        ValidationError,
    ),
    # Nobody gets a role at an archived place; an invitation is open once, and only while open.
    (
        "alice invites to an archived place",
        services.invite,
        lambda f: (
            (f.alice, _archived(f.w.hill), "new@example.org", Role.WORKER),
            {"base_url": ""},
        ),
        ValidationError,
    ),
    (
        "alice gives walter a role at an archived place",
        services.grant_role,
        lambda f: ((f.alice, f.walter, _archived(f.w.hill), Role.VIEWER), {}),
        ValidationError,
    ),
    (
        "someone takes up an invitation to a place archived since",
        services.accept_invitation,
        lambda f: (_invited_then_archived(f.harbour_invitation), {}),
        ValidationError,
    ),
    (
        "alice invites someone who has an open invitation to the same place",
        services.invite,
        lambda f: ((f.alice, f.w.harbour, "Nina@example.org", Role.MANAGER), {"base_url": ""}),
        ValidationError,
    ),
    (
        "alice withdraws an invitation that was accepted",
        services.revoke_invitation,
        lambda f: ((f.alice, _accepted(f.harbour_invitation)), {}),
        ValidationError,
    ),
    # Nobody gives themselves a role: another administrator must do it.
    (
        "alice invites her own address to a unit below",
        services.invite,
        lambda f: ((f.alice, f.w.harbour, "alice@example.org", Role.MANAGER), {"base_url": ""}),
        ValidationError,
    ),
    (
        "alice invites her own address at her own network",
        services.invite,
        lambda f: ((f.alice, f.w.network, "ALICE@example.org", Role.VIEWER), {"base_url": ""}),
        ValidationError,
    ),
    (
        "ann invites her own address to her unit",
        services.invite,
        lambda f: ((f.ann, f.w.harbour, "ann@example.org", Role.WORKER), {"base_url": ""}),
        ValidationError,
    ),
    (
        "alice changes her own role",
        services.change_role,
        lambda f: ((f.alice, _member(f.alice, f.w.network), Role.MANAGER), {}),
        ValidationError,
    ),
    (
        "ann changes her own role",
        services.change_role,
        lambda f: ((f.ann, _member(f.ann, f.w.harbour), Role.MANAGER), {}),
        ValidationError,
    ),
    (
        "alice gives herself a role at a unit below",
        services.grant_role,
        lambda f: ((f.alice, f.alice, f.w.harbour, Role.MANAGER), {}),
        ValidationError,
    ),
]

SELF_GRANT = "another administrator must do it"
ARCHIVED = "Nothing can be added inside an archived place."
# What a ValidationError says, for the rows refused for another reason than giving oneself a role.
REASONS = {
    "someone signs up with a withdrawn invitation": "expired or was already used",
    "alice invites to an archived place": ARCHIVED,
    "alice gives walter a role at an archived place": ARCHIVED,
    "someone takes up an invitation to a place archived since": ARCHIVED,
    "alice invites someone who has an open invitation to the same place": "open invitation here",
    "alice withdraws an invitation that was accepted": "already used, withdrawn or has expired",
}

# Functions of the services modules that change nothing, so have no refusal to test.
READS = {"find_invitation"}
# Account services that act on one's own account only, not on tenant objects.
OWN_ACCOUNT = {
    "update_profile",
    "create_account",
    "confirm_two_factor",
    "disable_two_factor",
    "password_changed",
}


@pytest.fixture
def f(world: World, alice, carl, maria, walter, otto) -> SimpleNamespace:
    with unscoped():
        ann = make_person("ann@example.org", "Ann Harbour Admin", world.harbour, Role.ADMIN)
        hilda = make_person("h@example.org", "Hilda Hill", world.hill, Role.VIEWER)
        harbour_invitation = services.invite(
            alice, world.harbour, "nina@example.org", Role.WORKER, base_url=""
        )
        other_invitation = services.invite(
            otto, world.other_club, "olga@example.org", Role.WORKER, base_url=""
        )
        withdrawn_invitation = services.invite(
            alice, world.hill, "late@example.org", Role.WORKER, base_url=""
        )
        services.revoke_invitation(alice, withdrawn_invitation)
    return SimpleNamespace(
        w=world,
        alice=alice,
        carl=carl,
        maria=maria,
        walter=walter,
        otto=otto,
        ann=ann,
        hilda=hilda,
        harbour_invitation=harbour_invitation,
        other_invitation=other_invitation,
        withdrawn_invitation=withdrawn_invitation,
    )


def _rows() -> dict[str, Any]:
    return {
        "nodes": list(Node.all_objects.values_list("pk", "parent_id", "path", "name", "kind")),
        "archived": list(Node.all_objects.values_list("pk", "archived_at")),
        "memberships": list(Membership.all_objects.values_list("pk", "user_id", "node_id", "role")),
        "invitations": list(
            Invitation.all_objects.values_list("pk", "accepted_at", "revoked_at", "role")
        ),
        "audit": AuditEntry.all_objects.count(),
        "users": User.objects.count(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "service", "build", "refusal"),
    [pytest.param(label, s, b, r, id=label) for label, s, b, r in REFUSALS],
)
def test_a_refused_service_call_writes_nothing(
    f: SimpleNamespace,
    label: str,
    service: Callable[..., Any],
    build: Callable[[Any], Args],
    refusal: type[Exception],
) -> None:
    with unscoped():
        args, kwargs = build(f)
    before = _rows()
    with pytest.raises(refusal) as raised:
        service(*args, **kwargs)
    assert type(raised.value) is refusal
    if refusal is ValidationError:
        assert REASONS.get(label, SELF_GRANT) in " ".join(raised.value.messages)
    assert _rows() == before


def _public_functions(module: Any) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and not name.startswith("_")
        and getattr(value, "__module__", "") == module.__name__
    }


def test_every_service_that_changes_the_tree_or_its_people_is_in_the_table() -> None:
    tested = {service.__name__ for _label, service, _build, _refusal in REFUSALS}
    changing = (_public_functions(services) - READS) | (
        _public_functions(account_services) - OWN_ACCOUNT
    )
    assert changing - tested == set()
