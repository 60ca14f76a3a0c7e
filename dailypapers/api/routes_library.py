"""The personal library in the API: our /api/v1 routes (collections, items, reading list, notes, follows, For you,
Following) and Hugging Face's collection routes (/api/collections..., /api/whoami-v2) for paper items, so that
huggingface_hub's create_collection, get_collection, add_collection_item, update_collection_item,
delete_collection_item, update_collection_metadata, delete_collection and list_collections work against the hub.

Reads of collections take an optional token: a private collection is seen only with its owner's token (anyone else
gets 404, as for one that does not exist). Writes need a token; library.services refuses a non-owner (404 too).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from ninja import Query, Router

from dailypapers.api import selectors as api_selectors
from dailypapers.api import shapes
from dailypapers.api import shapes_library as lshapes
from dailypapers.api.auth import TokenAuth
from dailypapers.api.lookups import paper_or_404
from dailypapers.api.responses import ApiError, enforce_action_limit, json_response
from dailypapers.api.schemas import Error
from dailypapers.api.schemas_library import (
    CollectionIn,
    CollectionOut,
    CollectionPatch,
    CollectionSummary,
    FollowedPaperOut,
    FollowIn,
    FollowOut,
    HfCollection,
    HfCollectionIn,
    HfCollectionPatch,
    HfCollectionUpdated,
    HfItemIn,
    HfItemPatch,
    HfWhoami,
    ItemIn,
    ItemOut,
    ItemPatch,
    NoteIn,
    NoteOut,
    ReadingListIn,
    RecommendationOut,
)
from dailypapers.api.services import token_user
from dailypapers.library import selectors, services
from dailypapers.library.models import Collection, CollectionItem, Follow, Note
from dailypapers.library.recommend import recommend
from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.models import Author, Organization, Paper

router = Router(tags=["library"])
hf_router = Router(tags=["collections (Hugging Face compatible)"])
READ = {400: Error, 404: Error, 429: Error}
WRITE = {400: Error, 401: Error, 404: Error, 409: Error, 429: Error}
NOT_FOUND = "Collection not found"


def _viewer(request):
    """The token's user when a valid one of ours is sent, else anonymous (a huggingface.co token is ignored)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = token_user(secret=header[7:].strip())
        if user is not None:
            return user
    return AnonymousUser()


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _paper(paper_id: str) -> Paper:
    try:
        arxiv_id = parse_arxiv_id(paper_id).id
    except InvalidArxivId:
        raise ApiError(f"Paper not found: {paper_id[:100]}", status=404) from None
    paper = Paper.objects.filter(arxiv_id=arxiv_id).first()
    if paper is None:
        raise ApiError(f"Paper not found: {arxiv_id}", status=404)
    return paper


def _visible(viewer, owner: str, slug: str) -> Collection:
    found = selectors.collection_for(username=owner, slug=slug, viewer=viewer)
    if found is None:
        raise ApiError(NOT_FOUND, status=404)
    return found


def _owned(request, owner: str, slug: str) -> Collection:
    collection = _visible(request.auth, owner, slug)
    if collection.owner_id != request.auth.pk:
        raise ApiError(NOT_FOUND, status=404)
    enforce_action_limit(action="library", user=request.auth)
    return collection


def _write(fn, **kwargs):
    try:
        return fn(**kwargs)
    except services.AlreadyThere as exc:
        raise ApiError(str(exc), status=409) from None
    except services.LibraryError as exc:
        raise ApiError(str(exc), status=400) from None
    except services.NotAllowed:
        raise ApiError(NOT_FOUND, status=404) from None


# --- /api/v1 collections ------------------------------------------------------------------------------------------


@router.get("/collections", response={200: list[CollectionSummary], **READ}, summary="List collections")
def collections_list(request, owner: str = Query(..., min_length=1, max_length=150, description="a user name")):
    """A user's collections: the public ones, and the private ones (and the reading list) with the owner's token."""
    member = get_user_model().objects.filter(username=owner).first()
    if member is None:
        raise ApiError(f"User not found: {owner[:150]}", status=404)
    viewer = _viewer(request)
    rows = selectors.collections_of(owner=member, viewer=viewer, include_reading_list=True)
    return _private(json_response([lshapes.collection_summary(c) for c in rows]))


