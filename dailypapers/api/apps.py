from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dailypapers.api"
    label = "api"

    def ready(self) -> None:
        # Any change of what the API shows drops its cached responses (see caching.py).
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from dailypapers.api.caching import invalidate

        for label, model in (
            ("papers", "Paper"),
            ("papers", "DailyEntry"),
            ("community", "Vote"),
            ("community", "Comment"),
        ):
            try:
                sender = apps.get_model(label, model)
            except LookupError:
                continue  # the community app's models arrive later
            post_save.connect(invalidate, sender=sender, dispatch_uid=f"api-cache-{label}-{model}-save")
            post_delete.connect(invalidate, sender=sender, dispatch_uid=f"api-cache-{label}-{model}-delete")
        from dailypapers.papers.signals import papers_imported

        # Imports write in bulk (no post_save): each committed batch that changed something drops them too.
        papers_imported.connect(invalidate, dispatch_uid="api-cache-papers-imported")
