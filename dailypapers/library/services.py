"""Library writes: collections and their items, the reading list, notes, follows and author claims.

Authorization lives here, not in the views: every function takes the acting user and refuses (NotAllowed) to
write anything that user does not own, whatever route called it. Bad input raises LibraryError with a message to
show; nothing is half-written (each write is one transaction).
"""

from __future__ import annotations

import contextlib
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from dailypapers.library.models import (
    DESCRIPTION_MAX_CHARS,
    ITEM_NOTE_MAX_CHARS,
    NOTE_MAX_CHARS,
    AuthorClaim,
    Collection,
    CollectionItem,
    Follow,
    Note,
)
from dailypapers.papers.models import Author, Organization, Paper
from dailypapers.papers.selectors import hub_accounts

NAME_MAX_CHARS = 200
QUERY_MAX_CHARS = 300
READING_LIST_NAME = "Reading list"
READING_LIST_SLUG = "reading-list"


class LibraryError(ValueError):
    """Input the library cannot take (empty name, note too long...); str(exc) says why."""


class NotAllowed(PermissionError):
    """The user may not write this (someone else's collection, a moderation step without the role)."""


class AlreadyThere(LibraryError):
    """The paper is already in the collection (or the thing already followed / claimed)."""


def _require_member(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise NotAllowed("Sign in to keep a library.")


def _require_owner(user, collection: Collection) -> None:
    _require_member(user)
    if collection.owner_id != user.pk:
        raise NotAllowed("Only the owner can change this collection.")


def _clean_text(text: str | None, *, limit: int, what: str, required: bool = False) -> str:
    text = (text or "").replace("\x00", "").strip()
    if required and not text:
        raise LibraryError(f"The {what} cannot be empty.")
    if len(text) > limit:
        raise LibraryError(f"The {what} is too long ({len(text)} characters, at most {limit}).")
    return text


def _new_slug(*, owner, name: str) -> str:
    base = slugify(name)[:60].strip("-") or "collection"
    while True:  # a random tail, as Hugging Face's slugs have: renaming never breaks a link, names may repeat
        slug = f"{base}-{secrets.token_hex(6)}"
        if slug != READING_LIST_SLUG and not Collection.objects.filter(owner=owner, slug=slug).exists():
            return slug


# --- collections ------------------------------------------------------------------------------------------------


def collection_create(*, owner, name: str, description: str = "", is_public: bool = False) -> Collection:
    _require_member(owner)
    name = _clean_text(name, limit=NAME_MAX_CHARS, what="name", required=True)
    description = _clean_text(description, limit=DESCRIPTION_MAX_CHARS, what="description")
    return Collection.objects.create(
        owner=owner,
        name=name,
        slug=_new_slug(owner=owner, name=name),
        description=description,
        is_public=bool(is_public),
    )


def collection_update(
    *,
    user,
    collection: Collection,
    name: str | None = None,
    description: str | None = None,
    is_public: bool | None = None,
) -> Collection:
    _require_owner(user, collection)
    if name is not None:
        collection.name = _clean_text(name, limit=NAME_MAX_CHARS, what="name", required=True)
    if description is not None:
        collection.description = _clean_text(description, limit=DESCRIPTION_MAX_CHARS, what="description")
    if is_public is not None:
        if collection.is_reading_list and is_public:
            raise LibraryError("The reading list is always private.")
        collection.is_public = bool(is_public)
    collection.save()
    return collection


def collection_delete(*, user, collection: Collection) -> None:
    _require_owner(user, collection)
    if collection.is_reading_list:
        raise LibraryError("The reading list cannot be deleted.")
    collection.delete()


def _touch(collection: Collection) -> None:
    Collection.objects.filter(pk=collection.pk).update(updated=timezone.now())


def item_add(*, user, collection: Collection, paper: Paper, note: str = "") -> CollectionItem:
    """Append the paper at the end; AlreadyThere if it is in the collection already."""
    _require_owner(user, collection)
    note = _clean_text(note, limit=ITEM_NOTE_MAX_CHARS, what="note")
    try:
        with transaction.atomic():
            last = collection.items.aggregate(last=Max("position"))["last"]
            item = CollectionItem.objects.create(
                collection=collection, paper=paper, note=note, position=0 if last is None else last + 1
            )
    except IntegrityError:
        raise AlreadyThere(f"arXiv:{paper.arxiv_id} is already in “{collection.name}”.") from None
    _touch(collection)
    return item


def item_remove(*, user, collection: Collection, paper: Paper) -> bool:
    _require_owner(user, collection)
    deleted, _ = CollectionItem.objects.filter(collection=collection, paper=paper).delete()
    if deleted:
        _touch(collection)
    return bool(deleted)


def _item(collection: Collection, paper: Paper) -> CollectionItem:
    item = CollectionItem.objects.filter(collection=collection, paper=paper).first()
    if item is None:
        raise LibraryError(f"arXiv:{paper.arxiv_id} is not in “{collection.name}”.")
    return item


def item_set_note(*, user, collection: Collection, paper: Paper, note: str) -> CollectionItem:
    _require_owner(user, collection)
    item = _item(collection, paper)
    item.note = _clean_text(note, limit=ITEM_NOTE_MAX_CHARS, what="note")
    item.save(update_fields=["note"])
    _touch(collection)
    return item


def item_move(*, user, collection: Collection, paper: Paper, position: int) -> list[int]:
    """Put the paper at ``position`` (0-based, clamped) and renumber the rest; returns the paper ids in order."""
    _require_owner(user, collection)
    with transaction.atomic():
        items = list(collection.items.select_for_update().order_by("position", "pk"))
        moving = next((it for it in items if it.paper_id == paper.pk), None)
        if moving is None:
            raise LibraryError(f"arXiv:{paper.arxiv_id} is not in “{collection.name}”.")
        items.remove(moving)
        items.insert(max(0, min(int(position), len(items))), moving)
        changed = []
        for index, it in enumerate(items):
            if it.position != index:
                it.position = index
                changed.append(it)
        CollectionItem.objects.bulk_update(changed, ["position"])
    _touch(collection)
    return [it.paper_id for it in items]


def item_shift(*, user, collection: Collection, paper: Paper, offset: int) -> list[int]:
    """Move the paper ``offset`` places (-1: up, +1: down)."""
    _require_owner(user, collection)
    order = list(collection.items.order_by("position", "pk").values_list("paper_id", flat=True))
    if paper.pk not in order:
        raise LibraryError(f"arXiv:{paper.arxiv_id} is not in “{collection.name}”.")
    return item_move(user=user, collection=collection, paper=paper, position=order.index(paper.pk) + offset)


# --- the reading list -------------------------------------------------------------------------------------------


def reading_list(*, user) -> Collection:
    """The user's reading list, created on first use."""
    _require_member(user)
    found = Collection.objects.filter(owner=user, kind=Collection.Kind.READING_LIST).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Collection.objects.create(
                owner=user, kind=Collection.Kind.READING_LIST, name=READING_LIST_NAME, slug=READING_LIST_SLUG
            )
    except IntegrityError:  # created by a concurrent request
        return Collection.objects.get(owner=user, kind=Collection.Kind.READING_LIST)


def save_for_later(*, user, paper: Paper, saved: bool = True) -> bool:
    """Put the paper on (or take it off) the reading list; returns whether it is on it now."""
    collection = reading_list(user=user)
    if not saved:
        item_remove(user=user, collection=collection, paper=paper)
        return False
    with contextlib.suppress(AlreadyThere):
        item_add(user=user, collection=collection, paper=paper)
    return True


def mark_read(*, user, paper: Paper, read: bool = True) -> CollectionItem:
    """Mark a paper of the reading list as read (or unread again); it stays on the list."""
    collection = reading_list(user=user)
    item = _item(collection, paper)
    item.read_at = timezone.now() if read else None
    item.save(update_fields=["read_at"])
    return item


# --- notes --------------------------------------------------------------------------------------------------------


def note_set(*, user, paper: Paper, body: str) -> Note | None:
    """Write the user's private note on the paper; an empty body deletes it (returns None)."""
    _require_member(user)
    body = _clean_text(body, limit=NOTE_MAX_CHARS, what="note")
    if not body:
        Note.objects.filter(user=user, paper=paper).delete()
        return None
    note, _ = Note.objects.update_or_create(user=user, paper=paper, defaults={"body": body})
    return note


# --- follows ------------------------------------------------------------------------------------------------------


def _follow_key(
    kind: str, *, author: Author | None, organization: Organization | None, value: str
) -> tuple[Author | None, Organization | None, str]:
    if kind == Follow.Kind.AUTHOR:
        if author is None:
            raise LibraryError("Which author?")
        return author, None, ""
    if kind == Follow.Kind.ORGANIZATION:
        if organization is None:
            raise LibraryError("Which organization?")
        return None, organization, ""
    if kind == Follow.Kind.CATEGORY:
        value = _clean_text(value, limit=40, what="category", required=True)
        if not all(ch.isalnum() or ch in ".-_" for ch in value):
            raise LibraryError(f"Not an arXiv category: {value[:40]}")
        return None, None, value
    if kind == Follow.Kind.SEARCH:
        value = " ".join(_clean_text(value, limit=QUERY_MAX_CHARS, what="search", required=True).split())
        return None, None, value
    raise LibraryError(f"Cannot follow a {kind!r}: one of {', '.join(Follow.Kind.values)}.")


def follow_set(
    *,
    user,
    kind: str,
    following: bool,
    author: Author | None = None,
    organization: Organization | None = None,
    value: str = "",
) -> Follow | None:
    """Follow (or stop following) an author, an organization, a category or a saved search; returns the follow, or
    None when it is not followed (any more)."""
    _require_member(user)
    author, organization, value = _follow_key(kind, author=author, organization=organization, value=value)
    rows = Follow.objects.filter(user=user, kind=kind, author=author, organization=organization, value=value)
    if not following:
        rows.delete()
        return None
    found = rows.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, kind=kind, author=author, organization=organization, value=value)
    except IntegrityError:  # a concurrent request followed it
        return rows.get()


