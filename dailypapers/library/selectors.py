"""Library reads. Every read of private data takes the viewer and returns only what that viewer may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from dailypapers.community.models import Vote
from dailypapers.community.selectors import card_papers
from dailypapers.library.models import AuthorClaim, Collection, CollectionItem, Follow, Note
from dailypapers.papers.models import Author, Organization, Paper

UPVOTED = "Upvoted"
SEARCH_PER_FOLLOW = 20


def _is_member(user) -> bool:
    return user is not None and user.is_authenticated


def collections_of(*, owner, viewer, include_reading_list: bool = False) -> QuerySet[Collection]:
    """The owner's collections the viewer may see (all for the owner, the public ones for anyone else)."""
    rows = Collection.objects.filter(owner=owner).annotate(num_items=Count("items")).select_related("owner")
    if not (_is_member(viewer) and viewer.pk == owner.pk):
        return rows.filter(is_public=True, kind=Collection.Kind.COLLECTION)
    if not include_reading_list:
        rows = rows.filter(kind=Collection.Kind.COLLECTION)
    return rows


def collection_for(*, username: str, slug: str, viewer) -> Collection | None:
    """The collection at /collections/<username>/<slug>, or None when it does not exist or the viewer may not see it
    (the two are indistinguishable from outside)."""
    found = Collection.objects.filter(owner__username=username, slug=slug).select_related("owner").first()
    if found is None or not found.visible_to(viewer):
        return None
    return found


def public_collections(*, owner_username: str | None = None, paper: Paper | None = None) -> QuerySet[Collection]:
    rows = Collection.objects.filter(is_public=True, kind=Collection.Kind.COLLECTION)
    if owner_username:
        rows = rows.filter(owner__username=owner_username)
    if paper is not None:
        rows = rows.filter(items__paper=paper)
    return rows.select_related("owner").order_by("-updated", "-pk")


def collection_items(*, collection: Collection) -> list[CollectionItem]:
    """The items in order, each with ``item.paper`` shaped for a card. Call only after checking visibility."""
    items = list(collection.items.order_by("position", "pk"))
    papers = {p.pk: p for p in card_papers(Paper.objects.filter(pk__in=[it.paper_id for it in items]))}
    for item in items:
        item.paper = papers[item.paper_id]
    return items


def memberships(*, user, paper: Paper) -> list[tuple[Collection, bool]]:
    """The user's collections (reading list first), each with whether the paper is in it."""
    if not _is_member(user):
        return []
    rows = (
        Collection.objects.filter(owner=user)
        .annotate(has_paper=Count("items", filter=Q(items__paper=paper)))
        .order_by("-kind", "name", "pk")
    )
    return [(c, bool(c.has_paper)) for c in rows]


def saved_paper_ids(*, user, paper_ids: list[int]) -> set[int]:
    """Those of these papers on the user's reading list."""
    if not _is_member(user) or not paper_ids:
        return set()
    return set(
        CollectionItem.objects.filter(
            collection__owner=user, collection__kind=Collection.Kind.READING_LIST, paper_id__in=paper_ids
        ).values_list("paper_id", flat=True)
    )


def reading_states(*, user, paper_ids: list[int]) -> dict[int, dt.datetime | None]:
    """Those of these papers on the user's reading list, each with when it was marked as read (None: unread)."""
    if not _is_member(user) or not paper_ids:
        return {}
    rows = CollectionItem.objects.filter(
        collection__owner=user, collection__kind=Collection.Kind.READING_LIST, paper_id__in=paper_ids
    ).values_list("paper_id", "read_at")
    return dict(rows)


def reading_list_items(*, user, unread_only: bool = False) -> list[CollectionItem]:
    if not _is_member(user):
        return []
    collection = Collection.objects.filter(owner=user, kind=Collection.Kind.READING_LIST).first()
    if collection is None:
        return []
    items = collection_items(collection=collection)
    return [it for it in items if it.read_at is None] if unread_only else items


def note_of(*, user, paper: Paper) -> Note | None:
    if not _is_member(user):
        return None
    return Note.objects.filter(user=user, paper=paper).first()


def notes_of(*, user) -> QuerySet[Note]:
    if not _is_member(user):
        return Note.objects.none()
    return Note.objects.filter(user=user).select_related("paper").order_by("-updated")


# --- follows ------------------------------------------------------------------------------------------------------


def follows_of(*, user) -> list[Follow]:
    if not _is_member(user):
        return []
    return list(Follow.objects.filter(user=user).select_related("author", "organization"))


def is_following(
    *, user, kind: str, author: Author | None = None, organization: Organization | None = None, value: str = ""
) -> bool:
    if not _is_member(user):
        return False
    return Follow.objects.filter(
        user=user, kind=kind, author=author, organization=organization, value=" ".join(value.split())
    ).exists()


@dataclass
class FollowedPaper:
    paper: Paper
    reasons: list[str]


