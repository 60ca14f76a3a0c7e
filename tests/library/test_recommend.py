"""'For you': the per-user classifier over the stored embeddings ranks same-topic papers first, never owned ones."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from dailypapers.community import services as community_services
from dailypapers.core.testing import import_papers as add_papers
from dailypapers.core.testing import make_user
from dailypapers.library import services
from dailypapers.library.recommend import recommend
from dailypapers.papers.models import Paper
from dailypapers.search import store
from dailypapers.search.embeddings import HashingEmbedder, set_embedder
from dailypapers.search.sync import sync_indexes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

TOPICS = {
    "quant": ("cs.LG", "quantization low bit integer weights activations precision rounding int4 calibration"),
    "protein": ("q-bio.BM", "protein folding structure residues amino acid backbone contact sequence alignment"),
    "galaxy": ("astro-ph.GA", "galaxy stellar halo redshift dark matter cluster luminosity spectra survey"),
}


def _corpus():
    rng = random.Random(7)
    rows = []
    for t, (topic, (category, words)) in enumerate(TOPICS.items()):
        vocabulary = words.split()
        for i in range(15):
            text = " ".join(rng.sample(vocabulary, 6))
            rows.append(
                {
                    "arxiv_id": f"2402.{t}{i:04d}",
                    "title": f"On {text[:30]}",
                    "abstract": text,
                    "categories": [category],
                    "authors": [f"{topic} author {i}"],
                    "published": dt.datetime(2024, 2, 1, tzinfo=dt.UTC) + dt.timedelta(days=i),
                }
            )
    return rows


@pytest.fixture
def corpus(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(HashingEmbedder(dim=128))
    store.forget_snapshot()
    add_papers(_corpus())
    yield
    set_embedder(None)
    store.forget_snapshot()


def _topic(paper_id: int) -> str:
    return {"cs.LG": "quant", "q-bio.BM": "protein", "astro-ph.GA": "galaxy"}[Paper.objects.get(pk=paper_id).categories]


def _keep(user, topic: str, count: int, *, name: str):
    collection = services.collection_create(owner=user, name=name)
    papers = list(Paper.objects.filter(arxiv_id__startswith=f"2402.{list(TOPICS).index(topic)}").order_by("arxiv_id"))
    for paper in papers[:count]:
        services.item_add(user=user, collection=collection, paper=paper)
    return papers[:count]


def test_it_ranks_same_topic_papers_first_and_excludes_owned_ones(corpus):
    sync_indexes(progress=False)
    user = make_user("reader")
    kept = _keep(user, "quant", 4, name="Quantization")
    upvoted = Paper.objects.get(arxiv_id="2402.00010")
    community_services.vote_toggle(user=user, paper=upvoted)
    services.save_for_later(user=user, paper=Paper.objects.get(arxiv_id="2402.00011"))
    recs = recommend(user_id=user.pk, limit=8)
    owned = {p.pk for p in kept} | {upvoted.pk, Paper.objects.get(arxiv_id="2402.00011").pk}
    assert len(recs) == 8 and not owned & {r.paper_id for r in recs}
    assert [_topic(r.paper_id) for r in recs] == ["quant"] * 8
    assert recs[0].paper is not None and recs[0].paper.title
    assert any("in “Quantization”" in r.reason for r in recs)
    assert all(r.reason.startswith("close to ") for r in recs)


def test_two_interests_get_both_and_a_reason_naming_each(corpus):
    sync_indexes(progress=False)
    user = make_user("two")
    _keep(user, "quant", 3, name="Quantization")
    _keep(user, "galaxy", 3, name="Galaxies")
    recs = recommend(user_id=user.pk, limit=12)
    topics = {_topic(r.paper_id) for r in recs}
    assert topics == {"quant", "galaxy"}
    for rec in recs:
        expected = "Quantization" if _topic(rec.paper_id) == "quant" else "Galaxies"
        assert f"“{expected}”" in rec.reason


def test_without_an_index_it_falls_back_to_categories_and_with_nothing_kept_it_is_empty(corpus):
    user = make_user("noindex")
    kept = _keep(user, "protein", 2, name="Proteins")
    recs = recommend(user_id=user.pk, limit=5)
    assert recs and {_topic(r.paper_id) for r in recs} == {"protein"}
    assert not {p.pk for p in kept} & {r.paper_id for r in recs}
    assert recommend(user_id=make_user("empty").pk) == []


def test_private_collections_of_others_never_leak_into_my_recommendations(corpus, client):
    sync_indexes(progress=False)
    owner, other = make_user("owner"), make_user("other")
    _keep(owner, "galaxy", 4, name="Secret galaxies")
    _keep(other, "protein", 3, name="Proteins")
    recs = recommend(user_id=other.pk, limit=10)
    assert all("Secret" not in r.reason for r in recs)
    client.force_login(other)
    page = client.get("/for-you").content.decode()
    assert "Secret galaxies" not in page and "in “Proteins”" in page


def test_the_digest_you_may_like_section_uses_the_library(corpus):
    from dailypapers.digests.content import DigestBuilder
    from dailypapers.digests.digest_periods import daily_period

    sync_indexes(progress=False)
    user = make_user("digest")
    kept = _keep(user, "galaxy", 4, name="Galaxies")  # no upvotes at all: only a collection
    builder = DigestBuilder(period=daily_period(dt.date(2026, 11, 25)), max_papers=5)
    builder._candidates = list(Paper.objects.values_list("pk", flat=True))  # this period's new papers: all of them
    section = builder.you_may_like(user_id=user.pk)
    ids = [p.arxiv_id for p in section.papers]
    assert len(ids) == 5 and all(i.startswith("2402.2") for i in ids)
    assert not {p.arxiv_id for p in kept} & set(ids)


def test_the_digest_has_a_section_of_what_the_user_follows(corpus):
    from dailypapers.digests.content import DigestBuilder
    from dailypapers.digests.digest_periods import daily_period
    from dailypapers.digests.models import Subscription
    from dailypapers.papers.models import Author

    user = make_user("follower")
    services.follow_set(user=user, kind="author", author=Author.objects.get(name="protein author 3"), following=True)
    services.follow_set(user=user, kind="category", value="astro-ph.GA", following=True)
    builder = DigestBuilder(period=daily_period(dt.date(2026, 11, 25)), max_papers=50)
    builder._candidates = list(Paper.objects.order_by("pk").values_list("pk", flat=True))
    sub = Subscription(
        email="f@example.org", user=user, include_trending=False, include_daily=False, include_recommendations=False
    )
    [section] = builder.sections(sub)
    ids = {p.arxiv_id for p in section.papers}
    assert section.key == "following" and ids == {"2402.10003"} | {f"2402.2{i:04d}" for i in range(15)}
    assert (
        builder.sections(
            Subscription(
                email="g@example.org",
                user=make_user("nobody"),
                include_trending=False,
                include_daily=False,
                include_recommendations=False,
            )
        )
        == []
    )
