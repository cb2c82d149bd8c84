from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from impactlog.accounts.models import User
from impactlog.core.permissions import Role
from impactlog.structure.demo_world import PEOPLE
from impactlog.structure.models import Membership, Node, NodeKind


@pytest.mark.django_db
def test_the_demo_world_is_believable_and_loading_it_twice_changes_nothing() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    counts = (Node.all_objects.count(), User.objects.count(), Membership.all_objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Node.all_objects.count(), User.objects.count(), Membership.all_objects.count()) == (
        counts
    )
    network = Node.all_objects.get(kind=NodeKind.NETWORK)
    countries = set(
        Node.all_objects.filter(path__startswith=network.path).values_list("country", flat=True)
    )
    assert len(countries) == 2
    regions = Node.all_objects.filter(parent=network, kind=NodeKind.REGION)
    assert regions.count() == 2
    for region in regions:
        assert 3 <= Node.all_objects.filter(parent=region, kind=NodeKind.UNIT).count() <= 5
    assert Node.all_objects.filter(kind=NodeKind.ORGANISATION, parent=None).count() == 2
    assert {m.role for m in Membership.all_objects.all()} == set(Role.values)
    assert "impactlog-demo" in out.getvalue()
    for person in PEOPLE:
        assert person.email in out.getvalue()
        assert User.objects.get(email=person.email).check_password("impactlog-demo")
