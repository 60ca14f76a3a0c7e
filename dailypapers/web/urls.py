from django.urls import path, re_path

from dailypapers.web import feeds, views, views_library

app_name = "web"

ARXIV_ID = r"(?P<arxiv_id>(?:\d{4}\.\d{4,5}|[a-zA-Z.-]+/\d{7})(?:v\d+)?)"

COLLECTION = r"collections/(?P<username>[\w.@+-]{1,150})/(?P<slug>[-a-zA-Z0-9_]{1,100})"

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
    # the personal library (views_library.py)
    path("library", views_library.library, name="library"),
    path("reading-list", views_library.reading_list, name="reading-list"),
    path("following", views_library.following, name="following"),
    path("for-you", views_library.for_you, name="for-you"),
    path("follow", views_library.follow, name="follow"),
    path("collections/new", views_library.collection_create, name="collection-create"),
    re_path(rf"^{COLLECTION}/?$", views_library.collection_detail, name="collection"),
    re_path(rf"^{COLLECTION}/edit$", views_library.collection_edit, name="collection-edit"),
    re_path(rf"^{COLLECTION}/delete$", views_library.collection_delete, name="collection-delete"),
    re_path(rf"^{COLLECTION}/feed\.rss$", feeds.CollectionFeed(), name="collection-feed-rss"),
    re_path(rf"^{COLLECTION}/feed\.atom$", feeds.atom(feeds.CollectionFeed)(), name="collection-feed-atom"),
    re_path(rf"^{COLLECTION}/export\.(?P<fmt>bib|ris)$", views_library.collection_citation, name="collection-citation"),
    re_path(rf"^{COLLECTION}/items/{ARXIV_ID}/move$", views_library.item_move, name="item-move"),
    re_path(rf"^{COLLECTION}/items/{ARXIV_ID}/note$", views_library.item_note, name="item-note"),
    re_path(rf"^{COLLECTION}/items/{ARXIV_ID}/remove$", views_library.item_remove, name="item-remove"),
    re_path(rf"^papers/{ARXIV_ID}/collections$", views_library.paper_collections, name="paper-collections"),
    re_path(rf"^papers/{ARXIV_ID}/collections/(?P<collection_id>\d{{1,15}})$", views_library.paper_collection_toggle, name="paper-collection-toggle"),
    re_path(rf"^papers/{ARXIV_ID}/save$", views_library.paper_save, name="paper-save"),
    re_path(rf"^papers/{ARXIV_ID}/read$", views_library.paper_read, name="paper-read"),
    re_path(rf"^papers/{ARXIV_ID}/note$", views_library.paper_note, name="paper-note"),
    re_path(rf"^papers/{ARXIV_ID}/cite\.(?P<fmt>bib|ris)$", views_library.paper_citation, name="paper-citation"),
    path("authors/<int:author_id>/claim", views_library.author_claim, name="author-claim"),
    path("moderation/claims", views_library.claims, name="claims"),
    path("moderation/claims/<int:claim_id>", views_library.claim_decide, name="claim-decide"),
]
