"""Breaks 7, 8 and 9 of the security review, through the full request stack: NUL characters (500 on PostgreSQL in
9 places), extreme dates (OverflowError in the period arithmetic: 500 on the web and both APIs), and a 5 MB API
body (RequestDataTooBig: 500). Each must get a clear 4xx; on the API in its {"error": ...} shape."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dailypapers.api.services import token_create
from dailypapers.core.testing import make_entry, make_paper, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def hub(fresh_cache):
    paper = make_paper(arxiv_id="2501.00042")
    make_entry(paper, dt.date(2026, 8, 21))
    user = make_user("writer")
    return {"user": user, "token": token_create(user=user, name="t").secret}


NUL_READS = [
    "/search?q=a%00b",
    "/search?q=attention&author=a%00b",
    "/search?q=attention&category=cs%00",
    "/api/v1/search?q=a%00b",
    "/api/v1/search?q=x&author=%00",
    "/api/v1/search?q=x&category=cs.%00",
    "/api/daily_papers?submitter=a%00b",
    "/api/v1/authors?q=a%00b",
    "/users/a%00b",
    "/api/v1/papers?category=cs%00",
    "/feeds/search.rss?q=%00",
]


@pytest.mark.parametrize("url", NUL_READS)
def test_a_nul_character_in_a_url_is_refused_with_400(client, hub, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "NUL" in response.json()["error"]


def test_a_nul_character_in_a_form_field_is_refused_with_400(client, hub):
    client.force_login(hub["user"])
    response = client.post("/papers/2501.00042/comments", {"body": "hello\x00world"})
    assert response.status_code == 400
    assert not hub["user"].comments.exists()


def test_a_nul_character_in_a_json_string_is_refused_with_400(client, hub):
    response = client.post(
        "/api/v1/papers/2501.00042/comments",
        data=json.dumps({"body": "hello\u0000world"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {hub['token']}"},
    )
    assert response.status_code == 400 and "NUL" in response.json()["error"]
    assert not hub["user"].comments.exists()


WEB_DATES = ["/date/9999-12-31", "/date/0001-01-01", "/week/9999-W52", "/week/0001-W01", "/month/0001-01"]
API_DATES = [
    "/api/daily_papers?date=9999-12-31",
    "/api/daily_papers?week=9999-W52",
    "/api/daily_papers?date=0001-01-01",
    "/api/v1/daily?week=9999-W52",
    "/api/v1/daily?date=9999-12-31",
    "/api/v1/daily?month=0001-01",
]


@pytest.mark.parametrize("url", WEB_DATES)
def test_extreme_dates_are_not_found_on_the_web(client, hub, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", API_DATES)
def test_extreme_dates_are_refused_by_both_apis(client, hub, url):
    response = client.get(url)
    assert response.status_code == 400 and response.json()["error"]


def test_the_calendar_near_its_ends_still_works(client, hub):
    for url in ["/date/0001-03-01", "/week/9999-W38", "/month/0001-04"]:
        assert client.get(url).status_code == 200


def test_a_5_mb_api_body_gets_413_in_the_api_error_shape(client, hub):
    body = json.dumps({"body": "x" * (5 * 1024 * 1024)})
    response = client.post(
        "/api/v1/papers/2501.00042/comments",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {hub['token']}"},
    )
    assert response.status_code == 413
    assert "too large" in response.json()["error"] and response["X-Error-Message"]
