"""Request and response schemas of the API, for validation and the OpenAPI document.

Hugging Face-compatible schemas use HF's camelCase names; ours use snake_case.
The views render their JSON in dailypapers.api.shapes; these schemas describe exactly that output.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool


class Error(Schema):
    error: str = Field(..., description="what went wrong, in words (also in the X-Error-Message header)")


# --- Hugging Face-compatible ------------------------------------------------------------------------------------


class HfUser(Schema):
    user: str = Field(..., description="user name")
    name: str = Field(..., description="user name (as huggingface.co sends it)")
    fullname: str
    avatarUrl: str
    type: Literal["user"] = "user"


class HfClaimant(Schema):
    user: str
    fullname: str
    avatarUrl: str
    type: Literal["user"] = "user"


class HfAuthor(Schema):
    name: str
    hidden: bool = False
    status: str | None = Field(None, description="the author claim's status, when claimed")
    user: HfClaimant | None = Field(None, description="the account that claimed this author")


class HfOrganization(Schema):
    name: str
    fullname: str
    avatar: str | None = Field(None, description="avatar URL (as huggingface.co sends it)")
    avatarUrl: str = Field("", description="avatar URL (what the client reads)")


class HfPaperExtras(Schema):
    githubRepo: str | None = None
    githubStars: int | None = None
    projectPage: str | None = None
    ai_summary: str | None = None
    ai_summary_model: str | None = None
    ai_keywords: list[str] = []
    organization: HfOrganization | None = None
    githubRepoAddedBy: str | None = None


class HfInnerPaper(HfPaperExtras):
    id: str = Field(..., description="arXiv id without version")
    authors: list[HfAuthor]
    publishedAt: str = Field(..., description="first arXiv version, e.g. 2025-07-30T12:34:56.000Z")
    submittedOnDailyAt: str | None = Field(None, description="when it was put on a daily page")
    title: str
    summary: str = Field(..., description="the abstract")
    upvotes: int
    discussionId: str
    submittedOnDailyBy: HfUser | None = None
    mediaUrls: list[str] | None = None


class HfItem(HfPaperExtras):
    """A wrapped item of /api/daily_papers and /api/papers/search."""

    paper: HfInnerPaper
    publishedAt: str = Field(..., description="when it was put on a daily page (its arXiv date if never)")
    title: str
    summary: str
    upvotes: int
    numComments: int
    submittedBy: HfUser | None
    isAuthorParticipating: bool = False
    thumbnail: str | None = None
    mediaUrls: list[str] | None = None


class HfPaper(HfPaperExtras):
    """The flat object of /api/papers/{id}."""

    id: str
    authors: list[HfAuthor]
    publishedAt: str
    submittedOnDailyAt: str | None
    submittedOnDailyBy: HfUser | None
    title: str
    summary: str
    upvotes: int
    discussionId: str
    numComments: int
    thumbnail: str | None = None
    mediaUrls: list[str] = []
    linkedModels: list[dict] = []
    numTotalModels: int = 0
    linkedDatasets: list[dict] = []
    numTotalDatasets: int = 0
    linkedSpaces: list[dict] = []
    numTotalSpaces: int = 0


class HfSubmitIn(Schema):
    paperId: str = Field(..., max_length=100, description="arXiv id, e.g. 2507.01006")
    comment: str | None = Field(None, max_length=10000, description="an optional first comment (markdown)")


class SubmitQueued(Schema):
    status: Literal["fetching"]
    paperId: str
    message: str


# --- /api/v1 ------------------------------------------------------------------------------------------------------


class AuthorRef(Schema):
    id: int
    name: str


class DailyEntryOut(Schema):
    upvotes: int = Field(0, description="the entry's upvotes: hub_upvotes plus the votes cast here (its page's rank)")
    day: dt.date
    submitted_at: dt.datetime
    submitter: str | None
    submitter_fullname: str | None
    source: str
    hub_upvotes: int = Field(0, description="upvotes on the hub it was imported from, as of that day")
    hub_comments: int = Field(0, description="comments on the hub it was imported from (ours: num_comments)")


class PaperOut(Schema):
    id: str = Field(..., description="arXiv id without version")
    version: int
    title: str
    abstract: str
    authors: list[AuthorRef]
    categories: list[str]
    primary_category: str | None
    published_at: dt.datetime
    updated_at: dt.datetime | None
    comments: str | None
    journal_ref: str | None
    doi: str | None
    license: str | None
    github_repo: str | None
    project_page: str | None
    upvotes: int
    num_comments: int = Field(..., description="comments here")
    hub_comments: int = Field(0, description="comments on the hub the paper was imported from")
    ai_summary: str | None = None
    ai_summary_model: str | None = None
    ai_keywords: list[str] = []
    github_stars: int | None = None
    organization: str | None = Field(None, description="the organization's name (its page: /orgs/<name>)")
    thumbnail: str | None = None
    daily_entry: DailyEntryOut | None
    url: str
    arxiv_url: str
    pdf_url: str


class PaperPage(Schema):
    items: list[PaperOut]
    next_cursor: str | None = Field(..., description="pass as ?cursor= for the next page; null on the last page")


class ScoredPaper(Schema):
    paper: PaperOut
    score: float


class SearchOut(Schema):
    query: str
    mode: str
    total: int
    page: int
    per_page: int
    redirect: str | None = Field(None, description="an exact arXiv id match: the paper's URL")
    hits: list[ScoredPaper]


class AuthorOut(Schema):
    id: int
    name: str
    num_papers: int


class HubAccountOut(Schema):
    username: str = Field(..., description="the account on Hugging Face")
    fullname: str
    avatar: str
    status: str = Field(..., description="Hugging Face's link status, e.g. claimed_verified")
    confirmed: bool = Field(..., description="claimed_verified, admin_assigned or extracted_confirmed")
    num_papers: int = Field(..., description="on how many of the author's papers here the account is linked")


class AuthorDetail(AuthorOut):
    claimed_by: str | None = Field(None, description="the member of this hub a moderator recognized as the author")
    hub_accounts: list[HubAccountOut] = Field(..., description="accounts the imported Hugging Face data links")
    papers: PaperPage


class DailyItem(Schema):
    day: dt.date
    paper: PaperOut


class DailyPage(Schema):
    start: dt.date | None
    end: dt.date | None
    page: int
    items: list[PaperOut]


class CommentOut(Schema):
    id: int
    parent_id: int | None
    user: str | None
    body: str = Field(..., description="markdown source (empty when removed)")
    body_html: str = Field(..., description="sanitized HTML rendering (empty when removed)")
    created: dt.datetime
    edited: dt.datetime | None
    removed: bool


class CommentIn(Schema):
    body: str = Field(..., min_length=1, max_length=10000)
    parent_id: int | None = None


class VoteIn(Schema):
    """Exactly {"upvote": true} or {"upvote": false}: anything else (a list, {}, "yes", 1) is a 400, not a vote."""

    model_config = ConfigDict(extra="forbid")
    upvote: StrictBool


class VoteOut(Schema):
    paper: str
    upvoted: bool
    upvotes: int


class MeOut(Schema):
    username: str
    is_moderator: bool
