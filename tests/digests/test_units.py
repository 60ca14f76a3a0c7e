"""Pure parts of digests: e-mail URLs, periods (which papers are new on which day), and the "you may like" ranking."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.core.emailurl import InvalidEmailUrl, parse_email_url
from dailypapers.digests.digest_periods import (
    InvalidPeriod,
    daily_period,
    due_periods,
    parse_digest_period,
    weekly_period,
)

UTC = dt.UTC


def test_it_parses_email_urls_into_django_settings():
    assert parse_email_url("") == {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    smtp = parse_email_url("smtp://ada%40lab:p%3Ass@mail.example.org:2525?tls=1&timeout=5")
    assert smtp == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "ada@lab",
        "EMAIL_HOST_PASSWORD": "p:ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 5.0,
    }
    smtps = parse_email_url("smtps://u:p@mail.example.org")
    assert smtps["EMAIL_PORT"] == 465 and smtps["EMAIL_USE_SSL"] and not smtps["EMAIL_USE_TLS"]
    assert parse_email_url("smtp://localhost")["EMAIL_PORT"] == 25
    assert parse_email_url("file:///tmp/mail")["EMAIL_FILE_PATH"] == "/tmp/mail"
    for bad in ("gopher://x", "smtp://", "smtp://h:notaport", "smtp://h?timeout=soon"):
        with pytest.raises(InvalidEmailUrl):
            parse_email_url(bad)


def test_daily_windows_run_from_one_weekday_send_time_to_the_next_and_never_overlap():
    monday, tuesday = daily_period(dt.date(2026, 11, 23)), daily_period(dt.date(2026, 11, 24))
    # Monday's digest has what arrived since Friday's; its daily-page section covers Friday to Sunday.
    assert monday.window_start == dt.datetime(2026, 11, 20, 6, tzinfo=UTC)
    assert monday.window_end == dt.datetime(2026, 11, 23, 6, tzinfo=UTC) == tuesday.window_start
    assert tuesday.window_end == dt.datetime(2026, 11, 24, 6, tzinfo=UTC)
    assert monday.published_after == dt.datetime(2026, 11, 10, 6, tzinfo=UTC)
    assert (monday.page_start, monday.page_end) == (dt.date(2026, 11, 20), dt.date(2026, 11, 22))
    assert daily_period(dt.date(2026, 11, 23), send_time=dt.time(7, 30)).window_end.time() == dt.time(7, 30)
    week = [daily_period(dt.date(2026, 11, 23) + dt.timedelta(days=i)) for i in range(5)]
    for a, b in zip(week, week[1:], strict=False):
        assert a.window_end == b.window_start
    with pytest.raises(InvalidPeriod):
        daily_period(dt.date(2026, 11, 28))
    weekly = weekly_period(dt.date(2026, 11, 23))
    assert weekly.window_end - weekly.window_start == dt.timedelta(days=7) and weekly.key == "weekly:2026-11-23"
    assert parse_digest_period("daily:2026-11-23") == monday
    for bad in ("", "daily", "hourly:2026-11-23", "daily:2026-13-01"):
        with pytest.raises(InvalidPeriod):
            parse_digest_period(bad)


def test_due_periods_come_on_weekdays_after_the_send_time_and_weekly_on_its_day():
    six = dt.time(6)
    monday_morning = dt.datetime(2026, 11, 23, 5, 59, tzinfo=UTC)
    assert due_periods(now=monday_morning, send_time=six, weekly_day=0) == []
    keys = [p.key for p in due_periods(now=monday_morning.replace(hour=7), send_time=six, weekly_day=0)]
    assert keys == ["daily:2026-11-23", "weekly:2026-11-23"]
    saturday = dt.datetime(2026, 11, 28, 9, tzinfo=UTC)
    assert due_periods(now=saturday, send_time=six, weekly_day=0) == []
    assert [p.key for p in due_periods(now=saturday, send_time=six, weekly_day=5)] == ["weekly:2026-11-28"]


@pytest.mark.django_db
def test_you_may_like_ranks_new_papers_close_to_the_upvoted_ones(django_user_model):
    from dailypapers.core.testing import make_paper
    from dailypapers.digests.content import DigestBuilder
    from dailypapers.digests.models import Subscription

    period = daily_period(dt.date(2026, 11, 25))
    old = dt.datetime(2026, 10, 1, tzinfo=UTC)
    new = {"published": period.window_start, "arrived": period.window_start + dt.timedelta(hours=1)}
    liked = [make_paper(f"2610.0000{i}", title=f"Liked {i}", published=old, arrived=old) for i in range(3)]
    make_paper("2611.00001", title="Parsing with grammars", categories="cs.CL cs.LG", upvotes=1, **new)
    make_paper("2611.00002", title="Quarks", categories="hep-ph", upvotes=99, **new)
    make_paper("2611.00003", title="Learning to see", categories="cs.CV cs.LG", upvotes=3, **new)
    user = django_user_model.objects.create_user("u", email="u@example.org")
    from dailypapers.community.services import vote_set

    for paper in liked:
        vote_set(user=user, paper=paper, up=True)
    # No stored embeddings: ranked by shared categories.
    sub = Subscription(email="u@example.org", user=user, include_trending=False, include_daily=False)
    [section] = DigestBuilder(period=period).sections(sub)
    assert section.title == "You may like" and [p.arxiv_id for p in section.papers] == ["2611.00001"]
    anonymous = Subscription(email="v@example.org", include_trending=False, include_daily=False)
    assert DigestBuilder(period=period).sections(anonymous) == []


@pytest.mark.django_db
def test_papers_after_a_day_without_announcements_arrive_in_the_next_digest_and_old_imports_never_do():
    from dailypapers.core.testing import make_paper
    from dailypapers.digests import sources
    from dailypapers.digests.content import DigestBuilder

    holiday, thursday = daily_period(dt.date(2026, 11, 25)), daily_period(dt.date(2026, 11, 26))
    fetched = dt.datetime(2026, 11, 26, 1, 30, tzinfo=UTC)  # Thursday's early fetch
    make_paper(
        "2611.00042", title="Sparse mixture of experts", published=fetched - dt.timedelta(days=2), arrived=fetched
    )
    make_paper(
        "1706.03762", title="Old mixture of experts", published=dt.datetime(2017, 6, 12, tzinfo=UTC), arrived=fetched
    )

    def news(p):
        return sources.has_news(
            window_start=p.window_start, window_end=p.window_end, page_start=p.page_start, page_end=p.page_end
        )

    assert not news(holiday) and news(thursday)
    section = DigestBuilder(period=thursday).topic(kind="search", value="mixture of experts")
    assert [p.arxiv_id for p in section.papers] == ["2611.00042"]


@pytest.mark.django_db
def test_you_may_like_ranks_by_stored_embeddings_when_the_search_app_has_them(django_user_model):
    import struct

    from dailypapers.community.services import vote_set
    from dailypapers.core.testing import make_paper
    from dailypapers.digests.content import DigestBuilder
    from dailypapers.digests.models import Subscription
    from dailypapers.search.embeddings import get_embedder
    from dailypapers.search.models import PaperEmbedding

    period = daily_period(dt.date(2026, 11, 25))
    new = {"published": period.window_start, "arrived": period.window_start + dt.timedelta(hours=1)}
    old = dt.datetime(2026, 10, 1, tzinfo=UTC)
    liked = make_paper("2610.00001", title="Liked", published=old, arrived=old, categories="hep-th")
    close = make_paper("2611.00001", title="Close in meaning", categories="astro-ph", **new)
    far = make_paper("2611.00002", title="Far in meaning", categories="hep-th", upvotes=50, **new)
    for paper, vector in ((liked, (1.0, 0.0, 0.0)), (close, (0.9, 0.1, 0.0)), (far, (0.0, 0.0, 1.0))):
        PaperEmbedding.objects.create(
            paper=paper, model=get_embedder().name, dim=3, text_hash="x", vector=struct.pack("<3e", *vector)
        )
    user = django_user_model.objects.create_user("w", email="w@example.org")
    vote_set(user=user, paper=liked, up=True)
    sub = Subscription(email="w@example.org", user=user, include_trending=False, include_daily=False)
    [section] = DigestBuilder(period=period).sections(sub)
    assert [p.arxiv_id for p in section.papers][0] == "2611.00001"


@pytest.mark.django_db
def test_the_daily_page_section_leaves_out_what_the_trending_section_shows(settings):
    from dailypapers.core.testing import make_paper
    from dailypapers.digests.content import DigestBuilder
    from dailypapers.digests.models import Subscription

    settings.DIGESTS_MAX_PAPERS = 1
    period = daily_period(dt.date(2026, 11, 25))
    new = {"published": period.window_start, "arrived": period.window_start, "day": period.page_end}
    make_paper("2611.00001", title="Most upvoted", upvotes=9, **new)
    make_paper("2611.00002", title="Second", upvotes=2, **new)
    both = DigestBuilder(period=period).sections(Subscription(email="a@example.org"))
    assert [(s.title, [p.arxiv_id for p in s.papers]) for s in both] == [
        ("Trending", ["2611.00001"]),
        ("Also on the daily page", ["2611.00002"]),
    ]
    page_only = DigestBuilder(period=period).sections(Subscription(email="b@example.org", include_trending=False))
    assert [(s.title, [p.arxiv_id for p in s.papers]) for s in page_only] == [("On the daily page", ["2611.00001"])]


@pytest.mark.django_db
def test_requests_whose_link_expired_unused_are_forgotten_and_nothing_else(settings):
    from django.utils import timezone

    from dailypapers.digests.models import DigestDelivery, Subscription
    from dailypapers.digests.services import purge_unconfirmed

    settings.DIGESTS_CONFIRM_MAX_AGE_DAYS = 7
    now = timezone.now()
    old, recent = now - dt.timedelta(days=8), now - dt.timedelta(days=2)

    def made(email, status, created, notice=None):
        sub = Subscription.objects.create(email=email, status=status)
        Subscription.objects.filter(pk=sub.pk).update(created=created, notice_sent_at=notice)
        return sub

    pending = Subscription.Status.PENDING
    made("expired@example.org", pending, old, old)
    made("never-mailed@example.org", pending, old)
    made("asked-again@example.org", pending, old, recent)  # an old row with a new, still valid link
    made("fresh@example.org", pending, recent, recent)
    made("active@example.org", Subscription.Status.ACTIVE, old, old)
    former = made("former@example.org", pending, old, old)
    DigestDelivery.objects.create(subscription=former, period="daily:2026-11-02")
    assert purge_unconfirmed(now=now) == 2
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "active@example.org",
        "asked-again@example.org",
        "former@example.org",
        "fresh@example.org",
    ]
    assert purge_unconfirmed(now=now) == 0
