from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "dailypapers.digests"
    label = "digests"

    def ready(self) -> None:
        from dailypapers.digests import (
            jobs,  # noqa: F401  (registers the app's scheduled jobs)
            services,  # noqa: F401  (registers the subscription mails with the outbox)
        )