def follow_delete(*, user, follow: Follow) -> None:
    _require_member(user)
    if follow.user_id != user.pk:
        raise NotAllowed("Only its owner can remove a follow.")
    follow.delete()


# --- author claims ------------------------------------------------------------------------------------------------


def claim_request(*, user, author: Author, message: str = "") -> AuthorClaim:
    """Ask to be recognized as this author; a moderator decides. Refused when the page is already held here (by the
    asker or by someone else). When Hugging Face's data links the author to an account there, the claim still goes to
    a moderator, with a message saying how to check that the asker is that person (it is not taken on trust)."""
    _require_member(user)
    message = _clean_text(message, limit=500, what="message")
    holder = AuthorClaim.objects.filter(author=author, status=AuthorClaim.Status.APPROVED).first()
    if holder is not None:
        if holder.user_id == user.pk:
            raise AlreadyThere(f"You already hold the page of {author.name}.")
        raise AlreadyThere(f"{author.name} is already claimed by another member; if that is wrong, tell a moderator.")
    claim = AuthorClaim.objects.filter(user=user, author=author).first()
    if claim is not None:
        if claim.status == AuthorClaim.Status.PENDING:
            raise AlreadyThere("Your claim is waiting for a moderator.")
        raise LibraryError("A moderator turned this claim down.")
    linked = [account for account in hub_accounts(author_id=author.pk) if account.confirmed]
    if linked and not message:
        names = ", ".join(f"@{account.username}" for account in linked[:3])
        raise LibraryError(
            f"Hugging Face links {author.name} to {names}: say how a moderator can check that you are this author "
            "(for example, your Hugging Face account)."
        )
    try:
        with transaction.atomic():
            return AuthorClaim.objects.create(user=user, author=author, message=message)
    except IntegrityError:  # the same user's concurrent request
        raise AlreadyThere("Your claim is waiting for a moderator.") from None


def claim_decide(*, moderator, claim: AuthorClaim, approve: bool) -> AuthorClaim:
    if not getattr(moderator, "can_moderate", False):
        raise NotAllowed("Only moderators decide author claims.")
    if claim.status != AuthorClaim.Status.PENDING:
        raise LibraryError(f"This claim was already {claim.status}.")
    claim.status = AuthorClaim.Status.APPROVED if approve else AuthorClaim.Status.REJECTED
    claim.decided_by, claim.decided_at = moderator, timezone.now()
    try:
        with transaction.atomic():
            claim.save(update_fields=["status", "decided_by", "decided_at"])
    except IntegrityError:
        claim.status, claim.decided_by, claim.decided_at = AuthorClaim.Status.PENDING, None, None
        raise AlreadyThere(f"{claim.author.name} is already claimed by someone else.") from None
    return claim
