"""Accounts: sign-up with a verified e-mail address, and the mails it needs (sent by the worker, core/outbox.py).

Sign-up never says whether an address has an account: the answer is the same page ("check your inbox") either
way, and the account is only usable once the link e-mailed to the address was followed, so trying to sign in
does not tell either. An address that has an account already gets a notice instead of a second account.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from dailypapers.community.models import User
from dailypapers.core.outbox import may_mail, queue_mail, register_mail

_VERIFY_SALT = "dailypapers.community.verify-email"
VERIFY_MAX_AGE_DAYS = 7


class BadVerificationLink(Exception):
    """The link is malformed, tampered with, expired or for an address the account no longer has."""


def signup(*, username: str, email: str, password: str) -> User | None:
    """Create an inactive account and e-mail it a verification link; None (and a notice to that address) when an
    account with this address exists already."""
    email = email.strip()
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            make_password(password)  # the same work as creating an account: the answer's timing tells nothing
            if may_mail(existing.email):
                queue_mail(kind="signup-existing", email=existing.email, target_id=existing.pk)
            return None
        user = User.objects.create_user(username=username, email=email, password=password, is_active=False)
        if may_mail(email):
            queue_mail(kind="verify-email", email=email, target_id=user.pk)
    return user


def request_verification(*, user: User) -> None:
    """E-mail a (new) verification link to a signed-in user's address."""
    if user.email and not user.email_verified and may_mail(user.email):
        queue_mail(kind="verify-email", email=user.email, target_id=user.pk)


def verification_token(*, user: User) -> str:
    return signing.dumps([user.pk, user.email.lower()], salt=_VERIFY_SALT, compress=False)


def verify_email(*, token: str) -> User:
    """Mark the address verified (and activate an account that never was): the link proves the inbox."""
    try:
        value = signing.loads(token, salt=_VERIFY_SALT, max_age=VERIFY_MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired:
        raise BadVerificationLink("This link has expired: sign in and ask for a new one.") from None
    except signing.BadSignature:
        raise BadVerificationLink("This link is not valid.") from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        raise BadVerificationLink("This link is not valid.")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=value[0]).first()
        if user is None or (user.email or "").lower() != value[1]:
            raise BadVerificationLink("This link is not valid (the account's address changed).")
        if not user.email_verified:
            # Only a never-verified account is activated here: a suspended one (verified before) stays suspended.
            user.email_verified = True
            user.is_active = True
            user.save(update_fields=["email_verified", "is_active"])
    return user


def _verify_mail(*, target_id: int, email: str) -> EmailMessage | None:
    user = User.objects.filter(pk=target_id, email__iexact=email, email_verified=False).first()
    if user is None:
        return None
    link = settings.SITE_URL + reverse("community:verify-email", args=[verification_token(user=user)])
    body = (
        f"Hello {user.username},\n\nfollow this link to confirm your e-mail address on {settings.SITE_NAME}:\n\n"
        f"{link}\n\nIt works for {VERIFY_MAX_AGE_DAYS} days. If you did not sign up, ignore this message."
    )
    return EmailMessage(f"Confirm your {settings.SITE_NAME} account", body, settings.DEFAULT_FROM_EMAIL, [email])


def _existing_mail(*, target_id: int, email: str) -> EmailMessage | None:
    user = User.objects.filter(pk=target_id).first()
    if user is None:
        return None
    body = (
        f"Someone tried to create an account on {settings.SITE_NAME} with this address, which has one already "
        f"(user name: {user.username}).\n\nIf it was you, sign in: {settings.SITE_URL}{reverse('community:login')}\n"
        f"or reset your password: {settings.SITE_URL}{reverse('community:password_reset')}\n\n"
        "If it was not you, nothing changed; you can ignore this message."
    )
    return EmailMessage(f"Your {settings.SITE_NAME} account", body, settings.DEFAULT_FROM_EMAIL, [email])


register_mail("verify-email", _verify_mail)
register_mail("signup-existing", _existing_mail)
