"""`{% idempotency_key %}`: the hidden random key of a form that creates something."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from impactlog.tenancy.idempotency import FIELD, key_of, new_key

register = template.Library()


@register.simple_tag(takes_context=True)
def idempotency_key(context: dict[str, Any]) -> SafeString:
    """A new key for a new form; the submitted one again when a refused form is shown again,
    so that correcting it and sending it still counts as one submission."""
    request = context.get("request")
    key = key_of(request) if request is not None and request.method == "POST" else None
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key or new_key())
