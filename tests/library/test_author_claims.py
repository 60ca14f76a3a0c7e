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


# --- claims that Hugging Face's data carries ----------------------------------------------------------------------


@pytest.fixture
def hf_author():
    """Ada Lovelace as Hugging Face lists her: claimed and verified by @ada on one paper, linked by Hugging Face's
    staff to @ada on another, and matched (not confirmed) to a namesake @ada-l on a third."""
    from tests.support.hf_entries import HIDDEN_FIRST, hf_entry, import_entries

    def ada(status: str, user: str) -> list[dict]:
        account = {"_id": f"u-{user}", "avatarUrl": f"https://cdn.example/{user}.png", "fullname": "", "user": user}
        return [{"_id": "a1", "name": "Ada Lovelace", "hidden": False, "status": status, "user": account}]

    import_entries(
        [
            hf_entry("2508.19652", day="2025-08-28", authors=HIDDEN_FIRST),
            hf_entry("2508.19653", day="2025-08-28", authors=ada("admin_assigned", "ada")),
            hf_entry("2508.19654", day="2025-08-28", authors=ada("extracted_pending", "ada-l")),
        ],
        day="2025-08-28",
    )
    from dailypapers.papers.models import Author

    return Author.objects.get(name="Ada Lovelace")


def test_the_author_page_shows_the_accounts_hugging_face_links(client, hf_author):
    from dailypapers.papers.selectors import hub_accounts

    accounts = hub_accounts(author_id=hf_author.pk)
    assert [(a.username, a.status, a.num_papers, a.confirmed) for a in accounts] == [
        ("ada", "claimed_verified", 2, True),  # the best status of the account's links
        ("ada-l", "extracted_pending", 1, False),
    ]
    assert accounts[0].fullname == "Ada L." and accounts[0].avatar == "https://cdn.example/ada.png"
    page = client.get(hf_author.get_absolute_url()).content.decode()
    assert '<a href="https://huggingface.co/ada" rel="noopener nofollow">Ada L.</a>' in page
    assert "claimed by the author, verified by Hugging Face" in page and "on 2 papers" in page
    assert '<small class="chip warn">matched by Hugging Face, not confirmed yet</small>' in page
    assert "@ada-l" in page
    unlinked = make_paper(authors=("Nobody Linked",)).authorships.get().author
    assert "On Hugging Face" not in client.get(unlinked.get_absolute_url()).content.decode()


def test_a_claim_on_an_author_hugging_face_links_needs_a_way_to_check(client, hf_author):
    member, mod = make_user("ada"), make_user("mod", is_moderator=True)
    client.force_login(member)
    form = client.get(hf_author.get_absolute_url()).content.decode()
    assert "Hugging Face links this author to @ada:" in form and 'maxlength="500" required' in form
    with pytest.raises(services.LibraryError, match="@ada"):
        services.claim_request(user=member, author=hf_author)
    refused = client.post(f"/authors/{hf_author.pk}/claim", {"message": ""}, follow=True).content.decode()
    assert "say how a moderator can check" in refused and not AuthorClaim.objects.exists()
    client.post(f"/authors/{hf_author.pk}/claim", {"message": "huggingface.co/ada is me"})
    claim = AuthorClaim.objects.get()
    assert claim.status == "pending" and claim.message == "huggingface.co/ada is me"
    client.force_login(mod)
    queue = client.get("/moderation/claims").content.decode()
    assert 'href="https://huggingface.co/ada"' in queue and "the same user name as here" in queue
    client.post(f"/moderation/claims/{claim.pk}", {"approve": "1"})
    client.logout()
    page = client.get(hf_author.get_absolute_url()).content.decode()
    assert 'href="/users/ada"' in page and "verified by a moderator" in page  # ours and Hugging Face's, side by side
    assert 'href="https://huggingface.co/ada"' in page


def test_a_claim_on_an_author_held_here_is_refused_with_who_holds_it(client, author):
    holder, other = make_user("holder"), make_user("other")
    staff = make_user("staff", is_staff=True)
    services.claim_decide(moderator=staff, claim=services.claim_request(user=holder, author=author), approve=True)
    with pytest.raises(services.AlreadyThere, match="You already hold"):
        services.claim_request(user=holder, author=author)
    with pytest.raises(services.AlreadyThere, match="another member"):
        services.claim_request(user=other, author=author)
    client.force_login(holder)
    page = client.get(author.get_absolute_url()).content.decode()
    assert "this is your author page" in page and "Claim this author page" not in page
    client.force_login(other)
    page = client.get(author.get_absolute_url()).content.decode()
    assert "Claim this author page" not in page and 'href="/users/holder"' in page
    assert AuthorClaim.objects.count() == 1


def test_a_rejected_claim_cannot_be_asked_again(author):
    member, staff = make_user("member"), make_user("staff", is_staff=True)
    services.claim_decide(moderator=staff, claim=services.claim_request(user=member, author=author), approve=False)
    with pytest.raises(services.LibraryError, match="turned this claim down"):
        services.claim_request(user=member, author=author)


def test_the_api_author_shows_both_kinds_of_claims(client, hf_author):
    staff, member = make_user("staff", is_staff=True), make_user("ada")
    body = client.get(f"/api/v1/authors/{hf_author.pk}").json()
    assert body["claimed_by"] is None
    assert [(a["username"], a["status"], a["confirmed"], a["num_papers"]) for a in body["hub_accounts"]] == [
        ("ada", "claimed_verified", True, 2),
        ("ada-l", "extracted_pending", False, 1),
    ]
    claim = services.claim_request(user=member, author=hf_author, message="huggingface.co/ada")
    services.claim_decide(moderator=staff, claim=claim, approve=True)
    assert client.get(f"/api/v1/authors/{hf_author.pk}").json()["claimed_by"] == "ada"
