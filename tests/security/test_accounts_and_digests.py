"""Breaks 1, 4, 11 and 12 of the security review (and the digest-address items of its "Also" list), through the
full request stack (Django test client, every middleware): mail bombing through /digests/subscribe, subscription
takeover by an unverified account, sign-up telling which addresses have an account, a password reset that did not
lift the sign-in lockout."""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from dailypapers.core.outbox import send_queued
from dailypapers.digests import services
from dailypapers.digests.models import Subscription
from dailypapers.digests.tokens import confirm_token, manage_token

pytestmark = pytest.mark.django_db(transaction=True)  # commits happen as on the real site (mail on commit)
PASSWORD = "a-long-enough-passphrase-17"


@pytest.fixture(autouse=True)
def _clean(fresh_cache):
    mail.outbox = []


def _post(client, email: str, ip: str = "203.0.113.9", **prefs):
    data = {"email": email, "frequency": "daily", "include_trending": "on", "include_daily": "on", **prefs}
    return client.post("/digests/subscribe", data, REMOTE_ADDR=ip)


# --- 1. mail bombing --------------------------------------------------------------------------------------------


def test_one_client_cannot_make_the_site_send_a_flood_of_confirmations(client):
    statuses = [_post(client, f"target+{n}@example.org").status_code for n in range(30)]
    assert statuses.count(200) <= 10 and statuses[-1] == 429
    assert mail.outbox == []  # nothing is sent inside a request
    send_queued()
    assert 1 <= len(mail.outbox) <= 3  # one mailbox, however many +tags: the per-mailbox limit
    assert {m.to[0].split("+")[0] for m in mail.outbox} == {"target"}


def test_many_clients_cannot_flood_one_mail_domain(client, settings):
    settings.RATE_LIMITS = "subscribe=1000/h,subscribe_domain=5/h,mail_address=3/h"
    statuses = [_post(client, f"user{n}@victim-domain.org", ip=f"198.51.100.{n}").status_code for n in range(12)]
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}
    assert Subscription.objects.count() == 5


def test_unconfirmed_subscriptions_are_capped(client, settings):
    settings.DIGESTS_MAX_PENDING = 3
    statuses = [_post(client, f"p{n}@d{n}.example.org", ip=f"198.51.100.{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 503, 503]


@pytest.mark.parametrize("address", ["x@localhost", "x@[127.0.0.1]", "x@127.0.0.1", "x@intranet"])
def test_addresses_without_a_public_mail_domain_are_refused(client, address):
    assert _post(client, address).status_code == 400
    assert not Subscription.objects.exists()


# --- 4. subscription takeover -----------------------------------------------------------------------------------


def _active_subscription(email: str, **prefs) -> Subscription:
    services.subscription_request(email=email, prefs=services.Preferences(**prefs))
    sub = Subscription.objects.get(email=email)
    services.subscription_confirm(token=confirm_token(subscription_id=sub.pk, email=email))
    return Subscription.objects.get(pk=sub.pk)


def test_an_unverified_account_with_someone_elses_address_gets_nothing_of_their_subscription(client):
    attacker = get_user_model().objects.create_user("mallory", email="victim@example.org", password=None)
    client.force_login(attacker)
    _post(client, "victim@example.org", frequency="weekly", searches="attacker topic")  # links nothing
    sub = Subscription.objects.get(email="victim@example.org")
    Client().post(f"/digests/confirm/{confirm_token(subscription_id=sub.pk, email=sub.email)}")  # the victim
    page = client.get("/digests/manage")
    assert page.status_code == 403 and b"Unsubscribe" not in page.content
    client.post("/digests/manage", {"frequency": "daily", "searches": "changed by the attacker"})
    sub.refresh_from_db()
    assert sub.user is None
    assert services.Preferences.of(sub).searches != ["changed by the attacker"]


def test_a_pending_request_does_not_overwrite_preferences_and_the_confirm_page_shows_it(client):
    sub = _active_subscription("ada@example.org", searches=["salient weight quantization"])
    services.subscription_unsubscribe(token=manage_token(subscription_id=sub.pk))
    _post(client, "ada@example.org", categories="hep-th", searches="")
    sub.refresh_from_db()
    assert services.Preferences.of(sub).searches == ["salient weight quantization"]
    assert services.Preferences.of(sub).categories == []
    page = client.get(f"/digests/confirm/{confirm_token(subscription_id=sub.pk, email=sub.email)}").content.decode()
    assert "hep-th" in page
    client.post(f"/digests/confirm/{confirm_token(subscription_id=sub.pk, email=sub.email)}")
    sub.refresh_from_db()
    assert sub.status == "active" and services.Preferences.of(sub).categories == ["hep-th"]


def test_manage_links_expire_but_unsubscribe_links_keep_working(client, settings):
    sub = _active_subscription("old@example.org")
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 61 * 86400):
        old = manage_token(subscription_id=sub.pk)
    assert client.get(f"/digests/manage/{old}").status_code == 400
    assert client.get(f"/digests/manage/{manage_token(subscription_id=sub.pk)}").status_code == 200
    assert client.post(f"/digests/unsubscribe/{old}").status_code == 200
    sub.refresh_from_db()
    assert sub.status == "unsubscribed"


# --- 11. sign-up does not tell which addresses have an account ----------------------------------------------------


def _page(response, address: str) -> str:
    html = response.content.decode().replace(address, "X@")
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "CSRF", html)


def _signup(username: str, email: str):
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return Client().post("/accounts/signup/", data, REMOTE_ADDR=f"192.0.2.{len(username)}")


def test_sign_up_answers_the_same_for_a_known_address_and_mails_that_address(client):
    get_user_model().objects.create_user("known", email="known@example.org", password=PASSWORD)
    known = _signup("someone", "known@example.org")
    fresh = _signup("another", "fresh@example.org")
    assert known.status_code == fresh.status_code == 200
    assert _page(known, "known@") == _page(fresh, "fresh@")
    assert not get_user_model().objects.filter(username="someone").exists()
    send_queued()
    to_known = [m for m in mail.outbox if m.to == ["known@example.org"]]
    assert len(to_known) == 1 and "has one already" in to_known[0].body
    # The new account is usable only after its address is verified: signing in says nothing before that.
    answer = Client().post("/accounts/login/", {"username": "another", "password": PASSWORD})
    assert "enter a correct username and password" in answer.content.decode()
    [verify] = [m for m in mail.outbox if m.to == ["fresh@example.org"]]
    link = next(word for word in verify.body.split() if "/accounts/verify-email/" in word)
    assert Client().post(link.split("127.0.0.1:8000", 1)[-1]).status_code == 302
    assert get_user_model().objects.get(username="another").email_verified


# --- 12. a password reset lifts the lockout ---------------------------------------------------------------------


def test_a_password_reset_lifts_the_sign_in_lockout(client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    user = get_user_model().objects.create_user("locked", email="locked@example.org", password=PASSWORD)
    for _ in range(4):
        client.post("/accounts/login/", {"username": "locked", "password": "wrong"})
    assert (
        "Too many failed"
        in client.post("/accounts/login/", {"username": "locked", "password": PASSWORD}).content.decode()
    )
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    start = client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/")
    new = "another-long-passphrase-99"
    done = client.post(start["Location"], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    answer = client.post("/accounts/login/", {"username": "locked", "password": new})
    assert answer.status_code == 302
