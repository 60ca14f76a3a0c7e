"""Request and response schemas of the library routes: our /api/v1 ones (snake_case) and Hugging Face's collection
routes (camelCase, as huggingface_hub's Collection and CollectionItem read them)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from dailypapers.api.schemas import PaperOut

# --- /api/v1 ------------------------------------------------------------------------------------------------------


class CollectionIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=1000)
    public: bool = False


class CollectionPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=1000)
    public: bool | None = None


class ItemIn(Schema):
    paper: str = Field(..., min_length=1, max_length=100, description="an arXiv id")
    note: str = Field("", max_length=500)


class ItemPatch(Schema):
    note: str | None = Field(None, max_length=500)
    position: int | None = Field(None, ge=0, le=1_000_000, description="new 0-based position")


class ItemOut(Schema):
    position: int
    note: str
    added: str
    read_at: str | None = None
    paper: PaperOut


class CollectionSummary(Schema):
    owner: str
    slug: str
    name: str
    description: str
    public: bool
    kind: Literal["collection", "reading_list"]
    num_items: int
    updated: str
    url: str


class CollectionOut(CollectionSummary):
    items: list[ItemOut]


class ReadingListIn(Schema):
    read: bool | None = Field(None, description="mark as read (true) or unread (false); absent: unchanged")


class NoteIn(Schema):
    body: str = Field(..., max_length=10000, description="empty: delete the note")


class NoteOut(Schema):
    paper: str
    body: str
    updated: str


class FollowIn(Schema):
    kind: Literal["author", "organization", "category", "search"]
    author_id: int | None = Field(None, ge=1, le=2**53)
    organization: str | None = Field(None, max_length=100, description="an organization's name (as in /orgs/<name>)")
    value: str = Field("", max_length=300, description="the category or the query (not for authors, organizations)")


class FollowOut(Schema):
    id: int
    kind: str
    author_id: int | None = None
    author_name: str | None = None
    organization: str | None = None
    organization_fullname: str | None = None
    value: str


class RecommendationOut(Schema):
    paper: PaperOut
    score: float
    reason: str


class FollowedPaperOut(Schema):
    paper: PaperOut
    reasons: list[str]


# --- Hugging Face collections ---------------------------------------------------------------------------------------


class HfOwner(Schema):
    object_id: str = Field(..., alias="_id", serialization_alias="_id")
    name: str
    fullname: str
    avatarUrl: str
    type: Literal["user"] = "user"


class HfNote(Schema):
    text: str
    html: str


class HfCollectionItem(Schema):
    object_id: str = Field(
        ..., alias="_id", serialization_alias="_id", description="the item's id in the collection (item_object_id)"
    )
    id: str
    type: Literal["paper"] = "paper"
    position: int
    note: HfNote | None = None
    title: str
    publishedAt: str | None = None
    upvotes: int


class HfCollection(Schema):
    slug: str
    title: str
    description: str | None = None
    owner: HfOwner
    items: list[HfCollectionItem]
    lastUpdated: str
    position: int | None = Field(None, description="left out of lists")
    private: bool
    theme: str
    upvotes: int
    isUpvotedByUser: bool = False
    shareUrl: str


class HfCollectionUpdated(Schema):
    data: HfCollection


class HfCollectionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    namespace: str = Field(..., min_length=1, max_length=150)
    private: bool = False
    description: str | None = Field(None, max_length=1000)


class HfCollectionPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=1000)
    private: bool | None = None
    position: int | None = None
    theme: str | None = Field(None, max_length=40)


class HfItemRef(Schema):
    id: str = Field(..., min_length=1, max_length=200)
    type: str = Field(..., max_length=20)


class HfItemIn(Schema):
    item: HfItemRef
    note: str | None = Field(None, max_length=500)


class HfItemPatch(Schema):
    note: str | None = Field(None, max_length=500)
    position: int | None = Field(None, ge=0, le=1_000_000)


class HfWhoami(Schema):
    type: Literal["user"] = "user"
    id: str
    name: str
    fullname: str
    email: str | None = None
    avatarUrl: str
    orgs: list[dict] = []
    auth: dict