def following_papers(*, user, limit: int = 50, before: Paper | None = None) -> list[FollowedPaper]:
    """The newest papers by followed authors or organizations, in followed categories, or matching followed searches,
    newest first, each with why it is there. ``before``: the next page, the papers older than this one (the last of
    the previous page) in the same order."""
    follows = follows_of(user=user)
    if not follows:
        return []
    older = Q()
    if before is not None:
        older = Q(published_at__lt=before.published_at) | Q(published_at=before.published_at, pk__lt=before.pk)
    reasons: dict[int, list[str]] = defaultdict(list)
    authors = {f.author_id: f.author.name for f in follows if f.kind == Follow.Kind.AUTHOR}
    organizations = {f.organization_id: str(f.organization) for f in follows if f.kind == Follow.Kind.ORGANIZATION}
    categories = [f.value for f in follows if f.kind == Follow.Kind.CATEGORY]
    if organizations:
        rows = (
            Paper.objects.filter(older, organization_id__in=list(organizations))
            .order_by("-published_at", "-pk")
            .values_list("pk", "organization_id")[:limit]
        )
        for pk, organization_id in rows:
            reasons[pk].append(f"from {organizations[organization_id]}")
    if authors:
        rows = (
            Paper.objects.filter(older, authorships__author_id__in=list(authors))
            .order_by("-published_at", "-pk")
            .values_list("pk", "authorships__author_id")[: limit * 4]
        )
        for pk, author_id in rows:
            reasons[pk].append(f"by {authors[author_id]}")
    for category in categories:
        condition = Q(primary_category=category) | Q(categories__contains=category)
        for pk, cats in (
            Paper.objects.filter(condition & older)
            .order_by("-published_at", "-pk")
            .values_list("pk", "categories")[:limit]
        ):
            if category in cats.split():
                reasons[pk].append(f"in {category}")
    searches = [f.value for f in follows if f.kind == Follow.Kind.SEARCH]
    if searches:
        from dailypapers.search import services as search_services

        for query in searches:
            found = search_services.search_papers(query=query, per_page=SEARCH_PER_FOLLOW, fetch=False)
            for pk in found.page_ids:
                reasons[pk].append(f"matches “{query}”")
    papers = card_papers(Paper.objects.filter(older, pk__in=list(reasons))).order_by("-published_at", "-pk")[:limit]
    return [FollowedPaper(paper, reasons[paper.pk]) for paper in papers]


def followed_among(*, user_id: int, paper_ids: list[int], limit: int) -> list[int]:
    """Those of these papers (e.g. a digest period's new ones) by followed authors or organizations or in followed
    categories, in the order given. Saved searches are left out: digests already have their own search alerts."""
    follows = list(Follow.objects.filter(user_id=user_id).exclude(kind=Follow.Kind.SEARCH))
    if not follows or not paper_ids:
        return []
    authors = [f.author_id for f in follows if f.kind == Follow.Kind.AUTHOR]
    organizations = [f.organization_id for f in follows if f.kind == Follow.Kind.ORGANIZATION]
    categories = {f.value for f in follows if f.kind == Follow.Kind.CATEGORY}
    found: set[int] = set()
    for start in range(0, len(paper_ids), 900):
        chunk = paper_ids[start : start + 900]
        if authors:
            found.update(
                Paper.objects.filter(pk__in=chunk, authorships__author_id__in=authors).values_list("pk", flat=True)
            )
        if organizations:
            found.update(
                Paper.objects.filter(pk__in=chunk, organization_id__in=organizations).values_list("pk", flat=True)
            )
        if categories:
            for pk, cats in Paper.objects.filter(pk__in=chunk).values_list("pk", "categories"):
                if categories.intersection(cats.split()):
                    found.add(pk)
    return [pk for pk in paper_ids if pk in found][:limit]


# --- what a user already has (recommendation positives) ---------------------------------------------------------


def owned_paper_sources(*, user_id: int) -> dict[int, list[str]]:
    """Every paper the user keeps or liked, with the names of where: collections, the reading list, "Upvoted"."""
    sources: dict[int, list[str]] = defaultdict(list)
    rows = CollectionItem.objects.filter(collection__owner_id=user_id).values_list("paper_id", "collection__name")
    for paper_id, name in rows:
        sources[paper_id].append(name)
    for paper_id in Vote.objects.filter(user_id=user_id).values_list("paper_id", flat=True):
        sources[paper_id].append(UPVOTED)
    return dict(sources)


# --- author claims ------------------------------------------------------------------------------------------------


def claimed_by(*, author: Author):
    claim = AuthorClaim.objects.filter(author=author, status=AuthorClaim.Status.APPROVED).select_related("user").first()
    return claim.user if claim else None


def claim_of(*, user, author: Author) -> AuthorClaim | None:
    if not _is_member(user):
        return None
    return AuthorClaim.objects.filter(user=user, author=author).first()


def pending_claims() -> QuerySet[AuthorClaim]:
    return AuthorClaim.objects.filter(status=AuthorClaim.Status.PENDING).select_related("user", "author")


def claimed_authors(*, user) -> QuerySet[Author]:
    return Author.objects.filter(claims__user=user, claims__status=AuthorClaim.Status.APPROVED)