@router.post("/collections", auth=TokenAuth(), response={201: CollectionOut, **WRITE}, summary="Create a collection")
def collections_create(request, body: CollectionIn):
    enforce_action_limit(action="library", user=request.auth)
    collection = _write(
        services.collection_create,
        owner=request.auth,
        name=body.name,
        description=body.description,
        is_public=body.public,
    )
    return _private(json_response(lshapes.v1_collection(collection), status=201))


@router.get("/collections/{owner}/{slug}", response={200: CollectionOut, **READ}, summary="One collection")
def collections_get(request, owner: str, slug: str):
    return _private(json_response(lshapes.v1_collection(_visible(_viewer(request), owner, slug))))


@router.patch(
    "/collections/{owner}/{slug}",
    auth=TokenAuth(),
    response={200: CollectionOut, **WRITE},
    summary="Change a collection",
)
def collections_patch(request, owner: str, slug: str, body: CollectionPatch):
    collection = _owned(request, owner, slug)
    _write(
        services.collection_update,
        user=request.auth,
        collection=collection,
        name=body.name,
        description=body.description,
        is_public=body.public,
    )
    return _private(json_response(lshapes.v1_collection(collection)))


@router.delete(
    "/collections/{owner}/{slug}", auth=TokenAuth(), response={204: None, **WRITE}, summary="Delete a collection"
)
def collections_delete(request, owner: str, slug: str):
    _write(services.collection_delete, user=request.auth, collection=_owned(request, owner, slug))
    return HttpResponse(status=204)


@router.post(
    "/collections/{owner}/{slug}/items", auth=TokenAuth(), response={201: CollectionOut, **WRITE}, summary="Add a paper"
)
def items_add(request, owner: str, slug: str, body: ItemIn):
    collection = _owned(request, owner, slug)
    _write(services.item_add, user=request.auth, collection=collection, paper=_paper(body.paper), note=body.note)
    return _private(json_response(lshapes.v1_collection(collection), status=201))


@router.patch(
    "/collections/{owner}/{slug}/items/{path:paper_id}",
    auth=TokenAuth(),
    response={200: CollectionOut, **WRITE},
    summary="Move an item or change its note",
)
def items_patch(request, owner: str, slug: str, paper_id: str, body: ItemPatch):
    collection = _owned(request, owner, slug)
    paper = _paper(paper_id)
    if body.note is not None:
        _write(services.item_set_note, user=request.auth, collection=collection, paper=paper, note=body.note)
    if body.position is not None:
        _write(services.item_move, user=request.auth, collection=collection, paper=paper, position=body.position)
    if body.note is None and body.position is None and not collection.items.filter(paper=paper).exists():
        raise ApiError(f"arXiv:{paper.arxiv_id} is not in this collection", status=404)
    return _private(json_response(lshapes.v1_collection(collection)))


@router.delete(
    "/collections/{owner}/{slug}/items/{path:paper_id}",
    auth=TokenAuth(),
    response={204: None, **WRITE},
    summary="Remove a paper",
)
def items_delete(request, owner: str, slug: str, paper_id: str):
    collection = _owned(request, owner, slug)
    if not _write(services.item_remove, user=request.auth, collection=collection, paper=_paper(paper_id)):
        raise ApiError("Not in this collection", status=404)
    return HttpResponse(status=204)


# --- /api/v1/me: the token user's reading list, notes, follows, recommendations -------------------------------


@router.get(
    "/me/reading-list",
    auth=TokenAuth(),
    response={200: list[ItemOut], 401: Error, 429: Error},
    summary="Your reading list",
)
def reading_list(request, unread: bool = False):
    items = selectors.reading_list_items(user=request.auth, unread_only=unread)
    return _private(json_response(lshapes.v1_items(items)))


