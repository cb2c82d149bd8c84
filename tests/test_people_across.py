"""The young people across organisations on the figures page (logbook/figures/people.py
`ACROSS`): a figure of places above organisations only, protected with the people threshold for
everyone (nobody above an organisation has records rights at every place below it).

Riverside Municipality keeps the records of Harbour and Hill; Bay Youth, an organisation of the
municipality, those of Bay Centre. Both record real names and deduplicate, so a young person
registered in both under the same name and month of birth counts once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.kiosk.models import CheckIn
from impactlog.structure.services import create_node
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .participants_world import publish, register
from .test_disclosure_figures import _downloads
from .test_participants_dedup import KEY, _check_in, _deduplicating

OCTOBER = {"kind": "month", "start": "2026-10-01"}
LABEL = "Different young people across organisations"
NOTE = "Young people registered in two organisations that both deduplicate count once."


def _bay(world: World) -> Node:
    with unscoped():
        organisation = create_node(
            None,
            world.region,
            kind=NodeKind.ORGANISATION,
            name="Bay Youth",
            slug="bay",
            country="LV",
            language="lv",
            time_zone="Europe/Riga",
        )
        return create_node(
            None,
            organisation,
            kind=NodeKind.UNIT,
            name="Bay Centre",
            slug="bay-centre",
            country="LV",
            language="lv",
            time_zone="Europe/Riga",
        )


def _world(world: World, settings: Any, riverside: int, bay: int, shared: int) -> None:
    """`riverside` young people at Harbour and Hill, `bay` at Bay Centre, the first `shared` of
    them registered in both under the same real name and month of birth."""
    settings.IMPACTLOG_DEDUP_KEY = KEY
    centre = _bay(world)
    organisations = [world.region, centre.parent]
    with unscoped():
        for organisation in organisations:
            publish(organisation)
            _deduplicating(organisation)
        sequence = 0
        for where, count in ((world.harbour, riverside), (centre, bay)):
            for n in range(count):
                unit = world.hill if where == world.harbour and n % 3 == 0 else where
                name = f"Young Person {n}" if where == world.harbour or n < shared else f"Other {n}"
                person = register(None, unit, f"Y{n}", real_name=name, birth_month=1 + n % 12)
                for day in (dt.date(2026, 10, 6), dt.date(2026, 10, 13))[: 1 + n % 2]:
                    sequence += 1
                    _check_in(unit, person, day, sequence)


def _expected(node: Node) -> int:
    """The young people across organisations from the raw rows: once per hash, else once per
    record, of the check-ins of October at the node's places by their own organisation's
    young people."""
    with unscoped():
        rows = CheckIn.all_objects.filter(
            session__node__path__startswith=node.path,
            session__date__month=10,
            participant__isnull=False,
        ).values_list("participant_id", "participant__dedup_hash")
        return len({hashed or pk for pk, hashed in rows})


def _young(client: Any, node: Node) -> Any:
    response = client.get(reverse("logbook:figures", args=[node.pk]), OCTOBER)
    assert response.status_code == 200
    (panel,) = response.context["panels"]
    return response, panel.young


def test_carl_sees_the_young_people_across_organisations_protected_and_correct(
    world: World, login: Any, carl: User, settings: Any
) -> None:
    _world(world, settings, riverside=12, bay=9, shared=4)
    expected = _expected(world.region)
    assert expected == 12 + 9 - 4  # the hash of the 4 in both is the same
    client = login(carl)
    response, young = _young(client, world.region)
    assert young.cells.available and young.across
    key = dict(young.key)
    assert key[LABEL].hidden == "" and key[LABEL].value == expected
    assert key["Unique visitors"].value == 12 + 9  # records: never joined
    page = response.content.decode()
    assert LABEL in page and NOTE in page
    for kind, found in _downloads(client, world.region.pk, OCTOBER).items():
        assert str(found["people_across"]) == str(expected), kind


def test_a_small_count_across_organisations_is_hidden(
    world: World, login: Any, carl: User, settings: Any
) -> None:
    _world(world, settings, riverside=2, bay=2, shared=1)
    assert _expected(world.region) == 3
    client = login(carl)
    _response, young = _young(client, world.region)
    value = dict(young.key)[LABEL]
    assert value.hidden == "primary" and value.text == "fewer than 5"
    for kind, found in _downloads(client, world.region.pk, OCTOBER).items():
        assert found["people_across"] == "<5", kind


def test_the_figure_is_only_above_organisations(
    world: World, login: Any, carl: User, maria: User, settings: Any
) -> None:
    _world(world, settings, riverside=12, bay=9, shared=4)
    _response, young = _young(login(carl), world.harbour)
    assert not young.across and LABEL not in dict(young.key)
    _response, young = _young(login(maria), world.harbour)  # records rights: exact, one place
    assert not young.across and LABEL not in dict(young.key)
    files = _downloads(login(carl), world.harbour.pk, OCTOBER)
    assert all("people_across" not in found for found in files.values())
