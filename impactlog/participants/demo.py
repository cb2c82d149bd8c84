"""Demo young people: a privacy notice for the organisations of two demo centres and a few
registered participants with their consents (a child with a guardian's). Loading it again
changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils import timezone

from impactlog.participants import services
from impactlog.participants.models import ConsentKind, GivenBy, Method, Participant, alias_key_of
from impactlog.tenancy.models import Node
from impactlog.tenancy.scoping import unscoped

NOTICES = {
    "lv": (
        "Jauniešu centrs glabā tavu segvārdu, dzimšanas gadu un mēnesi, dzimumu, apkaimi un to, "
        "vai mācies vai strādā, lai zinātu, cik dažādu jauniešu pie mums nāk. Tavu īsto vārdu "
        "mēs neprasām. Piekrišanu vari atsaukt jebkurā laikā."
    ),
    "lt": (
        "Jaunimo centras saugo tavo slapyvardį, gimimo metus ir mėnesį, lytį, gyvenamąją vietovę "
        "ir tai, ar mokaisi, ar dirbi, kad žinotų, kiek skirtingų jaunuolių pas mus ateina. "
        "Tikrojo vardo neklausiame. Sutikimą gali atšaukti bet kada."
    ),
    "en": (
        "The youth centre keeps your alias, year and month of birth, gender, home area and "
        "whether you are in school or work, to know how many different young people come. We "
        "do not ask for your real name. You can withdraw your consent at any time."
    ),
}
# (alias, years of age, birth month, gender, status, who consents, photos too)
PEOPLE = {
    "agenskalns": [
        ("Lapsa", 16, 1, "girl", "school", GivenBy.YOUNG_PERSON, True),
        ("Ezis", 17, 2, "boy", "studying", GivenBy.YOUNG_PERSON, False),
        ("Zvaigzne", 11, 6, "non_binary", "school", GivenBy.GUARDIAN, True),
    ],
    "silainiai": [
        ("Lapė", 16, 1, "girl", "school", GivenBy.YOUNG_PERSON, False),
        ("Vilkas", 19, 3, "boy", "working", GivenBy.YOUNG_PERSON, True),
        ("Ežiukas", 12, 5, "not_say", "school", GivenBy.GUARDIAN, False),
    ],
}
AREAS = {"agenskalns": ["Āgenskalns", "Iļģuciems"], "silainiai": ["Šilainiai", "Vilijampolė"]}


def load(places: Mapping[str, Node], *, today: dt.date | None = None) -> int:
    """Register the demo young people in the demo units named in PEOPLE; returns how many."""
    today = today or timezone.localdate()
    created = 0
    with unscoped():
        for unit in sorted(places.values(), key=lambda node: node.path):
            if unit.slug not in PEOPLE:
                continue
            organisation = services.organisation_of(unit)
            if services.current_notice(organisation) is None:
                services.publish_notice(
                    None, organisation, {"en": NOTICES["en"], unit.language: NOTICES[unit.language]}
                )
            known = {area.name for area in services.home_areas(organisation)}
            for name in AREAS[unit.slug]:
                if name not in known:
                    services.add_home_area(None, organisation, name)
            areas = list(services.home_areas(organisation))
            for number, (alias, age, month, gender, status, given_by, photos) in enumerate(
                PEOPLE[unit.slug]
            ):
                # demo seeding (system code, no actor): reads the place it fills
                if Participant.all_objects.filter(
                    organisation=organisation, alias_key=alias_key_of(alias)
                ).exists():
                    continue
                given = services.GivenConsent(
                    given_by=given_by,
                    method=Method.PAPER if given_by == GivenBy.GUARDIAN else Method.WORKER,
                    given_at=timezone.now() - dt.timedelta(days=30 + number),
                )
                participant = services.register_participant(
                    None,
                    unit,
                    given,
                    today=today,
                    alias=alias,
                    birth_year=today.year - age - 1,
                    birth_month=month,
                    gender=gender,
                    status=status,
                    home_area=areas[number % len(areas)],
                    languages=[unit.language],
                )
                if photos:
                    services.record_consent(
                        None, participant, ConsentKind.PHOTOS, given, today=today
                    )
                created += 1
    return created