@router.put(
    "/me/reading-list/{path:paper_id}",
    auth=TokenAuth(),
    response={200: ItemOut, **WRITE},
    summary="Save for later / mark as read",
)
def reading_list_put(request, paper_id: str, body: ReadingListIn):
    """Put the paper on the reading list (idempotent); ``read`` marks it as read or unread."""
    paper = _paper(paper_id)
    enforce_action_limit(action="library", user=request.auth)
    services.save_for_later(user=request.auth, paper=paper)
    if body.read is not None:
        services.mark_read(user=request.auth, paper=paper, read=body.read)
    item = CollectionItem.objects.get(collection=services.reading_list(user=request.auth), paper=paper)
    return _private(json_response(lshapes.v1_items([item])[0]))


@router.delete(
    "/me/reading-list/{path:paper_id}",
    auth=TokenAuth(),
    response={204: None, **WRITE},
    summary="Take off the reading list",
)
def reading_list_delete(request, paper_id: str):
    paper = _paper(paper_id)
    enforce_action_limit(action="library", user=request.auth)
    if paper.pk not in selectors.saved_paper_ids(user=request.auth, paper_ids=[paper.pk]):
        raise ApiError("Not on your reading list", status=404)
    services.save_for_later(user=request.auth, paper=paper, saved=False)
    return HttpResponse(status=204)


@router.get(
    "/me/notes", auth=TokenAuth(), response={200: list[NoteOut], 401: Error, 429: Error}, summary="Your private notes"
)
def notes_list(request):
    return _private(json_response([lshapes.v1_note(n) for n in selectors.notes_of(user=request.auth)[:1000]]))


@router.get(
    "/me/notes/{path:paper_id}",
    auth=TokenAuth(),
    response={200: NoteOut, 401: Error, 404: Error, 429: Error},
    summary="Your note on a paper",
)
def notes_get(request, paper_id: str):
    note = selectors.note_of(user=request.auth, paper=_paper(paper_id))
    if note is None:
        raise ApiError("No note on this paper", status=404)
    return _private(json_response(lshapes.v1_note(note)))


@router.put(
    "/me/notes/{path:paper_id}",
    auth=TokenAuth(),
    response={200: NoteOut, 204: None, **WRITE},
    summary="Write your note on a paper",
)
def notes_put(request, paper_id: str, body: NoteIn):
    """Write (or replace) your private note; an empty body deletes it (204)."""
    paper = _paper(paper_id)
    enforce_action_limit(action="library", user=request.auth)
    note: Note | None = _write(services.note_set, user=request.auth, paper=paper, body=body.body)
    if note is None:
        return HttpResponse(status=204)
    return _private(json_response(lshapes.v1_note(note)))


@router.get(
    "/me/follows", auth=TokenAuth(), response={200: list[FollowOut], 401: Error, 429: Error}, summary="What you follow"
)
def follows_list(request):
    return _private(json_response([lshapes.v1_follow(f) for f in selectors.follows_of(user=request.auth)]))


@router.post(
    "/me/follows",
    auth=TokenAuth(),
    response={201: FollowOut, **WRITE},
    summary="Follow an author, an organization, a category or a search",
)
def follows_create(request, body: FollowIn):
    """Follow an author (``author_id``), an organization (``organization``: its name, as in /orgs/<name>), an arXiv
    category or a search (``value``). Following again what one follows already answers the same follow."""
    enforce_action_limit(action="library", user=request.auth)
    author = organization = None
    if body.kind == Follow.Kind.AUTHOR:
        author = Author.objects.filter(pk=body.author_id).first() if body.author_id else None
        if author is None:
            raise ApiError("Author not found", status=404)
    if body.kind == Follow.Kind.ORGANIZATION:
        organization = Organization.objects.filter(name=body.organization).first() if body.organization else None
        if organization is None:
            raise ApiError("Organization not found", status=404)
    follow = _write(
        services.follow_set,
        user=request.auth,
        kind=body.kind,
        author=author,
        organization=organization,
        value=body.value,
        following=True,
    )
    follow = Follow.objects.select_related("author", "organization").get(pk=follow.pk)
    return _private(json_response(lshapes.v1_follow(follow), status=201))


@router.delete("/me/follows/{int:follow_id}", auth=TokenAuth(), response={204: None, **WRITE}, summary="Stop following")
def follows_delete(request, follow_id: int):
    follow = Follow.objects.filter(pk=follow_id, user=request.auth).first() if follow_id < 2**53 else None
    if follow is None:
        raise ApiError("Follow not found", status=404)
    _write(services.follow_delete, user=request.auth, follow=follow)
    return HttpResponse(status=204)


