"""Following an organization: the button on /orgs/<name>, the Following page, the digest section and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from dailypapers.api.services import token_create
from dailypapers.core.testing import make_paper, make_user
from dailypapers.library import selectors, services
from dailypapers.library.models import Follow
from dailypapers.papers.models import Organization

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
JSON = "application/json"


@pytest.fixture
def lab():
    return Organization.objects.create(name="ExampleLab", fullname="Example Lab", avatar="https://cdn.example/o.png")


@pytest.fixture
def other_lab():
    return Organization.objects.create(name="OtherLab", fullname="Other Lab")


@pytest.fixture
def papers(lab, other_lab):
    ours = make_paper(title="Lab paper one", authors=("Zed Unfollowed",), categories="math.AG")
    ours.organization = lab
    ours.save(update_fields=["organization"])
    theirs = make_paper(title="Other lab paper", authors=("Yan Unfollowed",), categories="math.AG")
    theirs.organization = other_lab
    theirs.save(update_fields=["organization"])
    nobody = make_paper(title="Paper of no lab", authors=("Xi Unfollowed",), categories="math.AG")
    return ours, theirs, nobody


@pytest.fixture
def member():
    return make_user("member")


def test_following_an_organization_is_idempotent_and_unique_per_user(member, lab, other_lab):
    first = services.follow_set(user=member, kind="organization", organization=lab, following=True)
    again = services.follow_set(user=member, kind="organization", organization=lab, following=True)
    assert first is not None and again is not None and first.pk == again.pk
    services.follow_set(user=member, kind="organization", organization=other_lab, following=True)
    assert Follow.objects.filter(user=member, kind="organization").count() == 2  # two labs, both kept
    assert selectors.is_following(user=member, kind="organization", organization=lab)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=member, kind="organization", organization=lab)
    with pytest.raises(IntegrityError), transaction.atomic():  # an organization follow must name one
        Follow.objects.create(user=member, kind="organization")
    with pytest.raises(services.LibraryError):
        services.follow_set(user=member, kind="organization", following=True)
    assert services.follow_set(user=member, kind="organization", organization=lab, following=False) is None
    assert not selectors.is_following(user=member, kind="organization", organization=lab)


def test_the_org_page_has_a_follow_button_that_works_with_htmx(client, member, lab, papers):
    assert "Follow</button>" not in client.get("/orgs/ExampleLab").content.decode()  # anonymous: no button
    client.force_login(member)
    page = client.get("/orgs/ExampleLab").content.decode()
    assert 'name="organization" value="ExampleLab"' in page and 'aria-pressed="false"' in page
    response = client.post(
        "/follow", {"kind": "organization", "organization": "ExampleLab", "following": "1"}, HTTP_HX_REQUEST="true"
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and "✓ Following" in fragment and "<html" not in fragment
    assert Follow.objects.filter(user=member, kind="organization", organization=lab).exists()
    assert 'aria-pressed="true"' in client.get("/orgs/ExampleLab").content.decode()
    assert (
        client.post("/follow", {"kind": "organization", "organization": "NoSuchLab", "following": "1"}).status_code
        == 404
    )
    # Without JavaScript: a plain POST, then back to where it came from.
    plain = client.post(
        "/follow", {"kind": "organization", "organization": "ExampleLab", "following": "0", "next": "/orgs/ExampleLab"}
    )
    assert plain.status_code == 302 and plain["Location"] == "/orgs/ExampleLab"
    assert not Follow.objects.filter(user=member, kind="organization").exists()


def test_the_following_page_lists_the_organizations_papers_with_the_reason(client, member, lab, papers):
    ours, theirs, nobody = papers
    services.follow_set(user=member, kind="organization", organization=lab, following=True)
    found = selectors.following_papers(user=member)
    assert [f.paper.pk for f in found] == [ours.pk] and found[0].reasons == ["from Example Lab"]
    client.force_login(member)
    page = client.get("/following").content.decode()
    assert "Lab paper one" in page and "from Example Lab" in page
    assert "Other lab paper" not in page and "Paper of no lab" not in page
    assert 'href="/orgs/ExampleLab"' in page  # listed among what one follows, with its own unfollow button
    assert "Example Lab" in client.get("/library").content.decode()


def test_the_digest_section_includes_the_followed_organizations_new_papers(member, lab, papers):
    from dailypapers.digests.content import DigestBuilder
    from dailypapers.digests.digest_periods import daily_period
    from dailypapers.digests.models import Subscription

    ours, theirs, nobody = papers
    services.follow_set(user=member, kind="organization", organization=lab, following=True)
    builder = DigestBuilder(period=daily_period(dt.date(2026, 11, 25)), max_papers=10)
    builder._candidates = [nobody.pk, theirs.pk, ours.pk]  # the period's new papers
    subscription = Subscription(
        email="m@example.org", user=member, include_trending=False, include_daily=False, include_recommendations=False
    )
    [section] = builder.sections(subscription)
    assert section.key == "following" and [p.arxiv_id for p in section.papers] == [ours.arxiv_id]


def test_the_api_follows_and_unfollows_an_organization(client, member, lab, papers):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=member, name='t').secret}"}
    created = client.post(
        "/api/v1/me/follows", {"kind": "organization", "organization": "ExampleLab"}, content_type=JSON, **auth
    )
    assert created.status_code == 201
    body = created.json()
    assert body["kind"] == "organization" and body["organization"] == "ExampleLab"
    assert body["organization_fullname"] == "Example Lab" and body["author_id"] is None and body["value"] == ""
    again = client.post(
        "/api/v1/me/follows", {"kind": "organization", "organization": "ExampleLab"}, content_type=JSON, **auth
    )
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    missing = client.post(
        "/api/v1/me/follows", {"kind": "organization", "organization": "Nope"}, content_type=JSON, **auth
    )
    unnamed = client.post("/api/v1/me/follows", {"kind": "organization"}, content_type=JSON, **auth)
    assert missing.status_code == 404 and unnamed.status_code == 404
    listed = client.get("/api/v1/me/follows", **auth).json()
    assert [(f["kind"], f["organization"]) for f in listed] == [("organization", "ExampleLab")]
    following = client.get("/api/v1/me/following", **auth).json()
    assert [row["paper"]["id"] for row in following] == [papers[0].arxiv_id]
    assert following[0]["reasons"] == ["from Example Lab"]
    anonymous = client.post(
        "/api/v1/me/follows", {"kind": "organization", "organization": "ExampleLab"}, content_type=JSON
    )
    assert anonymous.status_code == 401
    assert client.delete(f"/api/v1/me/follows/{body['id']}", **auth).status_code == 204
    assert not Follow.objects.exists()
