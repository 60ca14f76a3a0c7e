"""Routes of the community app (included at the site root by dailypapers/urls.py): accounts, votes, comments,
submissions and moderation. The pages people read (daily, paper, profile) are in web/urls.py."""

from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from dailypapers.community import views

app_name = "community"

ARXIV_ID = r"(?P<arxiv_id>(?:\d{4}\.\d{4,5}|[a-zA-Z.-]+/\d{7})(?:v\d+)?)"

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="web/accounts/password_reset_confirm.html", success_url="/accounts/reset/done/"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="web/accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("submit", views.submit, name="submit"),
    re_path(rf"^papers/{ARXIV_ID}/vote$", views.vote, name="vote"),
    re_path(rf"^papers/{ARXIV_ID}/comments$", views.comment_create, name="comment-create"),
    re_path(rf"^papers/{ARXIV_ID}/remove-entry$", views.entry_remove, name="entry-remove"),
    path("comments/<int:comment_id>/edit", views.comment_edit, name="comment-edit"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="comment-delete"),
    path("comments/<int:comment_id>/hide", views.comment_hide, name="comment-hide"),
    path("users/<str:username>/suspend", views.user_suspend, name="user-suspend"),
]