def _cards(ids: list[int]) -> dict[int, dict]:
    return {row["id"]: shapes.v1_paper(row) for row in api_selectors.paper_rows(paper_ids=ids)}


@router.get(
    "/me/for-you",
    auth=TokenAuth(),
    response={200: list[RecommendationOut], 401: Error, 429: Error},
    summary="Recommended for you",
)
def for_you(request, limit: int = Query(20, ge=1, le=100)):
    """Papers like the ones you keep (collections, reading list) and upvoted, each with a one-line reason."""
    recs = recommend(user_id=request.auth.pk, limit=limit, with_papers=False)
    rows = _cards([r.paper_id for r in recs])
    rows = [{"paper": rows[r.paper_id], "score": r.score, "reason": r.reason} for r in recs if r.paper_id in rows]
    return _private(json_response(rows))


@router.get(
    "/me/following",
    auth=TokenAuth(),
    response={200: list[FollowedPaperOut], 401: Error, 429: Error},
    summary="New papers from what you follow",
)
def following(
    request,
    limit: int = Query(50, ge=1, le=100),
    before: str | None = Query(None, max_length=40, description="the next page: papers older than this arXiv id"),
):
    """Newest first; for the next page, pass the last paper's id as ``before``."""
    older = paper_or_404(before) if before else None
    found = selectors.following_papers(user=request.auth, limit=limit, before=older)
    rows = _cards([f.paper.pk for f in found])
    return _private(
        json_response([{"paper": rows[f.paper.pk], "reasons": f.reasons} for f in found if f.paper.pk in rows])
    )


# --- Hugging Face-compatible collections ------------------------------------------------------------------------


@hf_router.get(
    "/whoami-v2",
    auth=TokenAuth(),
    response={200: HfWhoami, 401: Error, 429: Error},
    summary="Who am I (Hugging Face's shape)",
)
def whoami(request):
    user = request.auth
    return _private(
        json_response(
            {
                "type": "user",
                "id": str(user.pk),
                "name": user.username,
                "fullname": user.get_full_name() or user.username,
                "email": None,
                "avatarUrl": getattr(user, "avatar_url", "") or "",
                "orgs": [],
                "auth": {"type": "access_token", "accessToken": {"displayName": "personal token", "role": "write"}},
            }
        )
    )


@hf_router.get("/collections", response={200: list[HfCollection], **READ}, by_alias=True, summary="List collections")
def hf_collections_list(
    request,
    owner: str | None = Query(None, max_length=150),
    item: str | None = Query(None, max_length=200, description="papers/<arXiv id>"),
    limit: int = Query(100, ge=1, le=100),
):
    """Public collections (and the token owner's private ones), newest change first, 4 items each."""
    viewer = _viewer(request)
    rows = Collection.objects.filter(kind=Collection.Kind.COLLECTION).select_related("owner")
    if viewer.is_authenticated:
        from django.db.models import Q

        rows = rows.filter(Q(is_public=True) | Q(owner=viewer))
    else:
        rows = rows.filter(is_public=True)
    if owner:
        rows = rows.filter(owner__username=owner)
    if item:
        kind, _, item_id = item.partition("/")
        if kind != "papers":
            return _private(json_response([]))  # only papers live here
        try:
            rows = rows.filter(items__paper__arxiv_id=parse_arxiv_id(item_id).id)
        except InvalidArxivId:
            return _private(json_response([]))
    rows = rows.order_by("-updated", "-pk")[:limit]
    return _private(json_response([lshapes.hf_collection(c, max_items=4, position=None) for c in rows]))


