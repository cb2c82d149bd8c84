"""Secrets stored only as keyed hashes: a kiosk's pairing code and device token, a young
person's personal link, a guardian's consent link. The key is the project's SECRET_KEY, kept
outside the database, so a copy of the database alone cannot turn a stored hash back into a
working link or token."""

from __future__ import annotations

from django.utils.crypto import salted_hmac


def keyed_hash(purpose: str, value: str) -> str:
    """The HMAC-SHA256 of `value` with the site's secret key and `purpose` as the salt: a
    stolen database alone does not let anyone turn a stored hash back into a usable secret."""
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()
