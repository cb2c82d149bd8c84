"""Ages, and the age of digital consent by country.

A young person's age is worked out from the birth year and month on the day it is needed, with
the clock the caller passes in. Only the month is known, so the birthday is taken to be at the
end of that month: in their birth month a young person still counts as the younger age. That
errs towards asking a guardian, never towards registering a child without one.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from impactlog.network.services import settings_for
from impactlog.tenancy.models import Node

# The age of digital consent (GDPR article 8, as each country set it) of the network's countries.
DEFAULT_CONSENT_AGES: dict[str, int] = {"LV": 13, "LT": 14, "EE": 13, "SE": 13, "FI": 13, "SI": 15}
# Where neither the defaults nor the network name a country: GDPR's own age.
GDPR_CONSENT_AGE = 16
OLDEST = 30  # a birth more than 30 years ago is a typing error in a youth centre's registry


def age_on(birth_year: int, birth_month: int, today: dt.date) -> int:
    """Whole years of age on `today`, counting the birthday at the end of the birth month."""
    return today.year - birth_year - (1 if today.month <= birth_month else 0)


def check_birth(birth_year: int, birth_month: int, today: dt.date) -> None:
    """Refuse a birth month in the future, more than 30 years ago, or not a month at all."""
    if not 1 <= birth_month <= 12:
        raise ValidationError({"birth_month": _("Choose a month from 1 to 12.")})
    born = birth_year * 12 + birth_month
    if born > today.year * 12 + today.month:
        raise ValidationError({"birth_year": _("The month of birth cannot be in the future.")})
    if born < (today.year - OLDEST) * 12 + today.month:
        raise ValidationError(
            {"birth_year": _("That is more than 30 years ago. Check the year of birth.")}
        )


def consent_ages_for(node: Node) -> dict[str, int]:
    """The ages of digital consent of the node's network: the defaults and its own."""
    return DEFAULT_CONSENT_AGES | {
        str(country).upper(): int(age) for country, age in settings_for(node).consent_ages.items()
    }


def consent_age(node: Node) -> int:
    """The age of digital consent at `node`, from the country of the place."""
    return consent_ages_for(node).get(node.country.upper(), GDPR_CONSENT_AGE)
