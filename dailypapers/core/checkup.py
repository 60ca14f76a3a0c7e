"""`dailypapers check`: what is wrong with this deployment, in sentences. Each check returns (level, sentence),
level "ok", "warning" or "problem"; a problem makes the command exit non-zero."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

Finding = tuple[str, str]


def check_database() -> Finding:
    from dailypapers.core.readiness import database_problem
    from dailypapers.core.setup import describe_database

    problem = database_problem()
    return ("problem", problem) if problem else ("ok", f"the database answers ({describe_database()})")


def check_migrations() -> Finding:
    from dailypapers.core.setup import pending_migrations

    pending = pending_migrations()
    if pending:
        return "problem", (
            f"{len(pending)} migration(s) are not applied ({', '.join(pending[:3])}); any hub command "
            "applies them, or run `dailypapers migrate`"
        )
    return "ok", "every migration is applied"


def check_secret() -> Finding:
    from dailypapers.core.datadir import read_secret_key
    from dailypapers.core.secret import TABLE, postgres_url

    if os.environ.get("DAILYPAPERS_SECRET_KEY"):
        if postgres_url():
            return "ok", "the secret key comes from DAILYPAPERS_SECRET_KEY: give every node the same value"
        return "ok", "the secret key comes from DAILYPAPERS_SECRET_KEY"
    local = read_secret_key(Path(settings.DATA_DIR))
    if not postgres_url():
        return "ok", f"one box (SQLite): the secret key is generated in {Path(settings.DATA_DIR) / 'secret_key'}"
    from django.db import connection

    if TABLE not in connection.introspection.table_names():
        return "problem", "no shared secret key is stored in the database yet: start any hub command once"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT secret_key FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return "problem", "no shared secret key is stored in the database yet: start any hub command once"
    if row[0] != local or row[0] != settings.SECRET_KEY:
        return "problem", (
            "this node's secret key differs from the cluster's: restart it (it copies the key from "
            "the database at start), or set DAILYPAPERS_SECRET_KEY on every node"
        )
    return "ok", "the secret key is the cluster's, shared through the database (sessions and links work on every node)"


def check_index() -> Finding:
    from dailypapers.search.readiness import index_problem

    problem = index_problem()
    if problem:
        return "problem", problem
    return "ok", f"this node's search index matches the configured model ({settings.EMBEDDING_MODEL})"


def check_email() -> Finding:
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "console":
        return "warning", (
            "e-mails are printed on the terminal (DAILYPAPERS_EMAIL_URL=console://): no digest or "
            "password-reset e-mail leaves this machine"
        )
    if backend == "filebased":
        folder = Path(settings.EMAIL_FILE_PATH)
        if folder.is_dir() and os.access(folder, os.W_OK) or not folder.exists():
            return "warning", f"e-mails are written to files in {folder}, not sent"
        return "problem", f"e-mails go to files in {folder}, which cannot be written"
    if backend != "smtp":
        return "warning", f"e-mails go through {settings.EMAIL_BACKEND}"
    address = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    try:
        with socket.create_connection((settings.EMAIL_HOST, settings.EMAIL_PORT), timeout=5):
            pass
    except OSError as exc:
        return "problem", f"the mail server at {address} does not accept connections ({exc})"
    return "ok", f"the mail server at {address} accepts connections (connection only; nothing was sent)"


def check_worker() -> Finding:
    from dailypapers.core.models import JobRun
    from dailypapers.core.nodes import node_name

    if not settings.WORKER_JOBS and not settings.WORKER_EXTRA_JOBS:
        return "warning", "no scheduled job is configured (DAILYPAPERS_WORKER_JOBS is empty)"
    window = dt.timedelta(seconds=2 * max(settings.INDEX_SYNC_SECONDS, settings.WORKER_POLL_SECONDS) + 60)
    mine = f"index@{node_name()}"
    last = JobRun.objects.filter(job=mine).order_by("-started_at").values_list("started_at", flat=True).first()
    if "index" in settings.WORKER_JOBS:
        if last is None:
            return "problem", (
                f"no worker has synced this node's search index ({mine}) yet: run `dailypapers serve` "
                "(it starts one) or `dailypapers worker --loop`"
            )
        age = (timezone.now() - last).total_seconds()
        if timezone.now() - last > window:
            return "problem", (
                f"this node's worker last synced the search index {age:.0f} s ago (expected every "
                f"{settings.INDEX_SYNC_SECONDS} s): is `dailypapers worker --loop` running?"
            )
        return "ok", f"this node's worker is alive (last index sync {age:.0f} s ago)"
    newest = JobRun.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    if newest is None:
        return "warning", "no scheduled job has run yet"
    return "ok", f"the last scheduled job ran {(timezone.now() - newest).total_seconds():.0f} s ago"


def check_site_url() -> Finding:
    url = settings.SITE_URL
    if url.startswith("https://"):
        proxy = " behind a TLS proxy" if settings.SECURE_PROXY_SSL_HEADER else ""
        return "ok", f"the site's address is {url}{proxy} (secure cookies on)"
    if url.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
        return "warning", (
            f"the site's address is {url}: fine on this machine; for a public site set "
            "DAILYPAPERS_SITE_URL=https://... (links in e-mails, secure cookies)"
        )
    return "problem", (
        f"the site's address {url} is not https: passwords and sessions travel in clear; serve it "
        "behind TLS and set DAILYPAPERS_SITE_URL=https://..."
    )


def check_django(*, deploy: bool) -> list[Finding]:
    from django.core import checks

    messages = checks.run_checks(include_deployment_checks=deploy)
    serious = [m for m in messages if m.level >= checks.ERROR]
    found = [("problem", f"Django: {m}") for m in serious]
    found += [("warning", f"Django: {m}") for m in messages if checks.WARNING <= m.level < checks.ERROR]
    if not messages:
        found.append(("ok", "Django's system checks" + (" (with deployment checks)" if deploy else "") + " pass"))
    return found


CHECKS: list[tuple[str, Callable[[], Finding]]] = [
    ("migrations", check_migrations),
    ("secret", check_secret),
    ("index", check_index),
    ("email", check_email),
    ("worker", check_worker),
    ("site", check_site_url),
]


def run_checkup(*, deploy: bool = False) -> list[Finding]:
    """Every finding, in order; after a database problem only the checks that need no database run."""
    findings = [check_database()]
    database_ok = findings[0][0] == "ok"
    for name, check in CHECKS:
        if not database_ok and name in ("migrations", "secret", "worker"):
            continue
        if name == "worker" and findings[1][0] != "ok":  # its tables may not exist yet
            continue
        try:
            findings.append(check())
        except Exception as exc:
            findings.append(("problem", f"the {name} check could not run: {type(exc).__name__}: {exc}"))
    return findings + check_django(deploy=deploy)
