from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dailypapers.core"
    label = "core"

    def ready(self) -> None:
        from dailypapers.core import jobs  # noqa: F401  (registers the app's scheduled jobs)
