"""Helpers of the tables of refused service calls (tests/test_services_refused_*.py): each row
names a service and builds its arguments; the call is refused and writes nothing."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models

from impactlog.tenancy.models import AuditEntry

Args = tuple[tuple[Any, ...], dict[str, Any]]


def a(*args: Any, **kwargs: Any) -> Args:
    """The arguments of one call, as a table row builds them."""
    return args, kwargs


def params(table: Iterable[tuple[Any, ...]]) -> list[Any]:
    """The rows of a table as test parameters, each named by its label."""
    return [pytest.param(*case, id=case[0]) for case in table]


def rows(tables: Iterable[type[models.Model]]) -> dict[str, Any]:
    """Every row of `tables`, and how many audit entries there are."""
    found: dict[str, Any] = {
        model.__name__: sorted(map(str, model.all_objects.values_list()))  # type: ignore[attr-defined]
        for model in tables
    }
    found["audit"] = AuditEntry.all_objects.count()
    return found


def refused_writing_nothing(
    tables: Iterable[type[models.Model]], service: Callable[..., Any], args: Args
) -> None:
    """`service` called with `args` is refused; `tables` and the audit trail stay as they were."""
    tables = list(tables)
    before = rows(tables)
    with pytest.raises(PermissionDenied):
        service(*args[0], **args[1])
    assert rows(tables) == before


def actor_services(module: ModuleType) -> set[str]:
    """The module's own public functions that take an actor first."""
    return {
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and not name.startswith("_")
        and value.__module__ == module.__name__
        and next(iter(inspect.signature(value).parameters), "") == "actor"
    }
