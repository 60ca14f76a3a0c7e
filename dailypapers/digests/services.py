"""Subscriptions: request (double opt-in), confirm, change preferences, unsubscribe.

Nothing here tells a caller whether an address was already subscribed: a request always ends the same way for the
requester, and what differs (a confirmation link, or a notice to an active subscriber) goes only to the inbox.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dailypapers.core.outbox import may_mail, queue_mail, register_mail
from dailypapers.digests import rendering
from dailypapers.digests.models import Subscription, Topic
from dailypapers.digests.tokens import BadToken, read_confirm_token, read_manage_token

log = logging.getLogger(__name__)
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
        searches: list[str] = []
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
            frequency=subscription.frequency,
            include_trending=subscription.include_trending,
            include_daily=subscription.include_daily,
            include_recommendations=subscription.include_recommendations,
            searches=[t.value for t in topics if t.kind == Topic.Kind.SEARCH],
            categories=[t.value for t in topics if t.kind == Topic.Kind.CATEGORY],
        )


class TooManyPending(Exception):
    """So many subscriptions wait for confirmation that new ones are refused for a while."""


def normalize_email(email: str) -> str:
    """The address in lower case; ValidationError unless it is an address on a public mail domain."""
    email = (email or "").strip().lower()
    if len(email) > 254:
        raise ValidationError("this e-mail address is too long")
    validate_email(email)
    domain = email.rsplit("@", 1)[1]
    if domain.startswith("[") or _is_ip(domain) or "." not in domain or domain.endswith((".localhost", ".local")):
        raise ValidationError("use an address on a public mail domain (not a host name or an IP address)")
    return email


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


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


def subscription_request(*, email: str, prefs: Preferences, user=None, now: dt.datetime | None = None) -> None:
    """Ask for digests at `email`: a confirmation link goes there (or a notice, if it is already subscribed).

    Nothing changes for the address's subscription until its inbox confirms: the preferences asked for wait in
    ``requested`` (and are shown on the confirmation page). The mail is queued for the worker, at most
    ``mail_address`` (DAILYPAPERS_RATE_LIMITS) per mailbox, ``+tag`` variants included; TooManyPending when
    DIGESTS_MAX_PENDING unconfirmed requests are waiting.
    """
    email = normalize_email(email)
    prefs.clean()
    now = now or timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(email=email).first()
        if subscription is None:
            recent = now - dt.timedelta(days=settings.DIGESTS_CONFIRM_MAX_AGE_DAYS)
            waiting = Subscription.objects.filter(status=Subscription.Status.PENDING, created__gte=recent).count()
            if waiting >= settings.DIGESTS_MAX_PENDING:
                raise TooManyPending("Too many subscriptions are waiting for confirmation; try again later.")
            subscription = Subscription.objects.create(email=email)
        if subscription.status == Subscription.Status.ACTIVE:
            # Nobody may change an active subscription's preferences without its token: just tell its owner.
            kind = "digest-notice"
        else:
            subscription.status = Subscription.Status.PENDING
            owner = user if _owns(user, email) else None
            subscription.requested = {"prefs": dataclasses.asdict(prefs), "user_id": owner.pk if owner else None}
            subscription.save(update_fields=["status", "requested"])
            kind = "digest-confirm"
        if may_mail(email):
            Subscription.objects.filter(pk=subscription.pk).update(notice_sent_at=now)
            queue_mail(kind=kind, email=email, target_id=subscription.pk)


def purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Forget the requests whose confirmation link has expired unused: an address that never confirmed is not kept.

    A request counts from its confirmation mail (or from the row's creation when none was sent); an address that
    was subscribed before and asked again keeps its row until its new link expires too, and one that was ever sent a
    digest keeps it for good. Returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.DIGESTS_CONFIRM_MAX_AGE_DAYS)
    expired = Subscription.objects.filter(
        Q(notice_sent_at__isnull=True) | Q(notice_sent_at__lt=cutoff),
        status=Subscription.Status.PENDING,
        created__lt=cutoff,
        deliveries__isnull=True,  # a former subscriber's history of sent digests stays
    )
    deleted, per_model = expired.delete()
    return per_model.get(Subscription._meta.label, 0)


def _owns(user, email: str) -> bool:
    """Only a signed-in user whose address is verified and is this one may have a subscription linked to them."""
    return bool(
        user is not None
        and getattr(user, "pk", None)
        and getattr(user, "email_verified", False)
        and (user.email or "").lower() == email
    )


def requested_preferences(subscription: Subscription) -> Preferences | None:
    if not subscription.requested:
        return None
    return Preferences(**subscription.requested["prefs"])


def subscription_pending(*, token: str) -> Subscription:
    """The subscription a confirmation link is for (to show what confirming will start); BadToken otherwise."""
    subscription_id, email = read_confirm_token(token)
    subscription = Subscription.objects.filter(pk=subscription_id, email=email).first()
    if subscription is None:
        raise BadToken("This link is not valid.")
    return subscription


def subscription_confirm(*, token: str, now: dt.datetime | None = None) -> Subscription:
    """The inbox confirmed: activate, and apply the preferences (and owner) that were asked for."""
    subscription_id, email = read_confirm_token(token)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id, email=email).first()
        if subscription is None:
            raise BadToken("This link is not valid.")
        prefs = requested_preferences(subscription)
        if prefs is not None and subscription.requested is not None:
            from django.contrib.auth import get_user_model

            owner = get_user_model().objects.filter(pk=subscription.requested.get("user_id") or 0).first()
            if _owns(owner, subscription.email):
                subscription.user = owner
            subscription.requested = None
            _apply(subscription, prefs.clean())
        if subscription.status != Subscription.Status.ACTIVE:
            subscription.status = Subscription.Status.ACTIVE
            subscription.confirmed_at = now or timezone.now()
            subscription.unsubscribed_at = None
            subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return subscription


def subscription_from_token(*, token: str, expires: bool = True) -> Subscription:
    subscription = Subscription.objects.filter(pk=read_manage_token(token, expires=expires)).first()
    if subscription is None:
        raise BadToken("This link is not valid.")
    return subscription


def subscription_unsubscribe(*, token: str, now: dt.datetime | None = None) -> None:
    """One-click unsubscribe: idempotent, no login, the token is the only credential."""
    subscription_id = read_manage_token(token, expires=False)
    Subscription.objects.filter(pk=subscription_id).exclude(status=Subscription.Status.UNSUBSCRIBED).update(
        status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now or timezone.now()
    )


def subscription_update(*, subscription: Subscription, prefs: Preferences, user=None) -> Subscription:
    """Change preferences (behind the manage token or a signed-in owner); an unsubscribed one resubscribes."""
    prefs.clean()
    with transaction.atomic():
        if _owns(user, subscription.email):
            subscription.user = user
        if subscription.status == Subscription.Status.UNSUBSCRIBED:
            subscription.status = Subscription.Status.ACTIVE  # the token proves the inbox: no new opt-in needed
            subscription.unsubscribed_at = None
            subscription.confirmed_at = timezone.now()
        _apply(subscription, prefs)
    return subscription


def subscription_for_user(*, user) -> Subscription | None:
    """The subscription a signed-in user owns (linked when they asked for it or managed it), if any; none before
    the user's address is verified."""
    if not getattr(user, "email_verified", False):
        return None
    return Subscription.objects.filter(user=user, email=(user.email or "").lower()).order_by("-pk").first()


def _confirm_mail(*, target_id: int, email: str) -> EmailMessage | None:
    if not Subscription.objects.filter(pk=target_id, email=email, status=Subscription.Status.PENDING).exists():
        return None  # confirmed (or gone) meanwhile
    return rendering.confirmation_message(subscription_id=target_id, email=email)


def _notice_mail(*, target_id: int, email: str) -> EmailMessage | None:
    if not Subscription.objects.filter(pk=target_id, email=email, status=Subscription.Status.ACTIVE).exists():
        return None
    return rendering.already_subscribed_message(subscription_id=target_id, email=email)


register_mail("digest-confirm", _confirm_mail)
register_mail("digest-notice", _notice_mail)
