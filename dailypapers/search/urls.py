"""Routes of the search app (included at the site root by dailypapers/urls.py)."""

urlpatterns: list = []
