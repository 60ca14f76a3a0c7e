"""Routes of the digests app (included at the site root by dailypapers/urls.py)."""

urlpatterns: list = []
