from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "dailypapers.papers"
    label = "papers"

    def ready(self) -> None:
        from dailypapers.papers import jobs  # noqa: F401  (registers the app's scheduled jobs)
