"""Breaks 2 and 3 of the security review, against a real `dailypapers serve` on SQLite with the default database
cache: parallel sign-in guesses and parallel API/comment requests must not get past the limits.

Before the fix, the lock was checked before hashing and the failure recorded after (16 threads got ~15 password
checks against a limit of 5), and the database cache's get-then-set ``incr`` lost concurrent hits (the API limit
let 740-869 of 600 through)."""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.live_hub import hub_env, run_cli, served_hub

requests = pytest.importorskip("requests")

SETUP = (
    "from dailypapers.core.testing import make_paper, make_user; "
    "from dailypapers.api.services import token_create; "
    "user = make_user('victim', password='the-right-password-42'); "
    "make_paper(arxiv_id='2501.00001'); "
    "print(token_create(user=user, name='tests').secret)"
)
THREADS = 16
REDIS_URL = os.environ.get("DAILYPAPERS_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@contextlib.contextmanager
def _backend(kind: str):
    """Settings of the hub's database and cache: SQLite with the default database cache, or (in the PostgreSQL
    pass, DAILYPAPERS_DATABASE_URL=postgres://...) a fresh PostgreSQL database, with Redis when one answers."""
    if kind == "sqlite":
        yield {}
        return
    url = os.environ.get("DAILYPAPERS_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the PostgreSQL variant runs in the PostgreSQL pass (DAILYPAPERS_DATABASE_URL=postgres://...)")
    import psycopg

    server = url.rsplit("/", 1)[0]
    name = f"dp_security_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    settings = {"DAILYPAPERS_DATABASE_URL": f"{server}/{name}"}
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()  # counters of an earlier run must go
        settings["DAILYPAPERS_CACHE_URL"] = REDIS_URL
    except redis.RedisError as exc:  # no Redis here: the database cache on PostgreSQL
        print(f"no Redis at {REDIS_URL} ({exc}): the database cache on PostgreSQL")
    try:
        yield settings
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hub(request, tmp_path_factory):
    with _backend(request.param) as backend:
        data_dir = tmp_path_factory.mktemp("security-live")
        env = hub_env(
            data_dir,
            DAILYPAPERS_API_RATE_LIMIT="100",
            DAILYPAPERS_API_WRITE_RATE_LIMIT="1000000",
            DAILYPAPERS_RATE_LIMITS="login=100000/m,comment=10/m",
            DAILYPAPERS_LOGIN_MAX_FAILURES="5",
            **backend,
        )
        run_cli(env, "migrate", "-v0")
        run_cli(env, "createcachetable")
        token = run_cli(env, "shell", "-c", SETUP).split()[-1]
        with served_hub(env, workers=4, threads=4) as url:
            yield {"url": url, "token": token}


def _guess(url: str, number: int) -> str:
    """One wrong sign-in attempt with its own session; what the page said: 'checked' or 'locked'."""
    session = requests.Session()
    page = session.get(url + "/accounts/login/", timeout=60)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = session.post(
        url + "/accounts/login/",
        data={
            "username": "victim",
            "password": f"wrong-{number}",
            "csrfmiddlewaretoken": csrf,
        },
        headers={"Referer": url + "/accounts/login/"},
        timeout=120,
    )
    if "Too many failed sign-in attempts" in answer.text:
        return "locked"
    assert "enter a correct username and password" in answer.text, answer.text[:500]
    return "checked"


def test_parallel_guesses_get_at_most_the_limit_of_password_checks(hub):
    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(lambda n: _guess(hub["url"], n), range(64)))
    assert outcomes.count("checked") <= 5, f"{outcomes.count('checked')} passwords checked, limit 5"
    assert outcomes.count("locked") >= 59


def test_parallel_api_reads_never_pass_the_limit(hub):
    def read(_):
        return requests.get(hub["url"] + "/api/v1/trending", timeout=60).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(read, range(400)))
    assert set(statuses) <= {200, 429}
    assert statuses.count(200) <= 100, f"{statuses.count(200)} reads passed a limit of 100"


def test_parallel_comments_never_pass_the_limit(hub):
    def post(n):
        return requests.post(
            hub["url"] + "/api/v1/papers/2501.00001/comments",
            json={"body": f"comment {n}"},
            headers={"Authorization": f"Bearer {hub['token']}"},
            timeout=60,
        ).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(post, range(60)))
    assert set(statuses) <= {201, 429}, statuses
    assert statuses.count(201) <= 10, f"{statuses.count(201)} comments passed a limit of 10"
