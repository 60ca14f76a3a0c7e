"""Routes of the search app (included at the site root by dailypapers/urls.py)."""

from django.urls import path

from dailypapers.search import views

app_name = "search"

urlpatterns = [
    path("search", views.search, name="search"),
]
