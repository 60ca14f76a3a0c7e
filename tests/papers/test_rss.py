"""rss.arxiv.org announcement feeds: announce types, the announcement day, RSS and Atom forms, broken copies."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dailypapers.papers.ingest import detect_format, parse_path
from dailypapers.papers.ingest.rss import parse_rss
from dailypapers.papers.records import PaperRecord, Rejected


@pytest.fixture
def cs_ai(arxiv_data):
    return arxiv_data / "rss" / "jmamath__distill" / "arxiv_cs_ai.xml"


def test_it_reads_new_announcements_with_their_day(cs_ai):
    items = list(parse_path(cs_ai))
    assert len(items) == 3 and all(isinstance(item, PaperRecord) for item in items)
    first = items[0]
    assert (first.arxiv_id, first.version, first.announce_type) == ("2604.21935", 1, "new")
    assert first.daily.day == dt.date(2026, 4, 27)
    assert first.title == "Math Takes Two: A test for emergent mathematical reasoning in communication"
    assert first.authors == ["Michael Cooper", "Samuel Cooper"]
    assert first.categories == ["cs.AI", "cs.LG"]
    assert first.abstract.startswith("Although language models") and "Announce Type" not in first.abstract
    assert first.license == "http://creativecommons.org/licenses/by/4.0/"


def announce_as(path, kinds, version="v2"):
    """The real feed with its items re-labelled (cross, replace, replace-cross), as arXiv prints them."""
    text = path.read_text(encoding="utf-8")
    for kind in kinds:
        text = text.replace(
            "<arxiv:announce_type>new</arxiv:announce_type>", f"<arxiv:announce_type>{kind}</arxiv:announce_type>", 1
        )
        text = text.replace("Announce Type: new", f"Announce Type: {kind}", 1)
    return text.replace("v1</guid>", f"{version}</guid>")


def test_it_reads_every_announce_type_and_the_version_of_replacements(cs_ai):
    text = announce_as(cs_ai, ["cross", "replace", "replace-cross"])
    items = list(parse_rss(io.BytesIO(text.encode()), "types.xml"))
    assert [item.announce_type for item in items] == ["cross", "replace", "replace-cross"]
    assert all(item.version == 2 and item.updated and item.daily.day == dt.date(2026, 4, 27) for item in items)


def test_an_unknown_announce_type_is_rejected(cs_ai):
    text = announce_as(cs_ai, ["withdrawn"])
    items = list(parse_rss(io.BytesIO(text.encode()), "odd.xml"))
    assert isinstance(items[0], Rejected) and "unknown announce type" in items[0].reason
    assert len([item for item in items if isinstance(item, PaperRecord)]) == 2


def test_a_truncated_feed_keeps_the_complete_items(cs_ai):
    data = cs_ai.read_bytes()
    cut = data[: data.index(b"</item>", data.index(b"</item>") + 1) + 200]
    items = list(parse_rss(io.BytesIO(cut), "cut.xml"))
    assert [type(item) for item in items] == [PaperRecord, PaperRecord, Rejected]
    assert "malformed XML" in items[-1].reason


def test_the_atom_form_of_the_feed_is_detected_and_read(cs_ai, tmp_path):
    records = list(parse_path(cs_ai))
    entries = "".join(
        f"""<entry><id>oai:arXiv.org:{r.arxiv_id}v1</id><title>{r.title}</title>
        <updated>2026-04-27T00:00:00-04:00</updated><link href="https://arxiv.org/abs/{r.arxiv_id}" rel="alternate"/>
        <summary>arXiv:{r.arxiv_id}v1 Announce Type: new
Abstract: {r.abstract}</summary>{"".join(f'<category term="{c}"/>' for c in r.categories)}
        <published>2026-04-27T00:00:00-04:00</published><arxiv:announce_type>new</arxiv:announce_type>
        <dc:rights>{r.license}</dc:rights><dc:creator>{", ".join(r.authors)}</dc:creator></entry>"""
        for r in records
    )
    feed = tmp_path / "cs.AI.atom"
    feed.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<id>http://rss.arxiv.org/atom/cs.AI</id><title>cs.AI updates on arXiv.org</title>"
        f"<updated>2026-04-27T04:00:00Z</updated>{entries}</feed>",
        encoding="utf-8",
    )
    assert detect_format(feed) == "atom"
    parsed = list(parse_path(feed))
    assert [(p.arxiv_id, p.announce_type, p.daily.day) for p in parsed] == [
        (r.arxiv_id, "new", dt.date(2026, 4, 27)) for r in records
    ]
    assert parsed[1].authors == records[1].authors and parsed[1].categories == records[1].categories
