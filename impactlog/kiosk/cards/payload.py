"""What a card's QR code says: `IL1-<organisation id>-<secret>`.

Short and in the QR code's alphanumeric alphabet (capitals, digits and dashes), so the code stays
small enough to scan from a card. The secret is twenty characters from the pairing codes'
alphabet (100 bits), made from the card's random salt with the site's secret key: the database
holds the salt and the secret's keyed hash, never the secret, and a sheet can be printed again.
The organisation id lets a kiosk tell a card of another organisation from one that is not valid.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

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


def new_salt() -> str:
    return secrets.token_hex(16)


def secret_of(salt: str) -> str:
    """The card's secret: 20 symbols of the 32-letter alphabet from a keyed hash of its salt
    (256 is a multiple of 32, so every symbol is equally likely)."""
    digest = salted_hmac("impactlog.kiosk.card-secret", salt, algorithm="sha256").digest()
    return "".join(CODE_ALPHABET[byte % len(CODE_ALPHABET)] for byte in digest[:SECRET_LENGTH])


def payload_of(organisation_id: int, salt: str) -> Payload:
    return Payload(organisation_id, secret_of(salt))


def parse(text: object) -> Payload | None:
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
