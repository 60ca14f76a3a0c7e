"""Top-level routes: only the two request-handling apps, the API and the web pages (and Django's admin)."""

from django.contrib import admin
from django.urls import include, path

from dailypapers.web.urls import community_patterns, digests_patterns, search_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("dailypapers.api.urls")),
    path("", include((search_patterns, "search"))),
    path("", include((community_patterns, "community"))),
    path("", include((digests_patterns, "digests"))),
    path("", include("dailypapers.web.urls")),
]
