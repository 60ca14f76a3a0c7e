"""Subscriptions: request (double opt-in), confirm, change preferences, unsubscribe.

Nothing here tells a caller whether an address was already subscribed: a request always ends the same way for the
requester, and what differs (a confirmation link, or a notice to an active subscriber) goes only to the inbox.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from dailypapers.digests import rendering
from dailypapers.digests.models import Subscription, Topic
from dailypapers.digests.tokens import BadToken, read_confirm_token, read_manage_token

log = logging.getLogger(__name__)

NOTICE_INTERVAL = dt.timedelta(seconds=60)  # at most one confirmation/notice per address per minute
MAX_SEARCHES = 10
MAX_CATEGORIES = 20
CATEGORY_RE = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")


@dataclass
class Preferences:
    frequency: str = Subscription.Frequency.DAILY
    include_trending: bool = True
    include_daily: bool = True
    include_recommendations: bool = True
    searches: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def clean(self) -> Preferences:
        if self.frequency not in Subscription.Frequency.values:
            raise ValidationError(f"frequency must be one of {', '.join(Subscription.Frequency.values)}")
        searches = []
        for query in self.searches:
            query = " ".join(query.split())
            if not query:
                continue
            if len(query) > 200:
                raise ValidationError("a saved search is at most 200 characters")
            if query.lower() not in {s.lower() for s in searches}:
                searches.append(query)
        if len(searches) > MAX_SEARCHES:
            raise ValidationError(f"at most {MAX_SEARCHES} saved searches")
        categories = []
        for category in self.categories:
            category = category.strip()
            if not category:
                continue
            if not CATEGORY_RE.match(category) or len(category) > 40:
                raise ValidationError(f"{category[:40]!r} is not an arXiv category (like cs.CL or hep-th)")
            if category not in categories:
                categories.append(category)
        if len(categories) > MAX_CATEGORIES:
            raise ValidationError(f"at most {MAX_CATEGORIES} categories")
        self.searches, self.categories = searches, categories
        return self

    @classmethod
    def of(cls, subscription: Subscription) -> Preferences:
        topics = list(subscription.topics.all())
        return cls(
            frequency=subscription.frequency, include_trending=subscription.include_trending,
            include_daily=subscription.include_daily, include_recommendations=subscription.include_recommendations,
            searches=[t.value for t in topics if t.kind == Topic.Kind.SEARCH],
            categories=[t.value for t in topics if t.kind == Topic.Kind.CATEGORY],
        )  # fmt: skip


def normalize_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > 254:
        raise ValidationError("this e-mail address is too long")
    validate_email(email)
    return email


def _apply(subscription: Subscription, prefs: Preferences) -> None:
    subscription.frequency = prefs.frequency
    subscription.include_trending = prefs.include_trending
    subscription.include_daily = prefs.include_daily
    subscription.include_recommendations = prefs.include_recommendations
    subscription.save()
    wanted = {(Topic.Kind.SEARCH.value, q) for q in prefs.searches} | {
        (Topic.Kind.CATEGORY.value, c) for c in prefs.categories
    }
    existing = {(t.kind, t.value): t for t in subscription.topics.all()}
    Topic.objects.filter(pk__in=[t.pk for key, t in existing.items() if key not in wanted]).delete()
    Topic.objects.bulk_create(
        [Topic(subscription=subscription, kind=k, value=v) for k, v in wanted if (k, v) not in existing]
    )


def _send_later(message: EmailMessage) -> None:
    """Send after the transaction commits (no lock held during SMTP); failures are logged, never shown."""

    def send() -> None:
        try:
            message.send()
        except Exception:  # the requester must see the same page whatever the mail system did
            log.exception("could not send %r to %s", message.subject, message.to)

    transaction.on_commit(send)


def subscription_request(*, email: str, prefs: Preferences, user=None, now: dt.datetime | None = None) -> None:
    """Ask for digests at `email`: a confirmation link goes there (or a notice, if it is already subscribed)."""
    email = normalize_email(email)
    prefs.clean()
    now = now or timezone.now()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(email=email)
        recently = subscription.notice_sent_at and now - subscription.notice_sent_at < NOTICE_INTERVAL
        if subscription.status == Subscription.Status.ACTIVE:
            # Nobody may change an active subscription's preferences without its token: just tell its owner.
            message = rendering.already_subscribed_message(subscription_id=subscription.pk, email=email)
        else:
            subscription.status = Subscription.Status.PENDING
            if user is not None and getattr(user, "pk", None) and (user.email or "").lower() == email:
                subscription.user = user  # only one's own address links to one's account
            _apply(subscription, prefs)
            message = rendering.confirmation_message(subscription_id=subscription.pk, email=email)
        if created or not recently:
            Subscription.objects.filter(pk=subscription.pk).update(notice_sent_at=now)
            _send_later(message)


def subscription_confirm(*, token: str, now: dt.datetime | None = None) -> Subscription:
    subscription_id, email = read_confirm_token(token)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id, email=email).first()
        if subscription is None:
            raise BadToken("This link is not valid.")
        if subscription.status != Subscription.Status.ACTIVE:
            subscription.status = Subscription.Status.ACTIVE
            subscription.confirmed_at = now or timezone.now()
            subscription.unsubscribed_at = None
            subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return subscription


def subscription_from_token(*, token: str) -> Subscription:
    subscription = Subscription.objects.filter(pk=read_manage_token(token)).first()
    if subscription is None:
        raise BadToken("This link is not valid.")
    return subscription


def subscription_unsubscribe(*, token: str, now: dt.datetime | None = None) -> None:
    """One-click unsubscribe: idempotent, no login, the token is the only credential."""
    subscription_id = read_manage_token(token)
    Subscription.objects.filter(pk=subscription_id).exclude(status=Subscription.Status.UNSUBSCRIBED).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now or timezone.now()
    )


def subscription_update(*, subscription: Subscription, prefs: Preferences, user=None) -> Subscription:
    """Change preferences (behind the manage token or a signed-in owner); an unsubscribed one resubscribes."""
    prefs.clean()
    with transaction.atomic():
        if user is not None and getattr(user, "pk", None) and (user.email or "").lower() == subscription.email:
            subscription.user = user
        if subscription.status == Subscription.Status.UNSUBSCRIBED:
            subscription.status = Subscription.Status.ACTIVE  # the token proves the inbox: no new opt-in needed
            subscription.unsubscribed_at = None
            subscription.confirmed_at = timezone.now()
        _apply(subscription, prefs)
    return subscription


def subscription_for_user(*, user) -> Subscription | None:
    """The subscription a signed-in user owns (linked when they asked for it or managed it), if any."""
    return Subscription.objects.filter(user=user).order_by("-pk").first()
