"""What a node needs before it takes traffic: the database answers and is migrated, the search index is there and
matches the configured model. Used by /readyz (load balancers) and `dailypapers check`."""

from __future__ import annotations

from django.db import connection

_migrated = {"done": False}  # once every migration is applied, a running process need not look again


def database_problem() -> str | None:
    from dailypapers.core.setup import describe_database

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"the database does not answer ({describe_database()}): {first}"
    return None


def migrations_problem() -> str | None:
    from dailypapers.core.setup import pending_migrations

    if _migrated["done"]:
        return None
    pending = pending_migrations()
    if pending:
        return f"{len(pending)} migration(s) not applied ({', '.join(pending[:3])}...): run `dailypapers migrate`"
    _migrated["done"] = True
    return None


def readiness_problems() -> list[str]:
    """Sentences saying why this node should not take traffic (none: ready)."""
    problem = database_problem()
    if problem:
        return [problem]
    from dailypapers.search.readiness import index_problem

    return [p for p in (migrations_problem(), index_problem()) if p]
