"""Jobs for the worker tests (referenced as tests.core.worker_jobs:NAME in DAILYPAPERS_WORKER_EXTRA_JOBS or JobSpec)."""

from __future__ import annotations

import os
import time
from pathlib import Path

CALLS: list[str] = []


def record() -> str:
    CALLS.append("record")
    return f"call {len(CALLS)}"


def fail() -> str:
    raise RuntimeError("this job always fails")


def slow_job() -> str:
    """Hold a PostgreSQL advisory lock while working: failing to get it means another worker runs this job now."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(424242)")
        if not cursor.fetchone()[0]:
            raise RuntimeError("overlap: another worker is running this job right now")
        try:
            time.sleep(0.3)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(424242)")
    return f"worked in {os.getpid()}"


def touch_file() -> str:
    path = Path(os.environ["WORKER_TEST_TOUCH_FILE"])
    path.write_text(str(os.getpid()))
    return "touched"
