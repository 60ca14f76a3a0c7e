"""Subscribe, confirm, receive a digest, unsubscribe in one click: end to end against a real SMTP server."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from dailypapers.core.outbox import send_queued
from dailypapers.core.testing import digest_papers
from dailypapers.digests.models import DigestDelivery, Subscription, Topic
from tests.support.smtp import SmtpServer, html_part, link, text_part, use_smtp

pytestmark = pytest.mark.django_db
PERIOD = "daily:2026-11-25"  # a Wednesday
NEXT_PERIOD = "daily:2026-11-26"


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    use_smtp(settings, server.port)
    settings.SITE_URL = "https://papers.example.org"
    yield server.handler
    server.stop()


def send(*periods: str) -> str:
    out = StringIO()
    args = [a for p in periods for a in ("--period", p)]
    call_command("digests", "send", *args, stdout=out, verbosity=0)
    return out.getvalue()


def subscribe(client, email: str, capture, **extra):
    data = {"email": email, "frequency": "daily", "include_trending": "on", "include_daily": "on", **extra}
    with capture(execute=True):
        response = client.post("/digests/subscribe", data)
    send_queued()  # the worker's mail job sends the confirmation (never the request)
    return response


def test_it_subscribes_confirms_sends_a_digest_and_unsubscribes_in_one_click(
    client, smtp, django_capture_on_commit_callbacks
):
    digest_papers(PERIOD)
    digest_papers(NEXT_PERIOD, first=11)
    response = subscribe(
        client, "Ada@Example.org", django_capture_on_commit_callbacks, searches="salient weight quantization"
    )
    assert response.status_code == 200 and b"Check your inbox" in response.content

    # Double opt-in: only the confirmation e-mail, and no digest before its link is followed.
    [confirmation] = smtp.to("ada@example.org")
    assert "Confirm" in confirmation.message["Subject"]
    send(PERIOD)
    assert len(smtp.to("ada@example.org")) == 1

    confirm_path = link(text_part(confirmation.message), "confirm")
    assert client.get(confirm_path).status_code == 200  # shows a button; a link scanner's GET confirms nothing
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    response = client.post(confirm_path)
    assert response.status_code == 200 and b"You are subscribed" in response.content

    out = send(PERIOD)
    assert "sent 1" in out
    digest = smtp.to("ada@example.org")[-1].message
    assert digest.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in digest.iter_parts()] == ["text/plain", "text/html"]
    unsubscribe_url = digest["List-Unsubscribe"].strip().strip("<>")  # (a long header may be folded)
    assert unsubscribe_url.startswith("https://papers.example.org/digests/unsubscribe/")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = text_part(digest), html_part(digest)
    for part in (text, html):
        assert "Salient Weight Quantization for Large Language Models" in part
        assert "Grace Hopper, Alan Turing" in part
        assert "https://papers.example.org/papers/2611.00001" in part
        assert "matching “salient weight quantization”" in part
    assert "Trending" in text
    assert "<script" not in html.lower() and 'style="' in html
    assert link(text, "unsubscribe") == unsubscribe_url.removeprefix("https://papers.example.org")

    # RFC 8058: the mail client POSTs to the List-Unsubscribe URL, no session, no CSRF token.
    one_click = Client(enforce_csrf_checks=True)
    path = unsubscribe_url.removeprefix("https://papers.example.org")
    response = one_click.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Subscription.objects.get().status == Subscription.Status.UNSUBSCRIBED

    count = len(smtp.messages)
    send(NEXT_PERIOD)
    assert len(smtp.messages) == count


def test_it_answers_the_same_whether_or_not_an_address_is_subscribed(client, smtp, django_capture_on_commit_callbacks):
    Subscription.objects.create(email="known@example.org", status=Subscription.Status.ACTIVE, frequency="weekly")
    known = subscribe(client, "known@example.org", django_capture_on_commit_callbacks)
    unknown = subscribe(client, "unknown@example.org", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 200

    def page(response, email: bytes) -> bytes:  # without the per-response CSRF tokens
        return re.sub(rb"[A-Za-z0-9]{64}", b"TOKEN", response.content.replace(email, b"X@"))

    assert page(known, b"known@") == page(unknown, b"unknown@")
    # Only the inboxes learn the difference; the active subscription's preferences did not change.
    assert "already subscribed" in text_part(smtp.to("known@example.org")[0].message)
    assert "/digests/confirm/" in text_part(smtp.to("unknown@example.org")[0].message)
    assert Subscription.objects.get(email="known@example.org").frequency == "weekly"
    # The one-click endpoint cannot be used to probe addresses either: tokens are signed.
    assert client.post("/digests/unsubscribe/known@example.org").status_code == 400


def test_the_one_field_form_subscribes_to_the_default_digest(client, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/digests/subscribe", {"email": "quick@example.org"})
    assert response.status_code == 200
    sub = Subscription.objects.get()
    assert (sub.frequency, sub.include_trending, sub.include_daily, sub.status) == ("daily", True, True, "pending")
    assert client.post("/digests/subscribe", {"email": "not an address"}).status_code == 400


def test_it_refuses_tampered_and_foreign_tokens(client, smtp):
    sub = Subscription.objects.create(email="a@example.org", status=Subscription.Status.ACTIVE)
    from dailypapers.digests.tokens import confirm_token, manage_token

    good = manage_token(subscription_id=sub.pk)
    for path in (f"/digests/unsubscribe/{good}x", f"/digests/manage/{good[:-2]}", "/digests/confirm/nope"):
        assert client.get(path).status_code in (200, 400)  # confirm's GET only shows a button
        assert client.post(path).status_code == 400
    # A confirm token is not a manage token, and the other way round.
    assert (
        client.post(f"/digests/unsubscribe/{confirm_token(subscription_id=sub.pk, email=sub.email)}").status_code == 400
    )
    assert client.post(f"/digests/confirm/{good}").status_code == 400
    assert Subscription.objects.get().status == Subscription.Status.ACTIVE


def test_it_changes_preferences_behind_the_token(client, smtp):
    sub = Subscription.objects.create(email="b@example.org", status=Subscription.Status.ACTIVE)
    from dailypapers.digests.tokens import manage_token

    path = f"/digests/manage/{manage_token(subscription_id=sub.pk)}"
    assert b"b@example.org" in client.get(path).content
    response = client.post(
        path,
        {"frequency": "weekly", "include_daily": "on", "searches": "diffusion models\n", "categories": "cs.CV, cs.LG"},
    )
    assert response.status_code == 200 and b"Saved." in response.content
    sub.refresh_from_db()
    assert sub.frequency == "weekly" and not sub.include_trending and sub.include_daily
    assert sorted(Topic.objects.values_list("kind", "value")) == [
        ("category", "cs.CV"),
        ("category", "cs.LG"),
        ("search", "diffusion models"),
    ]
    bad = client.post(path, {"frequency": "hourly"})
    assert bad.status_code == 400
    bad = client.post(path, {"frequency": "daily", "categories": "<script>"})
    assert bad.status_code == 400 and b"not an arXiv category" in bad.content


def test_a_signed_in_user_subscribes_from_the_manage_page(
    client, smtp, django_user_model, django_capture_on_commit_callbacks
):
    user = django_user_model.objects.create_user("grace", email="Grace@Example.org", email_verified=True)
    client.force_login(user)
    assert client.get("/digests/manage").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/digests/manage", {"frequency": "weekly", "include_trending": "on"})
    assert b"Check your inbox" in response.content
    send_queued()
    [confirmation] = smtp.to("grace@example.org")
    client.post(link(text_part(confirmation.message), "confirm"))
    sub = Subscription.objects.get()
    assert sub.status == "active" and sub.user == user and sub.frequency == "weekly"
    page = client.get("/digests/manage")
    assert b"grace@example.org" in page.content and b"Unsubscribe" in page.content
    # Signed out, the page asks to sign in.
    assert Client().get("/digests/manage").status_code == 302


def test_it_sends_nothing_on_a_day_without_announcements(smtp):
    Subscription.objects.create(email="c@example.org", status=Subscription.Status.ACTIVE)
    out = send(PERIOD)
    assert "no arXiv announcement" in out and smtp.messages == []
    assert not DigestDelivery.objects.exists()


def test_it_refuses_a_weekend_daily_period():
    with pytest.raises(CommandError, match="weekdays only"):
        send("daily:2026-11-28")


def test_preview_prints_a_subscribers_digest_without_sending(smtp):
    digest_papers(PERIOD)
    Subscription.objects.create(email="d@example.org", status=Subscription.Status.ACTIVE)
    out = StringIO()
    call_command("digests", "preview", "d@example.org", "--period", PERIOD, stdout=out)
    assert "Salient Weight Quantization" in out.getvalue() and "/digests/unsubscribe/" in out.getvalue()
    assert smtp.messages == [] and not DigestDelivery.objects.exists()
    out = StringIO()
    call_command("digests", "send", "--dry-run", "--period", PERIOD, stdout=out, verbosity=0)
    assert "would send 1" in out.getvalue() and smtp.messages == []
    with pytest.raises(CommandError, match="not an e-mail address"):
        call_command("digests", "preview", "nobody", stdout=StringIO())


def test_an_expired_confirmation_link_says_so(client, settings):
    from dailypapers.digests.tokens import confirm_token

    sub = Subscription.objects.create(email="late@example.org")
    settings.DIGESTS_CONFIRM_MAX_AGE_DAYS = -1
    response = client.post(f"/digests/confirm/{confirm_token(subscription_id=sub.pk, email=sub.email)}")
    assert response.status_code == 400 and b"expired" in response.content
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_other_django_backends_get_the_same_digest(mailoutbox):
    digest_papers(PERIOD)
    Subscription.objects.create(email="e@example.org", status=Subscription.Status.ACTIVE)
    assert "sent 1" in send(PERIOD)  # pytest-django's locmem backend (the console backend works the same way)
    [message] = mailoutbox
    assert message.to == ["e@example.org"] and message.extra_headers["List-Unsubscribe-Post"].endswith("One-Click")
    assert "Salient Weight Quantization" in message.body and message.alternatives[0][1] == "text/html"


def test_a_members_own_profile_links_to_their_digest_settings(client, django_user_model):
    user = django_user_model.objects.create_user("hopper", email="hopper@example.org")
    client.force_login(user)
    assert b'href="/digests/manage"' in client.get("/users/hopper").content
    other = django_user_model.objects.create_user("turing", email="turing@example.org")
    assert b'href="/digests/manage"' not in client.get(f"/users/{other.username}").content
