"""The opaque name under which the browser keeps a person's drafts."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.crypto import salted_hmac

register = template.Library()


@register.filter
def draft_owner(user: Any) -> str:
    """A value that tells one signed-in person's drafts from another's on a shared device,
    without naming them: a keyed hash of the account's id. Empty for anyone not signed in."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("impactlog.draft-owner", str(user.pk)).hexdigest()[:24]
