"""Author claiming: a signed-in user asks, a moderator approves, the author page then shows the account."""

from __future__ import annotations

import pytest

from dailypapers.core.testing import make_paper, make_user
from dailypapers.library import services
from dailypapers.library.models import AuthorClaim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def author():
    return make_paper(authors=("Grace Hopper",)).authorships.get().author


def test_a_claim_is_approved_by_a_moderator_and_shown_on_the_author_page(client, author):
    grace, mod = make_user("grace"), make_user("mod", is_moderator=True)
    client.force_login(grace)
    client.post(f"/authors/{author.pk}/claim", {"message": "my ORCID is ..."})
    claim = AuthorClaim.objects.get()
    assert claim.status == "pending" and "your claim: pending" in client.get(author.get_absolute_url()).content.decode()
    assert client.get("/moderation/claims").status_code == 403
    assert client.post(f"/moderation/claims/{claim.pk}", {"approve": "1"}).status_code == 403
    client.force_login(mod)
    assert "Grace Hopper" in client.get("/moderation/claims").content.decode()
    client.post(f"/moderation/claims/{claim.pk}", {"approve": "1"})
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.decided_by == mod
    client.logout()
    page = client.get(author.get_absolute_url()).content.decode()
    assert 'href="/users/grace"' in page and "verified by a moderator" in page


def test_only_one_account_per_author_and_no_self_approval(author):
    first, second = make_user("first"), make_user("second")
    claim = services.claim_request(user=first, author=author)
    with pytest.raises(services.NotAllowed):
        services.claim_decide(moderator=first, claim=claim, approve=True)
    other = services.claim_request(user=second, author=author)
    staff = make_user("staff", is_staff=True)
    services.claim_decide(moderator=staff, claim=claim, approve=True)
    with pytest.raises(services.AlreadyThere):
        services.claim_decide(moderator=staff, claim=other, approve=True)
    with pytest.raises(services.AlreadyThere):
        services.claim_request(user=make_user("third"), author=author)
    with pytest.raises(services.LibraryError):
        services.claim_decide(moderator=staff, claim=claim, approve=False)  # already decided
