"""The library's pages and actions: collections, the reading list, notes, follows, citations; privacy everywhere."""

from __future__ import annotations

import pytest

from dailypapers.core.testing import make_paper, make_user
from dailypapers.library import services
from dailypapers.library.models import Collection, CollectionItem, Follow, Note

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def owner():
    return make_user("owner")


@pytest.fixture
def other():
    return make_user("other")


@pytest.fixture
def papers():
    return [make_paper(title=f"Quantization paper {i}", authors=(f"Ada {i} Lovelace", "Alan Turing")) for i in range(3)]


@pytest.fixture
def private(owner, papers):
    collection = services.collection_create(owner=owner, name="Secret stash", description="hidden SECRETDESC")
    for paper in papers:
        services.item_add(user=owner, collection=collection, paper=paper, note="SECRETNOTE")
    return collection


def _url(collection, tail=""):
    return f"/collections/{collection.owner.username}/{collection.slug}{tail}"


def test_owner_sees_a_private_collection_others_get_404_everywhere(client, owner, other, private):
    client.force_login(owner)
    page = client.get(_url(private))
    assert page.status_code == 200 and "Secret stash" in page.content.decode() and "SECRETNOTE" in page.content.decode()
    assert "Secret stash" in client.get(f"/users/{owner.username}").content.decode()
    client.logout()
    for tail in ("", "/feed.rss", "/feed.atom", "/export.bib", "/export.ris"):
        assert client.get(_url(private, tail)).status_code == 404, tail
    assert "Secret stash" not in client.get(f"/users/{owner.username}").content.decode()
    client.force_login(other)
    for tail in ("", "/feed.rss", "/feed.atom", "/export.bib", "/export.ris"):
        assert client.get(_url(private, tail)).status_code == 404, tail
    assert "Secret stash" not in client.get(f"/users/{owner.username}").content.decode()
    assert "Secret stash" not in client.get(private.items.first().paper.get_absolute_url()).content.decode()


def test_non_owner_writes_are_refused_and_change_nothing(client, owner, other, private, papers):
    client.force_login(other)
    arxiv_id = papers[0].arxiv_id
    before = list(private.items.values_list("paper_id", "position", "note"))
    for tail, data in [
        ("/edit", {"name": "pwned", "is_public": "1"}),
        ("/delete", {}),
        (f"/items/{arxiv_id}/move", {"direction": "down"}),
        (f"/items/{arxiv_id}/note", {"note": "pwned"}),
        (f"/items/{arxiv_id}/remove", {}),
    ]:
        assert client.post(_url(private, tail), data).status_code == 404, tail
    response = client.post(f"/papers/{arxiv_id}/collections/{private.pk}")
    assert response.status_code == 404
    private.refresh_from_db()
    assert private.name == "Secret stash" and not private.is_public
    assert list(private.items.values_list("paper_id", "position", "note")) == before
    with pytest.raises(services.NotAllowed):
        services.item_add(user=other, collection=private, paper=make_paper())
    with pytest.raises(services.NotAllowed):
        services.collection_update(user=other, collection=private, is_public=True)


