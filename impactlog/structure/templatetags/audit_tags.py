from collections.abc import Mapping
from typing import Any

from django import template

from impactlog.tenancy.audit import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return _action_label(action)


@register.filter
def is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2


@register.filter
def is_mapping(value: Any) -> bool:
    """Changes with their values (a mapping) rather than only the names of the fields."""
    return isinstance(value, Mapping)
