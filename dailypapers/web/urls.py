from django.urls import path, re_path

from dailypapers.web import feeds, views

app_name = "web"

ARXIV_ID = r"(?P<arxiv_id>(?:\d{4}\.\d{4,5}|[a-zA-Z.-]+/\d{7})(?:v\d+)?)"

urlpatterns = [
    path("", views.home, name="home"),
    path("date", views.date_jump, name="date-jump"),
    re_path(r"^date/(?P<value>[^/]{1,40})/?$", views.period_page, {"kind": "date"}, name="date"),
    re_path(r"^week/(?P<value>[^/]{1,40})/?$", views.period_page, {"kind": "week"}, name="week"),
    re_path(r"^month/(?P<value>[^/]{1,40})/?$", views.period_page, {"kind": "month"}, name="month"),
    path("trending", views.trending, name="trending"),
    re_path(rf"^papers/{ARXIV_ID}/?$", views.paper_detail, name="paper"),
    path("authors/<int:author_id>", views.author_detail, name="author"),
    path("users/<str:username>", views.profile, name="profile"),
    path("feeds/daily.rss", feeds.DailyFeed(), name="feed-daily-rss"),
    path("feeds/daily.atom", feeds.atom(feeds.DailyFeed)(), name="feed-daily-atom"),
    path("feeds/trending.rss", feeds.TrendingFeed(), name="feed-trending-rss"),
    path("feeds/trending.atom", feeds.atom(feeds.TrendingFeed)(), name="feed-trending-atom"),
    path("feeds/search.rss", feeds.SearchFeed(), name="feed-search-rss"),
    path("feeds/search.atom", feeds.atom(feeds.SearchFeed)(), name="feed-search-atom"),
]
