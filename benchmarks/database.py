"""The database a benchmark fills: the one `DATABASE_URL` names (it must be empty), or else a
throwaway SQLite file that is removed when the benchmark ends."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def benchmark_database(
    sqlite_file: Path, say: Callable[[str], None], **environment: str
) -> Iterator[None]:
    """Point Django at the benchmark's database and set it up; `environment` adds settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "impactlog.config.settings")
    os.environ.setdefault("IMPACTLOG_DEBUG", "0")  # no query log: time what production runs
    os.environ.update(environment)
    throwaway = not os.environ.get("DATABASE_URL")
    if throwaway:
        sqlite_file.parent.mkdir(exist_ok=True)
        _remove(sqlite_file)
        os.environ["DATABASE_URL"] = f"sqlite:///{sqlite_file}"
    else:
        say("using the database in DATABASE_URL (it must be empty)")
    import django

    django.setup()
    from django.db import connection

    try:
        yield
    finally:
        connection.close()
        if throwaway:
            _remove(sqlite_file)


def migrate_empty(say: Callable[[str], None], name: str) -> None:
    """Migrate the benchmark's database, refusing one that already holds places."""
    from django.core.management import call_command
    from django.db import connection

    from impactlog.tenancy.models import Node

    say(f"migrating {connection.vendor} database")
    call_command("migrate", verbosity=0, interactive=False)
    # system code: a benchmark outside any request, before anything is built
    if Node.all_objects.exists():
        raise SystemExit(f"bench {name}: the database is not empty; refusing to fill it.")


def _remove(sqlite_file: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
