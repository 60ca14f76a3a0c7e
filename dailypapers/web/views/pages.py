"""Server-rendered pages: thin views over the selectors (daily/weekly/monthly, trending, paper, author, profile)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from dailypapers.community import selectors
from dailypapers.community.page_periods import PagePeriod, parse_page_period, period_of
from dailypapers.papers import selectors as paper_selectors
from dailypapers.papers.models import Author, Organization, Paper
from dailypapers.search.terms import shared_keywords
from dailypapers.web.lookups import paper_or_404
from dailypapers.web.views import library as library_views

log = logging.getLogger(__name__)
MAX_PAGE = 10_000


def _page(request, items, *, per_page: int | None = None):
    """The requested page of ``items``; 404 for a page that is not a number or out of range."""
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 6 or int(raw) > MAX_PAGE:
        raise Http404("No such page.")
    paginator = Paginator(items, per_page or settings.PAGE_SIZE, allow_empty_first_page=True)
    try:
        return paginator.page(int(raw))
    except InvalidPage:
        raise Http404("No such page.") from None


def _mark_votes(request, papers) -> None:
    voted = selectors.voted_paper_ids(user=request.user, paper_ids=[p.pk for p in papers])
    for paper in papers:
        paper.voted = paper.pk in voted
    library_views.mark_saved(request, papers)


def _period_page(request, period: PagePeriod):
    page = _page(request, selectors.period_entries(start=period.start, end=period.end))
    papers = selectors.entry_cards(list(page.object_list))
    _mark_votes(request, papers)
    prev, nxt = selectors.neighbours(period)
    context = {
        "period": period,
        "page": page,
        "papers": papers,
        "prev": prev,
        "next": nxt,
        "tabs": {
            kind: period_of(kind, period.anchor if kind != "date" else period.end) for kind in ("date", "week", "month")
        },
        "start_rank": page.start_index(),
    }
    return render(request, "web/daily.html", context)


def home(request):
    day = paper_selectors.latest_day()
    if day is None:
        return render(request, "web/empty_site.html")
    return _period_page(request, period_of("date", day))


def period_page(request, kind: str, value: str):
    try:
        period = parse_page_period(kind, value)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    return _period_page(request, period)


def date_jump(request):
    """The date picker's target (works without JavaScript): /date?date=YYYY-MM-DD -> /date/YYYY-MM-DD."""
    try:
        period = parse_page_period("date", request.GET.get("date", ""))
    except ValueError as exc:
        raise Http404(str(exc)) from None
    return redirect("web:date", period.value)


def trending(request):
    days = 7
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit() or len(page_number) > 6 or not 1 <= int(page_number) <= MAX_PAGE:
        raise Http404("No such page.")
    page_number = int(page_number)
    per_page = settings.PAGE_SIZE
    papers, total = selectors.trending_page(days=days, limit=per_page, offset=(page_number - 1) * per_page)
    if page_number > 1 and not papers:
        raise Http404("No such page.")
    _mark_votes(request, papers)
    context = {
        "papers": papers,
        "days": days,
        "page_number": page_number,
        "has_next": page_number * per_page < total,
        "start_rank": (page_number - 1) * per_page + 1,
        "latest_day": None if papers else paper_selectors.latest_day(),
        "half_life": settings.TRENDING_HALF_LIFE_HOURS,
    }
    return render(request, "web/trending.html", context)


def _similar(paper: Paper) -> list[tuple[Paper, str]]:
    """Similar papers from the search index, each with a one-line reason; empty when search is not available."""
    from dailypapers.search.services import similar_papers

    try:
        hits = similar_papers(paper=paper, limit=8, shape=selectors.card_papers)
    except Exception as exc:  # no index yet, a model mismatch...: the page still works
        log.info("similar papers unavailable for %s: %s", paper.arxiv_id, exc)
        return []
    return [(other, similarity_reason(paper, other)) for other, _ in hits]


def similarity_reason(paper: Paper, other: Paper) -> str:
    """Why ``other`` is listed beside ``paper``: the words both use most, and the categories they share."""
    words = shared_keywords(f"{paper.title} {paper.abstract}", f"{other.title} {other.abstract}")
    own = set(paper.category_list)
    categories = [c for c in other.category_list if c in own][:2]
    parts = []
    if words:
        parts.append("both about " + ", ".join(words))
    if categories:
        parts.append("shares " + ", ".join(categories))
    return "; ".join(parts) if parts else "close in meaning (by the embedding model)"


def paper_detail(request, arxiv_id: str):
    paper = paper_or_404(arxiv_id)
    paper = selectors.card_papers(Paper.objects.filter(pk=paper.pk)).prefetch_related("authorships__author").get()
    visible = [a for a in paper.authorships.all() if not a.hidden]
    _mark_votes(request, [paper])
    newest_first = request.GET.get("sort") == "newest"
    context = {
        "paper": paper,
        "authorships": visible,
        "entry": getattr(paper, "daily_entry", None),
        "comments": selectors.comment_thread(paper=paper, newest_first=newest_first),
        "newest_first": newest_first,
        "similar": _similar(paper),
        **library_views.paper_library_context(request, paper),
    }
    return render(request, "web/paper.html", context)


def author_detail(request, author_id: int):
    author = get_object_or_404(Author, pk=author_id)
    page = _page(
        request,
        selectors.card_papers(Paper.objects.filter(authorships__author=author, authorships__hidden=False)).order_by(
            "-published_at", "arxiv_id"
        ),
    )
    papers = list(page.object_list)
    _mark_votes(request, papers)
    context = {
        "author": author,
        "page": page,
        "papers": papers,
        **library_views.author_library_context(request, author),
    }
    return render(request, "web/author.html", context)


def organization_detail(request, name: str):
    organization = get_object_or_404(Organization, name=name)
    papers_of = selectors.card_papers(Paper.objects.filter(organization=organization))
    page = _page(request, papers_of.order_by("-published_at", "arxiv_id"))
    papers = list(page.object_list)
    _mark_votes(request, papers)
    context = {
        "organization": organization,
        "page": page,
        "papers": papers,
        **library_views.organization_library_context(request, organization),
    }
    return render(request, "web/organization.html", context)


def hf_period(request, kind: str, value: str):
    """Hugging Face's page addresses (/papers/date/2025-01-31, /papers/week/2025-W05, /papers/month/2025-01,
    /papers/trending), so links copied from huggingface.co work here: a redirect to ours."""
    if kind == "trending":
        target = reverse("web:trending")
    else:
        try:
            period = parse_page_period(kind, value)
        except ValueError as exc:
            raise Http404(str(exc)) from None
        target = reverse(f"web:{kind}", args=[period.value])
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target, permanent=True)


def profile(request, username: str):
    member = get_object_or_404(get_user_model(), username=username)
    upvoted = selectors.user_upvoted_papers(user=member, limit=100)
    submitted = selectors.user_submitted_papers(user=member, limit=100)
    _mark_votes(request, upvoted + submitted)
    collections = library_views.profile_collections(request, member)
    context = {"member": member, "upvoted": upvoted, "submitted": submitted, "collections": collections}
    return render(request, "web/profile.html", context)