def test_anonymous_writes_go_to_sign_in(client, private, papers):
    response = client.post("/collections/new", {"name": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(f"/papers/{papers[0].arxiv_id}/save").status_code == 302
    assert client.post(f"/papers/{papers[0].arxiv_id}/note", {"body": "x"}).status_code == 302
    assert not Note.objects.exists() and Collection.objects.count() == 1


def test_create_add_from_a_card_reorder_note_and_publish(client, owner, papers):
    client.force_login(owner)
    response = client.post("/collections/new", {"name": "Quantization", "description": "4-bit & friends"})
    collection = Collection.objects.get(name="Quantization")
    assert response["Location"] == _url(collection)
    for paper in papers:
        r = client.post(f"/papers/{paper.arxiv_id}/collections/{collection.pk}", HTTP_HX_REQUEST="true")
        assert r.status_code == 200 and "✓ Quantization" in r.content.decode()
    assert list(collection.items.values_list("paper_id", flat=True)) == [p.pk for p in papers]
    r = client.post(_url(collection, f"/items/{papers[2].arxiv_id}/move"), {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    order = list(collection.items.order_by("position").values_list("paper_id", flat=True))
    assert order == [papers[0].pk, papers[2].pk, papers[1].pk]
    client.post(_url(collection, f"/items/{papers[0].arxiv_id}/note"), {"note": "read section 3 <b>"})
    assert collection.items.get(paper=papers[0]).note == "read section 3 <b>"
    client.post(_url(collection, "/edit"), {"is_public": "1"})
    collection.refresh_from_db()
    assert collection.is_public
    client.logout()
    page = client.get(_url(collection)).content.decode()
    assert "read section 3 &lt;b&gt;" in page and "Make public" not in page
    feed = client.get(_url(collection, "/feed.rss")).content.decode()
    assert feed.index(papers[0].title) < feed.index(papers[2].title) < feed.index(papers[1].title)
    r = client.post(f"/papers/{papers[0].arxiv_id}/collections/{collection.pk}")  # toggling again removes
    assert r.status_code == 302


def test_reading_list_save_and_mark_read(client, owner, other, papers):
    client.force_login(owner)
    r = client.post(f"/papers/{papers[0].arxiv_id}/save", HTTP_HX_REQUEST="true")
    assert "On your reading list" in r.content.decode()
    assert papers[0].title in client.get("/reading-list").content.decode()
    client.post(f"/papers/{papers[0].arxiv_id}/read", {"read": "1"})
    assert CollectionItem.objects.get(paper=papers[0]).read_at is not None
    assert papers[0].title not in client.get("/reading-list?unread=1").content.decode()
    reading = Collection.objects.get(owner=owner, kind=Collection.Kind.READING_LIST)
    with pytest.raises(services.LibraryError):
        services.collection_update(user=owner, collection=reading, is_public=True)
    client.force_login(other)
    assert papers[0].title not in client.get("/reading-list").content.decode()
    assert client.get(f"/collections/owner/{reading.slug}").status_code == 404
    assert client.post(f"/papers/{papers[0].arxiv_id}/collections/{reading.pk}").status_code == 404


def test_private_note_only_for_its_author(client, owner, other, papers):
    client.force_login(owner)
    client.post(f"/papers/{papers[0].arxiv_id}/note", {"body": "MYPRIVATENOTE"})
    assert "MYPRIVATENOTE" in client.get(papers[0].get_absolute_url()).content.decode()
    client.force_login(other)
    assert "MYPRIVATENOTE" not in client.get(papers[0].get_absolute_url()).content.decode()
    client.logout()
    assert "MYPRIVATENOTE" not in client.get(papers[0].get_absolute_url()).content.decode()
    assert "MYPRIVATENOTE" not in client.get(f"/users/{owner.username}").content.decode()


def test_follow_an_author_and_a_category_then_following(client, owner, papers):
    other_paper = make_paper(title="Unrelated optics", authors=("Someone Else",), categories="physics.optics")
    client.force_login(owner)
    author = papers[0].authorships.get(position=0).author
    page = client.get(author.get_absolute_url()).content.decode()
    assert "Follow" in page
    r = client.post("/follow", {"kind": "author", "author": author.pk, "following": "1"}, HTTP_HX_REQUEST="true")
    assert "Following" in r.content.decode()
    assert Follow.objects.filter(user=owner, kind="author", author=author).exists()
    page = client.get("/following").content.decode()
    assert papers[0].title in page and f"by {author.name}" in page and other_paper.title not in page
    client.post("/follow", {"kind": "category", "value": "physics.optics", "following": "1"})
    assert other_paper.title in client.get("/following").content.decode()
    assert client.post("/follow", {"kind": "category", "value": "bad category!", "following": "1"}).status_code == 400


def test_paper_page_has_citation_meta_and_exports(client, papers):
    paper = papers[0]
    page = client.get(paper.get_absolute_url()).content.decode()
    assert f'<meta name="citation_title" content="{paper.title}">' in page
    assert '<meta name="citation_author" content="Ada 0 Lovelace">' in page
    assert '<meta name="citation_author" content="Alan Turing">' in page
    assert f'<meta name="citation_arxiv_id" content="{paper.arxiv_id}">' in page
    assert f'<meta name="citation_publication_date" content="{paper.published_at:%Y/%m/%d}">' in page
    assert f'<meta name="citation_pdf_url" content="https://arxiv.org/pdf/{paper.arxiv_id}">' in page
    bib = client.get(f"/papers/{paper.arxiv_id}/cite.bib")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert f"eprint = {{{paper.arxiv_id}}}" in bib.content.decode()
    ris = client.get(f"/papers/{paper.arxiv_id}/cite.ris").content.decode()
    assert ris.startswith("TY  - GEN\r\n") and "AU  - Lovelace, Ada 0\r\n" in ris and ris.endswith("ER  - \r\n")


def test_following_pages_through_older_papers(client, owner, settings):
    import datetime as dt

    from dailypapers.core.testing import UTC

    settings.PAGE_SIZE = 2
    made = [
        make_paper(
            title=f"Optics study {i}", categories="physics.optics", published=dt.datetime(2025, 3, 1 + i, tzinfo=UTC)
        )
        for i in range(5)
    ]
    Follow.objects.create(user=owner, kind="category", value="physics.optics")
    client.force_login(owner)
    seen, url = [], "/following"
    while url:
        page = client.get(url).content.decode()
        titles = [p.title for p in made if p.title in page]
        assert len(titles) <= 2
        seen += sorted(titles, reverse=True)
        url = None
        if "Older papers" in page:
            url = "/following?before=" + page.split('href="?before=')[1].split('"')[0]
    assert seen == [p.title for p in reversed(made)]  # newest first, each once, across three pages
    assert "No older papers" in client.get(f"/following?before={made[0].arxiv_id}").content.decode()
    assert client.get("/following?before=9999.99999").status_code == 404
