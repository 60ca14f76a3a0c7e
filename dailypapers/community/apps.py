from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "dailypapers.community"
    label = "community"

    def ready(self) -> None:
        from dailypapers.community import accounts, jobs  # noqa: F401  (account mails, the submissions job)
