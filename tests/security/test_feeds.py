"""Break 6 of the security review: an abstract's HTML reached feed readers. RSS <description> and Atom
<summary type="html"> are HTML to a reader; the abstract (text) was escaped only once, for XML, so a reader that
renders the summary ran ``<svg onload=...>``. Through the full request stack, read as a feed reader reads it."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from dailypapers.core.testing import make_entry, make_paper

pytestmark = pytest.mark.django_db
HOSTILE = "We show </textarea><svg onload=alert(document.domain)> & <b>more</b>."
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile(fresh_cache):
    make_entry(make_paper(title="Hostile", abstract=HOSTILE), dt.date(2026, 8, 21))


@pytest.mark.parametrize("url", ["/feeds/daily.rss", "/feeds/search.rss?q=Hostile"])
def test_rss_descriptions_carry_the_abstract_as_text(client, hostile, url):
    root = ET.fromstring(client.get(url).content)
    [description] = [item.findtext("description") for item in root.iter("item")]
    assert "<svg" not in description and "</textarea>" not in description  # what the reader renders as HTML
    assert "&lt;svg onload=alert(document.domain)&gt;" in description


@pytest.mark.parametrize("url", ["/feeds/daily.atom", "/feeds/search.atom?q=Hostile"])
def test_atom_summaries_carry_the_abstract_as_text(client, hostile, url):
    root = ET.fromstring(client.get(url).content)
    [summary] = list(root.iter(f"{ATOM}summary"))
    if summary.get("type") == "html":
        assert "<svg" not in summary.text and "&lt;svg onload" in summary.text
    else:
        assert summary.get("type") in (None, "text") and "<svg onload" in summary.text
