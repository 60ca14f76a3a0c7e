"""Writes of the api app: creating, revoking and using personal API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone

from dailypapers.api.models import ApiToken

TOKEN_PREFIX = "dp_"
MAX_TOKENS_PER_USER = 50
_LAST_USED_GRANULARITY = dt.timedelta(minutes=5)  # write last_used at most this often (reads stay read-only)


class TokenError(ValueError):
    """A token request that cannot be honoured; the message says why."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_create(*, user, name: str) -> NewToken:
    name = (name or "").strip()[:100] or "token"
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_TOKENS_PER_USER:
        raise TokenError(f"at most {MAX_TOKENS_PER_USER} active tokens per user: revoke one first")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:10], key_hash=token_digest(secret))
    return NewToken(token=token, secret=secret)


def token_revoke(*, user, token_id: int) -> bool:
    """Revoke one of the user's tokens; False when the user has no such active token."""
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return bool(updated)


def token_user(*, secret: str):
    """The active user a bearer secret belongs to, or None (unknown, revoked, or an inactive user)."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None  # e.g. a huggingface.co token sent by the HF client: not ours, not looked up
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=token_digest(secret), revoked_at__isnull=True).first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used > _LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
