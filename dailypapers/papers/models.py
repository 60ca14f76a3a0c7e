"""The paper store: papers, their ordered authors, and the entries that put papers on a day's page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Author(models.Model):
    """An author, identified by the name as arXiv prints it (arXiv has no author identifiers)."""

    name = models.CharField(max_length=300, unique=True)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:author", args=[self.pk])


class Paper(models.Model):
    arxiv_id = models.CharField(max_length=64, unique=True, help_text="canonical id without version")
    version = models.PositiveSmallIntegerField(default=1)
    title = models.TextField()
    abstract = models.TextField(blank=True, default="")
    authors = models.ManyToManyField(Author, through="PaperAuthor", related_name="papers")
    categories = models.CharField(max_length=500, blank=True, default="", help_text="space-separated, primary first")
    # Indexed as the first column of paper_cat_published: a single-column index would only slow bulk imports.
    primary_category = models.CharField(max_length=40, blank=True, default="")
    published_at = models.DateTimeField(db_index=True, help_text="first version on arXiv")
    updated_at = models.DateTimeField(null=True, blank=True, help_text="latest version on arXiv")
    comments = models.TextField(blank=True, default="")
    journal_ref = models.TextField(blank=True, default="")
    doi = models.CharField(max_length=1000, blank=True, default="")
    license = models.CharField(max_length=1000, blank=True, default="")
    github_repo = models.URLField(max_length=500, blank=True, default="")
    project_page = models.URLField(max_length=1000, blank=True, default="")
    content_hash = models.CharField(max_length=32, blank=True, default="")
    source = models.CharField(max_length=20, blank=True, default="")
    # Community counters, kept exact by the community services (F() updates inside transactions).
    upvotes = models.IntegerField(default=0)
    imported_upvotes = models.IntegerField(default=0, help_text="upvotes carried over from an imported hub")
    num_comments = models.IntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(db_index=True, help_text="last change of the stored metadata (index sync)")

    class Meta:
        indexes = [models.Index(fields=["primary_category", "-published_at"], name="paper_cat_published")]

    def __str__(self) -> str:
        return f"{self.arxiv_id}: {self.title[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("web:paper", args=[self.arxiv_id])

    @property
    def category_list(self) -> list[str]:
        return self.categories.split()

    @property
    def arxiv_url(self) -> str:
        return f"https://arxiv.org/abs/{self.arxiv_id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.arxiv_id}"


class PaperAuthor(models.Model):
    # No single-column indexes: (paper, position) and (author, paper) below lead with each key already, and
    # every index costs a b-tree insert per author of every imported paper.
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships", db_index=False)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="authorships", db_index=False)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["paper", "position"], name="paperauthor_unique_position")]
        indexes = [models.Index(fields=["author", "paper"], name="paperauthor_author")]


class DailyEntry(models.Model):
    """A paper put on a given day's page (one entry per paper), by a user, an import or the daily feed."""

    class Source(models.TextChoices):
        USER = "user", "submitted by a user"
        HF = "hf", "imported from Hugging Face"
        FEED = "feed", "announced in the arXiv feed"
        CLI = "cli", "featured from the command line"

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="daily_entry")
    day = models.DateField(db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="daily_entries"
    )
    submitter_name = models.CharField(max_length=150, blank=True, default="", db_index=True)
    submitter_fullname = models.CharField(max_length=300, blank=True, default="")
    submitter_avatar = models.URLField(max_length=1000, blank=True, default="")
    submitted_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.USER)

    class Meta:
        verbose_name_plural = "daily entries"

    def __str__(self) -> str:
        return f"{self.day}: {self.paper.arxiv_id}"


class IngestCursor(models.Model):
    """Where an incremental ingest (e.g. an OAI-PMH harvest of a set) left off."""

    name = models.CharField(max_length=200, unique=True)
    value = models.CharField(max_length=200)
    updated = models.DateTimeField(auto_now=True)
