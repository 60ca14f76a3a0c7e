"""Routes of the digests app (included at the site root by dailypapers/urls.py)."""

from django.urls import path

from dailypapers.digests import views

app_name = "digests"

urlpatterns = [
    path("digests/subscribe", views.subscribe, name="subscribe"),
    path("digests/confirm/<str:token>", views.confirm, name="confirm"),
    path("digests/unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("digests/manage", views.manage, name="manage"),
    path("digests/manage/<str:token>", views.manage_token, name="manage_token"),
]
