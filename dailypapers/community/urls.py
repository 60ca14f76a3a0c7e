"""Routes of the community app (included at the site root by dailypapers/urls.py)."""

urlpatterns: list = []
