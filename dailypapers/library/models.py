"""A library of one's own: collections (and the reading list), private notes, follows and author claims.

Privacy is decided in one place: :meth:`Collection.visible_to`. A private collection, the reading list (always
private), notes and follows are only ever read for their owner (library.selectors) and only written by their owner
(library.services).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

NOTE_MAX_CHARS = 10_000
ITEM_NOTE_MAX_CHARS = 500  # Hugging Face's limit for an item note
DESCRIPTION_MAX_CHARS = 1_000


class Collection(models.Model):
    """An ordered, named list of papers; the reading list is the one private collection of kind READING_LIST."""

    class Kind(models.TextChoices):
        COLLECTION = "collection", "collection"
        READING_LIST = "reading_list", "reading list"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COLLECTION)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, help_text="unique per owner; the URL is /collections/<owner>/<slug>")
    description = models.TextField(blank=True, default="")
    is_public = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="collection_unique_slug"),
            models.UniqueConstraint(
                fields=["owner"], condition=Q(kind="reading_list"), name="collection_one_reading_list"
            ),
            models.CheckConstraint(
                condition=~Q(kind="reading_list") | Q(is_public=False), name="collection_reading_list_private"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}/{self.slug}"

    def get_absolute_url(self) -> str:
        if self.is_reading_list:
            return reverse("web:reading-list")
        return reverse("web:collection", args=[self.owner.username, self.slug])

    @property
    def is_reading_list(self) -> bool:
        return self.kind == self.Kind.READING_LIST

    def visible_to(self, user) -> bool:
        return self.is_public or (user is not None and user.is_authenticated and user.pk == self.owner_id)


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="collection_items")
    position = models.IntegerField(default=0)
    note = models.CharField(max_length=ITEM_NOTE_MAX_CHARS, blank=True, default="")
    added = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True, help_text="reading list: when it was marked as read")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["collection", "paper"], name="collectionitem_unique_paper")]
        indexes = [models.Index(fields=["paper", "collection"], name="collectionitem_paper")]

    def __str__(self) -> str:
        return f"{self.collection_id}#{self.position}: {self.paper_id}"


class Note(models.Model):
    """A private note of one user on one paper (plain text, shown only to its author)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="paper_notes")
    paper = models.ForeignKey("papers.Paper", on_delete=models.CASCADE, related_name="private_notes")
    body = models.TextField(max_length=NOTE_MAX_CHARS)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "paper"], name="note_one_per_user_paper")]

    def __str__(self) -> str:
        return f"note of {self.user_id} on {self.paper_id}"


class Follow(models.Model):
    """Something a user follows. A kind names what ``value`` / ``author`` / ``organization`` hold: an author or an
    organization by foreign key (the other two left empty), a category or a saved search by ``value``."""

    class Kind(models.TextChoices):
        AUTHOR = "author", "author"
        CATEGORY = "category", "arXiv category"
        SEARCH = "search", "saved search"
        ORGANIZATION = "organization", "organization"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey("papers.Author", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "papers.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.CharField(
        max_length=300, blank=True, default="", help_text="category or query; '' for authors and organizations"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "value", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "author", "value"], name="follow_unique"),
            models.UniqueConstraint(
                fields=["user", "kind", "value"],
                condition=Q(author__isnull=True, organization__isnull=True),
                name="follow_unique_value",
            ),
            models.UniqueConstraint(
                fields=["user", "organization"], condition=Q(organization__isnull=False), name="follow_unique_org"
            ),
            models.CheckConstraint(
                condition=(Q(kind="author") & Q(author__isnull=False)) | (~Q(kind="author") & Q(author__isnull=True)),
                name="follow_author_iff_kind_author",
            ),
            models.CheckConstraint(
                condition=(Q(kind="organization") & Q(organization__isnull=False))
                | (~Q(kind="organization") & Q(organization__isnull=True)),
                name="follow_org_iff_kind_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.kind} {self.author_id or self.organization_id or self.value}"


class AuthorClaim(models.Model):
    """A user's request to be recognized as an author; a moderator approves or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        APPROVED = "approved", "approved"
        REJECTED = "rejected", "rejected"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="author_claims")
    author = models.ForeignKey("papers.Author", on_delete=models.CASCADE, related_name="claims")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(max_length=500, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["user", "author"], name="authorclaim_one_per_user_author"),
            models.UniqueConstraint(
                fields=["author"], condition=Q(status="approved"), name="authorclaim_one_approved_per_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} claims {self.author_id}: {self.status}"
