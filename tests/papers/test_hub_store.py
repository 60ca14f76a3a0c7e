"""What the importer keeps of Hugging Face's daily papers: every field it gives, hidden authors flagged (not
dropped), one daily entry per day a paper is listed, and a re-import that fills rows stored before."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.papers.models import DailyEntry, Organization, Paper, PaperAuthor
from tests.support.hf_entries import HIDDEN_FIRST, RICH, hf_entry, import_entries

pytestmark = pytest.mark.django_db


def test_it_stores_every_field_hugging_face_gives():
    import_entries([hf_entry("2508.19652", day="2025-08-28", upvotes=45, comments=2, **RICH)], day="2025-08-28")
    paper = Paper.objects.select_related("organization").get(arxiv_id="2508.19652")
    assert paper.ai_summary == "Vision-SR1 improves visual reasoning." and paper.ai_summary_model == "qwen3-30b"
    assert paper.ai_keywords == ["vision-language models", "reward hacking"] and paper.ai_keywords_model == ""
    assert paper.github_stars == 42 and paper.github_repo_added_by == "author"
    assert (
        paper.github_repo == "https://github.com/example/vision-sr1"
        and paper.project_page == "https://example.org/vsr1"
    )
    assert paper.thumbnail.endswith("/papers/2508.19652.png") and paper.media_urls == ["https://cdn.example/fig.png"]
    assert paper.discussion_id == "disc2508.19652"
    assert (paper.organization.name, paper.organization.fullname, paper.organization.avatar) == (
        "ExampleLab",
        "Example Lab",
        "https://cdn.example/o.png",
    )
    entry = paper.daily_entries.get()
    assert entry.upvotes == 45 and entry.hub_comments == 2 and entry.is_author_participating
    assert entry.listed_at == dt.datetime(2025, 8, 28, 4, 1, 3, tzinfo=dt.UTC)
    # External comments are kept apart from ours.
    assert paper.num_comments == 0 and paper.hub_comments == 2 and paper.imported_upvotes == 45


def test_it_keeps_hidden_authors_flagged_with_claims():
    import_entries([hf_entry("2508.00001", day="2025-08-28", authors=HIDDEN_FIRST)], day="2025-08-28")
    rows = list(PaperAuthor.objects.filter(paper__arxiv_id="2508.00001").select_related("author").order_by("position"))
    assert [(r.author.name, r.hidden) for r in rows] == [
        ("Hidden Person", True),
        ("Ada Lovelace", False),
        ("Alan Turing", False),
    ]
    assert (rows[1].status, rows[1].claimed_user, rows[1].claimed_fullname) == ("claimed_verified", "ada", "Ada L.")


def test_a_paper_listed_on_two_days_gets_an_entry_per_day_with_that_days_counts():
    import_entries([hf_entry("2604.07429", day="2026-04-10", upvotes=2, comments=0)], day="2026-04-10")
    import_entries([hf_entry("2604.07429", day="2026-04-16", upvotes=42, comments=3)], day="2026-04-16")
    entries = list(DailyEntry.objects.filter(paper__arxiv_id="2604.07429").order_by("day"))
    assert [(e.day.isoformat(), e.upvotes, e.hub_comments) for e in entries] == [
        ("2026-04-10", 2, 0),
        ("2026-04-16", 42, 3),
    ]
    paper = Paper.objects.get(arxiv_id="2604.07429")
    assert paper.imported_upvotes == 42 and paper.upvotes == 42 and paper.daily_entry.day == dt.date(2026, 4, 16)
    # Both days in one batch (one file listing both is not real, but a batch of several files is).
    import_entries([hf_entry("2604.00002", day="2026-04-10"), hf_entry("2604.00002", day="2026-04-13")], day="x")
    assert DailyEntry.objects.filter(paper__arxiv_id="2604.00002").count() == 2


def test_reimporting_fills_rows_stored_before_and_newer_hub_data_wins():
    import_entries([hf_entry("2508.00003", day="2025-08-28", authors=HIDDEN_FIRST, **RICH)], day="2025-08-28")
    paper = Paper.objects.get(arxiv_id="2508.00003")
    # What the importer stored before this change: no hub fields, hidden authors dropped, entries without counts.
    Paper.objects.filter(pk=paper.pk).update(
        ai_summary="", ai_keywords=None, github_stars=None, organization=None, thumbnail=""
    )
    PaperAuthor.objects.filter(paper=paper).delete()
    for position, name in enumerate(["Ada Lovelace", "Alan Turing"]):
        from dailypapers.papers.models import Author

        PaperAuthor.objects.create(paper=paper, author=Author.objects.get(name=name), position=position)
    DailyEntry.objects.filter(paper=paper).update(upvotes=0, hub_comments=0, listed_at=None)
    newer = dict(RICH, githubStars=50, ai_summary="A better summary.")
    stats = import_entries([hf_entry("2508.00003", day="2025-08-28", authors=HIDDEN_FIRST, **newer)], day="2025-08-28")
    assert stats.updated == 1
    paper.refresh_from_db()
    assert (
        paper.ai_summary == "A better summary." and paper.github_stars == 50 and paper.organization.name == "ExampleLab"
    )
    assert paper.thumbnail and paper.ai_keywords == RICH["ai_keywords"]
    names = list(PaperAuthor.objects.filter(paper=paper).order_by("position").values_list("author__name", "hidden"))
    assert names == [("Hidden Person", True), ("Ada Lovelace", False), ("Alan Turing", False)]
    entry = paper.daily_entries.get()
    assert entry.upvotes == 3 and entry.hub_comments == 1 and entry.listed_at is not None
    # An older or emptier record never blanks what is stored; the same data again changes nothing.
    import_entries([hf_entry("2508.00003", day="2025-08-28", authors=HIDDEN_FIRST)], day="2025-08-28")
    paper.refresh_from_db()
    assert paper.ai_summary == "A better summary." and paper.github_stars == 50
    assert (
        import_entries([hf_entry("2508.00003", day="2025-08-28", authors=HIDDEN_FIRST, **newer)], day="x").updated == 0
    )
    assert Organization.objects.count() == 1


def test_an_organization_is_one_row_whose_newest_names_win():
    org = dict(RICH["organization"])
    import_entries([hf_entry("2508.00004", day="2025-08-28", organization=org)], day="2025-08-28")
    renamed = dict(org, fullname="Example Laboratory", avatar="https://cdn.example/o2.png")
    import_entries([hf_entry("2508.00005", day="2025-08-29", organization=renamed)], day="2025-08-29")
    assert list(Organization.objects.values_list("name", "fullname", "avatar")) == [
        ("ExampleLab", "Example Laboratory", "https://cdn.example/o2.png")
    ]
    assert Paper.objects.filter(organization__name="ExampleLab").count() == 2


def test_an_older_snapshot_imported_later_only_fills_what_is_empty():
    claimed = [dict(HIDDEN_FIRST[1])]
    unclaimed = [{"_id": "a1", "name": "Ada Lovelace", "hidden": False}]
    newer = hf_entry("2606.11176", day="2026-06-16", authors=claimed, githubStars=34, ai_summary="Newer.")
    older = hf_entry(
        "2606.11176",
        day="2026-06-10",
        authors=unclaimed,
        githubStars=12,
        ai_summary="Older.",
        projectPage="https://example.org/only-in-the-older",
    )
    import_entries([newer], day="2026-06-16")
    import_entries([older], day="2026-06-10")
    paper = Paper.objects.get(arxiv_id="2606.11176")
    assert (paper.github_stars, paper.ai_summary, paper.hub_day) == (34, "Newer.", dt.date(2026, 6, 16))
    assert paper.project_page == "https://example.org/only-in-the-older"
    assert PaperAuthor.objects.get(paper=paper).claimed_user == "ada"
    # Importing both again, in either order, changes nothing more.
    assert import_entries([older], day="2026-06-10").updated == 0
    assert import_entries([newer], day="2026-06-16").updated == 0
