"""Reads from the paper store, shaped for pages, the API and feeds (few queries, no N+1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.models import DailyEntry, Paper, PaperAuthor


def with_authors(papers: QuerySet[Paper]) -> QuerySet[Paper]:
    """Prefetch each paper's ordered authors in one extra query (hidden authors left out)."""
    return papers.prefetch_related(
        Prefetch(
            "authorships",
            queryset=PaperAuthor.objects.filter(hidden=False).select_related("author").order_by("position"),
        )
    )


def paper_get(*, arxiv_id: str, authors: bool = True) -> Paper | None:
    """The stored paper of any spelling of an arXiv id (None when unknown or not an id), its authors prefetched."""
    try:
        canonical = parse_arxiv_id(arxiv_id).id
    except InvalidArxivId:
        return None
    papers = Paper.objects.filter(arxiv_id=canonical)
    return (with_authors(papers) if authors else papers).first()


def latest_day() -> dt.date | None:
    """The most recent day that has papers on its daily page."""
    return DailyEntry.objects.order_by("-day").values_list("day", flat=True).first()


def entries_between(
    *, start: dt.date | None = None, end: dt.date | None = None, submitter: str | None = None
) -> QuerySet[DailyEntry]:
    """Daily entries of the days start..end (inclusive; None: unbounded), of one submitter if given."""
    entries = DailyEntry.objects.all()
    if start is not None:
        entries = entries.filter(day__gte=start)
    if end is not None:
        entries = entries.filter(day__lte=end)
    if submitter:
        entries = entries.filter(Q(submitter_name=submitter) | Q(submitted_by__username=submitter))
    return entries


# A day's page order: the entry's upvotes (the count its source gave for that day plus the votes cast here)
# descending, ties by the entry's date (Hugging Face's top-level publishedAt; the paper's arXiv date for our own
# entries) newest first, then the latest submission and the newest discussion (which settle 522 of the 558 recorded
# days whose exact ties Hugging Face orders in a way its data does not show), then the paper, for a total order.
PAGE_RANKING = ("-score", "-listed", "-submitted_at", "-paper__discussion_id", "-paper_id")


def ranked_daily_entries(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    submitter: str | None = None,
    newest_day_first: bool = False,
) -> QuerySet[DailyEntry]:
    """The daily entries of start..end in the order of a day's (week's, month's) page: the one order of the web pages,
    Hugging Face's ``/api/daily_papers`` and our ``/api/v1/daily`` (PAGE_RANKING). A paper listed on two days of the
    range is there twice, each time with that day's counts. Each entry carries ``score`` (the upvotes a card shows).
    ``newest_day_first``: the same order within each day, newest day first (a listing with no period)."""
    entries = entries_between(start=start, end=end, submitter=submitter).annotate(
        score=F("upvotes") + F("paper__upvotes") - F("paper__imported_upvotes"),
        listed=Coalesce("listed_at", "paper__published_at"),
    )
    return entries.order_by(*(["-day"] if newest_day_first else []), *PAGE_RANKING)


def daily_entries(*, start: dt.date, end: dt.date) -> QuerySet[DailyEntry]:
    """Entries of the days start..end (inclusive) in the page order (ranked_daily_entries), with their papers and
    visible authors."""
    return (
        ranked_daily_entries(start=start, end=end)
        .select_related("paper", "submitted_by")
        .prefetch_related(
            Prefetch(
                "paper__authorships",
                queryset=PaperAuthor.objects.filter(hidden=False).select_related("author").order_by("position"),
            )
        )
    )


# --- accounts linked to an author on Hugging Face ---------------------------------------------------------------

# Hugging Face's author statuses that link an account for good, best first: the author claimed the paper and Hugging
# Face verified it; Hugging Face's staff assigned it; its extraction matched the account and the account confirmed.
HUB_CONFIRMED_STATUSES = ("claimed_verified", "admin_assigned", "extracted_confirmed")
HUB_STATUS_WORDS = {
    "claimed_verified": "claimed by the author, verified by Hugging Face",
    "admin_assigned": "linked by Hugging Face's staff",
    "extracted_confirmed": "matched by Hugging Face, confirmed by the account",
    "extracted_pending": "matched by Hugging Face, not confirmed yet",
}


@dataclass(frozen=True)
class HubAccount:
    """A Hugging Face account that the imported data links to an author on some of their papers."""

    username: str
    fullname: str
    avatar: str
    status: str  # the best status of the account's links (HUB_CONFIRMED_STATUSES order, then any other)
    num_papers: int

    @property
    def confirmed(self) -> bool:
        return self.status in HUB_CONFIRMED_STATUSES

    @property
    def status_words(self) -> str:
        return HUB_STATUS_WORDS.get(self.status, self.status.replace("_", " ") or "linked")

    @property
    def url(self) -> str:
        return f"https://huggingface.co/{self.username}"


def _status_rank(status: str) -> int:
    return HUB_CONFIRMED_STATUSES.index(status) if status in HUB_CONFIRMED_STATUSES else len(HUB_CONFIRMED_STATUSES)


def hub_accounts(*, author_id: int) -> list[HubAccount]:
    """The Hugging Face accounts linked to this author in the imported data, confirmed ones first, then by number of
    papers. An author here is a name, so two people sharing it may show as two accounts: each says on how many of
    the papers it is linked."""
    rows = (
        PaperAuthor.objects.filter(author_id=author_id)
        .exclude(claimed_user="")
        .order_by("-paper__published_at", "-pk")
        .values_list("claimed_user", "claimed_fullname", "claimed_avatar", "status", "paper_id")
    )
    found: dict[str, dict] = {}
    for username, fullname, avatar, status, paper_id in rows:
        account = found.setdefault(
            username, {"fullname": fullname, "avatar": avatar, "status": status, "papers": set()}
        )
        account["papers"].add(paper_id)
        if _status_rank(status) < _status_rank(account["status"]):
            account["status"] = status
        if not account["fullname"] and fullname:
            account["fullname"], account["avatar"] = fullname, avatar or account["avatar"]
    accounts = [
        HubAccount(username, a["fullname"], a["avatar"], a["status"], len(a["papers"])) for username, a in found.items()
    ]
    return sorted(accounts, key=lambda a: (_status_rank(a.status), -a.num_papers, a.username.lower()))
