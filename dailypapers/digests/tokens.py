"""Signed tokens in e-mail links: confirm a subscription (expires), and manage/unsubscribe it (never expires)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

_MANAGE_SALT = "dailypapers.digests.manage"
_CONFIRM_SALT = "dailypapers.digests.confirm"


class BadToken(Exception):
    """The token is malformed, tampered with, or expired."""


def manage_token(*, subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=_MANAGE_SALT, compress=False)


def read_manage_token(token: str) -> int:
    try:
        value = signing.loads(token, salt=_MANAGE_SALT)
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
