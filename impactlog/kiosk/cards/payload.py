"""What a card's QR code says: `IL1-<organisation id>-<secret>`.

Short and in the QR code's alphanumeric alphabet (capitals, digits and dashes), so the code stays
small enough to scan from a phone-sized card. The secret is twenty characters from the pairing
codes' alphabet (100 bits); the organisation id lets a kiosk tell a card of another organisation
from a card that is not valid."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from impactlog.kiosk.services import CODE_ALPHABET, hash_secret

PREFIX = "IL1"
SECRET_LENGTH = 20
MAX_TEXT = 80  # anything longer is not a card


@dataclass(frozen=True)
class Payload:
    organisation_id: int
    secret: str

    @property
    def text(self) -> str:
        return f"{PREFIX}-{self.organisation_id}-{self.secret}"

    @property
    def secret_hash(self) -> str:
        return hash_secret("card", self.secret)


def new_payload(organisation_id: int) -> Payload:
    secret = "".join(secrets.choice(CODE_ALPHABET) for _i in range(SECRET_LENGTH))
    return Payload(organisation_id, secret)


def parse(text: str) -> Payload | None:
    """The payload a scanned text holds, or None when it is not a kiosk card's."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    parts = text.strip().upper().split("-")
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    _prefix, organisation, secret = parts
    if not (organisation.isascii() and organisation.isdigit()) or len(organisation) > 12:
        return None
    if len(secret) != SECRET_LENGTH or any(ch not in CODE_ALPHABET for ch in secret):
        return None
    number = int(organisation)
    return Payload(number, secret) if number > 0 else None
