"""The digests app's scheduled job: plan the digests whose time has come and send every due one."""

from __future__ import annotations

from django.conf import settings

from dailypapers.core.scheduler import JobSpec, every, register_job


def send_digests() -> str:
    """Plan the digests whose time has come, and send every due one (new and retries)."""
    from dailypapers.digests.delivery import send_due

    return send_due().summary()


register_job(
    "digests", lambda: JobSpec("digests", f"{__name__}:send_digests", every=every(settings.DIGESTS_CHECK_SECONDS))
)
