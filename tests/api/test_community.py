"""Comments, votes and submissions through the API, with a personal token, on the community app's rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dailypapers.api.services import token_create
from dailypapers.core.testing import make_paper

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def auth():
    user = get_user_model().objects.create_user("dora")
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t').secret}"}


@pytest.fixture
def paper():
    return make_paper("2510.30001", title="Voted paper", day=dt.date(2025, 10, 20), submitter="eve", imported_upvotes=5)


def test_it_sets_and_takes_back_an_upvote_and_shows_it_at_once(client, auth, paper, django_capture_on_commit_callbacks):
    assert client.get("/api/daily_papers").json()[0]["upvotes"] == 5  # now cached
    url = "/api/v1/papers/2510.30001/vote"
    with django_capture_on_commit_callbacks(execute=True):  # each test runs in one transaction that never commits
        up = client.put(url, {"upvote": True}, content_type="application/json", **auth)
    assert up.status_code == 200 and up.json() == {"paper": "2510.30001", "upvoted": True, "upvotes": 6}
    assert client.put(url, {"upvote": True}, content_type="application/json", **auth).json()["upvotes"] == 6
    assert client.get("/api/daily_papers").json()[0]["upvotes"] == 6
    with django_capture_on_commit_callbacks(execute=True):
        down = client.put(url, {"upvote": False}, content_type="application/json", **auth)
    assert down.json() == {"paper": "2510.30001", "upvoted": False, "upvotes": 5}
    assert (
        client.put(
            "/api/v1/papers/2101.00001/vote", {"upvote": True}, content_type="application/json", **auth
        ).status_code
        == 404
    )


def test_it_writes_and_reads_comments_and_replies(client, auth, paper):
    url = "/api/v1/papers/2510.30001/comments"
    first = client.post(url, {"body": "Nice result: $x^2$"}, content_type="application/json", **auth)
    assert first.status_code == 201 and first.json()["user"] == "dora" and "x^2" in first.json()["body"]
    reply = client.post(
        url, {"body": "Agreed", "parent_id": first.json()["id"]}, content_type="application/json", **auth
    )
    assert reply.status_code == 201 and reply.json()["parent_id"] == first.json()["id"]
    thread = client.get(url).json()
    assert [c["body"] for c in thread] == ["Nice result: $x^2$", "Agreed"]
    assert client.get("/api/papers/2510.30001").json()["numComments"] == 2
    assert client.post(url, {"body": ""}, content_type="application/json", **auth).status_code == 400
    assert (
        client.post(url, {"body": "x", "parent_id": 999999}, content_type="application/json", **auth).status_code == 404
    )


def test_it_submits_a_recent_paper_once(client, auth):
    make_paper("2510.30002", title="Fresh paper", published=timezone.now() - dt.timedelta(days=2))
    submit = lambda: client.post(  # noqa: E731
        "/api/papers/submit", {"paperId": "arXiv:2510.30002"}, content_type="application/json", **auth
    )
    first = submit()
    assert first.status_code == 201 and first.json()["paper"]["id"] == "2510.30002"
    assert first.json()["submittedBy"]["user"] == "dora"
    assert [i["paper"]["id"] for i in client.get("/api/daily_papers?submitter=dora").json()] == ["2510.30002"]
    again = submit()
    assert again.status_code == 409 and "already" in again.json()["error"]


def test_it_refuses_a_submission_of_an_old_paper(client, auth, paper):
    make_paper("2510.30003", published=timezone.now() - dt.timedelta(days=400))
    refused = client.post("/api/papers/submit", {"paperId": "2510.30003"}, content_type="application/json", **auth)
    assert refused.status_code == 400 and "published" in refused.json()["error"]


def test_it_applies_the_communitys_per_user_limits_to_api_writes(client, auth, paper, settings):
    settings.RATE_LIMITS = "comment=1/m"
    url = "/api/v1/papers/2510.30001/comments"
    assert client.post(url, {"body": "one"}, content_type="application/json", **auth).status_code == 201
    refused = client.post(url, {"body": "two"}, content_type="application/json", **auth)
    assert refused.status_code == 429 and refused.json()["error"].startswith("Too many comment requests")
