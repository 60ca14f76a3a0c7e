"""Routes of the api app (included at the site root by dailypapers/urls.py): the API and the token page."""

from django.urls import path

from dailypapers.api import views
from dailypapers.api.main import api

urlpatterns = [
    path("settings/tokens", views.tokens, name="api-tokens"),
    path("", api.urls),
]
