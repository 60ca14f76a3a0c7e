"""The digests app's scheduled job: plan the digests whose time has come and send every due one."""

from __future__ import annotations

from django.conf import settings

from dailypapers.core.scheduler import JobSpec, every, register_job


def send_digests() -> str:
    """Plan the digests whose time has come, send every due one (new and retries), and forget the requests whose
    confirmation link expired unused."""
    from dailypapers.digests.delivery import send_due
    from dailypapers.digests.services import purge_unconfirmed

    summary = send_due().summary()
    purged = purge_unconfirmed()
    return f"{summary}; forgot {purged} unconfirmed requests" if purged else summary


register_job(
    "digests", lambda: JobSpec("digests", f"{__name__}:send_digests", every=every(settings.DIGESTS_CHECK_SECONDS))
)
