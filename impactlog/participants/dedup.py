"""Counting a young person once across organisations (docs/privacy.md, "Counting young people
once across organisations").

Identities are never joined across organisations. The one exception is a keyed hash: when an
organisation records real names and turns `deduplicate` on, each of its young people carries
HMAC-SHA256 (key: the setting `IMPACTLOG_DEDUP_KEY`, kept outside the database) of their
normalised real name, year and month of birth. Two organisations that both deduplicate then
give the same young person the same hash, and the network's figure of people
(`kiosk.figures.people_across`) counts them once. Without the key nothing is hashed.

The name is normalised so that the spellings one person is written down with match: NFKC,
diacritics removed ("Ēriks" and "Eriks" are one name, as a keyboard without Latvian letters
writes it), case-folded, every run of spaces, hyphens or other separators made one space.
Two different people with the same name and month of birth get the same hash and count once:
the figure can only undercount, and only by such coincidences.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from django.conf import settings

from impactlog.participants.models import Participant, ParticipantSettings


def key() -> bytes:
    """The key, or empty bytes when the server has none (the feature is then off)."""
    return str(getattr(settings, "IMPACTLOG_DEDUP_KEY", "") or "").encode()


def available() -> bool:
    return bool(key())


def normalised_name(name: str) -> str:
    """The name as compared: compatibility-composed, without diacritics, case-folded, its words
    separated by single spaces (punctuation and hyphens count as separators)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    letters = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    words = "".join(ch if ch.isalnum() else " " for ch in letters.casefold())
    return " ".join(words.split())


def identity(name: str, birth_year: int, birth_month: int) -> str:
    """What is hashed: the normalised name, the year and the month of birth."""
    return f"{normalised_name(name)}\n{birth_year:04d}-{birth_month:02d}"


def hash_of(name: str, birth_year: int, birth_month: int, secret: bytes) -> str:
    return hmac.new(
        secret, identity(name, birth_year, birth_month).encode(), hashlib.sha256
    ).hexdigest()


def dedup_hash(participant: Participant, keeps: ParticipantSettings | None = None) -> str | None:
    """The participant's keyed hash, or None: without a key, unless their organisation records
    real names and deduplicates (`keeps`, its settings, read when not given), for a record with
    no real name or month of birth, and for an anonymised one."""
    secret = key()
    if not secret:
        return None
    if keeps is None:
        # system code: the organisation's own settings, for a record it keeps
        keeps = ParticipantSettings.all_objects.filter(owner_id=participant.organisation_id).first()
    if keeps is None or not (keeps.ask_real_name and keeps.deduplicate):
        return None
    if participant.anonymised_at is not None or participant.birth_month is None:
        return None
    if not normalised_name(participant.real_name):
        return None
    return hash_of(participant.real_name, participant.birth_year, participant.birth_month, secret)


def refresh_all(keeps: ParticipantSettings) -> int:
    """Set or clear the hash of every young person of the organisation after its settings
    changed (system code: the caller authorised the change). Returns how many changed."""
    changed = []
    # system code: refreshes the hashes of one organisation (after its keeper's change)
    for participant in Participant.all_objects.filter(organisation_id=keeps.owner_id).only(
        "pk",
        "organisation_id",
        "real_name",
        "birth_year",
        "birth_month",
        "anonymised_at",
        "dedup_hash",
    ):
        new = dedup_hash(participant, keeps) or ""
        if new != participant.dedup_hash:
            participant.dedup_hash = new
            changed.append(participant)
    # system code: writes back the rows read above
    Participant.all_objects.bulk_update(changed, ["dedup_hash"], batch_size=500)
    return len(changed)
