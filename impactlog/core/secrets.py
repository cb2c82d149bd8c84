"""Keyed hashes of secrets that are looked up but never stored (tokens, codes)."""

from __future__ import annotations

from django.utils.crypto import salted_hmac


def keyed_hash(purpose: str, value: str) -> str:
    """The HMAC-SHA256 of `value` with the site's secret key and `purpose` as the salt: a
    stolen database alone does not let anyone turn a stored hash back into a usable secret."""
    return salted_hmac(purpose, value, algorithm="sha256").hexdigest()
