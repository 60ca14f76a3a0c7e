"""Routes of the api app (included at the site root by dailypapers/urls.py)."""

urlpatterns: list = []
