"""Accounts, votes, comments, submissions and moderation through HTTP: sign-in rules, CSRF, rate limits, htmx."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from dailypapers.community.models import Comment, Vote
from dailypapers.core.testing import make_entry, make_paper, make_user
from dailypapers.papers.models import DailyEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
PASSWORD = "a long and Unusual passphrase 7"


@pytest.fixture
def member(client):
    user = make_user("member")
    client.force_login(user)
    return user


# --- accounts ---------------------------------------------------------------------------------------------------


def test_it_signs_up_a_new_member_with_an_argon2_password(client):
    response = client.post(
        "/accounts/signup/",
        {"username": "newbie", "email": "newbie@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    user = get_user_model().objects.get(username="newbie")
    assert user.password.startswith("argon2")
    assert not user.is_active and not user.email_verified  # usable once the e-mailed link is followed
    from dailypapers.community.accounts import verification_token

    response = client.post(f"/accounts/verify-email/{verification_token(user=user)}")
    assert response.status_code == 302
    assert "newbie" in client.get("/").content.decode()


def test_it_explains_a_refused_sign_up(client):
    make_user("taken")
    response = client.post(
        "/accounts/signup/", {"username": "taken", "email": "x@example.org", "password1": "123", "password2": "123"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "already exists" in html and "too short" in html


def test_it_signs_in_and_out(client):
    make_user("reader", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "reader", "password": PASSWORD, "next": "/trending"})
    assert response.status_code == 302 and response["Location"] == "/trending"
    assert client.get("/").context["user"].is_authenticated
    client.post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_it_locks_sign_in_after_repeated_failures(client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    make_user("target", password=PASSWORD)
    for _ in range(3):
        html = client.post("/accounts/login/", {"username": "target", "password": "wrong"}).content.decode()
        assert "enter a correct username and password" in html
    html = client.post("/accounts/login/", {"username": "target", "password": PASSWORD}).content.decode()
    assert "Too many failed sign-in attempts" in html
    assert not client.get("/").context["user"].is_authenticated


def test_it_resets_a_password_by_email(client):
    make_user("forgetful", password=PASSWORD)
    response = client.post("/accounts/password_reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session-bound URL
    new = "another Unusual passphrase 8"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.login(username="forgetful", password=new)


def test_it_sends_nothing_and_says_the_same_for_an_unknown_address(client):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and mail.outbox == []


def test_it_sets_safe_session_cookies(client):
    make_user("cookie", password=PASSWORD)
    response = client.post("/accounts/login/", {"username": "cookie", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


# --- votes ------------------------------------------------------------------------------------------------------


def test_it_toggles_a_vote_with_htmx_and_returns_the_new_button(client, member):
    paper = make_paper(imported_upvotes=4)
    response = client.post(f"/papers/{paper.arxiv_id}/vote", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'aria-pressed="true"' in html and ">5<" in html
    assert "<html" not in html  # a fragment, swapped in without a reload
    response = client.post(f"/papers/{paper.arxiv_id}/vote", HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in response.content.decode() and ">4<" in response.content.decode()


def test_it_votes_without_javascript_and_goes_back(client, member):
    paper = make_paper()
    response = client.post(f"/papers/{paper.arxiv_id}/vote", {"next": "/trending", "up": "1"})
    assert response.status_code == 302 and response["Location"] == "/trending"
    response = client.post(f"/papers/{paper.arxiv_id}/vote", {"next": "https://evil.example/", "up": "1"})
    assert response["Location"] == paper.get_absolute_url()
    assert Vote.objects.filter(paper=paper).count() == 1


def test_it_needs_a_signed_in_user_to_vote(client):
    paper = make_paper()
    response = client.post(f"/papers/{paper.arxiv_id}/vote")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(f"/papers/{paper.arxiv_id}/vote", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/accounts/login/")
    assert not Vote.objects.exists()


def test_it_refuses_writes_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    user = make_user("csrf")
    client.force_login(user)
    paper = make_paper()
    response = client.post(f"/papers/{paper.arxiv_id}/vote", HTTP_HX_REQUEST="true")
    assert response.status_code == 403 and b"expired" in response.content
    assert client.post(f"/papers/{paper.arxiv_id}/comments", {"body": "hi"}).status_code == 403
    # With the token from the page (htmx sends it as X-CSRFToken from hx-headers on <body>) it works.
    html = client.get(paper.get_absolute_url()).content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    response = client.post(f"/papers/{paper.arxiv_id}/vote", HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and Vote.objects.count() == 1


def test_it_rate_limits_votes_in_the_shared_cache(client, member, settings):
    settings.RATE_LIMITS = "vote=3/m"
    paper = make_paper()
    codes = [client.post(f"/papers/{paper.arxiv_id}/vote").status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    # The counter lives in the shared cache, so another process (another client session here) sees it too.
    from django.core.cache import caches

    assert caches["default"].__class__.__name__ in {"DatabaseCache", "RedisCache"}


def test_it_answers_a_vote_on_an_unknown_paper_with_404(client, member):
    assert client.post("/papers/2501.99999/vote").status_code == 404


# --- comments ---------------------------------------------------------------------------------------------------


def test_it_posts_a_comment_with_markdown_and_math_rendered_safely(client, member):
    paper = make_paper()
    body = "**Nice** result: $\\int_0^1 x\\,dx$ <script>alert(1)</script> [x](javascript:alert(1))"
    response = client.post(f"/papers/{paper.arxiv_id}/comments", {"body": body})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "<strong>Nice</strong>" in html and "$\\int_0^1 x\\,dx$" in html
    assert "<script>alert(1)</script>" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_threads_a_reply_edits_and_deletes_own_comments(client, member):
    paper = make_paper()
    client.post(f"/papers/{paper.arxiv_id}/comments", {"body": "top"})
    top = Comment.objects.get()
    client.post(f"/papers/{paper.arxiv_id}/comments", {"body": "reply", "parent": top.pk})
    reply = Comment.objects.get(parent=top)
    assert client.get(f"/comments/{reply.pk}/edit").status_code == 200
    client.post(f"/comments/{reply.pk}/edit", {"body": "edited reply"})
    reply.refresh_from_db()
    assert reply.body == "edited reply" and reply.edited
    client.post(f"/comments/{top.pk}/delete")
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "[deleted]" in html and "edited reply" in html


def test_it_forbids_editing_someone_elses_comment(client, member):
    paper = make_paper()
    other = make_user("other")
    from dailypapers.community import services

    comment = services.comment_create(user=other, paper=paper, body="mine")
    assert client.post(f"/comments/{comment.pk}/edit", {"body": "hacked"}).status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "mine"


# --- submissions ------------------------------------------------------------------------------------------------


def test_it_submits_a_paper_and_explains_refusals(client, member):
    paper = make_paper(arxiv_id="2501.00777", published=timezone.now() - dt.timedelta(days=2))
    assert client.get("/submit").status_code == 200
    response = client.post("/submit", {"arxiv_id": "arXiv:2501.00777"})
    assert response.status_code == 302 and response["Location"] == paper.get_absolute_url()
    assert DailyEntry.objects.get(paper=paper).submitted_by == member
    response = client.post("/submit", {"arxiv_id": "2501.00777"})
    assert response.status_code == 400 and "already on the page of" in response.content.decode()
    response = client.post("/submit", {"arxiv_id": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert response.status_code == 400 and "is not an arXiv id or URL" in html and "<script>alert(1)" not in html


def test_it_sends_visitors_to_sign_in_before_submitting(client):
    response = client.get("/submit")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/submit"


# --- moderation -------------------------------------------------------------------------------------------------


def test_it_lets_moderators_hide_comments_remove_entries_and_suspend_users(client):
    from dailypapers.community import services

    paper = make_paper()
    make_entry(paper, dt.date(2026, 8, 21))
    troll = make_user("troll", password=PASSWORD)
    comment = services.comment_create(user=troll, paper=paper, body="buy my stuff")
    moderator = make_user("mod", is_moderator=True)
    client.force_login(troll)
    assert client.post(f"/comments/{comment.pk}/hide").status_code == 403
    client.force_login(moderator)
    client.post(f"/comments/{comment.pk}/hide", {"hidden": "1"})
    client.post(f"/papers/{paper.arxiv_id}/remove-entry")
    client.post("/users/troll/suspend", {"suspended": "1", "reason": "spam"})
    visitor = Client()
    html = visitor.get(paper.get_absolute_url()).content.decode()
    assert "buy my stuff" not in html and "[hidden by a moderator]" in html
    assert not DailyEntry.objects.filter(paper=paper).exists()
    assert not visitor.login(username="troll", password=PASSWORD)


def test_it_registers_the_models_in_the_admin(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", None)
    client.force_login(admin)
    for url in [
        "/admin/community/user/",
        "/admin/community/comment/",
        "/admin/community/vote/",
        "/admin/community/moderationaction/",
        "/admin/papers/paper/",
        "/admin/papers/dailyentry/",
    ]:
        assert client.get(url).status_code == 200, url
