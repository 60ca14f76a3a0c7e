"""The "Also" list of the security review: while arXiv was unreachable, submitting an unknown id held the request
93 s (340 s with 16 at once): arXiv was called, with retries, inside the request. Through the full request stack
(web form and the HF-compatible API), the answer now comes at once and the worker fetches the paper."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dailypapers.api.services import token_create
from dailypapers.community import services
from dailypapers.community.models import SubmissionRequest
from dailypapers.core.testing import make_paper, make_user
from dailypapers.papers.models import DailyEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_arxiv_in_requests(monkeypatch, fresh_cache):
    """arXiv 'down': any call to it fails the test loudly (and is recorded even if something catches the error)."""
    calls = []

    def refuse(ids, **kwargs):
        calls.append(list(ids))
        raise AssertionError("arXiv was called inside a request")

    monkeypatch.setattr("dailypapers.papers.ingest.fetching.fetch_ids", refuse)
    return calls


def test_the_web_form_answers_at_once_and_the_worker_fetches_the_paper(client, no_arxiv_in_requests, monkeypatch):
    user = make_user("submitter")
    client.force_login(user)
    response = client.post("/submit", {"arxiv_id": "2501.55555"})
    assert no_arxiv_in_requests == []
    assert response.status_code == 202 and "it will appear on today" in response.content.decode()
    assert SubmissionRequest.objects.get().state == "pending"

    # The worker's job: arXiv answers now.
    monkeypatch.setattr(
        services, "_fetch_from_arxiv", lambda ids: [make_paper(arxiv_id=i, published=timezone.now()) for i in ids]
    )
    assert services.process_submission_requests() == "1 submitted, 0 refused, 0 waiting for arXiv"
    entry = DailyEntry.objects.get(paper__arxiv_id="2501.55555")
    assert entry.submitted_by == user and SubmissionRequest.objects.get().state == "done"


def test_the_api_answers_202_at_once(client, no_arxiv_in_requests):
    user = make_user("apisubmitter")
    auth = {"Authorization": f"Bearer {token_create(user=user, name='t').secret}"}
    response = client.post(
        "/api/papers/submit", {"paperId": "2501.66666"}, content_type="application/json", headers=auth
    )
    assert no_arxiv_in_requests == []
    assert response.status_code == 202 and response.json()["status"] == "fetching"
