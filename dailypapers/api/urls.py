"""Routes of the api app (included at the site root by dailypapers/urls.py): the API and the token page."""

from django.urls import include, path

from dailypapers.api import views
from dailypapers.api.main import api

_patterns, _app_name, _namespace = api.urls
# The API is mounted at the site root (its routes carry their own /api/ and /papers/ prefixes); ninja's own
# root page would take over the site's home page, so it is left out.
_patterns = [pattern for pattern in _patterns if str(pattern.pattern) != ""]

urlpatterns = [
    path("settings/tokens", views.tokens, name="api-tokens"),
    path("", include((_patterns, _app_name), namespace=_namespace)),
]
