"""Privacy duties: anonymisation and erasure on request, either registration consent withdrawing
the registration, retention with the clock passed in, and the subject access export."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from impactlog.participants import privacy, queries, services
from impactlog.participants.models import Consent, ConsentKind, GivenBy, Participant
from impactlog.progress import privacy as progress_privacy
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World, make_person
from .participants_world import by, publish, register


@pytest.fixture
def notice(world: World):  # type: ignore[no-untyped-def]
    return publish(world.region)


@pytest.fixture
def liene(world: World, alice: Any, walter: Any, notice: object) -> Participant:
    """Liene, registered as Fox at Harbour with her name and e-mail, photos consented."""
    services.update_settings(
        alice, world.region, ask_real_name=True, ask_email=True, ask_phone=False
    )
    participant = register(
        walter,
        world.harbour,
        real_name="Liene Ozola",
        email="liene@example.org",
        gender="self",
        gender_text="fluid",
        languages=["lv", "ru"],
    )
    services.record_consent(walter, participant, ConsentKind.PHOTOS, by())
    return participant


@pytest.fixture
def hilda(world: World) -> Any:
    """A worker of Hill, another unit of the same organisation."""
    return make_person("hilda@example.org", "Hilda Hill", world.hill, Role.WORKER)


def _fresh(participant: Participant) -> Participant:
    with unscoped():
        return Participant.all_objects.get(pk=participant.pk)


# Anonymisation and erasure.


def test_erasure_takes_the_identity_and_keeps_the_counts(
    world: World, walter: Any, liene: Participant
) -> None:
    privacy.erase_participant(walter, liene)
    gone = _fresh(liene)
    assert gone.alias == f"~{liene.pk}" and gone.alias_key == f"~{liene.pk}"
    assert (gone.real_name, gone.email, gone.phone, gone.gender_text, gone.status) == ("",) * 5
    assert gone.birth_month is None and gone.home_area is None and gone.languages == []
    # What the anonymous counts need stays.
    assert (gone.birth_year, gone.gender, gone.unit_id) == (2010, "self", world.harbour.pk)
    assert gone.anonymised_at is not None and gone.stopped_at is not None
    with unscoped():
        consents = list(Consent.all_objects.filter(participant=liene))
    assert len(consents) == 2
    assert all(c.recorded_by_id is None and c.withdrawn_at is not None for c in consents)
    assert {c.kind for c in consents} == {"registration", "photos"}
    assert all(c.notice.version == 1 and c.method == "worker" for c in consents)


def test_the_audit_trail_keeps_nothing_of_the_record(
    world: World, walter: Any, liene: Participant
) -> None:
    services.update_participant(walter, liene, alias="Otter", email="ozola@example.org")
    privacy.erase_participant(walter, liene)
    with unscoped():
        entries = list(AuditEntry.all_objects.all())
    text = json.dumps([[e.object_repr, e.changes] for e in entries], ensure_ascii=False)
    for value in ("Fox", "Otter", "Liene", "Ozola", "liene@", "fluid"):
        assert value not in text
    anonymised = [e for e in entries if e.action == AuditAction.PARTICIPANT_ANONYMISED]
    assert [(e.changes, e.actor_id) for e in anonymised] == [({"reason": "request"}, walter.pk)]


def test_erasing_again_changes_nothing(walter: Any, liene: Participant) -> None:
    privacy.erase_participant(walter, liene)
    first = _fresh(liene).anonymised_at
    privacy.erase_participant(walter, liene, now=NOW + dt.timedelta(days=3))
    assert _fresh(liene).anonymised_at == first
    with unscoped():
        assert AuditEntry.all_objects.filter(action=AuditAction.PARTICIPANT_ANONYMISED).count() == 1


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("maria", None),
        ("vera", PermissionDenied),
        ("alice", PermissionDenied),
        ("otto", PermissionDenied),
        ("hilda", PermissionDenied),
    ],
)
def test_who_may_erase(
    who: str, refusal: type[Exception] | None, request: pytest.FixtureRequest, liene: Participant
) -> None:
    actor = request.getfixturevalue(who)
    if refusal is None:
        privacy.erase_participant(actor, liene)
        assert _fresh(liene).anonymised_at is not None
        return
    with pytest.raises(refusal):
        privacy.erase_participant(actor, liene)
    assert _fresh(liene).alias == "Fox"


def test_an_anonymised_record_is_not_changed_found_or_consented(
    world: World, walter: Any, liene: Participant
) -> None:
    privacy.erase_participant(walter, liene)
    with pytest.raises(ValidationError, match="anonymised"):
        services.update_participant(walter, liene, alias="Fox")
    for kind in (ConsentKind.REGISTRATION, ConsentKind.PHOTOS):
        with pytest.raises(ValidationError, match="anonymised"):
            services.record_consent(walter, liene, kind, by())
    with unscoped():
        for search in ("Fox", "fox", "~", str(liene.pk)):
            assert not queries.participants_of(world.harbour, search).exists()
        assert queries.participants_of(world.harbour).count() == 1  # still counted
    # The old alias is free again, and nobody can take a placeholder.
    register(walter, world.harbour, alias="Fox")
    with pytest.raises(ValidationError, match="cannot start"):
        register(walter, world.harbour, alias="~99")


# Withdrawal: either registration consent withdraws the registration.


@pytest.mark.parametrize("withdrawn", [GivenBy.YOUNG_PERSON, GivenBy.GUARDIAN])
def test_withdrawing_either_registration_consent_stops_processing(
    withdrawn: str, world: World, walter: Any, notice: object
) -> None:
    participant = register(walter, world.harbour, given_by=GivenBy.GUARDIAN)
    services.record_consent(walter, participant, ConsentKind.REGISTRATION, by())
    with unscoped():
        consent = Consent.all_objects.get(participant=participant, given_by=withdrawn)
    services.withdraw_consent(walter, consent)
    assert _fresh(participant).stopped_at is not None
    with unscoped():
        assert not Consent.all_objects.filter(
            participant=participant, withdrawn_at__isnull=True
        ).exists()


# Retention.


def _registered_on(day: dt.datetime, actor: Any, unit: Any, alias: str) -> Participant:
    given = services.GivenConsent(given_by=GivenBy.GUARDIAN, method="paper", given_at=day)
    with time_machine.travel(day, tick=False):
        return services.register_participant(
            actor,
            unit,
            given,
            alias=alias,
            birth_year=2012,
            birth_month=5,
            gender="boy",
            status="school",
        )


@pytest.mark.time_machine(NOW, tick=False)
def test_retention_anonymises_who_has_been_inactive_for_the_period(
    world: World, alice: Any, walter: Any, notice: object
) -> None:
    old = _registered_on(NOW - dt.timedelta(days=800), walter, world.harbour, "Old")
    consented = _registered_on(NOW - dt.timedelta(days=800), walter, world.harbour, "Consented")
    changed = _registered_on(NOW - dt.timedelta(days=800), walter, world.harbour, "Changed")
    _registered_on(NOW - dt.timedelta(days=100), walter, world.harbour, "Recent")
    with time_machine.travel(NOW - dt.timedelta(days=300), tick=False):
        photos = services.GivenConsent(GivenBy.GUARDIAN, "paper", NOW - dt.timedelta(days=300))
        services.record_consent(walter, consented, ConsentKind.PHOTOS, photos)
        services.update_participant(walter, changed, status="working")
    preview = privacy.retention_preview(alice, world.harbour, NOW)
    assert preview["count"] == 1 and preview["named"] == []  # an administrator: no aliases
    assert [p.alias for p in privacy.retention_preview(None, world.harbour, NOW)["named"]] == [
        "Old"
    ]
    assert preview["cutoff"] == dt.datetime(2024, 11, 18, 12, 0, tzinfo=NOW.tzinfo)
    assert _fresh(old).anonymised_at is None  # the preview writes nothing
    with unscoped():
        assert not AuditEntry.all_objects.filter(action=AuditAction.PARTICIPANT_ANONYMISED).exists()
    assert privacy.apply_retention_everywhere(NOW) == 1
    assert _fresh(old).alias == f"~{old.pk}"
    assert privacy.apply_retention_everywhere(NOW) == 0
    # A shorter period reaches the others; off reaches nobody.
    services.update_settings(
        alice,
        world.region,
        ask_real_name=False,
        ask_email=False,
        ask_phone=False,
        retention_months=None,
    )
    assert privacy.apply_retention_everywhere(NOW + dt.timedelta(days=3650)) == 0
    services.update_settings(
        alice,
        world.region,
        ask_real_name=False,
        ask_email=False,
        ask_phone=False,
        retention_months=6,
    )
    assert privacy.apply_retention_everywhere(NOW) == 2
    assert _fresh(old).anonymised_at == NOW - dt.timedelta(0)


def test_only_the_keeper_previews_retention(
    world: World, walter: Any, otto: Any, notice: object
) -> None:
    for actor in (walter, otto):
        with pytest.raises(PermissionDenied):
            privacy.retention_preview(actor, world.harbour, NOW)


def test_a_retention_period_out_of_range_is_refused(world: World, alice: Any) -> None:
    with pytest.raises(ValidationError):
        services.update_settings(
            alice,
            world.region,
            ask_real_name=False,
            ask_email=False,
            ask_phone=False,
            retention_months=0,
        )


def test_months_before_keeps_the_day_or_the_end_of_the_month() -> None:
    moment = dt.datetime(2026, 3, 31, 9, 0, tzinfo=NOW.tzinfo)
    assert privacy.months_before(moment, 1) == moment.replace(month=2, day=28)
    assert privacy.months_before(moment, 24) == moment.replace(year=2024)
    assert privacy.months_before(moment, 3) == moment.replace(year=2025, month=12)


# Subject access.


@pytest.mark.time_machine(NOW, tick=False)
def test_the_export_holds_everything_about_them_and_nobody_else(
    world: World, walter: Any, maria: Any, liene: Participant
) -> None:
    other = register(walter, world.harbour, alias="Badger")
    services.view_participant(maria, liene)
    export = privacy.subject_access(maria, liene, "lv", now=NOW)
    with unscoped():
        consents = list(Consent.all_objects.filter(participant=liene).order_by("given_at", "pk"))
    assert export["participant"] == {
        "id": liene.pk,
        "alias": "Fox",
        "birth_year": 2010,
        "birth_month": 3,
        "gender": "self",
        "gender_text": "fluid",
        "home_area": None,
        "status": "school",
        "languages": ["lv", "ru"],
        "real_name": "Liene Ozola",
        "email": "liene@example.org",
        "phone": "",
        "guardian_email": "",
        "registered_at": export["participant"]["registered_at"],
        "updated_at": export["participant"]["updated_at"],
        "stopped_at": None,
        "anonymised_at": None,
        "deduplicated_across_organisations": False,
    }
    for key in ("registered_at", "updated_at"):
        assert dt.datetime.fromisoformat(export["participant"][key]) == NOW
    assert [c["kind"] for c in export["consents"]] == [c.kind for c in consents]
    assert export["consents"][0]["notice_text"] == "Mēs glabājam tavu segvārdu."
    assert export["consents"][0]["notice_version"] == 1
    assert [(a["action"], a["by"]) for a in export["audit"]] == [
        ("participant.registered", "walter@example.org"),
        ("consent.recorded", "walter@example.org"),
        ("consent.recorded", "walter@example.org"),
        ("participant.viewed", "maria@example.org"),
    ]
    with unscoped():
        theirs = {str(c.pk) for c in Consent.all_objects.filter(participant=other)}
    assert ("participants.participant", str(other.pk)) not in {
        (a["object_type"], a["object_id"]) for a in export["audit"]
    }
    assert not theirs & {a["object_id"] for a in export["audit"] if "consent" in a["object_type"]}
    assert "Badger" not in json.dumps(export, ensure_ascii=False)
    with unscoped():
        assert AuditEntry.all_objects.filter(
            action=AuditAction.PARTICIPANT_EXPORTED, object_id=str(liene.pk), actor=maria
        ).exists()


def test_another_organisation_cannot_export(otto: Any, vera: Any, liene: Participant) -> None:
    for actor in (otto, vera):
        with pytest.raises(PermissionDenied):
            privacy.subject_access(actor, liene, "en")


# Pages.


def test_erasure_after_a_confirmation_page(
    world: World, walter: Any, login: Any, liene: Participant
) -> None:
    client: Client = login(walter)
    url = reverse("participants:erase", args=[world.harbour.pk, liene.pk])
    page = client.get(url)
    assert page.status_code == 200 and "What stays" in page.content.decode()
    assert _fresh(liene).anonymised_at is None
    for _attempt in range(2):  # sent twice: erased once
        done = client.post(url)
        assert done.status_code == 302
    with unscoped():
        assert AuditEntry.all_objects.filter(action=AuditAction.PARTICIPANT_ANONYMISED).count() == 1
    detail = client.get(done["Location"])
    assert detail.status_code == 200 and "Anonymised on" in detail.content.decode()
    listed = client.get(reverse("participants:list", args=[world.harbour.pk])).content.decode()
    assert f"~{liene.pk} (Anonymised)" in listed and "Fox" not in listed
    assert reverse("participants:edit", args=[world.harbour.pk, liene.pk]) not in (
        detail.content.decode()
    )


def test_the_json_download_then_another_page(
    world: World, maria: Any, login: Any, liene: Participant
) -> None:
    client: Client = login(maria)
    url = reverse("participants:export_json", args=[world.harbour.pk, liene.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["participant"]["alias"] == "Fox"
    after = client.get(reverse("participants:list", args=[world.harbour.pk]))
    assert after.status_code == 200 and "Fox" in after.content.decode()


@pytest.mark.parametrize("name", ["erase", "export_json"])
def test_another_organisations_participant_answers_404(
    name: str, world: World, otto: Any, login: Any, liene: Participant
) -> None:
    client: Client = login(otto)
    assert (
        client.get(reverse(f"participants:{name}", args=[world.harbour.pk, liene.pk])).status_code
        == 404
    )


def test_the_retention_preview_page(
    world: World, alice: Any, walter: Any, login: Any, liene: Participant
) -> None:
    page = login(alice).get(reverse("participants:retention", args=[world.region.pk]))
    assert page.status_code == 200
    assert "would anonymise 0 young people" in page.content.decode()
    assert (
        login(walter).get(reverse("participants:retention", args=[world.harbour.pk])).status_code
        == 403
    )


# Query budgets: the export and the preview do not grow with what they list.


def test_the_export_makes_a_fixed_number_of_queries(
    world: World, walter: Any, maria: Any, liene: Participant, django_assert_max_num_queries: Any
) -> None:
    # The registry's 7, one for the kiosk's cards, and what progress adds
    # (impactlog.progress.privacy).
    budget = 7 + 1 + progress_privacy.EXPORT_QUERIES
    with django_assert_max_num_queries(budget):
        privacy.subject_access(maria, liene, "en")
    for _number in range(5):
        services.record_consent(walter, liene, ConsentKind.PHOTOS, by())
        services.view_participant(maria, liene)
    with django_assert_max_num_queries(budget):
        export = privacy.subject_access(maria, liene, "en")
    assert len(export["consents"]) == 7


@pytest.mark.time_machine(NOW, tick=False)
def test_the_retention_preview_makes_a_fixed_number_of_queries(
    world: World, alice: Any, walter: Any, notice: object, django_assert_max_num_queries: Any
) -> None:
    for number in range(6):
        _registered_on(NOW - dt.timedelta(days=800), walter, world.harbour, f"Old {number}")
    with django_assert_max_num_queries(6):
        preview = privacy.retention_preview(alice, world.harbour, NOW)
    assert preview["count"] == 6


def test_the_pdf_download_then_another_page(
    world: World, maria: Any, login: Any, liene: Participant
) -> None:
    client: Client = login(maria)
    download = client.get(reverse("participants:export_pdf", args=[world.harbour.pk, liene.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download.content.startswith(b"%PDF-")
    after = client.get(reverse("participants:detail", args=[world.harbour.pk, liene.pk]))
    assert after.status_code == 200 and "Fox" in after.content.decode()
    with unscoped():
        assert AuditEntry.all_objects.filter(action=AuditAction.PARTICIPANT_EXPORTED).count() == 1


def test_the_pdf_says_the_same_in_the_readers_language(
    maria: Any, liene: Participant, settings: Any
) -> None:
    from django.utils import translation

    from impactlog.participants.export_pdf import html_of

    with translation.override("lv"):
        html = html_of(privacy.subject_access(maria, liene, "lv"))
    for text in ("Fox", "Liene Ozola", "liene@example.org", "fluid", "Mēs glabājam tavu segvārdu."):
        assert text in html
    assert 'lang="lv"' in html and "Segvārds" in html and "walter@example.org" in html


@pytest.mark.parametrize(("sent", "kept"), [("12", 12), ("", None), ("0", 24), ("soon", 24)])
def test_the_retention_period_on_the_settings_page(
    sent: str, kept: int | None, world: World, alice: Any, login: Any
) -> None:
    url = reverse("participants:settings", args=[world.region.pk])
    answer = login(alice).post(url, {"retention_months": sent, "new_areas": ""})
    assert answer.status_code == (302 if kept != 24 else 200)
    with unscoped():
        assert services.settings_of(world.region).retention_months == kept


def test_changing_other_settings_leaves_the_retention_period(world: World, alice: Any) -> None:
    keep = {"ask_real_name": False, "ask_email": False, "ask_phone": False}
    services.update_settings(alice, world.region, retention_months=36, **keep)
    services.update_settings(alice, world.region, **{**keep, "ask_email": True})
    with unscoped():
        assert services.settings_of(world.region).retention_months == 36


@pytest.mark.time_machine(NOW, tick=False)
def test_the_daily_command_runs_the_retention(world: World, walter: Any, notice: object) -> None:
    from io import StringIO

    from django.core.management import call_command

    old = _registered_on(NOW - dt.timedelta(days=800), walter, world.harbour, "Old")
    out = StringIO()
    call_command("anonymise_inactive", stdout=out)
    assert out.getvalue().strip() == "1 anonymised"
    assert _fresh(old).anonymised_at == NOW
    with unscoped():
        entry = AuditEntry.all_objects.get(action=AuditAction.PARTICIPANT_ANONYMISED)
    assert entry.actor is None and entry.changes == {"reason": "retention"}
