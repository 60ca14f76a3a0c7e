"""Two `dailypapers serve` nodes on one PostgreSQL database, each with its own data folder and search index, as
behind a load balancer: a paper imported through one is found by a search on each within a couple of sync
intervals; a session made on node A is signed in on node B; a digest link e-mailed by A works on B. Nothing is
configured for this but the database URL (no DAILYPAPERS_SECRET_KEY): the nodes share the cluster's key."""

from __future__ import annotations

import contextlib
import email
import json
import re
import time
import uuid

import pytest
import requests

from tests.support.live_hub import hub_env, run_cli, served_hub

pytestmark = pytest.mark.postgres
SYNC_SECONDS = 3
GRACE = 15  # seconds for a slow CI machine to run a sync and answer (a cluster-wide index lease takes longer)


def kaggle_line(arxiv_id: str, word: str) -> str:
    return json.dumps(
        {
            "id": arxiv_id,
            "submitter": "Ada",
            "authors": "Ada Lovelace",
            "title": f"The {word} engine",
            "comments": None,
            "journal-ref": None,
            "doi": None,
            "report-no": None,
            "categories": "cs.LG",
            "license": None,
            "abstract": f"We describe the {word} engine and what it computes.",
            "versions": [{"version": "v1", "created": "Mon, 2 Nov 2026 19:18:42 GMT"}],
            "update_date": "2026-11-02",
            "authors_parsed": [["Lovelace", "Ada", ""]],
        }
    )


