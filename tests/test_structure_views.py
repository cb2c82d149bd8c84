from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impactlog.structure import services
from impactlog.tenancy.models import AuditEntry, Invitation, Membership, Node, NodeKind
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import World, make_person

# Whatever the number of people, invitations or entries: the people page and one page of the
# audit trail, including signing in and finding the place.
PEOPLE_PAGE_QUERIES = 7
AUDIT_PAGE_QUERIES = 7
# A unit's home page, including signing in, the two-factor check and the places above.
UNIT_TREE_QUERIES = 7

NEW_UNIT = {
    "name": "Dock Youth Club",
    "slug": "dock",
    "kind": "unit",
    "country": "LV",
    "language": "lv",
    "time_zone": "Europe/Riga",
}


@pytest.mark.django_db
def test_the_unit_home_shows_its_name_and_role_and_no_empty_places_inside(
    world: World, login, walter
) -> None:
    page = login(walter).get(reverse("structure:node", args=[world.harbour.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<h1>Harbour Youth Centre</h1>" in body
    assert "Youth worker" in body
    # A worker at a unit is not told about places inside it she could not add anyway.
    assert "No places inside this one yet." not in body
    assert "Edit this place" not in body


@pytest.mark.django_db
def test_an_admin_adds_a_unit(world: World, login, alice) -> None:
    response = login(alice).post(reverse("structure:add", args=[world.region.pk]), NEW_UNIT)
    assert response.status_code == 302
    dock = Node.all_objects.get(slug="dock")
    assert dock.parent == world.region
    assert AuditEntry.all_objects.filter(action="node.created", node=dock).exists()


@pytest.mark.django_db
def test_adding_with_bad_input_explains_and_saves_nothing(world: World, login, alice) -> None:
    bad = {**NEW_UNIT, "name": "", "slug": "hill", "time_zone": "Mars/Olympus"}
    response = login(alice).post(reverse("structure:add", args=[world.region.pk]), bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required." in body
    assert "Another place here already uses this short name." in body
    assert "Select a valid choice." in body
    assert not Node.all_objects.filter(name="").exists()


@pytest.mark.django_db
def test_a_unit_offers_no_wider_kinds_inside(world: World, login, alice) -> None:
    page = login(alice).get(reverse("structure:add", args=[world.harbour.pk]))
    assert page.status_code == 200
    assert 'value="unit"' in page.content.decode()
    assert 'value="network"' not in page.content.decode()
    response = login(alice).post(
        reverse("structure:add", args=[world.harbour.pk]), {**NEW_UNIT, "kind": "network"}
    )
    assert response.status_code == 200
    assert not Node.all_objects.filter(slug="dock").exists()


@pytest.mark.django_db
def test_an_admin_renames_a_unit(world: World, login, alice) -> None:
    data = {**NEW_UNIT, "name": "Harbour House", "slug": "harbour"}
    response = login(alice).post(reverse("structure:edit", args=[world.harbour.pk]), data)
    assert response.status_code == 302
    world.harbour.refresh_from_db()
    assert world.harbour.name == "Harbour House"


@pytest.mark.django_db
def test_an_admin_moves_a_unit(world: World, login, alice) -> None:
    with unscoped():
        second = services.create_node(
            alice, world.network, **{**NEW_UNIT, "slug": "south", "kind": NodeKind.REGION}
        )
    client = login(alice)
    page = client.get(reverse("structure:move", args=[world.harbour.pk]))
    options = page.content.decode()
    assert f'value="{second.pk}"' in options
    assert f'value="{world.harbour.pk}"' not in options  # not inside itself
    assert f'value="{world.other_org.pk}"' not in options  # not outside the admin's tree
    response = client.post(
        reverse("structure:move", args=[world.harbour.pk]), {"new_parent": second.pk}
    )
    assert response.status_code == 302
    world.harbour.refresh_from_db()
    assert world.harbour.parent_id == second.pk


@pytest.mark.django_db
def test_a_move_target_outside_the_admins_tree_is_rejected(world, login, alice) -> None:
    response = login(alice).post(
        reverse("structure:move", args=[world.harbour.pk]), {"new_parent": world.other_org.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    world.harbour.refresh_from_db()
    assert world.harbour.parent == world.region


@pytest.mark.django_db
def test_archiving_asks_first_and_then_archives(world: World, login, alice) -> None:
    client = login(alice)
    confirm = client.get(reverse("structure:archive", args=[world.region.pk]))
    assert "The place and 2 places inside it will be archived." in confirm.content.decode()
    world.region.refresh_from_db()
    assert not world.region.is_archived
    client.post(reverse("structure:archive", args=[world.region.pk]))
    world.region.refresh_from_db()
    assert world.region.is_archived
    client.post(reverse("structure:restore", args=[world.region.pk]))
    world.region.refresh_from_db()
    assert not world.region.is_archived


@pytest.mark.django_db
def test_the_tree_page_makes_the_same_number_of_queries_at_any_size(
    world: World, login, alice
) -> None:
    client = login(alice)
    url = reverse("structure:tree", args=[world.network.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    with unscoped():
        for i in range(15):
            services.create_node(alice, world.hill, **{**NEW_UNIT, "slug": f"u{i}"})
    assert count() == small
    assert small <= 8


@pytest.mark.django_db
def test_people_page_lists_roles_here_and_above(world: World, login, maria, walter, alice) -> None:
    page = login(maria).get(reverse("structure:members", args=[world.harbour.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Walter Worker" in text and "Maria Manager" in text and "Alice Admin" in text
    assert "Change role" not in text


def _queries_of(client: Any, url: str, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
def test_the_people_page_makes_the_same_number_of_queries_for_three_people_or_thirty(
    world: World, login, alice, maria, walter
) -> None:
    with unscoped():
        services.invite(alice, world.harbour, "nina@example.org", Role.WORKER, base_url="")
    client = login(alice)
    url = reverse("structure:members", args=[world.harbour.pk])
    small, text = _queries_of(client, url)
    assert "Walter Worker" in text and "nina@example.org" in text

    with unscoped():
        for i in range(20):
            make_person(f"worker{i}@example.org", f"Worker {i}", world.harbour, Role.WORKER)
        for i in range(7):
            make_person(f"viewer{i}@example.org", f"Viewer {i}", world.region, Role.VIEWER)
        inviter = make_person("ines@example.org", "Ines Inviter", world.harbour, Role.ADMIN)
        for i in range(6):
            services.invite(inviter, world.harbour, f"new{i}@example.org", Role.WORKER, base_url="")
    large, text = _queries_of(client, url)
    assert "Worker 19" in text and "Viewer 6" in text and "new5@example.org" in text
    assert small == large == PEOPLE_PAGE_QUERIES


@pytest.mark.django_db
def test_the_audit_trail_makes_the_same_number_of_queries_for_a_few_entries_or_many(
    world: World, login, alice, maria
) -> None:
    client = login(alice)
    url = reverse("structure:audit", args=[world.network.pk])
    small, text = _queries_of(client, url)
    assert "Place added" in text

    with unscoped():
        for i in range(30):
            services.update_node(alice, world.hill, name=f"Hill {i}")
        admins = [
            make_person(f"admin{i}@example.org", f"Admin {i}", place, Role.ADMIN)
            for i, place in enumerate([world.harbour, world.region, world.network])
        ]
        for i in range(30):
            admin = admins[i % 3]
            place = [world.harbour, world.region, world.network][i % 3]
            services.update_node(admin, place, name=f"{place.slug} {i}")
    large, text = _queries_of(client, url)
    assert "Page 1 of 2" in text and "admin2@example.org" in text
    assert small == large == AUDIT_PAGE_QUERIES


@pytest.mark.django_db
def test_an_admin_invites_by_email(
    world: World, login, alice, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = login(alice).post(
            reverse("structure:invite", args=[world.harbour.pk]),
            {"email": "nina@example.org", "role": Role.WORKER},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nina@example.org"]
    assert "Harbour Youth Centre" in mail.outbox[0].subject
    assert "/accounts/invitation/" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_invalid_invitation_shows_errors(world: World, login, alice, walter) -> None:
    response = login(alice).post(
        reverse("structure:invite", args=[world.harbour.pk]),
        {"email": "walter@example.org", "role": "emperor"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice." in text


@pytest.mark.django_db
def test_an_admin_changes_and_removes_a_role(world: World, login, alice, walter) -> None:
    membership = Membership.all_objects.get(user=walter)
    client = login(alice)
    client.post(
        reverse("structure:member_edit", args=[world.harbour.pk, membership.pk]),
        {"role": Role.MANAGER},
    )
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
    confirm = client.get(reverse("structure:member_remove", args=[world.harbour.pk, membership.pk]))
    assert "Remove Walter Worker from Harbour Youth Centre?" in confirm.content.decode()
    client.post(reverse("structure:member_remove", args=[world.harbour.pk, membership.pk]))
    assert not Membership.all_objects.filter(pk=membership.pk).exists()


@pytest.mark.django_db
def test_a_membership_of_another_node_is_not_found(world: World, login, alice, walter) -> None:
    membership = Membership.all_objects.get(user=walter)
    response = login(alice).get(
        reverse("structure:member_edit", args=[world.hill.pk, membership.pk])
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_admin_withdraws_an_invitation(world: World, login, alice) -> None:
    with unscoped():
        invitation = services.invite(alice, world.harbour, "x@example.org", "worker", base_url="")
    login(alice).post(
        reverse("structure:invitation_revoke", args=[world.harbour.pk, invitation.pk])
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


@pytest.mark.django_db
def test_the_audit_trail_filters_and_pages(world: World, login, alice) -> None:
    with unscoped():
        for i in range(60):
            services.update_node(alice, world.hill, name=f"Hill {i}")
    client = login(alice)
    url = reverse("structure:audit", args=[world.network.pk])
    first = client.get(url, {"action": "node.updated"}).content.decode()
    assert "Page 1 of 2" in first
    assert "Hill 59" in first
    second = client.get(url, {"action": "node.updated", "page": 2}).content.decode()
    assert "Page 2 of 2" in second
    response = client.get(url, {"actor": "nobody"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    partial = response.content.decode()
    assert "No entries match." in partial
    assert "<html" not in partial
    bad = client.get(url, {"since": "2026-02-30", "page": "x"})
    assert bad.status_code == 200


@pytest.mark.django_db
def test_the_audit_filter_offers_each_action_once(world: World, login, alice) -> None:
    with unscoped():
        for i in range(3):
            services.update_node(alice, world.hill, name=f"Hill {i}")
    page = login(alice).get(reverse("structure:audit", args=[world.network.pk]))
    actions = [value for value, _label in page.context["form"].fields["action"].choices]
    assert actions.count("node.updated") == 1
    assert len(actions) == len(set(actions))


@pytest.mark.django_db
def test_a_unit_admin_sees_only_its_own_audit_entries(world: World, login, alice) -> None:
    with unscoped():
        services.update_node(alice, world.hill, name="Hill Renamed")
        services.update_node(alice, world.harbour, name="Harbour Renamed")
        harbour_admin = Membership.all_objects.create(
            user=alice.__class__.objects.create_user(email="h@example.org", full_name="H"),
            node=world.harbour,
            role=Role.ADMIN,
        )
    response = login(harbour_admin.user).get(reverse("structure:audit", args=[world.harbour.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Harbour Renamed" in text
    assert "Hill Renamed" not in text


@pytest.mark.django_db
def test_an_overlong_id_is_not_found_rather_than_an_error(world: World, login, alice) -> None:
    client = login(alice)
    assert client.get("/n/99999999999999999999999999/").status_code == 404
    assert client.get("/n/999999999999999999/").status_code == 404


@pytest.mark.django_db
def test_move_targets_stay_in_the_network_even_for_an_admin_of_two(
    world: World, login, alice, otto
) -> None:
    with unscoped():
        services.grant_role(otto, alice, world.other_org, Role.ADMIN)
    client = login(alice)
    page = client.get(reverse("structure:move", args=[world.harbour.pk]))
    assert page.status_code == 200
    assert f'value="{world.network.pk}"' in page.content.decode()
    assert f'value="{world.other_org.pk}"' not in page.content.decode()
    response = client.post(
        reverse("structure:move", args=[world.harbour.pk]), {"new_parent": world.other_org.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert Node.all_objects.get(pk=world.harbour.pk).parent_id == world.region.pk


@pytest.mark.django_db
def test_a_kind_change_that_would_not_hold_the_places_inside_shows_why(
    world: World, login, alice
) -> None:
    with unscoped():
        services.create_node(
            alice, world.region, **{**NEW_UNIT, "slug": "org", "kind": NodeKind.ORGANISATION}
        )
    form = {
        "name": "Riverside",
        "slug": "riverside",
        "kind": NodeKind.UNIT,
        "country": "LV",
        "language": "lv",
        "time_zone": "Europe/Riga",
    }
    response = login(alice).post(reverse("structure:edit", args=[world.region.pk]), form)
    assert response.status_code == 200
    assert "cannot change to the kind “Unit”" in response.content.decode()
    region = Node.all_objects.get(pk=world.region.pk)
    assert (region.kind, region.name) == (NodeKind.REGION, "Riverside Municipality")


@pytest.mark.django_db
def test_an_admin_inviting_their_own_address_is_told_to_ask_another(
    world: World, login, alice
) -> None:
    response = login(alice).post(
        reverse("structure:invite", args=[world.hill.pk]),
        {"email": "alice@example.org", "role": Role.MANAGER},
    )
    assert response.status_code == 200
    assert "another administrator must do it" in response.content.decode()
    assert not Invitation.all_objects.exists()


@pytest.mark.django_db
def test_an_admin_changing_their_own_role_is_told_to_ask_another(
    world: World, login, alice
) -> None:
    membership = Membership.all_objects.get(user=alice)
    response = login(alice).post(
        reverse("structure:member_edit", args=[world.network.pk, membership.pk]),
        {"role": Role.MANAGER},
    )
    assert response.status_code == 200
    assert "another administrator must do it" in response.content.decode()
    assert Membership.all_objects.get(pk=membership.pk).role == Role.ADMIN


@pytest.mark.django_db
def test_a_role_no_longer_known_does_not_break_the_pages(world: World, login, walter) -> None:
    # A role stored by an older version, held above a place where Walter also works.
    with unscoped():
        services.grant_role(None, walter, world.region, Role.VIEWER)
    Membership.all_objects.filter(user=walter, node=world.region).update(role="ghost")
    client = login(walter)
    home = client.get(reverse("structure:node", args=[world.harbour.pk]))
    assert home.status_code == 200
    assert "Youth worker" in home.content.decode()
    # The unknown role grants nothing: the region is known to exist, but not open to him.
    assert client.get(reverse("structure:node", args=[world.region.pk])).status_code == 403
    assert client.get(reverse("structure:members", args=[world.harbour.pk])).status_code == 403


def test_the_people_page_offers_no_change_of_ones_own_role(
    world: World, login, alice, carl
) -> None:
    response = login(alice).get(reverse("structure:members", args=[world.network.pk]))
    assert response.status_code == 200
    own = Membership.all_objects.get(user=alice, node=world.network)
    page = response.content.decode()
    edit = reverse("structure:member_edit", args=[world.network.pk, own.pk])
    remove = reverse("structure:member_remove", args=[world.network.pk, own.pk])
    assert f'href="{edit}"' not in page
    assert f'href="{remove}"' in page


class _Breadcrumb(HTMLParser):
    """The items of a page's breadcrumb: each one's text and its link (None when plain text)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str | None]] = []
        self._in_nav = self._in_item = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav" and ("class", "breadcrumbs") in attrs:
            self._in_nav = True
        elif self._in_nav and tag == "li":
            self._in_item = True
            self.items.append(("", None))
        elif self._in_item and tag == "a":
            self.items[-1] = (self.items[-1][0], dict(attrs)["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False
        elif tag == "li":
            self._in_item = False

    def handle_data(self, data: str) -> None:
        if self._in_item:
            text, href = self.items[-1]
            self.items[-1] = (text + data.strip(), href)


def _breadcrumb(client: Any, url: str) -> list[tuple[str, str | None]]:
    page = client.get(url)
    assert page.status_code == 200
    parser = _Breadcrumb()
    parser.feed(page.content.decode())
    return parser.items


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["structure:node", "logbook:figures"])
def test_a_worker_sees_the_places_above_her_unit_named_but_not_linked(
    world: World, login, walter, page: str
) -> None:
    client = login(walter)
    harbour = reverse("structure:node", args=[world.harbour.pk])
    assert _breadcrumb(client, reverse(page, args=[world.harbour.pk])) == [
        ("North Network", None),
        ("Riverside Municipality", None),
        ("Harbour Youth Centre", harbour),
    ]
    # what she is not shown a link to, she could not open
    for above in (world.network, world.region):
        assert client.get(reverse("structure:node", args=[above.pk])).status_code == 404


@pytest.mark.django_db
def test_a_coordinator_gets_a_link_to_each_place_she_may_open_and_each_link_opens(
    world: World, login, carl
) -> None:
    client = login(carl)
    items = _breadcrumb(client, reverse("structure:node", args=[world.harbour.pk]))
    assert items == [
        ("North Network", None),
        ("Riverside Municipality", reverse("structure:node", args=[world.region.pk])),
        ("Harbour Youth Centre", reverse("structure:node", args=[world.harbour.pk])),
    ]
    for _name, href in items:
        if href:
            assert client.get(href).status_code == 200, href
    assert client.get(reverse("structure:node", args=[world.network.pk])).status_code == 404


@pytest.mark.django_db
def test_an_admin_of_the_network_gets_every_place_above_linked(world: World, login, alice) -> None:
    client = login(alice)
    items = _breadcrumb(client, reverse("structure:node", args=[world.harbour.pk]))
    assert [name for name, _href in items] == [
        "North Network",
        "Riverside Municipality",
        "Harbour Youth Centre",
    ]
    assert all(href for _name, href in items)
    assert all(client.get(href).status_code == 200 for _name, href in items if href)


@pytest.mark.django_db
def test_whether_a_crumb_is_a_link_costs_no_query(world: World, client, carl, walter) -> None:
    """The permission asked of each place above is answered from the memberships the page
    loaded anyway: the unit's structure page costs the same with no place above linked (Walter)
    or one (Carl), and the breadcrumb adds only the one query for the places above. (Its home
    page differs by role: see tests/test_home.py.)"""
    url = reverse("structure:tree", args=[world.harbour.pk])
    counts = []
    for person in (walter, carl):
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        counts.append(_queries_of(client, url)[0])
    assert counts == [UNIT_TREE_QUERIES] * 2
