"""Every HTML route of the site, grouped by area. Each area keeps its own URL namespace (``web:``, ``community:``,
``search:``, ``digests:``) so templates and e-mails name a route by what it belongs to."""

from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from dailypapers.papers.ids import ARXIV_ID_ROUTE
from dailypapers.web import feeds
from dailypapers.web.views import community, digests, health, library, pages, search

app_name = "web"

community_patterns = [
    path("accounts/signup/", community.signup, name="signup"),
    path("accounts/login/", community.login_view, name="login"),
    path("accounts/verify-email/", community.verify_email_send, name="verify-email-send"),
    path("accounts/verify-email/<str:token>", community.verify_email, name="verify-email"),
    path("accounts/logout/", community.logout_view, name="logout"),
    path("accounts/password_reset/", community.password_reset, name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        community.PasswordResetConfirmView.as_view(
            template_name="web/accounts/password_reset_confirm.html", success_url="/accounts/reset/done/"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="web/accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("submit", community.submit, name="submit"),
    re_path(rf"^papers/{ARXIV_ID_ROUTE}/vote$", community.vote, name="vote"),
    re_path(rf"^papers/{ARXIV_ID_ROUTE}/comments$", community.comment_create, name="comment-create"),
    re_path(rf"^papers/{ARXIV_ID_ROUTE}/remove-entry$", community.entry_remove, name="entry-remove"),
    path("comments/<int:comment_id>/edit", community.comment_edit, name="comment-edit"),
    path("comments/<int:comment_id>/delete", community.comment_delete, name="comment-delete"),
    path("comments/<int:comment_id>/hide", community.comment_hide, name="comment-hide"),
    path("users/<str:username>/suspend", community.user_suspend, name="user-suspend"),
]

search_patterns = [
    path("search", search.search, name="search"),
]

digests_patterns = [
    path("digests/subscribe", digests.subscribe, name="subscribe"),
    path("digests/confirm/<str:token>", digests.confirm, name="confirm"),
    path("digests/unsubscribe/<str:token>", digests.unsubscribe, name="unsubscribe"),
    path("digests/manage", digests.manage, name="manage"),
    path("digests/manage/<str:token>", digests.manage_token, name="manage_token"),
]

COLLECTION = r"collections/(?P<username>[\w.@+-]{1,150})/(?P<slug>[-a-zA-Z0-9_]{1,100})"

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
    path("favicon.ico", health.favicon, name="favicon"),
    path("date", pages.date_jump, name="date-jump"),
    re_path(r"^date/(?P<value>[^/]{1,40})/?$", pages.period_page, {"kind": "date"}, name="date"),
    re_path(r"^week/(?P<value>[^/]{1,40})/?$", pages.period_page, {"kind": "week"}, name="week"),
    re_path(r"^month/(?P<value>[^/]{1,40})/?$", pages.period_page, {"kind": "month"}, name="month"),
    path("trending", pages.trending, name="trending"),
    # Hugging Face's page addresses, before the paper route (so that links copied from huggingface.co work here).
    re_path(r"^papers/(?P<kind>date|week|month)/(?P<value>[^/]{1,40})/?$", pages.hf_period, name="hf-period"),
    re_path(r"^papers/trending/?$", pages.hf_period, {"kind": "trending", "value": ""}, name="hf-trending"),
    path("orgs/<str:name>", pages.organization_detail, name="organization"),
    re_path(rf"^papers/{ARXIV_ID_ROUTE}/?$", pages.paper_detail, name="paper"),
    path("authors/<int:author_id>", pages.author_detail, name="author"),
    path("users/<str:username>", pages.profile, name="profile"),
    path("feeds/daily.rss", feeds.DailyFeed(), name="feed-daily-rss"),
    path("feeds/daily.atom", feeds.atom(feeds.DailyFeed)(), name="feed-daily-atom"),
    path("feeds/trending.rss", feeds.TrendingFeed(), name="feed-trending-rss"),
    path("feeds/trending.atom", feeds.atom(feeds.TrendingFeed)(), name="feed-trending-atom"),
    path("feeds/search.rss", feeds.SearchFeed(), name="feed-search-rss"),
    path("feeds/search.atom", feeds.atom(feeds.SearchFeed)(), name="feed-search-atom"),
    # the personal library (library.py)
    path("library", library.library, name="library"),
    path("reading-list", library.reading_list, name="reading-list"),
    path("following", library.following, name="following"),
    path("for-you", library.for_you, name="for-you"),
    path("follow", library.follow, name="follow"),
    path("collections/new", library.collection_create, name="collection-create"),
    re_path(rf"^{COLLECTION}/?$", library.collection_detail, name="collection"),
    re_path(rf"^{COLLECTION}/edit$", library.collection_edit, name="collection-edit"),
    re_path(rf"^{COLLECTION}/delete$", library.collection_delete, name="collection-delete"),
    re_path(rf"^{COLLECTION}/feed\.rss$", feeds.CollectionFeed(), name="collection-feed-rss"),
    re_path(rf"^{COLLECTION}/feed\.atom$", feeds.atom(feeds.CollectionFeed)(), name="collection-feed-atom"),
    re_path(rf"^{COLLECTION}/export\.(?P<fmt>bib|ris)$", library.collection_citation, name="collection-citation"),
    re_path(rf"^{COLLECTION}/items/{ARXIV_ID_ROUTE}/move$", library.item_move, name="item-move"),
    re_path(rf"^{COLLECTION}/items/{ARXIV_ID_ROUTE}/note$", library.item_note, name="item-note"),
    re_path(rf"^{COLLECTION}/items/{ARXIV_ID_ROUTE}/remove$", library.item_remove, name="item-remove"),
    re_path(rf"^papers/{ARXIV_ID_ROUTE}/collections$", library.paper_collections, name="paper-collections"),
    re_path(
        rf"^papers/{ARXIV_ID_ROUTE}/collections/(?P<collection_id>\d{{1,15}})$",
        library.paper_collection_toggle,
        name="paper-collection-toggle",
    ),
    re_path(rf"^papers/{ARXIV_ID_ROUTE}/save$", library.paper_save, name="paper-save"),
    re_path(rf"^papers/{ARXIV_ID_ROUTE}/read$", library.paper_read, name="paper-read"),
    re_path(rf"^papers/{ARXIV_ID_ROUTE}/note$", library.paper_note, name="paper-note"),
    re_path(rf"^papers/{ARXIV_ID_ROUTE}/cite\.(?P<fmt>bib|ris)$", library.paper_citation, name="paper-citation"),
    path("authors/<int:author_id>/claim", library.author_claim, name="author-claim"),
    path("moderation/claims", library.claims, name="claims"),
    path("moderation/claims/<int:claim_id>", library.claim_decide, name="claim-decide"),
]
