"""Two sending processes at once on the same database (several nodes): everyone gets exactly one digest."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection

from dailypapers.core.testing import active_subscribers, digest_papers
from dailypapers.digests.models import DigestDelivery
from tests.support.paths import REPO
from tests.support.smtp import Handler, SmtpServer

PERIOD = "daily:2026-11-25"


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_digest_exactly_once(tmp_path):
    if connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]).startswith(("file:", ":memory:")):
        pytest.skip("the SQLite test database is in memory: other processes cannot share it")
    digest_papers(PERIOD)
    emails = [s.email for s in active_subscribers(60)]
    server = SmtpServer(Handler(rcpt_delay=0.01)).start()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DAILYPAPERS_")}
        env.update(
            PYTHONPATH=str(REPO),
            DAILYPAPERS_DATA_DIR=str(tmp_path),
            DAILYPAPERS_DATABASE_URL=database_url(),
            DAILYPAPERS_EMAIL_URL=server.url,
            DAILYPAPERS_DIGESTS_BATCH_SIZE="4",
            DAILYPAPERS_SECRET_KEY="t",
            DAILYPAPERS_LOG_LEVEL="WARNING",
        )
        command = [sys.executable, "-m", "dailypapers", "digests", "send", "--period", PERIOD]
        senders = [
            subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)
        ]
        outputs = [s.communicate(timeout=180)[0] for s in senders]
        assert [s.returncode for s in senders] == [0, 0], outputs
    finally:
        server.stop()
    assert server.handler.counts() == dict.fromkeys(emails, 1), outputs
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"sent"}
    sent_by = [int(out.split("sent ")[1].split(",")[0]) for out in outputs]
    assert sum(sent_by) == len(emails), outputs
