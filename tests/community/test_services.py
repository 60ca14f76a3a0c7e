"""Comments, submissions, moderation and trending: the community services and selectors on a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dailypapers.community import selectors, services
from dailypapers.community.markdown import render_markdown
from dailypapers.community.models import Comment, ModerationAction, SubmissionRequest, Vote
from dailypapers.core.testing import make_entry, make_paper, make_user
from dailypapers.papers.models import DailyEntry, Paper

pytestmark = pytest.mark.django_db


# --- markdown ---------------------------------------------------------------------------------------------------


def test_it_keeps_math_for_katex_and_markdown_around_it():
    html = render_markdown("The *loss* is $a_1 + b_2^*$ and\n\n$$\\sum_{i=1}^n x_i$$")
    assert "<em>loss</em>" in html
    assert '<span class="math math-inline">$a_1 + b_2^*$</span>' in html
    assert "$$\\sum_{i=1}^n x_i$$" in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "[x](JaVaScRiPt:alert(1))",
        "![x](javascript:alert(1))",
        '<svg onload="alert(1)">',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_it_lets_no_script_handler_or_javascript_link_through(payload):
    found = _elements(render_markdown(payload))
    assert not [tag for tag, _ in found if tag in {"script", "img", "svg", "iframe", "object"}]
    attributes = [(name, value or "") for _, attrs in found for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert not [
        v for n, v in attributes if n in {"href", "src"} and not v.startswith(("http://", "https://", "mailto:"))
    ]


def _elements(html: str) -> list[tuple[str, list]]:
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


# --- comments ---------------------------------------------------------------------------------------------------


def test_it_threads_replies_and_counts_visible_comments():
    paper = make_paper()
    alice, bob = make_user("alice"), make_user("bob")
    top = services.comment_create(user=alice, paper=paper, body="First!")
    reply = services.comment_create(user=bob, paper=paper, body="A reply", parent=top)
    services.comment_create(user=alice, paper=paper, body="Reply to the reply", parent=reply)
    paper.refresh_from_db()
    assert paper.num_comments == 3
    roots = selectors.comment_thread(paper=paper)
    assert [c.body for c in roots] == ["First!"]
    assert roots[0].children[0].children[0].body == "Reply to the reply"


def test_it_refuses_empty_and_cross_paper_replies():
    paper, other = make_paper(), make_paper()
    user = make_user()
    with pytest.raises(services.CommentRefused):
        services.comment_create(user=user, paper=paper, body="   ")
    top = services.comment_create(user=user, paper=other, body="elsewhere")
    with pytest.raises(services.CommentRefused):
        services.comment_create(user=user, paper=paper, body="hi", parent=top)


def test_it_lets_authors_edit_and_delete_only_their_own_comments():
    paper = make_paper()
    alice, bob = make_user("alice"), make_user("bob")
    comment = services.comment_create(user=alice, paper=paper, body="typo")
    with pytest.raises(services.NotAllowed):
        services.comment_edit(user=bob, comment=comment, body="vandal")
    services.comment_edit(user=alice, comment=comment, body="fixed **now**")
    comment.refresh_from_db()
    assert comment.edited is not None and "<strong>now</strong>" in comment.body_html
    with pytest.raises(services.NotAllowed):
        services.comment_delete(user=bob, comment=comment)
    services.comment_delete(user=alice, comment=comment)
    comment.refresh_from_db()
    paper.refresh_from_db()
    assert comment.is_deleted and comment.body == "" and paper.num_comments == 0


def test_it_lets_only_moderators_hide_comments_and_logs_it():
    paper = make_paper()
    member, moderator = make_user("member"), make_user("mod", is_moderator=True)
    comment = services.comment_create(user=member, paper=paper, body="spam")
    with pytest.raises(services.NotAllowed):
        services.comment_hide(moderator=member, comment=comment)
    services.comment_hide(moderator=moderator, comment=comment, reason="spam")
    paper.refresh_from_db()
    assert Comment.objects.get(pk=comment.pk).is_hidden and paper.num_comments == 0
    assert ModerationAction.objects.filter(kind="hide_comment", moderator=moderator).exists()
    services.comment_hide(moderator=moderator, comment=comment, hidden=False)
    paper.refresh_from_db()
    assert paper.num_comments == 1


# --- moderation of entries and users ----------------------------------------------------------------------------


def test_it_lets_moderators_remove_entries_and_suspend_members():
    paper = make_paper()
    entry = make_entry(paper, dt.date(2026, 1, 5))
    member, moderator = make_user("member"), make_user("mod", is_moderator=True)
    with pytest.raises(services.NotAllowed):
        services.entry_remove(moderator=member, entry=entry)
    services.entry_remove(moderator=moderator, entry=entry)
    assert not DailyEntry.objects.filter(pk=entry.pk).exists() and Paper.objects.filter(pk=paper.pk).exists()
    services.user_suspend(moderator=moderator, user=member)
    member.refresh_from_db()
    assert not member.is_active
    with pytest.raises(services.NotAllowed):
        services.user_suspend(moderator=moderator, user=moderator)


# --- submissions ------------------------------------------------------------------------------------------------


def test_it_puts_a_recent_stored_paper_on_todays_page():
    now = timezone.now()
    paper = make_paper(arxiv_id="2501.00042", published=now - dt.timedelta(days=3))
    user = make_user()
    entry = services.submit_paper(user=user, arxiv_id="https://arxiv.org/abs/2501.00042v2", now=now)
    assert entry.paper == paper and entry.day == now.date() and entry.submitted_by == user


def test_it_refuses_submissions_with_clear_messages(settings):
    settings.SUBMISSIONS_PER_DAY = 2
    now = timezone.now()
    user = make_user()
    old = make_paper(published=now - dt.timedelta(days=30))
    with pytest.raises(services.SubmissionRefused, match="not an arXiv id"):
        services.submit_paper(user=user, arxiv_id="not a paper", now=now)
    with pytest.raises(services.SubmissionRefused, match="last 14 days"):
        services.submit_paper(user=user, arxiv_id=old.arxiv_id, now=now)
    fresh = make_paper(published=now)
    services.submit_paper(user=user, arxiv_id=fresh.arxiv_id, now=now)
    with pytest.raises(services.SubmissionRefused, match="already on the page of") as refused:
        services.submit_paper(user=make_user("other"), arxiv_id=fresh.arxiv_id, now=now)
    assert refused.value.entry is not None
    services.submit_paper(user=user, arxiv_id=make_paper(published=now).arxiv_id, now=now)
    with pytest.raises(services.SubmissionRefused, match="daily limit"):
        services.submit_paper(user=user, arxiv_id=make_paper(published=now).arxiv_id, now=now)


def test_it_refuses_an_unknown_paper_when_it_cannot_be_fetched(monkeypatch):
    # An unknown paper is queued for the worker, which fetches it through the ingest's arXiv client; a paper arXiv
    # does not have is refused there, after a few tries, not a crash.
    monkeypatch.setattr(services, "_fetch_from_arxiv", lambda arxiv_ids: None)
    with pytest.raises(services.SubmissionQueued, match="being fetched"):
        services.submit_paper(user=make_user(), arxiv_id="2501.99999")
    for _ in range(services.FETCH_ATTEMPTS):
        services.process_submission_requests()
    [request] = SubmissionRequest.objects.all()
    assert request.state == "refused" and "arXiv has no paper with the id 2501.99999" in request.message


# --- trending ---------------------------------------------------------------------------------------------------


def _vote_at(paper, user, when):
    Vote.objects.create(user=user, paper=paper)
    Vote.objects.filter(user=user, paper=paper).update(created=when)
    Paper.objects.filter(pk=paper.pk).update(upvotes=paper.upvotes + 1)
    paper.upvotes += 1


def test_it_ranks_a_fresh_rising_paper_above_one_with_many_old_votes():
    now = timezone.now()
    old_favourite = make_paper(title="Old favourite")
    rising = make_paper(title="Rising")
    voters = [make_user(f"v{i}") for i in range(30)]
    for user in voters[:25]:
        _vote_at(old_favourite, user, now - dt.timedelta(days=6))
    for user in voters[25:]:
        _vote_at(rising, user, now - dt.timedelta(hours=2))
    ranked = selectors.trending_papers(now=now, days=7)
    assert [p.title for p in ranked[:2]] == ["Rising", "Old favourite"]
    assert old_favourite.upvotes > rising.upvotes
    assert ranked[0].trending_score > ranked[1].trending_score


def test_it_counts_imported_upvotes_at_the_entry_time_and_ignores_votes_outside_the_window():
    now = timezone.now()
    imported = make_paper(title="Imported", imported_upvotes=40)
    make_entry(imported, (now - dt.timedelta(days=1)).date(), submitted_at=now - dt.timedelta(days=1))
    ancient = make_paper(title="Ancient")
    _vote_at(ancient, make_user("a"), now - dt.timedelta(days=30))
    ranked = selectors.trending_papers(now=now, days=7)
    assert [p.title for p in ranked] == ["Imported"]
    assert ranked[0].trending_score == pytest.approx(40 * 2 ** (-24 / 24), rel=0.01)


def test_it_pages_trending_with_limit_and_offset():
    now = timezone.now()
    papers = [make_paper(title=f"P{i}") for i in range(5)]
    for i, paper in enumerate(papers):
        for j in range(i + 1):
            _vote_at(paper, make_user(f"u{i}-{j}"), now - dt.timedelta(hours=1))
    assert [p.title for p in selectors.trending_papers(now=now, limit=2, offset=1)] == ["P3", "P2"]
    assert selectors.trending_papers(now=now, limit=2, offset=10**9) == []
