"""How many e-mails one address receives and one client asks for, per kind and per window.

Password-reset and invitation e-mails go to addresses typed by someone else; without a limit
a stranger can flood a colleague's inbox. Each sent e-mail leaves one `MailSent` row; the
limit counts the rows of the last `IMPACTLOG_MAIL_WINDOW_SECONDS`. The rows live in the
database, so every web process counts the same ones. Two requests in the very same instant
may both pass the check: the limit is exact for one request at a time, and off by at most
the number of simultaneous requests otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from impactlog.accounts.models import MailSent


class MailKind(TextChoices):
    PASSWORD_RESET = "password_reset"
    INVITATION = "invitation"


class Throttled(Exception):
    """Past the limit: the e-mail is not sent."""


def _key(kind: str, value: str) -> str:
    return salted_hmac(f"impactlog.throttle.{kind}", value.strip().lower()).hexdigest()


def _since() -> datetime:
    return timezone.now() - timedelta(seconds=settings.IMPACTLOG_MAIL_WINDOW_SECONDS)


def allowed(kind: MailKind, *, address: str, client: str) -> bool:
    """True while neither the address nor the client has reached its limit in the window."""
    recent = MailSent.objects.filter(kind=kind, sent_at__gte=_since())
    to_address = recent.filter(address_key=_key("address", address)).count()
    if to_address >= settings.IMPACTLOG_MAIL_LIMIT_PER_ADDRESS:
        return False
    from_client = recent.filter(client_key=_key("client", client)).count()
    return bool(from_client < settings.IMPACTLOG_MAIL_LIMIT_PER_CLIENT)


def count(kind: MailKind, *, address: str, client: str) -> None:
    """Count one e-mail, and forget those older than the window."""
    MailSent.objects.filter(sent_at__lt=_since()).delete()
    MailSent.objects.create(
        kind=kind,
        address_key=_key("address", address),
        client_key=_key("client", client),
        sent_at=timezone.now(),
    )


@contextmanager
def sending(kind: MailKind, *, address: str, client: str) -> Iterator[None]:
    """Raise `Throttled` past the limit; otherwise run the block and count its e-mail if the
    block ends without an exception."""
    if not allowed(kind, address=address, client=client):
        raise Throttled
    yield
    count(kind, address=address, client=client)


def invitations_refused_message() -> str:
    minutes = max(1, settings.IMPACTLOG_MAIL_WINDOW_SECONDS // 60)
    return ngettext(
        "No invitation was sent: too many went to this address, or from this connection, in "
        "the last minute. Try again later.",
        "No invitation was sent: too many went to this address, or from this connection, in "
        "the last %(minutes)d minutes. Try again later.",
        minutes,
    ) % {"minutes": minutes}
