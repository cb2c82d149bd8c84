"""What the tests of young people's records share: a published privacy notice for Harbour's
organisation (Riverside Municipality, which runs its centres) and a way to register someone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from impactlog.accounts.models import User
from impactlog.participants import services
from impactlog.participants.models import GivenBy, Method, Participant, PrivacyNotice
from impactlog.tenancy.models import Node
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW


def publish(organisation: Node) -> PrivacyNotice:
    with unscoped():
        return services.publish_notice(
            None, organisation, {"en": "We keep your alias.", "lv": "Mēs glabājam tavu segvārdu."}
        )


def by(given_by: str = GivenBy.YOUNG_PERSON) -> services.GivenConsent:
    return services.GivenConsent(
        given_by=given_by, method=Method.WORKER, given_at=NOW - dt.timedelta(hours=1)
    )


def register(
    actor: User | None,
    unit: Node,
    alias: str = "Fox",
    given_by: str = GivenBy.YOUNG_PERSON,
    **values: Any,
) -> Participant:
    fields: dict[str, Any] = {
        "alias": alias,
        "birth_year": 2010,
        "birth_month": 3,
        "gender": "girl",
        "status": "school",
        "languages": ["lv"],
    }
    fields.update(values)
    return services.register_participant(actor, unit, by(given_by), **fields)
