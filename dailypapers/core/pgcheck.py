"""python -m dailypapers.core.pgcheck URL: exit 0 when a PostgreSQL server answers at URL (used by bin/test)."""

from __future__ import annotations

import sys


def postgres_answers(url: str) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


if __name__ == "__main__":
    sys.exit(0 if postgres_answers(sys.argv[1]) else 1)
