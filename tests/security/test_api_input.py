"""The "Also" list of the security review, through the full request stack: a vote body of [1,2] or {} counted as an
upvote; the tokens page showed each message twice."""

from __future__ import annotations

import json

import pytest

from dailypapers.api.services import token_create
from dailypapers.community.models import Vote
from dailypapers.core.testing import make_paper, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body", ["[1,2]", "{}", '"up"', '{"upvote": "yes"}', '{"upvote": 1}', '{"upvote": true, "x": 1}']
)
def test_a_vote_body_that_is_not_an_upvote_flag_is_refused(client, fresh_cache, body):
    make_paper(arxiv_id="2501.00077")
    user = make_user("voter")
    auth = {"Authorization": f"Bearer {token_create(user=user, name='t').secret}"}
    response = client.put("/api/v1/papers/2501.00077/vote", body, content_type="application/json", headers=auth)
    assert response.status_code == 400 and response.json()["error"]
    assert not Vote.objects.exists()
    ok = client.put(
        "/api/v1/papers/2501.00077/vote", json.dumps({"upvote": True}), content_type="application/json", headers=auth
    )
    assert ok.status_code == 200 and Vote.objects.count() == 1


def test_the_tokens_page_shows_each_message_once(client, fresh_cache):
    client.force_login(make_user("tokens"))
    page = client.post("/settings/tokens", {"action": "revoke", "token_id": "999"}, follow=True).content.decode()
    assert page.count("No such active token.") == 1
