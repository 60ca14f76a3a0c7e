"""The community app's scheduled job: fetch from arXiv the papers members submitted that the hub did not have."""

from __future__ import annotations

from django.conf import settings

from dailypapers.core.scheduler import JobSpec, every, register_job


def process_submissions() -> str:
    from dailypapers.community.services import process_submission_requests

    return process_submission_requests()


register_job(
    "submissions",
    lambda: JobSpec("submissions", f"{__name__}:process_submissions", every=every(settings.SUBMISSION_FETCH_SECONDS)),
)
