"""Community writes: votes, comments, submissions and moderation.

Counters stay exact under concurrency: each Vote row created or deleted changes Paper.upvotes by an F() update in
the same transaction, so Paper.upvotes == Paper.imported_upvotes + (number of Vote rows) always holds, on SQLite
(writers serialized by IMMEDIATE transactions) and on PostgreSQL (the F() update locks the paper's row; the unique
constraint on (user, paper) refuses a second vote). Paper.num_comments counts the visible comments the same way.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dailypapers.community.markdown import MAX_BODY_CHARS, render_markdown
from dailypapers.community.models import Comment, ModerationAction, SubmissionRequest, User, Vote
from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.models import DailyEntry, Paper

log = logging.getLogger(__name__)


class SubmissionRefused(Exception):
    """A submission the rules do not allow; str(exc) is the message to show the user."""

    def __init__(self, message: str, *, entry: DailyEntry | None = None):
        super().__init__(message)
        self.message = message
        self.entry = entry


class SubmissionQueued(SubmissionRefused):
    """The paper is not in the hub yet: the worker fetches it from arXiv and then submits it (no 'refusal')."""


class CommentRefused(ValueError):
    """A comment that cannot be written (empty, too long, on a hidden thread...); str(exc) says why."""


class NotAllowed(PermissionError):
    """The user may not do this (edit someone else's comment, moderate without the role)."""


def _current_count(paper_id: int) -> int:
    return Paper.objects.filter(pk=paper_id).values_list("upvotes", flat=True).get()


# --- votes ----------------------------------------------------------------------------------------------------


def _add_vote(user, paper_id: int) -> bool:
    """Create the vote row and bump the counter; False when the vote already existed."""
    try:
        with transaction.atomic():
            Vote.objects.create(user=user, paper_id=paper_id)
    except IntegrityError:
        return False
    Paper.objects.filter(pk=paper_id).update(upvotes=F("upvotes") + 1)
    return True


def _remove_vote(user, paper_id: int) -> bool:
    deleted, _ = Vote.objects.filter(user=user, paper_id=paper_id).delete()
    if deleted:
        Paper.objects.filter(pk=paper_id).update(upvotes=F("upvotes") - deleted)
    return bool(deleted)


def vote_toggle(*, user, paper: Paper) -> tuple[bool, int]:
    """Upvote the paper, or take the upvote back; returns (voted now?, the paper's new upvote count)."""
    with transaction.atomic():
        if _remove_vote(user, paper.pk):
            voted = False
        else:
            _add_vote(user, paper.pk)
            voted = True
        count = _current_count(paper.pk)
    paper.upvotes = count
    return voted, count


def vote_set(*, user, paper: Paper, up: bool) -> tuple[bool, int]:
    """Make the user's vote on the paper be ``up`` (idempotent); returns (voted?, new count)."""
    with transaction.atomic():
        if up:
            _add_vote(user, paper.pk)
        else:
            _remove_vote(user, paper.pk)
        count = _current_count(paper.pk)
    paper.upvotes = count
    return up, count


def votes_recount(*, paper: Paper) -> int:
    """Repair a counter from the vote rows (for operators; normal writes keep it exact)."""
    with transaction.atomic():
        count = paper.imported_upvotes + Vote.objects.filter(paper=paper).count()
        Paper.objects.filter(pk=paper.pk).update(upvotes=count)
    paper.upvotes = count
    return count


# --- comments -------------------------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise CommentRefused("A comment needs some text.")
    if len(body) > MAX_BODY_CHARS:
        raise CommentRefused(
            f"A comment can be at most {MAX_BODY_CHARS:,} characters long (this one has {len(body):,})."
        )
    return body


def comment_create(*, user, paper: Paper, body: str, parent: Comment | None = None) -> Comment:
    """Write a comment (or a reply to ``parent``) on a paper."""
    body = _clean_body(body)
    if parent is not None:
        if parent.paper_id != paper.pk:
            raise CommentRefused("That reply belongs to another paper's discussion.")
        if not parent.is_visible:
            raise CommentRefused("That comment was removed; it cannot get new replies.")
    with transaction.atomic():
        comment = Comment.objects.create(
            paper=paper, author=user, parent=parent, body=body, body_html=render_markdown(body)
        )
        Paper.objects.filter(pk=paper.pk).update(num_comments=F("num_comments") + 1)
    return comment


def _check_owner(user, comment: Comment) -> None:
    if comment.author_id != user.pk:
        raise NotAllowed("Only the author can change this comment.")
    if comment.is_deleted:
        raise CommentRefused("This comment was deleted.")


def comment_edit(*, user, comment: Comment, body: str) -> Comment:
    _check_owner(user, comment)
    if comment.is_hidden:
        raise CommentRefused("A moderator hid this comment; it cannot be edited.")
    comment.body = _clean_body(body)
    comment.body_html = render_markdown(comment.body)
    comment.edited = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited"])
    return comment


def _set_visibility(comment: Comment, **fields) -> None:
    """Change deleted/hidden flags, keeping num_comments equal to the paper's visible comments."""
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        was_visible = current.is_visible
        for name, value in fields.items():
            setattr(current, name, value)
        current.save(update_fields=list(fields))
        now_visible = current.is_visible
        if was_visible != now_visible:
            delta = 1 if now_visible else -1
            Paper.objects.filter(pk=current.paper_id).update(num_comments=F("num_comments") + delta)
    for name, value in fields.items():
        setattr(comment, name, value)


def comment_delete(*, user, comment: Comment) -> None:
    """Delete one's own comment: its text goes, its place in the thread stays so replies keep their context."""
    _check_owner(user, comment)
    _set_visibility(comment, is_deleted=True, body="", body_html="")


def _require_moderator(user) -> None:
    if not getattr(user, "can_moderate", False):
        raise NotAllowed("Only moderators can do this.")


def comment_hide(*, moderator, comment: Comment, hidden: bool = True, reason: str = "") -> None:
    """Hide a comment from everyone but moderators (or show it again)."""
    _require_moderator(moderator)
    _set_visibility(comment, is_hidden=hidden, hidden_by=moderator if hidden else None)
    ModerationAction.objects.create(
        moderator=moderator,
        kind=ModerationAction.Kind.HIDE_COMMENT if hidden else ModerationAction.Kind.UNHIDE_COMMENT,
        target=f"comment {comment.pk} on {comment.paper.arxiv_id}",
        reason=reason[:500],
    )


# --- moderation of entries and users --------------------------------------------------------------------------


def entry_remove(*, moderator, entry: DailyEntry, reason: str = "") -> None:
    """Take a paper off the daily page it was put on (the paper itself stays in the store)."""
    _require_moderator(moderator)
    target = f"{entry.paper.arxiv_id} on {entry.day.isoformat()}"
    with transaction.atomic():
        entry.delete()
        ModerationAction.objects.create(
            moderator=moderator, kind=ModerationAction.Kind.REMOVE_ENTRY, target=target, reason=reason[:500]
        )


def user_suspend(*, moderator, user: User, suspended: bool = True, reason: str = "") -> None:
    """Suspend an account (it can no longer sign in, its sessions stop working) or lift the suspension."""
    _require_moderator(moderator)
    if suspended and (
        user.pk == moderator.pk or user.is_superuser or (user.can_moderate and not moderator.is_superuser)
    ):
        raise NotAllowed("Moderators cannot suspend themselves, other moderators or administrators.")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=not suspended)
        ModerationAction.objects.create(
            moderator=moderator,
            kind=ModerationAction.Kind.SUSPEND_USER if suspended else ModerationAction.Kind.UNSUSPEND_USER,
            target=f"user {user.username}",
            reason=reason[:500],
        )
    user.is_active = not suspended


