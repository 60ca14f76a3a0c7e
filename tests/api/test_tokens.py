"""Personal API tokens: the token page, bearer authentication of writes, revocation, storage and logging."""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from dailypapers.api.models import ApiToken
from dailypapers.api.services import token_create, token_revoke
from dailypapers.core.testing import make_paper

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def user():
    return get_user_model().objects.create_user("carol")  # no password: signed in with force_login


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_asks_for_a_sign_in_before_showing_the_token_page(client):
    response = client.get("/settings/tokens")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_a_new_token_once_and_stores_only_its_hash(client, user):
    client.force_login(user)
    page = client.post("/settings/tokens", {"action": "create", "name": "notebook"}).content.decode()
    secret = re.search(r'<code id="new-token">([^<]+)</code>', page).group(1)
    assert secret.startswith("dp_") and len(secret) > 40
    token = ApiToken.objects.get(user=user)
    assert token.name == "notebook" and token.key_hash != secret and secret not in token.prefix + token.key_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        assert not any(secret in str(value) for row in cursor.fetchall() for value in row)
    again = client.get("/settings/tokens").content.decode()
    assert secret not in again and "notebook" in again and token.prefix in again
    assert client.get("/api/v1/me", **bearer(secret)).json() == {"username": "carol", "is_moderator": False}


def test_it_stops_accepting_a_revoked_token(client, user):
    new = token_create(user=user, name="ci")
    assert client.get("/api/v1/me", **bearer(new.secret)).status_code == 200
    client.force_login(user)
    client.post("/settings/tokens", {"action": "revoke", "token_id": new.token.pk})
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is not None
    refused = client.get("/api/v1/me", **bearer(new.secret))
    assert refused.status_code == 401 and refused.json()["error"] and refused["WWW-Authenticate"].startswith("Bearer")


def test_it_lets_nobody_revoke_another_users_token(user):
    other = get_user_model().objects.create_user("mallory")
    new = token_create(user=user, name="mine")
    assert token_revoke(user=other, token_id=new.token.pk) is False
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is None


def test_it_refuses_writes_without_a_valid_token(client, user):
    make_paper("2510.20001")
    for headers in ({}, bearer("dp_unknown"), bearer("hf_SomeHuggingFaceToken")):
        for method, url, body in (
            ("post", "/api/papers/submit", {"paperId": "2510.20001"}),
            ("post", "/api/v1/papers/2510.20001/comments", {"body": "hello"}),
            ("put", "/api/v1/papers/2510.20001/vote", {"upvote": True}),
        ):
            response = getattr(client, method)(url, body, content_type="application/json", **headers)
            assert response.status_code == 401, (url, headers)
            assert response.json()["error"].startswith("A valid personal API token is required")


def test_it_refuses_the_token_of_a_deactivated_user(client, user):
    new = token_create(user=user, name="x")
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me", **bearer(new.secret)).status_code == 401


def test_it_ignores_unknown_bearer_tokens_on_public_reads(client):
    make_paper("2510.20002")
    for url in ("/api/daily_papers", "/api/papers/search?q=paper", "/api/papers/2510.20002", "/api/v1/papers"):
        assert client.get(url, **bearer("hf_SomeHuggingFaceToken")).status_code == 200, url


def test_it_submits_a_paper_with_a_token(client, user):
    make_paper("2510.20003", title="Submitted paper")
    new = token_create(user=user, name="x")
    response = client.post(
        "/api/papers/submit", {"paperId": "2510.20003"}, content_type="application/json", **bearer(new.secret)
    )
    # The community app's submission rules may refuse an old paper; without them the paper is featured today.
    assert response.status_code in (201, 400), response.content
    if response.status_code == 201:
        assert response.json()["paper"]["id"] == "2510.20003" and response.json()["submittedBy"]["user"] == "carol"
    else:
        assert response.json()["error"]


def test_it_never_logs_a_token(client, user, caplog):
    new = token_create(user=user, name="x")
    with caplog.at_level(logging.DEBUG):
        client.get("/api/papers/2101.00001", **bearer(new.secret))  # a 404: Django logs the request
        client.get("/api/v1/me", **bearer(new.secret + "x"))  # a 401
        client.get("/api/daily_papers?date=2025-13-40", **bearer("hf_SomeHuggingFaceToken"))  # a 400
    assert "Not Found" in caplog.text
    assert new.secret not in caplog.text and "hf_SomeHuggingFaceToken" not in caplog.text
