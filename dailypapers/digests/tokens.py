"""Signed tokens in e-mail links: confirm a subscription (expires), manage it (expires: every digest and notice
carries a fresh one), and unsubscribe (the same token, honoured however old: an unsubscribe link must keep working)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

_MANAGE_SALT = "dailypapers.digests.manage"
_CONFIRM_SALT = "dailypapers.digests.confirm"


class BadToken(Exception):
    """The token is malformed, tampered with, or expired."""


def manage_token(*, subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=_MANAGE_SALT, compress=False)


def read_manage_token(token: str, *, expires: bool = True) -> int:
    """The subscription id of a manage link; older than DIGESTS_MANAGE_LINK_DAYS only for unsubscribing."""
    max_age = settings.DIGESTS_MANAGE_LINK_DAYS * 86400 if expires else None
    try:
        value = signing.loads(token, salt=_MANAGE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise BadToken("This link has expired: use the one in your latest digest, or subscribe again.") from None
    except signing.BadSignature:
        raise BadToken("This link is not valid.") from None
    if not isinstance(value, int):
        raise BadToken("This link is not valid.")
    return value


def confirm_token(*, subscription_id: int, email: str) -> str:
    return signing.dumps([subscription_id, email], salt=_CONFIRM_SALT, compress=False)


def read_confirm_token(token: str) -> tuple[int, str]:
    max_age = settings.DIGESTS_CONFIRM_MAX_AGE_DAYS * 86400
    try:
        value = signing.loads(token, salt=_CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise BadToken("This confirmation link has expired: please subscribe again.") from None
    except signing.BadSignature:
        raise BadToken("This link is not valid.") from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        raise BadToken("This link is not valid.")
    return value[0], value[1]
