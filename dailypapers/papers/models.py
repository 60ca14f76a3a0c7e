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


# The columns of a paper that its arXiv record gives (every source goes through the same PaperRecord).
RECORD_COLUMNS = ("version", "title", "abstract", "categories", "primary_category", "published_at", "updated_at")
RECORD_COLUMNS += ("comments", "journal_ref", "doi", "license", "github_repo", "project_page")


class Organization(models.Model):
    """An organization papers are published under on Hugging Face (a lab, a company, a university)."""

    name = models.CharField(max_length=100, unique=True, help_text="its handle on Hugging Face")
    fullname = models.CharField(max_length=300, blank=True, default="")
    avatar = models.URLField(max_length=1000, blank=True, default="")

    def __str__(self) -> str:
        return self.fullname or self.name

    def get_absolute_url(self) -> str:
        return reverse("web:organization", args=[self.name])


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
    # What Hugging Face adds to a paper (filled by its imports; newer Hugging Face data replaces older). Each has a
    # database default too, so that the bulk importer's raw INSERTs may leave them out.
    ai_summary = models.TextField(blank=True, default="", db_default="")
    ai_summary_model = models.CharField(max_length=100, blank=True, default="", db_default="")
    ai_keywords = models.JSONField(null=True, blank=True, help_text="list of keywords written by a model")
    ai_keywords_model = models.CharField(
        max_length=100, blank=True, default="", db_default="", help_text="empty: the source did not say"
    )
    github_stars = models.IntegerField(null=True, blank=True)
    github_repo_added_by = models.CharField(max_length=150, blank=True, default="", db_default="")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="papers"
    )
    thumbnail = models.URLField(max_length=1000, blank=True, default="", db_default="")
    media_urls = models.JSONField(null=True, blank=True, help_text="list of image/video URLs")
    discussion_id = models.CharField(max_length=40, blank=True, default="", db_default="")
    hub_day = models.DateField(null=True, blank=True, help_text="day of the newest Hugging Face data stored")
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
    def daily_entry(self) -> DailyEntry | None:
        """The entry a card shows: the one a listing picked (``page_entry``), else the paper's latest."""
        picked = getattr(self, "page_entry", None)
        if picked is not None:
            return picked
        cache = getattr(self, "_prefetched_objects_cache", {})
        entries = cache["daily_entries"] if "daily_entries" in cache else self.daily_entries.all()
        return max(entries, key=lambda entry: (entry.day, entry.pk), default=None)

    @property
    def shown_upvotes(self) -> int:
        """The count a card shows: on a day's page its entry's (the source's count for that day plus the votes cast
        here: what ranks the page), elsewhere the paper's."""
        entry = getattr(self, "page_entry", None)
        if entry is None:
            return self.upvotes
        return entry.upvotes + max(0, self.upvotes - self.imported_upvotes)

    @property
    def hub_comments(self) -> int:
        """Comments on the hub the paper was imported from (its latest entry's count)."""
        entry = self.daily_entry
        return entry.hub_comments if entry is not None else 0

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
    # From Hugging Face: a hidden author stays in the list (positions, a later unhide) but pages leave it out;
    # status is the author claim's ("claimed_verified", ...) and claimed_user the account that claimed it.
    hidden = models.BooleanField(default=False, db_default=False)
    status = models.CharField(max_length=40, blank=True, default="", db_default="")
    claimed_user = models.CharField(max_length=150, blank=True, default="", db_default="")
    claimed_fullname = models.CharField(max_length=300, blank=True, default="", db_default="")
    claimed_avatar = models.URLField(max_length=1000, blank=True, default="", db_default="")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["paper", "position"], name="paperauthor_unique_position")]
        indexes = [models.Index(fields=["author", "paper"], name="paperauthor_author")]

    def __str__(self) -> str:
        return f"{self.position}: author {self.author_id} of paper {self.paper_id}"


class DailyEntry(models.Model):
    """A paper put on a given day's page, by a user, an import or the daily feed.

    A paper may be on several days' pages (Hugging Face lists a few twice), at most once a day; each entry keeps the
    submitter and the imported upvote and comment counts its source gave for that day."""

    class Source(models.TextChoices):
        USER = "user", "submitted by a user"
        HF = "hf", "imported from Hugging Face"
        FEED = "feed", "announced in the arXiv feed"
        CLI = "cli", "featured from the command line"

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="daily_entries", db_index=False)
    day = models.DateField(db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="daily_entries"
    )
    submitter_name = models.CharField(max_length=150, blank=True, default="", db_index=True)
    submitter_fullname = models.CharField(max_length=300, blank=True, default="")
    submitter_avatar = models.URLField(max_length=1000, blank=True, default="")
    submitted_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.USER)
    # As the source gave them for this day: its upvote count, its comment count (comments there, not here), the
    # entry's own date (Hugging Face's top-level publishedAt) and whether an author took part in its discussion.
    upvotes = models.IntegerField(default=0, help_text="upvotes on the source hub, as of this day's listing")
    hub_comments = models.IntegerField(default=0, help_text="comments on the source hub (ours are counted apart)")
    listed_at = models.DateTimeField(null=True, blank=True, help_text="the entry's date as the source gave it")
    is_author_participating = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "daily entries"
        constraints = [models.UniqueConstraint(fields=["paper", "day"], name="dailyentry_unique_paper_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.paper.arxiv_id}"


class IngestCursor(models.Model):
    """Where an incremental ingest (e.g. an OAI-PMH harvest of a set) left off."""

    name = models.CharField(max_length=200, unique=True)
    value = models.CharField(max_length=200)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
