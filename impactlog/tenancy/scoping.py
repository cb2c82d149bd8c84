"""Tenant scoping: querysets of tenant data are filtered to the active scope by default.

A scope is what a request may read: the subtrees of the user's memberships, and the rows that
the top of their trees shares with every member below it (the network's definitions, vocabulary,
settings, and the reflection questions asked above a unit). The `TenantScopeMiddleware`
activates it for every request. Code that runs outside a request (management commands, tasks,
migrations) says `with unscoped():` explicitly; forgetting both raises `ScopeError` instead of
silently returning every organisation's rows.

Which rows a table holds for which node is declared on the model (`TenantModel.tenant_owner` and
`tenant_shared`, see tenancy/models.py); `TenantManager` reads that declaration.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from django.db import models

_ALL: Final = "__all__"


@dataclass(frozen=True)
class Scope:
    paths: tuple[str, ...]  # the roots of the readable subtrees
    above: frozenset[int]  # every node on the way from a tree's top down to those roots


_current: ContextVar[Scope | str | None] = ContextVar("impactlog_scope", default=None)


class ScopeError(RuntimeError):
    """A scoped model was queried with no scope active."""


def _ids_on(paths: Iterable[str]) -> frozenset[int]:
    return frozenset(int(part) for path in paths for part in path.strip("/").split("/") if part)


@contextmanager
def scope(paths: Iterable[str]) -> Iterator[None]:
    paths = tuple(paths)
    token = _current.set(Scope(paths, _ids_on(paths)))
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


def owner_lookup(model: type[models.Model], suffix: str) -> str:
    """The ORM lookup from `model` to a field of the node that owns its rows."""
    owner: str = getattr(model, "tenant_owner", "")
    if not owner:  # the tree itself: a node owns itself
        return "pk" if suffix == "pk" else suffix
    return f"{owner}__{suffix}"


class TenantManager(models.Manager[Any]):
    """The default manager of tenant data: filters to the active scope, or refuses.

    Rows are readable when their owner lies inside the scope's subtrees; rows of a model that
    declares `tenant_shared` are readable too when their owner lies above them (a network's
    glossary for a youth worker of one of its units).
    """

    # Adding rows reads nothing, so it needs no scope; the service that adds them authorised
    # the object they belong to.
    def create(self, **kwargs: Any) -> Any:
        return super().get_queryset().create(**kwargs)

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        return super().get_queryset().bulk_create(objs, *args, **kwargs)

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        current = _current.get()
        if current is None:
            raise ScopeError(
                f"{self.model.__name__} was queried outside any tenant scope; "
                "use impactlog.tenancy.scoping.scope() or unscoped()."
            )
        if current == _ALL:
            return queryset
        assert isinstance(current, Scope)
        condition = path_filter(owner_lookup(self.model, "path"), current.paths)
        if getattr(self.model, "tenant_shared", False):
            condition |= models.Q(**{f"{owner_lookup(self.model, 'pk')}__in": current.above})
        published = getattr(self.model, "tenant_published", None)
        if published is not None:
            lookup, when = published
            condition |= models.Q(**{f"{lookup}__in": current.above}) & when
        return queryset.filter(condition)


def validate(instance: models.Model, exclude: list[str] | None = None) -> None:
    """`full_clean` with uniqueness checked against every row, not only the visible ones."""
    with unscoped():
        instance.full_clean(exclude=exclude)


T = TypeVar("T")


def in_current_scope(items: Iterable[T]) -> Iterator[T]:
    """Iterate `items` later, in the scope active now.

    A streamed download is read by the server after the view (and the middleware's scope) has
    returned; each step of it runs again in the scope of the request that started it.
    """
    captured = _current.get()  # now, while the view runs: the body below runs later

    def steps() -> Iterator[T]:
        iterator = iter(items)
        while True:
            token = _current.set(captured)
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                _current.reset(token)
            yield item

    return steps()
