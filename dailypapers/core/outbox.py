"""Mail a request asks for (confirmations, notices) is queued here and sent by the worker's ``mail`` job, never
inside the request: a flood of requests costs one row each, not one SMTP conversation each, and a slow or
unreachable mail server never holds a web worker.

Each app registers a builder per kind of mail (``register_mail``); the job renders the message at send time from
the row's ``target_id`` and ``email`` (a builder returns None when the mail no longer makes sense, e.g. the
subscription was confirmed meanwhile). A row is claimed by one conditional UPDATE, so two workers never send it
twice; a failed send goes back to the queue until MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from dailypapers.core.models import OutboundMail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
KEEP = dt.timedelta(days=7)
BATCH = 200

_BUILDERS: dict[str, Callable[..., EmailMessage | None]] = {}


def register_mail(kind: str, builder: Callable[..., EmailMessage | None]) -> None:
    """``builder(target_id=..., email=...)`` returns the message to send, or None to drop the row."""
    _BUILDERS[kind] = builder


def queue_mail(*, kind: str, email: str, target_id: int = 0) -> None:
    """Queue one mail, in the surrounding transaction: it is sent only if the write that asked for it commits."""
    if kind not in _BUILDERS:
        raise ValueError(f"unknown mail kind {kind!r}")
    OutboundMail.objects.create(kind=kind, email=email, target_id=target_id)


def mailbox_of(email: str) -> str:
    """The mailbox an address delivers to: ``name+tag@x`` and ``name@x`` are one."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def may_mail(email: str) -> bool:
    """Count one mail a request asks for to this mailbox; False past ``mail_address`` (DAILYPAPERS_RATE_LIMITS): the
    request is answered as usual but nothing is sent, so no one can flood an inbox through the hub."""
    from dailypapers.core import ratelimit

    return ratelimit.hit("mail_address", mailbox_of(email))


def pending_count() -> int:
    return OutboundMail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).count()


def send_queued(*, limit: int = BATCH) -> str:
    """Send what is queued (oldest first); a one-line summary."""
    sent = dropped = failed = 0
    ids = list(
        OutboundMail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for mail_id in ids:
        now = timezone.now()
        if not OutboundMail.objects.filter(pk=mail_id, sent_at__isnull=True).update(sent_at=now):
            continue  # another worker took it
        row = OutboundMail.objects.get(pk=mail_id)
        builder = _BUILDERS.get(row.kind)
        try:
            message = builder(target_id=row.target_id, email=row.email) if builder else None
            if message is None:
                dropped += 1
                continue
            message.send()
            sent += 1
        except Exception as exc:  # the next run tries again
            failed += 1
            log.warning("could not send %s mail to %s: %s", row.kind, row.email, exc)
            with transaction.atomic():
                OutboundMail.objects.filter(pk=mail_id).update(
                    sent_at=None, attempts=row.attempts + 1, last_error=str(exc)[:2000]
                )
    OutboundMail.objects.filter(sent_at__lt=timezone.now() - KEEP).delete()  # the record of what went out
    return f"{sent} sent, {dropped} dropped, {failed} failed"
