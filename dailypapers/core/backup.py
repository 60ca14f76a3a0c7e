"""A consistent copy of the database while the hub runs: SQLite's online backup API, or (PostgreSQL) the pg_dump
command line to run. Search indexes are not backed up: `dailypapers index --rebuild` derives them again."""

from __future__ import annotations

import os
import shlex
import sqlite3
from pathlib import Path

from django.conf import settings


class BackupError(RuntimeError):
    """The backup cannot be made; the message is one sentence."""


def backup_sqlite(*, target: Path, overwrite: bool = False) -> int:
    """Copy the live SQLite database to ``target`` (a temporary file renamed when complete). Returns its size."""
    source = Path(settings.DATABASES["default"]["NAME"])
    if not source.is_file():
        raise BackupError(f"there is no database at {source} yet")
    target = target.expanduser().resolve()
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists already (use --force to replace it)")
    if target == source.resolve():
        raise BackupError("the backup cannot replace the database itself")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30) as live, sqlite3.connect(partial) as copy:
            live.backup(copy, pages=4096)  # in steps, so writers are not held up for the whole copy
        with sqlite3.connect(partial) as copy:
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("the copy failed its integrity check; nothing was written")
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def pg_dump_command(*, target: Path | str, database: dict | None = None) -> str:
    """The pg_dump line that makes a consistent backup of the configured PostgreSQL database (custom format)."""
    db = database or settings.DATABASES["default"]
    parts = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    if db.get("HOST"):
        parts.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        parts.append(f"--port={db['PORT']}")
    if db.get("USER"):
        parts.append(f"--username={db['USER']}")
    parts.append(db["NAME"])
    return shlex.join(parts)
