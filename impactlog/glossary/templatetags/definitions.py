"""Template tags of the network's glossary.

Show a definition next to the form field it defines::

    {% load definitions %}
    {% definition_help "visit" node %}
    {% definition_help "youth-producer" node help_id="youth-producer-help" %}

`node` is the page's place (any node the reader can see); the glossary shown is that of the top of
its tree, in the reader's language. The block is a collapsed ``<details>`` with the definition's
first paragraph and a link to the full definition, its history and its questions. With `help_id`
the paragraph gets that id, so the field can point at it::

    <input … aria-describedby="youth-producer-help">

The keys are those of `impactlog/glossary/defaults.py` ("session", "visit", "visitor",
"youth-producer", "youth-produced-hour", "opening-hour", "group-hour", "online-participant",
"later-view", "staff-hour", "volunteer-hour", "breakdown-not-known", "age-band", "gender"); an
unknown key is a mistake in the template and fails loudly.

The whole glossary is loaded once per request (one query, however many fields show help), and
nothing is written: a network whose glossary is not stored yet shows the defaults.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from impactlog.glossary import services as glossary
from impactlog.tenancy.models import Node
from impactlog.tenancy.tree import root_id_of

register = template.Library()

_CACHE_ATTR = "_impactlog_glossaries"


def _entries(context: template.Context, root_pk: int) -> dict[str, glossary.Entry]:
    """The glossary of `root_pk`, kept on the request (or, without one, on this render)."""
    request = context.get("request")
    cache: dict[int, dict[str, glossary.Entry]]
    if request is None:
        render_context: Any = context.render_context
        cache = render_context.setdefault(_CACHE_ATTR, {})
    elif hasattr(request, _CACHE_ATTR):
        cache = getattr(request, _CACHE_ATTR)
    else:
        cache = {}
        setattr(request, _CACHE_ATTR, cache)
    if root_pk not in cache:
        cache[root_pk] = {entry.key: entry for entry in glossary.glossary_entries(root_pk)}
    return cache[root_pk]


@register.inclusion_tag("glossary/definition_help.html", takes_context=True)
def definition_help(
    context: template.Context, key: str, node: Node, help_id: str = ""
) -> dict[str, Any]:
    """A short help block with the current definition of `key` and a link to the full one."""
    entry = _entries(context, root_id_of(node)).get(key)
    if entry is None:
        raise template.TemplateSyntaxError(f"definition_help: no definition has the key {key!r}")
    return {
        "entry": entry,
        "help_id": help_id,
        "url": reverse("glossary:definition", kwargs={"pk": node.pk, "key": key}),
    }
