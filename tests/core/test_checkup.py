"""`dailypapers check`: sentences about the database, migrations, secret, index, e-mail, worker and site URL; a
problem makes it fail. It replaces Django's `check`, whose system checks it still runs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands

from dailypapers.core.models import JobRun
from dailypapers.core.nodes import node_name
from dailypapers.search import store
from dailypapers.search.embeddings import HashingEmbedder, set_embedder
from dailypapers.search.sync import sync_indexes
from tests.support.live_hub import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(HashingEmbedder())
    store.forget_snapshot()
    yield
    set_embedder(None)
    store.forget_snapshot()


def checkup(*args) -> tuple[str, bool]:
    out = StringIO()
    try:
        call_command("check", *args, stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


def test_our_check_command_replaces_djangos():
    assert get_commands()["check"] == "dailypapers.core"


def test_it_names_each_problem_and_passes_once_they_are_fixed(settings, monkeypatch):
    monkeypatch.setenv("DAILYPAPERS_SECRET_KEY", settings.SECRET_KEY)  # the test database has no shared-key table
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    settings.SITE_URL = "http://papers.example.org"
    text, passed = checkup()
    assert not passed
    assert "ok       the database answers" in text and "ok       every migration is applied" in text
    assert "PROBLEM  no search index on this node yet" in text
    assert f"PROBLEM  the mail server at 127.0.0.1:{settings.EMAIL_PORT} does not accept connections" in text
    assert "PROBLEM  no worker has synced this node's search index" in text
    assert "PROBLEM  the site's address http://papers.example.org is not https" in text
    assert "ok       Django's system checks pass" in text

    sync_indexes(progress=False)
    from django.utils import timezone

    JobRun.objects.create(job=f"index@{node_name()}", owner="w", started_at=timezone.now(), status="ok")
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SITE_URL = "https://papers.example.org"
    text, passed = checkup()
    assert passed, text
    assert "ok       this node's worker is alive" in text and "warning  e-mails are printed on the terminal" in text
    assert "ok       the site's address is https://papers.example.org" in text