# --- submissions ----------------------------------------------------------------------------------------------


def _fetch_from_arxiv(arxiv_ids: list[str]) -> None:
    """Fetch papers through the ingest's rate-limited arXiv client (the worker only); SubmissionRefused on failure."""
    from dailypapers.papers.ingest.fetching import fetch_ids

    try:
        fetch_ids(arxiv_ids)
    except Exception as exc:  # the network, arXiv being down, a parse error: all end in a message, not a crash
        log.warning("fetching %s for submissions failed: %s", ", ".join(arxiv_ids), exc)
        raise SubmissionRefused(
            f"arXiv could not be reached right now ({type(exc).__name__}). Try again later."
        ) from None


def submit_paper(*, user, arxiv_id: str, now: dt.datetime | None = None, queue_unknown: bool = True) -> DailyEntry:
    """Put a paper on today's page for ``user``, by arXiv id or URL, following the hub's rules.

    Refused (SubmissionRefused, with the reason in words) when: the text is not an arXiv id or URL; the user has
    reached the daily cap (settings.SUBMISSIONS_PER_DAY); arXiv has no such paper; it was first published more than
    settings.SUBMISSION_MAX_AGE_DAYS days ago; it is already on a daily page (one entry per paper).

    A paper the hub does not have is never fetched here (arXiv may be slow or down: a request must not wait on
    it): a SubmissionRequest is queued for the worker's ``submissions`` job and SubmissionQueued raised, with the
    message to show ("fetching, it will appear shortly"). The job calls this again with queue_unknown=False.
    """
    now = now or timezone.now()
    try:
        canonical = parse_arxiv_id(arxiv_id).id
    except InvalidArxivId:
        raise SubmissionRefused(
            f"“{(arxiv_id or '').strip()[:80]}” is not an arXiv id or URL. "
            "Use an id like 2501.01234 or a link like https://arxiv.org/abs/2501.01234."
        ) from None
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise SubmissionRefused("Sign in to submit papers.")

    day_start = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    cap = settings.SUBMISSIONS_PER_DAY
    waiting = SubmissionRequest.objects.filter(
        user=user, state=SubmissionRequest.State.PENDING, requested_at__gte=day_start
    ).exclude(arxiv_id=canonical)
    if DailyEntry.objects.filter(submitted_by=user, submitted_at__gte=day_start).count() + waiting.count() >= cap:
        raise SubmissionRefused(f"You have submitted {cap} papers today, the daily limit. Come back tomorrow.")

    paper = Paper.objects.filter(arxiv_id=canonical).first()
    if paper is None:
        if not queue_unknown:
            raise SubmissionRefused(f"arXiv has no paper with the id {canonical}.")
        SubmissionRequest.objects.update_or_create(
            user=user,
            arxiv_id=canonical,
            defaults={"requested_at": now, "state": SubmissionRequest.State.PENDING, "attempts": 0, "message": ""},
        )
        raise SubmissionQueued(
            f"arXiv:{canonical} is being fetched from arXiv; it will appear on today's page shortly if the rules "
            "allow it (published recently, not on a page yet)."
        )

    existing = DailyEntry.objects.filter(paper=paper).first()
    if existing is not None:
        raise SubmissionRefused(
            f"arXiv:{canonical} is already on the page of {existing.day.isoformat()}; each paper appears once.",
            entry=existing,
        )
    max_age = settings.SUBMISSION_MAX_AGE_DAYS
    if paper.published_at < now - dt.timedelta(days=max_age):
        raise SubmissionRefused(
            f"arXiv:{canonical} was first published on {paper.published_at.date().isoformat()}; only papers "
            f"published on arXiv in the last {max_age} days can be submitted."
        )
    try:
        with transaction.atomic():
            return DailyEntry.objects.create(
                paper=paper,
                day=now.astimezone(dt.UTC).date(),
                submitted_by=user,
                submitter_name=user.username,
                submitter_fullname=user.get_full_name()[:300],
                submitter_avatar=user.avatar_url,
                submitted_at=now,
                source=DailyEntry.Source.USER,
            )
    except IntegrityError:
        existing = DailyEntry.objects.filter(paper=paper).first()
        day = existing.day.isoformat() if existing else "another day"
        raise SubmissionRefused(
            f"arXiv:{canonical} was just put on the page of {day} by someone else.", entry=existing
        ) from None