@hf_router.post(
    "/collections",
    auth=TokenAuth(),
    response={200: HfCollection, 403: Error, **WRITE},
    by_alias=True,
    summary="Create a collection",
)
def hf_collections_create(request, body: HfCollectionIn):
    if body.namespace != request.auth.username:
        raise ApiError(f"You can only create collections in your own namespace ({request.auth.username})", status=403)
    enforce_action_limit(action="library", user=request.auth)
    existing = Collection.objects.filter(
        owner=request.auth, kind=Collection.Kind.COLLECTION, name=body.title.strip()
    ).first()
    if existing is not None:
        response = json_response(
            {"error": "A collection with this title already exists", "slug": lshapes.hf_slug(existing)}, status=409
        )
        response["X-Error-Message"] = "A collection with this title already exists"
        return response
    collection = _write(
        services.collection_create,
        owner=request.auth,
        name=body.title,
        description=body.description or "",
        is_public=not body.private,
    )
    return _private(json_response(lshapes.hf_collection(collection)))


@hf_router.get(
    "/collections/{namespace}/{slug}", response={200: HfCollection, **READ}, by_alias=True, summary="One collection"
)
def hf_collections_get(request, namespace: str, slug: str):
    return _private(json_response(lshapes.hf_collection(_visible(_viewer(request), namespace, slug))))


@hf_router.patch(
    "/collections/{namespace}/{slug}",
    auth=TokenAuth(),
    response={200: HfCollectionUpdated, **WRITE},
    by_alias=True,
    summary="Change a collection",
)
def hf_collections_patch(request, namespace: str, slug: str, body: HfCollectionPatch):
    collection = _owned(request, namespace, slug)
    _write(
        services.collection_update,
        user=request.auth,
        collection=collection,
        name=body.title,
        description=body.description,
        is_public=None if body.private is None else not body.private,
    )
    return _private(json_response({"data": lshapes.hf_collection(collection)}))  # as huggingface.co answers


@hf_router.delete(
    "/collections/{namespace}/{slug}", auth=TokenAuth(), response={204: None, **WRITE}, summary="Delete a collection"
)
def hf_collections_delete(request, namespace: str, slug: str):
    _write(services.collection_delete, user=request.auth, collection=_owned(request, namespace, slug))
    return HttpResponse(status=204)


@hf_router.post(
    "/collections/{namespace}/{slug}/items",
    auth=TokenAuth(),
    response={200: HfCollection, **WRITE},
    by_alias=True,
    summary="Add a paper",
)
def hf_items_add(request, namespace: str, slug: str, body: HfItemIn):
    collection = _owned(request, namespace, slug)
    if body.item.type != "paper":
        raise ApiError(f"Only papers can be collected on this hub, not a {body.item.type[:20]!r}", status=400)
    paper = _paper(body.item.id)
    _write(services.item_add, user=request.auth, collection=collection, paper=paper, note=body.note or "")
    return _private(json_response(lshapes.hf_collection(collection)))


def _hf_item(collection: Collection, item_object_id: str) -> CollectionItem:
    item = None
    if item_object_id.isdigit() and len(item_object_id) < 16:
        item = collection.items.filter(pk=int(item_object_id)).select_related("paper").first()
    if item is None:
        raise ApiError("Item not found in this collection", status=404)
    return item


@hf_router.patch(
    "/collections/{namespace}/{slug}/items/{item_object_id}",
    auth=TokenAuth(),
    response={200: HfCollection, **WRITE},
    by_alias=True,
    summary="Move an item or change its note",
)
def hf_items_patch(request, namespace: str, slug: str, item_object_id: str, body: HfItemPatch):
    collection = _owned(request, namespace, slug)
    item = _hf_item(collection, item_object_id)
    if body.note is not None:
        _write(services.item_set_note, user=request.auth, collection=collection, paper=item.paper, note=body.note)
    if body.position is not None:
        _write(services.item_move, user=request.auth, collection=collection, paper=item.paper, position=body.position)
    return _private(json_response(lshapes.hf_collection(collection)))


@hf_router.delete(
    "/collections/{namespace}/{slug}/items/{item_object_id}",
    auth=TokenAuth(),
    response={200: HfCollection, **WRITE},
    by_alias=True,
    summary="Remove an item",
)
def hf_items_delete(request, namespace: str, slug: str, item_object_id: str):
    collection = _owned(request, namespace, slug)
    item = _hf_item(collection, item_object_id)
    _write(services.item_remove, user=request.auth, collection=collection, paper=item.paper)
    return _private(json_response(lshapes.hf_collection(collection)))
