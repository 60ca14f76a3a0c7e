"""The core app's scheduled job: send the mail requests queued (confirmations, notices; see core/outbox.py)."""

from __future__ import annotations

from django.conf import settings

from dailypapers.core.scheduler import JobSpec, every, register_job


def send_mail() -> str:
    from dailypapers.core.outbox import send_queued

    return send_queued()


register_job("mail", lambda: JobSpec("mail", f"{__name__}:send_mail", every=every(settings.MAIL_CHECK_SECONDS)))
