"""E-mail to a young person's parent or guardian, sent by the task worker after commit.

Each runs as the system (a task has no request scope), reads the rows it is given by primary
key and writes in the language the guardian chose or, for a notice, the home unit's language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Field
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from impactlog.participants import consent as rules
from impactlog.participants.models import (
    Consent,
    ConsentKind,
    GivenBy,
    GuardianRequest,
    Method,
    Participant,
    PrivacyNotice,
)

# Under this age a young person is a minor: their guardian contact hears of the registration.
ADULT = 18


def _kept(participant: Participant) -> list[str]:
    """The names of what the record holds (never the values but the alias)."""
    from impactlog.participants.services import FIELDS  # services schedules these tasks

    kept = []
    for name in FIELDS:
        field = Participant._meta.get_field(name)
        if getattr(participant, name) not in ("", None, []) and isinstance(field, Field):
            kept.append(str(field.verbose_name))
    return kept


@task()
def send_guardian_request(request_id: int, link: str) -> None:
    # system code: a task runs outside any request scope
    request = GuardianRequest.all_objects.select_related("unit", "requested_by").get(pk=request_id)
    if not request.guardian_email:
        return  # cleared since: nothing to send to
    with translation.override(request.language or request.unit.language or settings.LANGUAGE_CODE):
        context = {"request": request, "link": link, "unit": request.unit}
        subject = render_to_string("participants/email/guardian_request_subject.txt", context)
        body = render_to_string("participants/email/guardian_request_body.txt", context)
    send_mail(subject.strip(), body, None, [request.guardian_email])


def is_minor(participant: Participant, today: object) -> bool:
    assert participant.birth_month is not None
    return rules.age_on(participant.birth_year, participant.birth_month, today) < ADULT  # type: ignore[arg-type]


@task()
def send_guardian_notice(participant_id: int, language: str = "") -> None:
    """Tell the guardian contact who registered the young person, where, what is kept and how
    to withdraw, with the privacy notice they were registered under."""
    # system code: a task runs outside any request scope
    participant = Participant.all_objects.select_related("unit", "organisation").get(
        pk=participant_id
    )
    if not participant.guardian_email or participant.anonymised_at is not None:
        return
    consent = (
        # system code: the task sends what the service that queued it authorised
        Consent.all_objects.select_related("recorded_by", "notice")
        .filter(participant=participant, kind=ConsentKind.REGISTRATION)
        .order_by("given_at", "pk")
        .first()
    )
    if consent is None:
        return
    notice: PrivacyNotice = consent.notice
    language = language or participant.unit.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "participant": participant,
            "unit": participant.unit,
            "organisation": participant.organisation,
            "consent": consent,
            "by_worker": consent.recorded_by.full_name if consent.recorded_by else "",
            "by_kiosk": consent.recorded_by is None
            and consent.given_by == GivenBy.YOUNG_PERSON
            and consent.method == Method.ONLINE,
            "by_guardian_online": consent.recorded_by is None
            and consent.given_by == GivenBy.GUARDIAN
            and consent.method == Method.ONLINE,
            "kept": _kept(participant),
            "notice_text": notice.text_in(language),
        }
        subject = render_to_string("participants/email/guardian_notice_subject.txt", context)
        body = render_to_string("participants/email/guardian_notice_body.txt", context)
    send_mail(subject.strip(), body, None, [participant.guardian_email])
