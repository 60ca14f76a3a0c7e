"""The library through /api/v1 and Hugging Face's collection routes: CRUD, and privacy of every route."""

from __future__ import annotations

import pytest

from dailypapers.api.services import token_create
from dailypapers.core.testing import make_paper, make_user
from dailypapers.library import services
from dailypapers.library.models import Collection, Follow

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
JSON = "application/json"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t').secret}"}


@pytest.fixture
def owner():
    return make_user("owner")


@pytest.fixture
def papers():
    return [make_paper(title=f"Paper {i}") for i in range(3)]


def test_collections_crud_items_order_and_notes(client, owner, papers):
    auth = _auth(owner)
    created = client.post("/api/v1/collections", {"name": "Quantization", "public": False}, content_type=JSON, **auth)
    assert created.status_code == 201
    slug = created.json()["slug"]
    base = f"/api/v1/collections/owner/{slug}"
    for paper in papers:
        r = client.post(base + "/items", {"paper": paper.arxiv_id, "note": f"n{paper.pk}"}, content_type=JSON, **auth)
        assert r.status_code == 201
    again = client.post(base + "/items", {"paper": papers[0].arxiv_id}, content_type=JSON, **auth)
    assert again.status_code == 409
    moved = client.patch(
        base + f"/items/{papers[2].arxiv_id}", {"position": 0, "note": "first"}, content_type=JSON, **auth
    )
    assert [i["paper"]["id"] for i in moved.json()["items"]] == [
        papers[2].arxiv_id,
        papers[0].arxiv_id,
        papers[1].arxiv_id,
    ]
    assert moved.json()["items"][0]["note"] == "first"
    assert client.delete(base + f"/items/{papers[0].arxiv_id}", **auth).status_code == 204
    assert client.get(base, **auth).json()["num_items"] == 2
    patched = client.patch(base, {"public": True, "name": "Quant"}, content_type=JSON, **auth).json()
    assert patched["public"] and patched["name"] == "Quant"
    assert client.get(base).status_code == 200  # public now
    assert client.delete(base, **auth).status_code == 204
    assert client.get(base, **auth).status_code == 404


def test_private_things_are_invisible_and_unwritable_for_others(client, owner, papers):
    secret = services.collection_create(owner=owner, name="Secret")
    services.item_add(user=owner, collection=secret, paper=papers[0])
    services.save_for_later(user=owner, paper=papers[1])
    services.note_set(user=owner, paper=papers[0], body="my secret note")
    services.follow_set(user=owner, kind="category", value="cs.LG", following=True)
    intruder = _auth(make_user("intruder"))
    base = f"/api/v1/collections/owner/{secret.slug}"
    hf = f"/api/collections/owner/{secret.slug}"
    for headers in ({}, intruder, {"HTTP_AUTHORIZATION": "Bearer hf_notours"}):
        assert client.get(base, **headers).status_code == 404
        assert client.get(hf, **headers).status_code == 404
        assert client.get("/api/v1/collections?owner=owner", **headers).json() == []
        assert client.get("/api/collections?owner=owner", **headers).json() == []
    writes = [
        ("patch", base, {"public": True}),
        ("delete", base, None),
        ("post", base + "/items", {"paper": papers[1].arxiv_id}),
        ("patch", base + f"/items/{papers[0].arxiv_id}", {"note": "x"}),
        ("delete", base + f"/items/{papers[0].arxiv_id}", None),
        ("patch", hf, {"private": False}),
        ("delete", hf, None),
        ("post", hf + "/items", {"item": {"id": papers[1].arxiv_id, "type": "paper"}}),
        ("delete", hf + f"/items/{secret.items.get().pk}", None),
    ]
    for method, url, body in writes:
        response = (
            getattr(client, method)(url, body, content_type=JSON, **intruder)
            if body
            else getattr(client, method)(url, **intruder)
        )
        assert response.status_code == 404, (method, url)
        anonymous = getattr(client, method)(url, body or {}, content_type=JSON)
        assert anonymous.status_code == 401, (method, url)
    secret.refresh_from_db()
    assert not secret.is_public and list(secret.items.values_list("paper_id", flat=True)) == [papers[0].pk]
    # The intruder's own /me routes show only their own (empty) library.
    assert client.get("/api/v1/me/reading-list", **intruder).json() == []
    assert client.get("/api/v1/me/notes", **intruder).json() == []
    assert client.get(f"/api/v1/me/notes/{papers[0].arxiv_id}", **intruder).status_code == 404
    assert client.get("/api/v1/me/follows", **intruder).json() == []
    for url in ("/api/v1/me/reading-list", "/api/v1/me/notes", "/api/v1/me/follows", "/api/v1/me/for-you"):
        assert client.get(url).status_code == 401
    # Search never shows private notes or collection names.
    for url in ("/api/v1/search?q=paper", "/search?q=paper", "/api/papers/search?q=paper"):
        page = client.get(url, **intruder).content.decode()
        assert "my secret note" not in page and "Secret" not in page


