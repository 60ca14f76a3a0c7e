from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "dailypapers.community"
    label = "community"

    def ready(self) -> None:
        from dailypapers.community import accounts  # noqa: F401  (registers the account mails with the outbox)
