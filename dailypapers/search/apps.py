from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "dailypapers.search"
    label = "search"

    def ready(self) -> None:
        from dailypapers.search import jobs  # noqa: F401  (registers the app's scheduled jobs)
