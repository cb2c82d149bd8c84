"""Tenant scoping: querysets of tenant data are filtered to the active scope by default.

A scope is the set of tree paths a request may read (the subtrees of the user's memberships).
The `TenantScopeMiddleware` activates it for every request. Code that runs outside a request
(management commands, tasks, migrations) must say `with unscoped():` explicitly; forgetting both
raises `ScopeError` instead of silently returning every organisation's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

from django.db import models

_ALL: Final = "__all__"
_current: ContextVar[tuple[str, ...] | str | None] = ContextVar("impactlog_scope", default=None)


class ScopeError(RuntimeError):
    """A scoped model was queried with no scope active."""


@contextmanager
def scope(paths: Iterable[str]) -> Iterator[None]:
    token = _current.set(tuple(paths))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def unscoped() -> Iterator[None]:
    token = _current.set(_ALL)
    try:
        yield
    finally:
        _current.reset(token)


def path_filter(field: str, paths: Iterable[str]) -> models.Q:
    """A Q object matching rows whose `field` lies in any of the subtrees at `paths`."""
    condition = models.Q(pk__in=[])
    for path in paths:
        condition |= models.Q(**{f"{field}__startswith": path})
    return condition


class ScopedManager(models.Manager[Any]):
    """The default manager of tenant data: filters to the active scope, or refuses.

    Subclasses name the lookup that leads to the row's tree path in `path_field`.
    """

    path_field = ""

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        current = _current.get()
        if current is None:
            raise ScopeError(
                f"{self.model.__name__} was queried outside any tenant scope; "
                "use impactlog.core.scoping.scope() or unscoped()."
            )
        if current == _ALL:
            return queryset
        assert isinstance(current, tuple)
        return queryset.filter(path_filter(self.path_field, current))


class ScopedByPath(ScopedManager):
    """For the tree itself."""

    path_field = "path"


class ScopedByNode(ScopedManager):
    """For rows that belong to a node."""

    path_field = "node__path"


def validate(instance: models.Model, exclude: list[str] | None = None) -> None:
    """`full_clean` with uniqueness checked against every row, not only the visible ones."""
    with unscoped():
        instance.full_clean(exclude=exclude)
