"""Set up a new top-level place (a network or an organisation) and invite its first admin.

    manage.py create_root --kind network --name "Youth Centre Network" --slug ycn \\
        --country SI --language sl --time-zone Europe/Ljubljana \\
        --admin-email coordinator@example.org --base-url https://impact.example.org
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from impactlog.structure import services
from impactlog.tenancy.models import NodeKind
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped


class Command(BaseCommand):
    help = "Create a top-level place and e-mail an invitation to its first administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", choices=[NodeKind.NETWORK, NodeKind.ORGANISATION], required=True
        )
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--country", required=True, help="ISO code, e.g. LV")
        parser.add_argument("--language", default="en")
        parser.add_argument("--time-zone", default="Europe/Riga")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--base-url", required=True, help="the site's public address")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with unscoped(), transaction.atomic():
                root = services.create_node(
                    None,
                    None,
                    kind=options["kind"],
                    name=options["name"],
                    slug=options["slug"],
                    country=options["country"].upper(),
                    language=options["language"],
                    time_zone=options["time_zone"],
                )
                invitation = services.invite(
                    None, root, options["admin_email"], Role.ADMIN, base_url=options["base_url"]
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Created {root.name} (#{root.pk})."))
        self.stdout.write(f"Invitation sent to {invitation.email}; the link, valid 14 days:")
        self.stdout.write(f"  {invitation.link}")
