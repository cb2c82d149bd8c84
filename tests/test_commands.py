from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from impactlog.tenancy.models import AuditEntry, Membership, Node
from impactlog.tenancy.roles import Role


@pytest.mark.django_db(transaction=True)
def test_create_root_sets_up_a_tree_and_invites_its_first_admin() -> None:
    out = io.StringIO()
    call_command(
        "create_root",
        "--kind",
        "network",
        "--name",
        "Mreža",
        "--slug",
        "mreza",
        "--country",
        "si",
        "--language",
        "sl",
        "--time-zone",
        "Europe/Ljubljana",
        "--admin-email",
        "Koordinator@Example.org",
        "--base-url",
        "https://impact.example.org",
        stdout=out,
    )
    root = Node.all_objects.get(slug="mreza")
    assert (root.country, root.parent) == ("SI", None)
    assert AuditEntry.all_objects.filter(action="node.created", node=root).exists()
    assert mail.outbox[0].to == ["koordinator@example.org"]
    link = out.getvalue().split("https://impact.example.org", 1)[1].split()[0]
    response = Client().post(
        link, {"full_name": "Ana", "password1": "dolgo geslo 2026", "password2": "dolgo geslo 2026"}
    )
    assert response.status_code == 302
    assert Membership.all_objects.get(node=root).role == Role.ADMIN


@pytest.mark.django_db
def test_create_root_refuses_bad_input_and_writes_nothing() -> None:
    with pytest.raises(CommandError, match="not a known time zone"):
        call_command(
            "create_root",
            "--kind",
            "network",
            "--name",
            "X",
            "--slug",
            "x",
            "--country",
            "SI",
            "--time-zone",
            "Nowhere/City",
            "--admin-email",
            "a@example.org",
            "--base-url",
            "https://x",
            stdout=io.StringIO(),
        )
    assert not Node.all_objects.exists()


@pytest.mark.django_db
def test_create_root_explains_a_taken_short_name() -> None:
    arguments = [
        "--kind",
        "organisation",
        "--name",
        "X",
        "--slug",
        "x",
        "--country",
        "EE",
        "--admin-email",
        "a@example.org",
        "--base-url",
        "https://x",
    ]
    call_command("create_root", *arguments, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already uses this short name"):
        call_command("create_root", *arguments, stdout=io.StringIO())
    assert Node.all_objects.count() == 1
