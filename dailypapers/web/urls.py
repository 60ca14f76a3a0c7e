from django.urls import path, re_path

from dailypapers.web import views

app_name = "web"

ARXIV_ID = r"(?P<arxiv_id>(?:\d{4}\.\d{4,5}|[a-zA-Z.-]+/\d{7})(?:v\d+)?)"

urlpatterns = [
    path("", views.daily, name="home"),
    re_path(rf"^papers/{ARXIV_ID}/?$", views.paper_detail, name="paper"),
    path("authors/<int:author_id>", views.author_detail, name="author"),
]