def test_reading_list_notes_follows_and_for_you_for_the_owner(client, owner, papers):
    auth = _auth(owner)
    r = client.put(f"/api/v1/me/reading-list/{papers[0].arxiv_id}", {}, content_type=JSON, **auth)
    assert r.status_code == 200 and r.json()["read_at"] is None
    r = client.put(f"/api/v1/me/reading-list/{papers[0].arxiv_id}", {"read": True}, content_type=JSON, **auth)
    assert r.json()["read_at"] is not None
    assert client.get("/api/v1/me/reading-list?unread=true", **auth).json() == []
    assert client.delete(f"/api/v1/me/reading-list/{papers[0].arxiv_id}", **auth).status_code == 204
    assert client.delete(f"/api/v1/me/reading-list/{papers[0].arxiv_id}", **auth).status_code == 404
    note = client.put(f"/api/v1/me/notes/{papers[1].arxiv_id}", {"body": "remember"}, content_type=JSON, **auth)
    assert note.status_code == 200 and note.json()["body"] == "remember"
    assert client.get(f"/api/v1/me/notes/{papers[1].arxiv_id}", **auth).json()["body"] == "remember"
    assert (
        client.put(f"/api/v1/me/notes/{papers[1].arxiv_id}", {"body": ""}, content_type=JSON, **auth).status_code == 204
    )
    author_id = papers[2].authorships.first().author_id
    follow = client.post("/api/v1/me/follows", {"kind": "author", "author_id": author_id}, content_type=JSON, **auth)
    assert follow.status_code == 201 and follow.json()["author_id"] == author_id
    assert (
        client.post(
            "/api/v1/me/follows", {"kind": "category", "value": "no spaces!"}, content_type=JSON, **auth
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/v1/me/follows", {"kind": "author", "author_id": 999999}, content_type=JSON, **auth
        ).status_code
        == 404
    )
    following = client.get("/api/v1/me/following", **auth).json()
    assert papers[2].arxiv_id in {row["paper"]["id"] for row in following}
    ids = [row["paper"]["id"] for row in following]
    first = client.get("/api/v1/me/following?limit=1", **auth).json()
    rest = client.get(f"/api/v1/me/following?before={first[0]['paper']['id']}", **auth).json()
    assert [row["paper"]["id"] for row in first + rest] == ids  # the next page starts after the last one
    assert client.get("/api/v1/me/following?before=9999.99999", **auth).status_code == 404
    assert client.delete(f"/api/v1/me/follows/{follow.json()['id']}", **auth).status_code == 204
    assert not Follow.objects.exists()
    services.item_add(user=owner, collection=services.collection_create(owner=owner, name="Mine"), paper=papers[0])
    recs = client.get("/api/v1/me/for-you", **auth)
    assert recs.status_code == 200 and papers[0].arxiv_id not in {row["paper"]["id"] for row in recs.json()}


def test_hf_routes_shape_and_namespace(client, owner, papers):
    auth = _auth(owner)
    assert client.get("/api/whoami-v2", **auth).json()["name"] == "owner"
    body = {"title": "Reading group", "namespace": "someone-else", "private": True}
    assert client.post("/api/collections", body, content_type=JSON, **auth).status_code == 403
    body["namespace"] = "owner"
    created = client.post("/api/collections", body, content_type=JSON, **auth).json()
    assert created["slug"].startswith("owner/reading-group-") and created["private"] is True
    assert client.post("/api/collections", body, content_type=JSON, **auth).json()["slug"] == created["slug"]
    item = {"item": {"id": "model/x", "type": "model"}}
    assert client.post(f"/api/collections/{created['slug']}/items", item, content_type=JSON, **auth).status_code == 400
    item = {"item": {"id": papers[0].arxiv_id, "type": "paper"}, "note": "<b>see</b>"}
    got = client.post(f"/api/collections/{created['slug']}/items", item, content_type=JSON, **auth).json()
    assert got["items"][0]["id"] == papers[0].arxiv_id and got["items"][0]["type"] == "paper"
    assert got["items"][0]["note"] == {"text": "<b>see</b>", "html": "&lt;b&gt;see&lt;/b&gt;"}
    assert Collection.objects.get(name="Reading group").items.count() == 1
