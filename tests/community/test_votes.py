"""Upvotes: one per user per paper, toggled, and exact under concurrency (threads on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from dailypapers.community import services
from dailypapers.community.models import Vote
from dailypapers.core.testing import make_paper, make_user
from dailypapers.papers.models import Paper

pytestmark = pytest.mark.django_db


def test_it_toggles_a_vote_and_keeps_the_counter():
    paper = make_paper(imported_upvotes=7)
    user = make_user()
    assert services.vote_toggle(user=user, paper=paper) == (True, 8)
    assert services.vote_toggle(user=user, paper=paper) == (False, 7)
    assert Vote.objects.count() == 0


def test_it_sets_a_vote_idempotently():
    paper = make_paper()
    user = make_user()
    assert services.vote_set(user=user, paper=paper, up=True) == (True, 1)
    assert services.vote_set(user=user, paper=paper, up=True) == (True, 1)
    assert services.vote_set(user=user, paper=paper, up=False) == (False, 0)
    assert services.vote_set(user=user, paper=paper, up=False) == (False, 0)


def test_it_recounts_a_broken_counter():
    paper = make_paper(imported_upvotes=2)
    services.vote_toggle(user=make_user(), paper=paper)
    Paper.objects.filter(pk=paper.pk).update(upvotes=999)
    assert services.votes_recount(paper=paper) == 3


def _hammer(work, n_threads: int) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(n_threads)

    def run(i):
        try:
            barrier.wait(timeout=30)
            work(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    return errors


@pytest.mark.django_db(transaction=True)
def test_it_counts_every_vote_when_many_users_vote_at_once():
    paper = make_paper(imported_upvotes=3)
    users = [make_user(f"voter{i}") for i in range(16)]

    def work(i):
        services.vote_toggle(user=users[i], paper=paper)

    assert _hammer(work, len(users)) == []
    paper.refresh_from_db()
    assert Vote.objects.filter(paper=paper).count() == 16
    assert paper.upvotes == 3 + 16


@pytest.mark.django_db(transaction=True)
def test_it_stays_exact_when_users_toggle_repeatedly_at_once():
    paper = make_paper()
    users = [make_user(f"toggler{i}") for i in range(8)]

    def work(i):
        # Each user toggles 5 times (ends voted) and the same user also races itself with vote_set.
        for _ in range(5):
            services.vote_toggle(user=users[i], paper=paper)
        services.vote_set(user=users[i], paper=paper, up=True)

    assert _hammer(work, len(users)) == []
    paper.refresh_from_db()
    assert Vote.objects.filter(paper=paper).count() == 8
    assert paper.upvotes == 8


@pytest.mark.django_db(transaction=True)
def test_it_never_lets_one_user_vote_twice_even_racing_itself():
    paper = make_paper()
    user = make_user("racer")

    def work(i):
        services.vote_set(user=user, paper=paper, up=True)

    assert _hammer(work, 8) == []
    paper.refresh_from_db()
    assert Vote.objects.filter(paper=paper, user=user).count() == 1
    assert paper.upvotes == 1
