"""Build the demo world. Running it again changes nothing; it refuses to run in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from impactlog.accounts.models import User
from impactlog.kiosk import demo as demo_kiosk
from impactlog.logbook import demo_sessions
from impactlog.participants import demo as demo_participants
from impactlog.progress import demo as demo_progress
from impactlog.structure import services
from impactlog.structure.demo_world import DEMO_PASSWORD, PEOPLE, WORLD, PlaceSpec
from impactlog.surveys import demo as demo_surveys
from impactlog.tenancy.models import Membership, Node
from impactlog.tenancy.scoping import unscoped


class Command(BaseCommand):
    help = "Load the demo world: places, one user per role and a year of logbook sessions."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo data is for development only; refusing in production.")
        with unscoped(), transaction.atomic():
            places: dict[str, Node] = {}
            for spec in WORLD:
                self._place(spec, None, "", places)
            for person in PEOPLE:
                user = User.objects.filter(email=person.email).first()
                if user is None:
                    user = User.objects.create_user(
                        email=person.email,
                        password=DEMO_PASSWORD,
                        full_name=person.full_name,
                        language=person.language,
                    )
                node = places[person.place]
                # system code: the demo command
                if not Membership.all_objects.filter(user=user, node=node).exists():
                    services.grant_role(None, user, node, person.role)
            sessions = demo_sessions.load(places)
            young_people = demo_participants.load(places)
            with_progress = demo_progress.load(places)
            check_ins = demo_kiosk.load(places)
            surveys = demo_surveys.load()
        if sessions:
            self.stdout.write(f"Recorded {sessions} sessions of the year up to today.")
        if young_people:
            self.stdout.write(f"Registered {young_people} young people with their consent.")
        if with_progress:
            self.stdout.write(f"Recorded the progress of {with_progress} young people.")
        if check_ins:
            self.stdout.write(f"Recorded {check_ins} check-ins at the demo kiosks.")
        if surveys:
            self.stdout.write(f"Made {surveys} surveys from the survey templates.")
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with any of these:"))
        for person in PEOPLE:
            self.stdout.write(f"  {person.email:<22} {person.description}")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}")

    def _place(
        self, spec: PlaceSpec, parent: Node | None, prefix: str, places: dict[str, Node]
    ) -> None:
        key = f"{prefix}{spec.slug}"
        # system code: the demo command
        node = Node.all_objects.filter(parent=parent, slug=spec.slug).first()
        if node is None:
            node = services.create_node(
                None,
                parent,
                kind=spec.kind,
                name=spec.name,
                slug=spec.slug,
                country=spec.country,
                language=spec.language,
                time_zone=spec.time_zone,
            )
        places[key] = node
        for child in spec.children:
            self._place(child, node, f"{key}/", places)
