"""The official huggingface_hub client's collection calls against a live `dailypapers serve`, for paper items."""

from __future__ import annotations

import pytest

from tests.support.live_hub import hub_env, run_cli, served_hub

huggingface_hub = pytest.importorskip("huggingface_hub")

SETUP = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from dailypapers.api.services import token_create
from dailypapers.papers.models import Paper
now = timezone.now()
for i in range(3):
    Paper.objects.create(arxiv_id=f"2501.0000{i}", title=f"Paper number {i}", abstract="a", categories="cs.LG",
                         primary_category="cs.LG", published_at=now, modified=now)
for name in ("collector", "stranger"):
    user = get_user_model().objects.create_user(name)
    print(name, token_create(user=user, name="t").secret)
"""


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    env = hub_env(tmp_path_factory.mktemp("library-live"), DAILYPAPERS_API_RATE_LIMIT="100000")
    run_cli(env, "migrate", "-v0")
    lines = [line.split() for line in run_cli(env, "shell", "-c", SETUP).splitlines()]
    tokens = {words[0]: words[1] for words in lines if len(words) == 2 and words[0] in ("collector", "stranger")}
    with served_hub(env, ready_path="/api/openapi.json", workers=1, threads=2) as url:
        yield {"url": url, **tokens}


@pytest.fixture
def api(live, monkeypatch):
    from huggingface_hub import HfApi, constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # only loopback is reached
    return lambda who: HfApi(endpoint=live["url"], token=live[who])


def test_the_hf_client_manages_a_paper_collection(api):
    from huggingface_hub.errors import HfHubHTTPError

    hf = api("collector")
    created = hf.create_collection("Quantization reading", description="4-bit papers", private=True)
    assert created.slug.startswith("collector/quantization-reading-") and created.private and created.owner
    again = hf.create_collection("Quantization reading", exists_ok=True)
    assert again.slug == created.slug
    hf.add_collection_item(created.slug, "2501.00000", "paper", note="the baseline")
    hf.add_collection_item(created.slug, "2501.00001", "paper")
    collection = hf.add_collection_item(created.slug, "2501.00001", "paper", exists_ok=True)
    assert [(i.item_id, i.item_type, i.position) for i in collection.items] == [
        ("2501.00000", "paper", 0),
        ("2501.00001", "paper", 1),
    ]
    assert collection.items[0].note == "the baseline"
    with pytest.raises(HfHubHTTPError) as refused:
        hf.add_collection_item(created.slug, "openai/whisper", "model")
    assert refused.value.response.status_code == 400
    hf.update_collection_item(created.slug, collection.items[1].item_object_id, position=0, note="read first")
    got = hf.get_collection(created.slug)
    assert [i.item_id for i in got.items] == ["2501.00001", "2501.00000"] and got.items[0].note == "read first"
    assert got.title == "Quantization reading" and got.description == "4-bit papers"

    stranger = api("stranger")
    with pytest.raises(HfHubHTTPError) as hidden:
        stranger.get_collection(created.slug)
    assert hidden.value.response.status_code == 404
    assert [c.slug for c in stranger.list_collections(owner="collector")] == []
    with pytest.raises(HfHubHTTPError):
        stranger.delete_collection_item(created.slug, got.items[0].item_object_id)

    hf.update_collection_metadata(created.slug, private=False)
    listed = list(stranger.list_collections(owner="collector", item="papers/2501.00000"))
    assert [c.slug for c in listed] == [created.slug]
    hf.delete_collection_item(created.slug, got.items[0].item_object_id)
    hf.delete_collection_item(created.slug, got.items[0].item_object_id, missing_ok=True)
    assert [i.item_id for i in hf.get_collection(created.slug).items] == ["2501.00000"]
    hf.delete_collection(created.slug)
    with pytest.raises(HfHubHTTPError):
        hf.get_collection(created.slug)
