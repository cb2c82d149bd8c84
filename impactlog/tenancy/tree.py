"""Walking the tree: the top of a node's tree and the nodes above it."""

from __future__ import annotations

from impactlog.tenancy.models import Node


def root_id_of(node: Node) -> int:
    """The primary key of the top of `node`'s tree, without a query."""
    ids = node.ancestor_ids()
    return ids[0] if ids else node.pk


def root_of(node: Node) -> Node:
    """The top of `node`'s tree: the network or organisation that keeps shared settings."""
    if node.parent_id is None:
        return node
    return Node.all_objects.get(pk=root_id_of(node))


def ancestors(node: Node) -> list[Node]:
    """The nodes above `node`, from the root down (1 query)."""
    ids = node.ancestor_ids()
    found = {n.pk: n for n in Node.all_objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]