def found(base: str, word: str) -> bool:
    response = requests.get(f"{base}/api/v1/search", params={"q": word, "mode": "keyword"}, timeout=30)
    response.raise_for_status()
    return any(word in hit["paper"]["title"] for hit in response.json()["hits"])


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_two_nodes_share_search_sessions_and_signed_links(tmp_path, postgres_server):
    mail = tmp_path / "mail"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with postgres_server.database(f"dailypapers_nodes_{uuid.uuid4().hex[:8]}") as url:
        common = {
            "DAILYPAPERS_DATABASE_URL": url,
            "DAILYPAPERS_EMBEDDING_MODEL": "test-hashing",
            "DAILYPAPERS_SERVE_WORKER": "1",
            "DAILYPAPERS_WORKER_JOBS": "index,mail",
            "DAILYPAPERS_MAIL_CHECK_SECONDS": "1",
            "DAILYPAPERS_INDEX_SYNC_SECONDS": str(SYNC_SECONDS),
            "DAILYPAPERS_WORKER_POLL_SECONDS": "0.5",
            "DAILYPAPERS_EMAIL_URL": f"file://{mail}",
            "DAILYPAPERS_LOG_LEVEL": "WARNING",
            "DAILYPAPERS_API_CACHE_SECONDS": "600",
            "DAILYPAPERS_METRICS_TOKEN": "metrics-token",
        }
        env_a = hub_env(tmp_path / "a", DAILYPAPERS_NODE_NAME="node-a", **common)
        env_b = hub_env(tmp_path / "b", DAILYPAPERS_NODE_NAME="node-b", **common)
        with contextlib.ExitStack() as stack:
            node_a = stack.enter_context(served_hub(env_a, workers=1))
            node_b = stack.enter_context(served_hub(env_b, workers=1))
            assert (tmp_path / "a" / "secret_key").read_text() == (tmp_path / "b" / "secret_key").read_text()

            # Each node builds its own index at start; then a paper is imported through node A.
            deadline = time.monotonic() + 120
            while (
                "index on node-b" not in (status := run_cli(env_a, "worker", "--status"))
                or "index on node-a" not in status
            ):
                assert time.monotonic() < deadline, status
                time.sleep(0.5)
            word = f"zq{uuid.uuid4().hex[:8]}"
            assert not found(node_a, word) and not found(node_b, word)  # now cached too: the sync must show anyway
            feed = tmp_path / "new.jsonl"
            feed.write_text(kaggle_line("2611.00042", word) + "\n")
            run_cli(env_a, "import", str(feed))
            imported = time.monotonic()
            seen: dict[str, float] = {}
            while len(seen) < 2 and time.monotonic() - imported < 2 * SYNC_SECONDS + GRACE:
                for name, base in (("a", node_a), ("b", node_b)):
                    if name not in seen and found(base, word):
                        seen[name] = time.monotonic() - imported
                time.sleep(0.2)
            print(
                f"two nodes, sync every {SYNC_SECONDS} s: found on A after {seen.get('a', -1):.1f} s, "
                f"on B after {seen.get('b', -1):.1f} s"
            )
            assert set(seen) == {"a", "b"}, seen
            # Each node records its sync just after its index shows the paper: wait for both records.
            deadline = time.monotonic() + 2 * SYNC_SECONDS + GRACE
            while (status := run_cli(env_b, "worker", "--status")).count("1 papers, up to date") < 2:
                assert time.monotonic() < deadline, status
                time.sleep(0.5)
            scraped = requests.get(f"{node_a}/metrics", headers={"Authorization": "Bearer metrics-token"}, timeout=30)
            assert 'dailypapers_index_lag_seconds{node="node-b"} 0.0' in scraped.text
            assert 'dailypapers_job_runs_total{job="index",status="ok"}' in scraped.text  # node A's worker process
            assert 'route="api-v1:' in scraped.text or 'route="api' in scraped.text

            # A session made on node A works on node B (the browser sends the same cookies to both).
            password = uuid.uuid4().hex
            run_cli(
                dict(env_a, DJANGO_SUPERUSER_PASSWORD=password),
                "createsuperuser",
                "--noinput",
                "--username",
                "ada",
                "--email",
                "ada@example.org",
            )
            browser = requests.Session()
            token = csrf_token(browser, f"{node_a}/accounts/login/")
            signed_in = browser.post(
                f"{node_a}/accounts/login/",
                timeout=30,
                allow_redirects=False,
                data={"username": "ada", "password": password, "csrfmiddlewaretoken": token},
            )
            assert signed_in.status_code == 302, signed_in.text[-2000:]
            on_b = browser.get(f"{node_b}/settings/tokens", timeout=30, allow_redirects=False)
            assert on_b.status_code == 200 and "/users/ada" in on_b.text, on_b.status_code

            # A confirmation link e-mailed by node A works on node B (and a form from B posts there).
            visitor = requests.Session()
            token = csrf_token(visitor, f"{node_a}/digests/subscribe")
            asked = visitor.post(
                f"{node_a}/digests/subscribe",
                timeout=30,
                data={"email": "reader@example.org", "csrfmiddlewaretoken": token},
            )
            assert asked.status_code == 200, asked.text[-2000:]
            deadline = time.monotonic() + 15  # the confirmation is sent by a worker's mail job, not the request
            while not list(mail.glob("*.log")) and time.monotonic() < deadline:
                time.sleep(0.3)
            link = confirmation_path(mail)
            token = csrf_token(visitor, f"{node_b}{link}")
            confirmed = visitor.post(f"{node_b}{link}", timeout=30, data={"csrfmiddlewaretoken": token})
            assert confirmed.status_code == 200, confirmed.text[-2000:]
            assert "/digests/manage/" in confirmed.text


def confirmation_path(folder) -> str:
    """The path of the confirmation link in the one e-mail written to ``folder``."""
    files = list(folder.glob("*.log"))
    assert len(files) == 1, files
    message = email.message_from_bytes(files[0].read_bytes().split(b"\n" + b"-" * 79)[0])
    texts = [
        part.get_payload(decode=True).decode() for part in message.walk() if part.get_content_type() == "text/plain"
    ]
    return re.search(r"https?://[^/\s]+(/digests/confirm/\S+)", texts[0]).group(1)
