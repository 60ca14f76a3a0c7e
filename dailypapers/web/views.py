"""Server-rendered pages: thin views over the selectors."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from dailypapers.papers import selectors
from dailypapers.papers.models import Author, Paper


def daily(request):
    day = selectors.latest_day_with_entries()
    entries = list(selectors.daily_entries(start=day, end=day)) if day else []
    return render(request, "web/daily.html", {"day": day, "entries": entries})


def paper_detail(request, arxiv_id: str):
    paper = selectors.paper_get(arxiv_id=arxiv_id)
    if paper is None:
        raise Http404("No such paper")
    return render(request, "web/paper.html", {"paper": paper})


def author_detail(request, author_id: int):
    author = get_object_or_404(Author, pk=author_id)
    papers = selectors.with_authors(Paper.objects.filter(authorships__author=author).order_by("-published_at"))[:200]
    return render(request, "web/author.html", {"author": author, "papers": papers})
