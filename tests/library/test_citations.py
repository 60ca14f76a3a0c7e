"""BibTeX and RIS: arXiv-style entries, escaping of BibTeX specials, names as "Last, First"."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dailypapers.core.testing import make_paper
from dailypapers.library.citations import bibtex, bibtex_escape, last_first, ris

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Ada Lovelace", "Lovelace, Ada"),
        ("Ji Lin", "Lin, Ji"),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Martin Luther King Jr.", "King, Jr., Martin Luther"),
        ("Plato", "Plato"),
        ("Turing, Alan", "Turing, Alan"),
        ("  Jean-Paul   Sartre ", "Sartre, Jean-Paul"),
    ],
)
def test_names_are_last_first(name, expected):
    assert last_first(name) == expected


def test_special_characters_are_escaped_and_balanced_math_kept():
    assert (
        bibtex_escape("Q&A: 100% of {data}_x #1 ~ ^")
        == r"Q\&A: 100\% of \{data\}\_x \#1 \textasciitilde{} \textasciicircum{}"
    )
    assert (
        bibtex_escape(r"A $\mathcal{O}(n)$ bound for C:\path") == r"A $\mathcal{O}(n)$ bound for C:\textbackslash{}path"
    )
    assert bibtex_escape("unbalanced $x}$ math") == r"unbalanced \$x\}\$ math"
    assert bibtex_escape("line\nbreaks\tcollapse") == "line breaks collapse"


def _braces_balance(text: str) -> bool:
    depth = 0
    for ch in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_entry_has_the_arxiv_fields_and_unique_keys():
    published = dt.datetime(2023, 6, 1, tzinfo=dt.UTC)
    a = make_paper(
        arxiv_id="2306.00978",
        title="AWQ: Activation-aware Weight Quantization for {LLM} & 50% less",
        authors=("Ji Lin", "Jiaming Tang", "Song Han"),
        categories="cs.CL cs.LG",
        published=published,
    )
    b = make_paper(arxiv_id="2306.00979", title="AWQ again", authors=("Ji Lin",), published=published)
    text = bibtex([a, b])
    first, second = text.split("\n\n")
    assert first.startswith("@misc{lin2023activationaware,\n") and second.startswith("@misc{lin2023again,\n")
    assert "  author = {Lin, Ji and Tang, Jiaming and Han, Song}," in first
    for line in (
        "  year = {2023},",
        "  eprint = {2306.00978},",
        "  archivePrefix = {arXiv},",
        "  primaryClass = {cs.CL},",
        "  url = {https://arxiv.org/abs/2306.00978}",
    ):
        assert line in first
    assert r"\{LLM\} \& 50\% less" in first
    assert _braces_balance(text)
    keys = re.findall(r"@misc\{([^,]+),", text)
    assert len(keys) == len(set(keys))


def test_duplicate_keys_get_suffixes():
    published = dt.datetime(2023, 6, 1, tzinfo=dt.UTC)
    papers = [make_paper(title="Same title here", authors=("Ji Lin",), published=published) for _ in range(3)]
    keys = re.findall(r"@misc\{([^,]+),", bibtex(papers))
    assert keys == ["lin2023same", "lin2023samea", "lin2023sameb"]


def test_ris_record_one_author_per_line_and_one_line_values():
    paper = make_paper(
        title="Multi\nline  title",
        abstract="An abstract\nover lines.",
        authors=("Ada Lovelace", "Alan Turing"),
        categories="cs.LG stat.ML",
    )
    text = ris([paper], notes={paper.pk: "my note"})
    lines = text.split("\r\n")
    assert lines[0] == "TY  - GEN"
    assert [line for line in lines if line.startswith("AU  - ")] == ["AU  - Lovelace, Ada", "AU  - Turing, Alan"]
    assert "TI  - Multi line title" in lines and "AB  - An abstract over lines." in lines
    assert f"M1  - arXiv:{paper.arxiv_id}" in lines and "N1  - my note" in lines and "KW  - cs.LG" in lines
    assert text.endswith("ER  - \r\n")
