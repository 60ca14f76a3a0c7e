"""python -m dailypapers.core.pgcheck URL: exit 0 when a PostgreSQL server answers at URL (used by bin/test).

The database URL names need not exist yet: the tests create ``test_<name>`` from the server's maintenance database,
so a server that answers there answers.
"""

from __future__ import annotations

import sys


def _connects(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def postgres_answers(url: str) -> bool:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    base, mark, query = url.partition("?")
    return _connects(url) or _connects(base.rsplit("/", 1)[0] + "/postgres" + mark + query)


if __name__ == "__main__":
    sys.exit(0 if postgres_answers(sys.argv[1]) else 1)
