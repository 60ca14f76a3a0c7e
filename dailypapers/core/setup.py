"""Bring the database up to date: migrations and the shared cache table. Safe to run at every start, and safe when
several processes or nodes start at once: the first one migrates under a lock (a PostgreSQL advisory lock, or a
file lock beside the SQLite database), the others wait for it and then find nothing left to do."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# One number for "someone is migrating this database" (pg_advisory_lock takes a bigint).
_ADVISORY_KEY = int.from_bytes(hashlib.sha1(b"dailypapers:migrate").digest()[:8], "big", signed=True)


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or brought up to date; the message is one sentence for a person."""


def pending_migrations() -> list[str]:
    """Migrations not yet applied to the database, as 'app.name'."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@contextlib.contextmanager
def migration_lock():
    """Held by the one process that migrates this database; others wait on it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_ADVISORY_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_KEY])
        return
    name = str(settings.DATABASES["default"]["NAME"])
    lock_path = Path(name).with_name(Path(name).name + ".migrate.lock") if name not in ("", ":memory:") else None
    if lock_path is None or name.startswith("file:"):
        lock_path = Path(settings.DATA_DIR) / ".migrate.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _cache_table_missing() -> bool:
    cache = settings.CACHES["default"]
    if cache["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
        return False
    return cache["LOCATION"] not in connection.introspection.table_names()


def prepare_database(*, verbosity: int = 0) -> list[str]:
    """Apply pending migrations and create the cache table, under the migration lock. Returns what was applied.

    Cheap when there is nothing to do (the migration graph is read from disk, one query for the applied ones).
    Raises DatabaseUnavailable with a sentence when the database cannot be reached.
    """
    from django.db.utils import OperationalError

    try:
        if not pending_migrations() and not _cache_table_missing():
            return []
        with migration_lock():
            applied = pending_migrations()  # again: another process may have done it while we waited
            if applied:
                call_command("migrate", interactive=False, verbosity=verbosity)
            if _cache_table_missing():
                call_command("createcachetable", verbosity=verbosity)
            return applied
    except OperationalError as exc:
        raise DatabaseUnavailable(f"cannot reach the database ({describe_database()}): {_first_line(exc)}") from None


def describe_database() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {db['NAME']}"
    return f"PostgreSQL database {db['NAME']!r} at {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
