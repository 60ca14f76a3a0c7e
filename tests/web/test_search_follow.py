"""The search page's "Follow this search" button (htmx, state shown when already followed) and the reading-list
buttons of its result cards."""

from __future__ import annotations

import pytest

from dailypapers.core.testing import make_user
from dailypapers.library import services
from dailypapers.library.models import Follow
from dailypapers.papers.models import Paper
from tests.search.corpus import SMALL_CORPUS
from tests.support.search_index import indexed_papers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
QUERY = "message passing molecules"


@pytest.fixture(autouse=True)
def indexed(settings, tmp_path):
    with indexed_papers(settings, tmp_path, SMALL_CORPUS):
        yield


@pytest.fixture
def member(client):
    user = make_user("searcher")
    client.force_login(user)
    return user


def test_visitors_get_no_follow_button(client):
    html = client.get("/search", {"q": QUERY}).content.decode()
    assert "2401.00003" in html and 'name="kind" value="search"' not in html


def test_a_member_follows_the_search_without_a_reload_and_sees_it_followed(client, member):
    html = client.get("/search", {"q": f"  {QUERY}  "}).content.decode()
    assert 'name="kind" value="search"' in html and f'name="value" value="{QUERY}"' in html
    assert 'aria-pressed="false"' in html and f"Follow “{QUERY}”" in html
    assert "2401.00003" in html
    # The results part that htmx swaps as one types carries the button too, for the query typed.
    partial = client.get("/search", {"q": "graph networks"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'name="value" value="graph networks"' in partial
    followed = client.post("/follow", {"kind": "search", "value": QUERY, "following": "1"}, HTTP_HX_REQUEST="true")
    fragment = followed.content.decode()
    assert followed.status_code == 200 and "<html" not in fragment and f"✓ Following “{QUERY}”" in fragment
    assert list(Follow.objects.filter(user=member).values_list("kind", "value")) == [("search", QUERY)]
    again = client.get("/search", {"q": QUERY, "mode": "keyword"}).content.decode()
    assert 'aria-pressed="true"' in again and f"✓ Following “{QUERY}”" in again
    assert f"Follow “{QUERY}”" not in again.replace(f"✓ Following “{QUERY}”", "")
    with_filter = client.get("/search", {"q": QUERY, "category": "cs.LG"}).content.decode()
    assert "without the filters" in with_filter  # a saved search keeps the words only, and says so
    unfollowed = client.post("/follow", {"kind": "search", "value": QUERY, "following": "0"}, HTTP_HX_REQUEST="true")
    assert f"Follow “{QUERY}”" in unfollowed.content.decode() and not Follow.objects.exists()


def test_no_button_for_an_empty_a_bad_or_an_overlong_query(client, member):
    assert 'value="search"' not in client.get("/search").content.decode()
    assert 'value="search"' not in client.get("/search", {"q": QUERY, "from": "nope"}).content.decode()
    assert 'value="search"' not in client.get("/search", {"q": "word " * 70}).content.decode()


def test_result_cards_show_the_reading_list_state_and_mark_as_read(client, member):
    paper = Paper.objects.get(arxiv_id="2401.00003")
    html = client.get("/search", {"q": QUERY}).content.decode()
    assert f'action="/papers/{paper.arxiv_id}/save"' in html and "✓ On your reading list" not in html
    services.save_for_later(user=member, paper=paper)
    html = client.get("/search", {"q": QUERY}).content.decode()
    assert "✓ On your reading list" in html and f'action="/papers/{paper.arxiv_id}/read"' in html
    assert html.count(f'action="/papers/{paper.arxiv_id}/read"') == 1  # only the saved paper has it
    marked = client.post(f"/papers/{paper.arxiv_id}/read", {"read": "1"}, HTTP_HX_REQUEST="true")
    fragment = marked.content.decode()
    assert marked.status_code == 200 and "<html" not in fragment and "mark as unread" in fragment
    assert "✓ On your reading list" in fragment  # the card's whole reading-list part, swapped in place
    assert services.reading_list(user=member).items.get().read_at is not None
    html = client.get("/search", {"q": QUERY}).content.decode()
    assert "mark as unread" in html
