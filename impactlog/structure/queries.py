"""Read-side queries of the tree, with a fixed number of SQL queries whatever its size."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from impactlog.tenancy import audit
from impactlog.tenancy.models import AuditEntry, Invitation, Membership, Node


@dataclass
class TreeRow:
    node: Node
    level: int
    member_count: int


def subtree(node: Node, *, include_archived: bool) -> list[TreeRow]:
    """The node and everything below it, in tree order, with direct member counts (1 query)."""
    queryset = Node.objects.filter(path__startswith=node.path).annotate(
        member_count=Count("memberships")
    )
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    rows = list(queryset)
    by_parent: dict[int | None, list[Node]] = {}
    for item in rows:
        by_parent.setdefault(item.parent_id, []).append(item)
    ordered: list[TreeRow] = []

    def walk(current: Node) -> None:
        ordered.append(
            TreeRow(current, current.depth - node.depth, current.member_count)  # type: ignore[attr-defined]
        )
        for child in sorted(by_parent.get(current.pk, []), key=_sort_key):
            walk(child)

    root = next((item for item in rows if item.pk == node.pk), None)
    if root is not None:
        walk(root)
    return ordered


def _sort_key(node: Node) -> str:
    """Alphabetical as people expect: "Āgenskalns" sorts with the A's."""
    return unicodedata.normalize("NFKD", node.name).encode("ascii", "ignore").decode().casefold()


def children(node: Node) -> QuerySet[Node]:
    return Node.objects.filter(parent=node, archived_at__isnull=True).order_by("name")


def members(node: Node) -> QuerySet[Membership]:
    """Roles held here and inherited from above (anyone who can act at this node)."""
    return (
        # roles inherited from above are held on nodes outside the scope
        Membership.all_objects.filter(node_id__in=[*node.ancestor_ids(), node.pk])
        .select_related("user", "node")
        .order_by("node__depth", "user__full_name")
    )


def open_invitations(node: Node, now: Any) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        node=node, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).select_related("invited_by")


def audit_entries(
    node: Node,
    *,
    action: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries of the subtree, newest first, filtered as the admin asked."""
    queryset = AuditEntry.objects.filter(node__path__startswith=node.path).select_related("node")
    if action:
        queryset = queryset.filter(action__startswith=action)
    if actor:
        queryset = queryset.filter(Q(actor_label__icontains=actor))
    if since:
        queryset = queryset.filter(at__date__gte=since)
    if until:
        queryset = queryset.filter(at__date__lte=until)
    return queryset


def audit_rows(entries: Iterable[AuditEntry], reader: Any) -> list[audit.EntryView]:
    """The entries as `reader` may see them (no query: memberships are cached per request)."""
    return [audit.entry_view(entry, reader) for entry in entries]


def audit_actions(node: Node) -> list[str]:
    return sorted(
        AuditEntry.objects.filter(node__path__startswith=node.path)
        .order_by()  # without the model's ordering, or each entry would be its own row
        .values_list("action", flat=True)
        .distinct()
    )
