"""The personal library's pages and actions: collections, the reading list, notes, follows, "Following", "For you",
citations out and author claims. Thin: rules and authorization live in library.services, reads in
library.selectors. Writes need a signed-in user, a CSRF token and pass the "library" rate limit; htmx requests get
the changed fragment back, others a redirect (every action works without JavaScript).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dailypapers.library import citations, selectors, services
from dailypapers.library.models import AuthorClaim, Collection, Follow
from dailypapers.library.recommend import recommend
from dailypapers.papers.models import Author, Organization, Paper
from dailypapers.papers.selectors import hub_accounts
from dailypapers.web.guards import is_htmx, member_required, next_url, rate_limited
from dailypapers.web.lookups import paper_or_404

FOR_YOU_LIMIT = 30


def member_only(view):
    """Signed-in users only (others go to the sign-in page); POSTs count against the "library" rate limit."""

    @member_required
    @rate_limited("library")
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.NotAllowed:
            raise Http404("No such collection.") from None  # never confirm that someone else's private thing exists

    return wrapper


def _collection(request, username: str, slug: str) -> Collection:
    found = selectors.collection_for(username=username, slug=slug, viewer=request.user)
    if found is None:
        raise Http404("No such collection.")
    return found


def _own_collection(request, username: str, slug: str) -> Collection:
    collection = _collection(request, username, slug)
    if collection.owner_id != request.user.pk:
        raise Http404("No such collection.")
    return collection


def mark_saved(request, papers) -> None:
    """Set ``paper.saved`` (on the viewer's reading list) and ``paper.read_at`` (marked as read then) for cards."""
    states = selectors.reading_states(user=request.user, paper_ids=[p.pk for p in papers])
    for paper in papers:
        paper.saved = paper.pk in states
        paper.read_at = states.get(paper.pk)


def paper_library_context(request, paper: Paper) -> dict:
    """What the paper page shows of the library: the viewer's note, and the public collections that hold it."""
    return {
        "note": selectors.note_of(user=request.user, paper=paper),
        "public_collections": list(selectors.public_collections(paper=paper)[:10]),
        "followed_categories": {
            f.value for f in selectors.follows_of(user=request.user) if f.kind == Follow.Kind.CATEGORY
        },
    }


# --- the library index and collections ---------------------------------------------------------------------------


@require_GET
@member_only
def library(request):
    collections = list(selectors.collections_of(owner=request.user, viewer=request.user, include_reading_list=True))
    return render(
        request,
        "web/library/library.html",
        {
            "collections": collections,
            "follows": selectors.follows_of(user=request.user),
            "notes": list(selectors.notes_of(user=request.user)[:50]),
        },
    )


@require_POST
@member_only
def collection_create(request):
    try:
        collection = services.collection_create(
            owner=request.user,
            name=request.POST.get("name", ""),
            description=request.POST.get("description", ""),
            is_public=request.POST.get("is_public") == "1",
        )
    except services.LibraryError as exc:
        messages.error(request, str(exc))
        return redirect(next_url(request, reverse("web:library")))
    arxiv_id = request.POST.get("paper", "")
    if arxiv_id:  # "new collection with this paper" from a card's menu
        paper = paper_or_404(arxiv_id)
        services.item_add(user=request.user, collection=collection, paper=paper)
        if is_htmx(request):
            return _menu(request, paper)
        messages.success(request, f"Added to “{collection.name}”.")
        return redirect(next_url(request, collection.get_absolute_url()))
    return redirect(collection.get_absolute_url())


@require_GET
def collection_detail(request, username: str, slug: str):
    collection = _collection(request, username, slug)
    items = selectors.collection_items(collection=collection)
    is_owner = request.user.is_authenticated and request.user.pk == collection.owner_id
    papers = [item.paper for item in items]
    from dailypapers.web.views.pages import _mark_votes

    _mark_votes(request, papers)
    mark_saved(request, papers)
    return render(
        request,
        "web/library/collection.html",
        {
            "collection": collection,
            "items": items,
            "is_owner": is_owner,
        },
    )


@require_POST
@member_only
def collection_edit(request, username: str, slug: str):
    collection = _own_collection(request, username, slug)
    try:
        services.collection_update(
            user=request.user,
            collection=collection,
            name=request.POST.get("name"),
            description=request.POST.get("description"),
            is_public=(request.POST["is_public"] == "1") if "is_public" in request.POST else None,
        )
    except services.LibraryError as exc:
        messages.error(request, str(exc))
    return redirect(collection.get_absolute_url())


@require_POST
@member_only
def collection_delete(request, username: str, slug: str):
    collection = _own_collection(request, username, slug)
    try:
        services.collection_delete(user=request.user, collection=collection)
    except services.LibraryError as exc:
        messages.error(request, str(exc))
        return redirect(collection.get_absolute_url())
    messages.success(request, f"Deleted “{collection.name}”.")
    return redirect("web:library")


def _items_fragment(request, collection: Collection):
    items = selectors.collection_items(collection=collection)
    return render(request, "web/library/_items.html", {"collection": collection, "items": items, "is_owner": True})


@require_POST
@member_only
def item_move(request, username: str, slug: str, arxiv_id: str):
    collection = _own_collection(request, username, slug)
    paper = paper_or_404(arxiv_id)
    offset = {"up": -1, "down": 1, "top": -(10**6)}.get(request.POST.get("direction", ""))
    try:
        if offset is None:
            raise services.LibraryError("Move it up, down or to the top.")
        services.item_shift(user=request.user, collection=collection, paper=paper, offset=offset)
    except services.LibraryError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return _items_changed(request, collection, paper)


def _items_changed(request, collection: Collection, paper: Paper) -> HttpResponse:
    """After a change to an item: the items again for htmx, else back to the item on the collection's page."""
    if is_htmx(request):
        return _items_fragment(request, collection)
    return redirect(collection.get_absolute_url() + f"#item-{paper.pk}")


@require_POST
@member_only
def item_note(request, username: str, slug: str, arxiv_id: str):
    collection = _own_collection(request, username, slug)
    paper = paper_or_404(arxiv_id)
    try:
        services.item_set_note(user=request.user, collection=collection, paper=paper, note=request.POST.get("note", ""))
    except services.LibraryError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return _items_changed(request, collection, paper)


@require_POST
@member_only
def item_remove(request, username: str, slug: str, arxiv_id: str):
    collection = _own_collection(request, username, slug)
    services.item_remove(user=request.user, collection=collection, paper=paper_or_404(arxiv_id))
    if is_htmx(request):
        return _items_fragment(request, collection)
    return redirect(collection.get_absolute_url())


# --- add / remove from a card or the paper page ------------------------------------------------------------------


def _menu(request, paper: Paper):
    template = "web/library/_menu.html" if is_htmx(request) else "web/library/menu_page.html"
    return render(
        request,
        template,
        {
            "paper": paper,
            "memberships": selectors.memberships(user=request.user, paper=paper),
        },
    )


@require_GET
@member_only
def paper_collections(request, arxiv_id: str):
    """The "add to collection" menu of one paper (loaded by htmx when the menu opens)."""
    return _menu(request, paper_or_404(arxiv_id))


@require_POST
@member_only
def paper_collection_toggle(request, arxiv_id: str, collection_id: int):
    paper = paper_or_404(arxiv_id)
    collection = Collection.objects.filter(pk=collection_id, owner=request.user).first()
    if collection is None:
        raise Http404("No such collection.")
    if not services.item_remove(user=request.user, collection=collection, paper=paper):
        services.item_add(user=request.user, collection=collection, paper=paper)
    if is_htmx(request):
        return _menu(request, paper)
    return redirect(next_url(request, paper.get_absolute_url()))


@require_POST
@member_only
def paper_save(request, arxiv_id: str):
    """Save for later (the reading list) or take it off: toggle, or set with saved=1/0."""
    paper = paper_or_404(arxiv_id)
    wanted = request.POST.get("saved")
    if wanted in ("0", "1"):
        saved = wanted == "1"
    else:
        saved = paper.pk not in selectors.saved_paper_ids(user=request.user, paper_ids=[paper.pk])
    services.save_for_later(user=request.user, paper=paper, saved=saved)
    if is_htmx(request):
        mark_saved(request, [paper])
        return render(request, "web/library/_save.html", {"paper": paper})
    return redirect(next_url(request, paper.get_absolute_url()))


@require_POST
@member_only
def paper_note(request, arxiv_id: str):
    paper = paper_or_404(arxiv_id)
    try:
        note = services.note_set(user=request.user, paper=paper, body=request.POST.get("body", ""))
    except services.LibraryError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if is_htmx(request):
        return render(request, "web/library/_note.html", {"paper": paper, "note": note, "saved_now": True})
    return redirect(paper.get_absolute_url() + "#note")


# --- the reading list ---------------------------------------------------------------------------------------------


@require_GET
@member_only
def reading_list(request):
    unread_only = request.GET.get("unread") == "1"
    items = selectors.reading_list_items(user=request.user, unread_only=unread_only)
    papers = [item.paper for item in items]
    from dailypapers.web.views.pages import _mark_votes

    _mark_votes(request, papers)
    for item in items:
        item.paper.saved, item.paper.read_at = True, item.read_at
    return render(request, "web/library/reading_list.html", {"items": items, "unread_only": unread_only})


@require_POST
@member_only
def paper_read(request, arxiv_id: str):
    """Mark a paper of the reading list as read (read=1) or unread (read=0); htmx gets the card's reading-list part."""
    paper = paper_or_404(arxiv_id)
    try:
        services.mark_read(user=request.user, paper=paper, read=request.POST.get("read", "1") == "1")
    except services.LibraryError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if is_htmx(request):
        mark_saved(request, [paper])
        return render(request, "web/library/_save.html", {"paper": paper})
    return redirect(next_url(request, reverse("web:reading-list")))


# --- follows ------------------------------------------------------------------------------------------------------


def _follow_target(request) -> tuple[str, Author | None, Organization | None, str]:
    kind = request.POST.get("kind", "")
    author = organization = None
    if kind == Follow.Kind.AUTHOR:
        raw = request.POST.get("author", "")
        author = Author.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 15 else None
        if author is None:
            raise Http404("No such author.")
    if kind == Follow.Kind.ORGANIZATION:
        name = request.POST.get("organization", "")
        organization = Organization.objects.filter(name=name).first() if 0 < len(name) <= 100 else None
        if organization is None:
            raise Http404("No such organization.")
    return kind, author, organization, request.POST.get("value", "")


@require_POST
@member_only
def follow(request):
    kind, author, organization, value = _follow_target(request)
    try:
        following = services.follow_set(
            user=request.user,
            kind=kind,
            author=author,
            organization=organization,
            value=value,
            following=request.POST.get("following") == "1",
        )
    except services.LibraryError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if is_htmx(request):
        return render(
            request,
            "web/library/_follow.html",
            {
                "kind": kind,
                "author": author,
                "organization": organization,
                "value": " ".join(value.split()),
                "following": following is not None,
            },
        )
    return redirect(next_url(request, reverse("web:following")))


@require_GET
@member_only
def following(request):
    before = paper_or_404(request.GET["before"][:40], authors=False) if request.GET.get("before") else None
    found = selectors.following_papers(user=request.user, limit=settings.PAGE_SIZE, before=before)
    papers = [f.paper for f in found]
    from dailypapers.web.views.pages import _mark_votes

    _mark_votes(request, papers)
    mark_saved(request, papers)
    return render(
        request,
        "web/library/following.html",
        {
            "found": found,
            "follows": selectors.follows_of(user=request.user),
            "older": found[-1].paper.arxiv_id if len(found) == settings.PAGE_SIZE else None,
            "paged": before is not None,
        },
    )


@require_GET
@member_only
def for_you(request):
    recommendations = recommend(user_id=request.user.pk, limit=FOR_YOU_LIMIT)
    papers = [r.paper for r in recommendations]
    from dailypapers.web.views.pages import _mark_votes

    _mark_votes(request, papers)
    mark_saved(request, papers)
    return render(request, "web/library/for_you.html", {"recommendations": recommendations})


# --- feeds and citations -----------------------------------------------------------------------------------------


def _download(text: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def paper_citation(request, arxiv_id: str, fmt: str):
    paper = citations.with_all_authors(Paper.objects.filter(pk=paper_or_404(arxiv_id).pk)).get()
    name = paper.arxiv_id.replace("/", "_")
    if fmt == "bib":
        return _download(citations.bibtex([paper]), content_type="application/x-bibtex", filename=f"{name}.bib")
    return _download(citations.ris([paper]), content_type="application/x-research-info-systems", filename=f"{name}.ris")


@require_GET
def collection_citation(request, username: str, slug: str, fmt: str):
    collection = _collection(request, username, slug)
    items = list(collection.items.order_by("position", "pk").values_list("paper_id", "note"))
    by_id = {p.pk: p for p in citations.with_all_authors(Paper.objects.filter(pk__in=[pk for pk, _ in items]))}
    papers = [by_id[pk] for pk, _ in items if pk in by_id]
    name = collection.slug
    if fmt == "bib":
        return _download(citations.bibtex(papers), content_type="application/x-bibtex", filename=f"{name}.bib")
    notes = {pk: note for pk, note in items if note}
    text = citations.ris(papers, notes=notes)
    return _download(text, content_type="application/x-research-info-systems", filename=f"{name}.ris")


# --- author claims ------------------------------------------------------------------------------------------------


@require_POST
@member_only
def author_claim(request, author_id: int):
    author = get_object_or_404(Author, pk=author_id)
    try:
        services.claim_request(user=request.user, author=author, message=request.POST.get("message", ""))
        messages.success(request, "Thanks: a moderator will look at your claim.")
    except services.LibraryError as exc:
        messages.error(request, str(exc))
    return redirect(author.get_absolute_url())


@require_GET
@member_only
def claims(request):
    if not request.user.can_moderate:
        return render(request, "web/403.html", status=403)
    claims = list(selectors.pending_claims())
    accounts = {author_id: hub_accounts(author_id=author_id) for author_id in {c.author_id for c in claims}}
    for claim in claims:
        claim.hub_accounts = accounts[claim.author_id]
        claim.hub_usernames = {account.username for account in claim.hub_accounts}
    return render(request, "web/library/claims.html", {"claims": claims})


@require_POST
@member_only
def claim_decide(request, claim_id: int):
    if not request.user.can_moderate:
        return render(request, "web/403.html", status=403)
    claim = get_object_or_404(AuthorClaim, pk=claim_id)
    try:
        services.claim_decide(moderator=request.user, claim=claim, approve=request.POST.get("approve") == "1")
    except services.LibraryError as exc:
        messages.error(request, str(exc))
    return redirect("web:claims")


def author_library_context(request, author: Author) -> dict:
    accounts = hub_accounts(author_id=author.pk)
    return {
        "claimed_by": selectors.claimed_by(author=author),
        "hub_accounts": accounts,
        "hub_linked": [account for account in accounts if account.confirmed],
        "my_claim": selectors.claim_of(user=request.user, author=author),
        "following_author": selectors.is_following(user=request.user, kind=Follow.Kind.AUTHOR, author=author),
    }


def organization_library_context(request, organization: Organization) -> dict:
    return {
        "following_organization": selectors.is_following(
            user=request.user, kind=Follow.Kind.ORGANIZATION, organization=organization
        ),
    }


def search_follow_context(request, query: str) -> dict:
    """The "Follow this search" button of the search page: the query it would follow (blank: no button, for a
    visitor, an empty query or one too long to keep) and whether the viewer follows it already."""
    if not request.user.is_authenticated or not query or len(query) > services.QUERY_MAX_CHARS:
        return {"follow_query": ""}
    return {
        "follow_query": query,
        "following_query": selectors.is_following(user=request.user, kind=Follow.Kind.SEARCH, value=query),
    }


def profile_collections(request, member) -> list[Collection]:
    return list(selectors.collections_of(owner=member, viewer=request.user))
