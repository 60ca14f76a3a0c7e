"""Words of a query or a paper as a reader sees them: which words to highlight in results (the ``latex_text``
template filter marks them), and which words two papers share (the reason shown beside a similar paper). Light
suffix stripping, so "quantizing" finds "quantization"."""

from __future__ import annotations

import re
from collections import Counter

from dailypapers.search import keywords

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]|[A-Za-z]")
# Math spans carry no words to compare.
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+\$|\\\(.+?\\\)|\\\[.+?\\\]", re.S)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ness", "ings", "ing", "ers", "er", "ies", "es", "ed", "ly", "s")
# English stopwords, and the words nearly every abstract uses
STOPWORDS = keywords.STOPWORDS | frozenset(
    """
    also data model models performance result results task tasks work
    """.split()
)


def stem(word: str) -> str:
    """A crude English stem: enough to match a query word to its inflections in a title or abstract."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) >= 5 else word


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry meaning (no stopwords, no single letters), lower case, in order."""
    return [w.lower() for w in _WORD.findall(_MATH.sub(" ", text or "")) if len(w) > 2 and w.lower() not in STOPWORDS]


def query_stems(query: str) -> list[str]:
    """The stems to highlight for a query (longest first, so the longest match wins)."""
    return sorted({stem(w) for w in content_words(query)}, key=len, reverse=True)


def stems_pattern(stems: list[str]) -> re.Pattern[str]:
    """A pattern matching the words that start with one of the stems (any letter case)."""
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")[A-Za-z0-9-]*", re.IGNORECASE)


def shared_keywords(a: str, b: str, *, limit: int = 3) -> list[str]:
    """Words (by stem) that two texts both use, the most used first, as they are spelled in ``b``."""
    a_stems = Counter(stem(w) for w in content_words(a))
    spelled: dict[str, str] = {}
    b_counts: Counter[str] = Counter()
    for word in content_words(b):
        key = stem(word)
        if key in a_stems:
            b_counts[key] += 1
            spelled.setdefault(key, word)
    ranked = sorted(b_counts, key=lambda key: (-(b_counts[key] + a_stems[key]), spelled[key]))
    return [spelled[key] for key in ranked[:limit]]
