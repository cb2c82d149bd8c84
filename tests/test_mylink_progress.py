"""The young person's own progress through their personal link: the timeline (their own
ratings beside the worker's, shared notes only), a self-assessment, a journal entry and a
recognition for a peer of their unit, each written through progress.own."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.participants import mylink, services
from impactlog.participants.models import Participant
from impactlog.progress import services as progress
from impactlog.progress.models import JournalEntry, Rating, Recognition, Source
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .participants_world import publish, register

PAGES = ["me:progress", "me:rate", "me:journal", "me:recognise"]


@pytest.fixture
def robin(world: World) -> Participant:
    publish(world.region)
    with unscoped():
        return register(None, world.harbour, alias="Robin")


@pytest.fixture
def signed_in(robin: Participant) -> Client:
    issued = mylink.issue_link(None, robin, pin="4821")
    client = Client()
    response = client.post(reverse("me:open", args=[issued.token]), {"pin": "4821"})
    assert response.status_code == 302
    return client


def _count(model: Any, **where: Any) -> int:
    with unscoped():
        return int(model.all_objects.filter(**where).count())


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_the_progress_pages_need_the_young_persons_own_session(
    name: str, robin: Participant, walter: User, login: Any
) -> None:
    assert Client().get(reverse(name)).status_code == 403
    assert login(walter).get(reverse(name)).status_code == 403


@pytest.mark.django_db
def test_a_self_assessment_shows_on_the_timeline_beside_the_workers_rating(
    signed_in: Client, robin: Participant, walter: User
) -> None:
    progress.rate(walter, robin, "digital", 2)
    response = signed_in.post(
        reverse("me:rate"), {"competence": "digital", "level": "4", "note": "I made a video"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("me:progress")
    with unscoped():
        own = Rating.all_objects.get(participant=robin, source=Source.SELF)
    assert (own.level, own.note, own.rated_by) == (4, "I made a video", None)
    page = signed_in.get(reverse("me:progress")).content.decode()
    row = page.split("Digital competence</th>")[1].split("</tr>")[0]
    assert "Confidently" in row and "With help" in row  # mine, then the worker's
    assert "I made a video" in page


@pytest.mark.django_db
def test_only_notes_shared_with_the_young_person_are_on_their_timeline(
    signed_in: Client, robin: Participant, walter: User
) -> None:
    progress.add_note(walter, robin, "Talk to the school about it", shared=False)
    progress.add_note(walter, robin, "You led the workshop well", shared=True)
    page = signed_in.get(reverse("me:progress")).content.decode()
    assert "You led the workshop well" in page
    assert "Talk to the school" not in page


@pytest.mark.django_db
def test_a_journal_entry_is_written_and_shown(signed_in: Client, robin: Participant) -> None:
    response = signed_in.post(
        reverse("me:journal"), {"did": "Cooked for twenty", "learned": "Planning matters"}
    )
    assert response.status_code == 302
    assert _count(JournalEntry, participant=robin) == 1
    assert "Cooked for twenty" in signed_in.get(reverse("me:progress")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("me:rate", {"competence": "digital", "level": "9"}),
        ("me:rate", {"competence": "own:999999", "level": "3"}),
        ("me:journal", {"did": "Something", "learned": ""}),
        ("me:journal", {"did": "x" * 2001, "learned": "y"}),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_written(
    signed_in: Client, robin: Participant, name: str, body: dict[str, str]
) -> None:
    response = signed_in.post(reverse(name), body)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert _count(Rating, participant=robin) == 0
    assert _count(JournalEntry, participant=robin) == 0


@pytest.mark.django_db
def test_peers_are_the_live_young_people_of_the_same_unit_by_alias_only(
    signed_in: Client, robin: Participant, world: World
) -> None:
    with unscoped():
        wren = register(None, world.harbour, alias="Wren", real_name="")
        gone = register(None, world.harbour, alias="Gone")
        services.withdraw_consent(None, gone.consents.get())
        register(None, world.hill, alias="Hilly")
    page = signed_in.get(reverse("me:recognise")).content.decode()
    options = page.split('name="peer"')[1].split("</select>")[0]
    assert "Wren" in options
    assert "Gone" not in options and "Hilly" not in options and "Robin" not in options
    response = signed_in.post(
        reverse("me:recognise"),
        {"peer": str(wren.pk), "competence": "citizenship", "text": "You helped me a lot"},
    )
    assert response.status_code == 302
    with unscoped():
        given = Recognition.all_objects.get()
    assert (given.giver_id, given.peer_id) == (robin.pk, wren.pk)


@pytest.mark.django_db
def test_a_recognition_for_someone_outside_the_unit_is_refused(
    signed_in: Client, robin: Participant, world: World
) -> None:
    with unscoped():
        hilly = register(None, world.hill, alias="Hilly")
        register(None, world.harbour, alias="Wren")
    for peer in [hilly.pk, robin.pk, 10**12]:
        response = signed_in.post(
            reverse("me:recognise"),
            {"peer": str(peer), "competence": "citizenship", "text": "Well done"},
        )
        assert response.status_code == 200
    assert _count(Recognition) == 0


@pytest.mark.django_db
def test_with_nobody_to_recognise_the_page_says_so(signed_in: Client) -> None:
    page = signed_in.get(reverse("me:recognise")).content.decode()
    assert "nobody here yet" in page and 'name="peer"' not in page


@pytest.mark.django_db
def test_reading_the_timeline_is_audited(signed_in: Client, robin: Participant) -> None:
    signed_in.get(reverse("me:progress"))
    with unscoped():
        entry = AuditEntry.all_objects.filter(action=AuditAction.PARTICIPANT_VIEWED_OWN).last()
    assert entry is not None and entry.changes == {"page": "progress"}


@pytest.mark.django_db
def test_their_own_download_holds_what_their_pages_show_and_the_workers_download_all(
    signed_in: Client, robin: Participant, world: World, walter: User, maria: User
) -> None:
    from impactlog.participants import privacy
    from impactlog.progress import own

    progress.add_note(walter, robin, "Talk to the school about it", shared=False)
    progress.add_note(walter, robin, "You led the workshop well", shared=True)
    with unscoped():
        wren = register(None, world.harbour, alias="Wren")
    kind = own.recognise(wren, robin, "citizenship", "You helped me")
    hurtful = own.recognise(wren, robin, "digital", "Something hurtful")
    waiting = own.recognise(wren, robin, "digital", "Not decided yet")
    progress.decide_recognition(walter, kind, True)
    progress.decide_recognition(walter, hurtful, False)
    mine = signed_in.get(reverse("me:export_json")).json()["progress"]
    assert [note["text"] for note in mine["notes"]] == ["You led the workshop well"]
    assert [given["text"] for given in mine["recognitions_received"]] == ["You helped me"]
    # the formal subject access export, made by a worker, holds everything
    with unscoped():
        full = privacy.subject_access(maria, robin, "en")["progress"]
    assert {note["text"] for note in full["notes"]} == {
        "Talk to the school about it",
        "You led the workshop well",
    }
    assert {given["id"] for given in full["recognitions_received"]} == {
        kind.pk,
        hurtful.pk,
        waiting.pk,
    }
