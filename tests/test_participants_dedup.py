"""Counting a young person once across organisations: the keyed hash of the real name and month
of birth, the setting that turns it on, and what is never shown of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from impactlog.participants import dedup, privacy, services
from impactlog.participants.models import Participant
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry, Node
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .participants_world import publish, register

KEY = "a-test-key-for-deduplication-0123456789"
OTHER_KEY = "another-key-for-deduplication-9876543210"


@pytest.fixture
def keyed(settings: Any) -> None:
    settings.IMPACTLOG_DEDUP_KEY = KEY


def _deduplicating(organisation: Node, on: bool = True) -> None:
    with unscoped():
        services.update_settings(
            None,
            organisation,
            ask_real_name=True,
            ask_email=False,
            ask_phone=False,
            deduplicate=on,
        )


@pytest.fixture
def both(world: World, keyed: None) -> None:
    """Riverside and the other organisation both record real names and deduplicate."""
    for organisation in (world.region, world.other_org):
        publish(organisation)
        _deduplicating(organisation)


def _fresh(participant: Participant) -> Participant:
    with unscoped():
        return Participant.all_objects.get(pk=participant.pk)


def _in(unit: Node, alias: str, **values: Any) -> Participant:
    with unscoped():
        return register(None, unit, alias, **values)


# The hash.


def test_the_same_name_and_birth_give_the_same_hash_in_two_organisations(
    world: World, both: None
) -> None:
    here = _in(world.harbour, "Fox", real_name="Ēriks  Bērziņš", birth_year=2009, birth_month=4)
    there = _in(world.other_club, "Owl", real_name="eriks berzins", birth_year=2009, birth_month=4)
    assert here.dedup_hash and len(here.dedup_hash) == 64
    assert _fresh(here).dedup_hash == _fresh(there).dedup_hash


@pytest.mark.parametrize(
    "other",
    [
        {"real_name": "Ēriks Bērziņš", "birth_year": 2009, "birth_month": 5},
        {"real_name": "Ēriks Bērziņš", "birth_year": 2010, "birth_month": 4},
        {"real_name": "Ērika Bērziņa", "birth_year": 2009, "birth_month": 4},
    ],
)
def test_another_name_or_birth_gives_another_hash(
    world: World, both: None, other: dict[str, Any]
) -> None:
    here = _in(world.harbour, "Fox", real_name="Ēriks Bērziņš", birth_year=2009, birth_month=4)
    there = _in(world.other_club, "Owl", **other)
    assert here.dedup_hash and there.dedup_hash and here.dedup_hash != there.dedup_hash


def test_the_name_is_compared_without_case_accents_or_extra_spaces() -> None:
    assert dedup.normalised_name("  ĒRIKS\u00a0 Bērziņš ") == "eriks berzins"
    assert dedup.normalised_name("Anna-Liisa Mäkelä") == dedup.normalised_name("anna liisa makela")
    # Compatibility forms (a full-width letter, a ligature) are the letters they stand for.
    assert dedup.normalised_name("Ｅﬁ") == "efi"


def test_another_key_gives_another_hash() -> None:
    assert dedup.hash_of("Liene Ozola", 2010, 3, KEY.encode()) != dedup.hash_of(
        "Liene Ozola", 2010, 3, OTHER_KEY.encode()
    )
    assert dedup.hash_of("Liene Ozola", 2010, 3, KEY.encode()) == dedup.hash_of(
        "liene ozola", 2010, 3, KEY.encode()
    )


def test_without_the_key_nothing_is_hashed(world: World, both: None, settings: Any) -> None:
    settings.IMPACTLOG_DEDUP_KEY = ""
    participant = _in(world.harbour, "Fox", real_name="Liene Ozola")
    assert participant.dedup_hash == "" and dedup.dedup_hash(participant) is None


def test_without_the_key_it_cannot_be_turned_on(world: World, settings: Any) -> None:
    settings.IMPACTLOG_DEDUP_KEY = ""
    with pytest.raises(ValidationError) as refused:
        _deduplicating(world.region)
    assert "deduplicate" in refused.value.message_dict
    with unscoped():
        assert not services.settings_of(world.region).deduplicate


def test_only_an_organisation_that_deduplicates_hashes(world: World, keyed: None) -> None:
    publish(world.region)
    with unscoped():
        services.update_settings(
            None, world.region, ask_real_name=True, ask_email=False, ask_phone=False
        )
    participant = _in(world.harbour, "Fox", real_name="Liene Ozola")
    assert participant.dedup_hash == ""


def test_without_a_real_name_nothing_is_hashed_and_clearing_it_clears_the_hash(
    world: World, both: None
) -> None:
    assert _in(world.harbour, "Owl").dedup_hash == ""
    participant = _in(world.harbour, "Fox", real_name="Liene Ozola")
    assert participant.dedup_hash
    with unscoped():
        services.update_participant(None, participant, real_name="")
    assert _fresh(participant).dedup_hash == ""
    with unscoped():
        services.update_participant(None, participant, real_name="Liene Ozola", birth_month=4)
    assert _fresh(participant).dedup_hash == dedup.hash_of("Liene Ozola", 2010, 4, KEY.encode())


def test_turning_it_off_clears_every_hash_and_on_again_sets_them(world: World, both: None) -> None:
    participant = _in(world.hill, "Fox", real_name="Liene Ozola")
    first = participant.dedup_hash
    _deduplicating(world.region, on=False)
    assert _fresh(participant).dedup_hash == ""
    _deduplicating(world.region)
    assert _fresh(participant).dedup_hash == first


def test_real_names_cannot_be_turned_off_while_deduplicating(world: World, both: None) -> None:
    with pytest.raises(ValidationError) as refused, unscoped():
        services.update_settings(
            None, world.region, ask_real_name=False, ask_email=False, ask_phone=False
        )
    assert "deduplicate" in refused.value.message_dict
    with unscoped():
        assert services.settings_of(world.region).ask_real_name


def test_anonymising_clears_the_hash(world: World, both: None, walter: Any) -> None:
    participant = _in(world.harbour, "Fox", real_name="Liene Ozola")
    assert participant.dedup_hash
    privacy.erase_participant(walter, participant)
    assert _fresh(participant).dedup_hash == ""


def test_the_export_says_that_a_hash_exists_not_its_value(
    world: World, both: None, walter: Any
) -> None:
    from impactlog.participants.export_pdf import html_of

    participant = _in(world.harbour, "Fox", real_name="Liene Ozola")
    export = privacy.subject_access(walter, participant, "en")
    assert export["participant"]["deduplicated_across_organisations"] is True
    html = html_of(export)
    assert participant.dedup_hash not in str(export) and participant.dedup_hash not in html
    assert "Counted once across organisations" in html


def test_the_hash_is_never_in_a_page(world: World, both: None, walter: Any, login: Any) -> None:
    participant = _in(world.harbour, "Fox", real_name="Liene Ozola")
    client = login(walter)
    for url in (
        reverse("participants:list", args=[world.harbour.pk]),
        reverse("participants:detail", args=[world.harbour.pk, participant.pk]),
        reverse("participants:edit", args=[world.harbour.pk, participant.pk]),
    ):
        answer = client.get(url)
        assert answer.status_code == 200
        assert participant.dedup_hash not in answer.content.decode()
        if url.endswith(f"/{participant.pk}/"):
            assert "Counted once across organisations" in answer.content.decode()
    with unscoped():
        entries = list(AuditEntry.all_objects.values_list("changes", flat=True))
    assert participant.dedup_hash not in str(entries)


# The settings page.


def test_the_settings_page_turns_it_on_audited(
    world: World, alice: Any, keyed: None, login: Any
) -> None:
    url = reverse("participants:settings", args=[world.region.pk])
    page = login(alice).get(url).content.decode()
    assert 'name="deduplicate"' in page and 'id="dedup-no-key"' not in page
    answer = login(alice).post(
        url, {"ask_real_name": "on", "deduplicate": "on", "retention_months": "24", "new_areas": ""}
    )
    assert answer.status_code == 302
    with unscoped():
        assert services.settings_of(world.region).deduplicate
        entry = AuditEntry.all_objects.filter(
            action=AuditAction.PARTICIPANT_SETTINGS_CHANGED
        ).latest("pk")
    assert entry.changes["deduplicate"] == [False, True]


def test_the_settings_page_refuses_it_without_real_names(
    world: World, alice: Any, keyed: None, login: Any
) -> None:
    url = reverse("participants:settings", args=[world.region.pk])
    answer = login(alice).post(
        url, {"deduplicate": "on", "retention_months": "24", "new_areas": ""}
    )
    assert answer.status_code == 200
    assert "only when their real names are asked for" in answer.content.decode()
    with unscoped():
        assert not services.settings_of(world.region).deduplicate


def test_the_settings_page_says_when_the_server_has_no_key(
    world: World, alice: Any, login: Any, settings: Any
) -> None:
    settings.IMPACTLOG_DEDUP_KEY = ""
    url = reverse("participants:settings", args=[world.region.pk])
    assert 'id="dedup-no-key"' in login(alice).get(url).content.decode()
    answer = login(alice).post(
        url, {"ask_real_name": "on", "deduplicate": "on", "retention_months": "24", "new_areas": ""}
    )
    assert answer.status_code == 200
    with unscoped():
        assert not services.settings_of(world.region).deduplicate


# The network's figure of people.

# The same young people written down in different hands: (real name spellings, year, month).
PEOPLE = [
    (["Ēriks Bērziņš", "eriks berzins", "ĒRIKS  BĒRZIŅŠ"], 2009, 4),
    (["Anna-Liisa Mäkelä", "Anna Liisa Makela"], 2010, 7),
    (["Jonas Petraitis", "jonas petraitis"], 2011, 1),
    (["Jonas Petraitis"], 2011, 2),  # another Jonas, born a month later
    (["Liene Ozola", "Liene Ozola "], 2012, 12),
]


def _lakeside(world: World) -> tuple[Node, Node]:
    """A second organisation of the network, with one centre."""
    from impactlog.structure.services import create_node
    from impactlog.tenancy.models import NodeKind

    def place(parent: Node, slug: str, name: str, kind: str) -> Node:
        return create_node(
            None,
            parent,
            kind=kind,
            name=name,
            slug=slug,
            country="LV",
            language="lv",
            time_zone="Europe/Riga",
        )

    with unscoped():
        organisation = place(world.network, "lakeside", "Lakeside Youth", NodeKind.ORGANISATION)
        return organisation, place(organisation, "lake", "Lake Centre", NodeKind.UNIT)


def _check_in(unit: Node, participant: Participant, day: Any, sequence: int) -> None:
    import datetime as dt

    from impactlog.kiosk.models import CheckIn, KioskDevice
    from impactlog.logbook.models import Activity, ActivityKind, Session

    activity, _new = Activity.all_objects.get_or_create(
        node=unit, kind=ActivityKind.DROP_IN, name="Open"
    )
    device, _new = KioskDevice.all_objects.get_or_create(
        node=unit,
        activity=activity,
        defaults={"name": "Desk", "token_hash": f"t{unit.pk}", "paired_at": NOW},
    )
    session, _new = Session.all_objects.get_or_create(
        activity=activity, node=unit, date=day, defaults={"start_time": dt.time(16), "minutes": 60}
    )
    CheckIn.all_objects.create(
        device=device,
        session=session,
        participant=participant,
        gender="girls",
        age_band="13_15",
        sequence=sequence,
        key=str(sequence),
        received_at=NOW,
    )


@pytest.mark.parametrize("seed", range(6))
def test_people_across_counts_a_hash_once_and_every_other_record_once(
    world: World, keyed: None, seed: int, django_assert_num_queries: Any
) -> None:
    import datetime as dt
    import random

    from impactlog.kiosk.figures import people_across

    rng = random.Random(seed)
    lakeside, lake = _lakeside(world)
    places = {world.region: [world.harbour, world.hill], lakeside: [lake]}
    # Riverside always deduplicates; Lakeside in half of the runs (so some of the same young
    # people then count twice: once by hash at Riverside, once by record at Lakeside).
    both = seed % 2 == 0
    for organisation in places:
        publish(organisation)
        with unscoped():
            services.update_settings(
                None, organisation, ask_real_name=True, ask_email=False, ask_phone=False
            )
    _deduplicating(world.region)
    if both:
        _deduplicating(lakeside)
    start, end = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    counted: set[tuple[str, int]] = set()
    sequence = 0
    for organisation, units in places.items():
        deduplicates = organisation == world.region or both
        for n in range(rng.randint(3, 8)):
            person = rng.randrange(len(PEOPLE) + 1)  # the last: a record without a real name
            if person < len(PEOPLE):
                spellings, year, month = PEOPLE[person]
                values = {"real_name": rng.choice(spellings), "birth_year": year}
                values["birth_month"] = month
            else:
                values = {}
            unit = rng.choice(units)
            participant = _in(unit, f"A{organisation.pk}-{n}", **values)
            for _visit in range(rng.randint(0, 3)):
                day = dt.date(2025, 11, 1) + dt.timedelta(days=rng.randrange(300))
                sequence += 1
                with unscoped():
                    _check_in(rng.choice(units), participant, day, sequence)
                if start <= day <= end:
                    same = deduplicates and person < len(PEOPLE)
                    counted.add(("person", person) if same else ("record", participant.pk))
    with unscoped(), django_assert_num_queries(1):
        found = people_across(world.network, start, end)
    assert found == len(counted)


def test_people_across_never_counts_a_stranger_at_a_place_of_another_organisation(
    world: World, both: None
) -> None:
    import datetime as dt

    from impactlog.kiosk.figures import people_across

    lakeside, _lake = _lakeside(world)
    here = _in(world.harbour, "Fox", real_name="Liene Ozola")
    with unscoped():
        # Someone of the other organisation, outside the network, checked in at Harbour.
        stranger = register(None, world.other_club, "Owl", real_name="Māra Kalna")
        _check_in(world.harbour, stranger, dt.date(2026, 3, 3), 1)
        _check_in(world.hill, here, dt.date(2026, 3, 4), 2)
    month = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    with unscoped():
        assert people_across(world.network, *month) == 1
        assert people_across(lakeside, *month) == 0


def test_production_refuses_a_short_dedup_key() -> None:
    from .test_settings import GOOD_KEY, _manage

    result = _manage(
        "check",
        IMPACTLOG_ENV="production",
        IMPACTLOG_SECRET_KEY=GOOD_KEY,
        IMPACTLOG_ALLOWED_HOSTS="x.example",
        IMPACTLOG_DEDUP_KEY="short",
    )
    assert result.returncode != 0
    assert "IMPACTLOG_DEDUP_KEY must be at least 32" in result.stderr
