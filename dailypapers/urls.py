"""Top-level routes: each app owns its own urls module."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("dailypapers.api.urls")),
    path("", include("dailypapers.search.urls")),
    path("", include("dailypapers.community.urls")),
    path("", include("dailypapers.digests.urls")),
    path("", include("dailypapers.web.urls")),
]
