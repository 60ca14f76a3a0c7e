"""One secret key for every node of a cluster: with PostgreSQL, the key lives in the database.

Sessions, CSRF tokens, password-reset and digest links are signed with Django's SECRET_KEY, so every node behind
a load balancer needs the same one. When DAILYPAPERS_SECRET_KEY is not set and the database is PostgreSQL, the
first node to start stores a key in the one-row table ``dailypapers_cluster_secret`` (created under an advisory
lock, so nodes starting together agree), and every node copies it into its data folder's ``secret_key`` file
before Django reads its settings. Pure Python and psycopg: this runs before Django is set up. On SQLite (one
box), the data folder's generated key is the key, as before.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url

from dailypapers.core.datadir import SECRET_KEY_FILE, data_dir, read_secret_key

TABLE = "dailypapers_cluster_secret"
_LOCK_KEY = int.from_bytes(hashlib.sha1(b"dailypapers:cluster-secret").digest()[:8], "big", signed=True)


class SecretUnavailable(RuntimeError):
    """The cluster's shared key cannot be read; the message says what to do."""


def postgres_url() -> str | None:
    """The configured PostgreSQL URL, or None (SQLite, one box)."""
    url = os.environ.get("DAILYPAPERS_DATABASE_URL", "")
    return url if url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql", "postgis") else None


def _connect(url: str):
    import psycopg

    db = dj_database_url.parse(url)
    options = {k: v for k, v in (db.get("OPTIONS") or {}).items() if isinstance(v, str | int)}
    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        connect_timeout=10,
        **options,
    )


def cluster_secret(url: str, *, candidate: str) -> str:
    """The key stored in the database; ``candidate`` becomes it when none is stored yet (first node)."""
    with _connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY CHECK (id = 1), secret_key text NOT NULL, "
            "created timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(
            f"INSERT INTO {TABLE} (id, secret_key) VALUES (1, %s) ON CONFLICT (id) DO NOTHING",
            [candidate],
        )
        cursor.execute(f"SELECT secret_key FROM {TABLE} WHERE id = 1")
        return cursor.fetchone()[0]


def sync_cluster_secret(folder: Path | None = None) -> str | None:
    """With PostgreSQL and no DAILYPAPERS_SECRET_KEY: make the data folder's key file hold the cluster's key.

    Returns the key (None when not applicable). A node's existing key becomes the cluster's key when it is the
    first to start, so an upgraded single node keeps its sessions. Raises SecretUnavailable with a sentence.
    """
    url = postgres_url()
    if url is None or os.environ.get("DAILYPAPERS_SECRET_KEY"):
        return None
    folder = folder or data_dir()
    local = read_secret_key(folder)
    import psycopg

    try:
        key = cluster_secret(url, candidate=local or secrets.token_urlsafe(50))
    except (psycopg.Error, OSError) as exc:  # one sentence, no traceback
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise SecretUnavailable(
            f"cannot read the cluster's shared secret key from PostgreSQL ({first}); start the database, or set "
            "DAILYPAPERS_SECRET_KEY to the same long random value on every node"
        ) from None
    if key != local:
        path = folder / SECRET_KEY_FILE
        tmp = path.with_name(f".{SECRET_KEY_FILE}.{os.getpid()}.tmp")
        tmp.write_text(key)
        tmp.chmod(0o600)
        os.replace(tmp, path)
    return key
