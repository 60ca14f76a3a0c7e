"""Accounts, votes, comments and the moderation log.

Paper.upvotes and Paper.num_comments are denormalized counters kept exact by community.services: every Vote row
created or deleted, every comment that appears or disappears, changes the counter with an F() update inside the
same transaction.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    is_moderator = models.BooleanField(default=False)
    avatar_url = models.URLField(blank=True, default="")
    # Set by the link e-mailed at sign-up: nothing (digest subscriptions) is linked to an unverified address.
    email_verified = models.BooleanField(default=False)

    @property
    def can_moderate(self) -> bool:
        return self.is_active and (self.is_moderator or self.is_staff or self.is_superuser)


class Vote(models.Model):
    """One upvote of one user on one paper; its timestamp feeds the trending score."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="votes")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="vote_one_per_user_paper")]
        indexes = [models.Index(fields=["paper", "created"], name="vote_paper_created")]

    def __str__(self) -> str:
        return f"{self.user_id} -> {self.paper_id}"


class Comment(models.Model):
    """A comment on a paper, or a reply to one; body is Markdown, body_html its sanitized rendering."""

    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="discussion")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField()
    body_html = models.TextField()
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    edited = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["paper", "created"], name="comment_paper_created")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.paper_id}"

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


class ModerationAction(models.Model):
    """What a moderator did, to whom or what, and why: the audit trail of moderation."""

    class Kind(models.TextChoices):
        HIDE_COMMENT = "hide_comment", "hid a comment"
        UNHIDE_COMMENT = "unhide_comment", "restored a comment"
        REMOVE_ENTRY = "remove_entry", "removed a daily entry"
        SUSPEND_USER = "suspend_user", "suspended a user"
        UNSUSPEND_USER = "unsuspend_user", "lifted a suspension"

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    target = models.CharField(max_length=300, help_text="what was acted on, in words")
    reason = models.CharField(max_length=500, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.kind} {self.target}"


class SubmissionRequest(models.Model):
    """A submission of a paper the hub does not have yet: the request answers at once and the worker's
    ``submissions`` job fetches the paper from arXiv (never inside a request), then puts it on the page."""

    class State(models.TextChoices):
        PENDING = "pending", "waiting for the paper to be fetched"
        DONE = "done", "on the daily page"
        REFUSED = "refused", "refused"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submission_requests")
    arxiv_id = models.CharField(max_length=40)
    requested_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "arxiv_id"], name="submission_request_once")]
        indexes = [models.Index(fields=["state", "id"], name="submission_request_due")]

    def __str__(self) -> str:
        return f"{self.arxiv_id} by {self.user_id}: {self.state}"