FETCH_ATTEMPTS = 5  # runs of the job (DAILYPAPERS_SUBMISSION_FETCH_SECONDS apart) before a missing paper is refused


def process_submission_requests(*, limit: int = 50) -> str:
    """The worker's side of submissions of unknown papers: fetch them from arXiv (one call for the batch), then
    submit each for its user under the usual rules. A paper still missing after FETCH_ATTEMPTS runs is refused."""
    pending = list(
        SubmissionRequest.objects.filter(state=SubmissionRequest.State.PENDING)
        .select_related("user")
        .order_by("id")[:limit]
    )
    if not pending:
        return "no submissions waiting"
    missing = sorted(
        {r.arxiv_id for r in pending}
        - set(Paper.objects.filter(arxiv_id__in=[r.arxiv_id for r in pending]).values_list("arxiv_id", flat=True))
    )
    if missing:
        try:
            _fetch_from_arxiv(missing)
        except SubmissionRefused as exc:
            log.warning("fetching submitted papers failed: %s", exc)
    done = refused = waiting = 0
    for request in pending:
        try:
            submit_paper(user=request.user, arxiv_id=request.arxiv_id, queue_unknown=False)
        except SubmissionRefused as exc:
            request.attempts += 1
            if Paper.objects.filter(arxiv_id=request.arxiv_id).exists() or request.attempts >= FETCH_ATTEMPTS:
                request.state, request.message = SubmissionRequest.State.REFUSED, exc.message[:500]
                refused += 1
            else:
                waiting += 1
        else:
            request.state, request.message = SubmissionRequest.State.DONE, ""
            done += 1
        request.save(update_fields=["state", "message", "attempts"])
    return f"{done} submitted, {refused} refused, {waiting} waiting for arXiv"
