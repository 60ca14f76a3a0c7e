"""The keyword index: tantivy BM25 over English-stemmed title (boosted), abstract, authors; id and category fields.

User text never reaches tantivy's query parser raw: :func:`build_query_text` keeps words and balanced "phrases"
only, so operators, field prefixes and stray quotes in a query cannot make it fail or mean something else.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tantivy

# The title weighs a tenth of the abstract. tantivy sums the per-field BM25 scores, and a title is so short that
# length normalization made any title word outscore the abstract: a query word that merely names the area ("video",
# "agents") then ranked every paper with that word in its title above the paper whose abstract the query describes.
# Title words usually recur in the abstract, so a title search still finds its paper. Measured with
# bench/search_quality.py (own and held-out query sets): keyword MRR@10 0.797 -> 0.822 and 0.755 -> 0.853.
TITLE_BOOST = 0.1
AUTHORS_BOOST = 1.0
WRITER_HEAP = 64_000_000
_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]*)"')
SCHEMA_VERSION = 1
DROP_STOPWORDS = False
# Query words in more than this share of the abstracts are left out of the query (unless nothing else is left): their
# BM25 weight is next to nothing (idf <= log 2), and their posting lists ("the", "of", "a" span nearly every paper)
# were most of a keyword search's time at 1M papers (bench/search_scale.py).
COMMON_SHARE = 0.5
# Function words carry no topic; dropped from the query side only (phrases keep them), unless nothing else is left.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any approach are as at based be because been before being
    below between both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me method methods more most my new no
    nor not novel now of off on once only or other our ours out over own paper propose proposed same she should
    show shows so some such than that the their theirs them then there these they this those through to too under
    until up use used using very via was we were what when where which while who whom why will with would you your
    yours
    """.split()
)


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("pk", stored=True, indexed=True, fast=True)
    builder.add_text_field("arxiv_id", tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("abstract", tokenizer_name="en_stem")
    builder.add_text_field("authors", tokenizer_name="default")
    builder.add_text_field("categories", tokenizer_name="raw")
    builder.add_integer_field("published", indexed=True, fast=True)  # days since 1970-01-01
    return builder.build()


def day_number(value: dt.date | dt.datetime) -> int:
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - dt.date(1970, 1, 1)).days


@dataclass
class KeywordDoc:
    pk: int
    arxiv_id: str
    title: str
    abstract: str
    authors: list[str]
    categories: list[str]
    published: dt.date | dt.datetime


def _words(text: str) -> list[str]:
    # Lowercase: tantivy's operators (AND, OR, NOT, IN) are uppercase; "\w+" drops every other syntax character.
    return [w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", text)) if w.strip("_")]


def build_query_text(query: str, *, common: frozenset[str] | set[str] = frozenset()) -> str:
    """A safe tantivy query string: plain words OR'ed, plus quoted phrases from balanced quotes in the input.

    Plain words in ``common`` are left out unless nothing else would be left (phrases keep every word).
    """
    parts: list[str] = []
    phrases = _PHRASE.findall(query) if query.count('"') >= 2 else []
    rest = _PHRASE.sub(" ", query) if phrases else query
    for phrase in phrases:
        words = _words(phrase)
        if len(words) > 1:
            parts.append('"' + " ".join(words) + '"')
        elif words:
            parts.append(words[0])
    words = _words(rest.replace('"', " "))
    if DROP_STOPWORDS:
        kept = [w for w in words if w not in STOPWORDS]
        words = kept if kept or parts else words
    if common:
        kept = [w for w in words if w not in common]
        words = kept if kept or parts else words
    parts.extend(words)
    return " ".join(p.replace("_", " ").strip() for p in parts if p.replace("_", "").strip())


@lru_cache(maxsize=1)
def _stemmer() -> tantivy.TextAnalyzer:
    """tantivy's en_stem analyzer, as the title and abstract fields use it."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def _unscored(query):
    """The query as a pure filter: it adds nothing to the BM25 score of the documents it lets through."""
    return tantivy.Query.const_score_query(query, 0.0)


class KeywordIndex:
    def __init__(self, folder: Path, *, create: bool = False):
        self.folder = Path(folder)
        if create:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(build_schema(), path=str(self.folder))
        else:
            self.index = tantivy.Index.open(str(self.folder))
        self.schema = self.index.schema
        self._searcher = None
        self._common: dict[str, bool] = {}

    # --- writes (one writer at a time: sync holds the index lock) ---
    def upsert(self, docs: list[KeywordDoc]) -> int:
        if not docs:
            return 0
        writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            for doc in docs:
                writer.delete_documents_by_term("pk", doc.pk) if hasattr(
                    writer, "delete_documents_by_term"
                ) else writer.delete_documents("pk", doc.pk)
                writer.add_document(self.document(doc))
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        self._searcher = None
        return len(docs)

    def bulk_writer(self):
        """A writer for a fresh index (rebuild): add documents with :meth:`add`, then commit once."""
        return self.index.writer(heap_size=WRITER_HEAP * 2, num_threads=1)

    @staticmethod
    def document(doc: KeywordDoc) -> tantivy.Document:
        return tantivy.Document(
            pk=doc.pk,
            arxiv_id=doc.arxiv_id,
            title=doc.title,
            abstract=doc.abstract,
            authors=list(doc.authors) or [""],
            categories=list(doc.categories) or [""],
            published=day_number(doc.published),
        )

    # --- reads ---
    def searcher(self):
        if self._searcher is None:
            self.index.reload()
            self._searcher = self.index.searcher()
            self._common = {}
        return self._searcher

    def common_words(self, words: list[str]) -> set[str]:
        """The words found in more than COMMON_SHARE of the abstracts (looked up once per searcher)."""
        searcher = self.searcher()
        limit = COMMON_SHARE * searcher.num_docs
        for word in words:
            if word not in self._common:
                terms = _stemmer().analyze(word)  # the abstract field's terms are stemmed ("large" -> "larg")
                self._common[word] = len(terms) == 1 and searcher.doc_freq("abstract", terms[0]) > limit
        return {word for word in words if self._common[word]}

    def count(self) -> int:
        return self.searcher().num_docs

    def search(
        self,
        query: str,
        *,
        limit: int = 100,
        category: str | None = None,
        author: str | None = None,
        published_from: dt.date | None = None,
        published_to: dt.date | None = None,
    ) -> list[tuple[int, float]]:
        """(pk, BM25 score) best first; an empty list when the query has no searchable words."""
        parsed = self._parse(query)
        if parsed is None:
            return []
        clauses = [(tantivy.Occur.Must, parsed)]
        clauses.extend(
            (tantivy.Occur.Must, _unscored(f)) for f in self.filters(category, author, published_from, published_to)
        )
        final = parsed if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)
        return self._hits(final, limit)

    def scores_for(self, query: str, pks: list[int]) -> dict[int, float]:
        """BM25 scores of this query for the given papers only (papers that do not match are left out)."""
        parsed = self._parse(query)
        if parsed is None or not pks:
            return {}
        # One term lookup per key (a term set query streams the whole key dictionary), scoring nothing itself: the
        # BM25 is the query's alone, comparable to search()'s (a term set added a constant 1.0).
        only = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "pk", int(pk))) for pk in pks]
        )
        final = tantivy.Query.boolean_query([(tantivy.Occur.Must, parsed), (tantivy.Occur.Must, _unscored(only))])
        return dict(self._hits(final, len(pks)))

    def _hits(self, query, limit: int) -> list[tuple[int, float]]:
        """(pk, score) of the top ``limit`` documents: no total count (it would visit every match) and the keys from
        the pk fast field, not the stored documents (bench/search_scale.py)."""
        searcher = self.searcher()
        hits = searcher.search(query, limit, count=False).hits
        pks = searcher.fast_field_values("pk", [address for _, address in hits])
        return [(int(pk), float(score)) for pk, (score, _) in zip(pks, hits, strict=True)]

    def _parse(self, query: str):
        text = build_query_text(query, common=self.common_words(_words(query)) if COMMON_SHARE < 1 else frozenset())
        if not text:
            return None
        try:
            return self.index.parse_query(
                text, ["title", "abstract", "authors"], field_boosts={"title": TITLE_BOOST, "authors": AUTHORS_BOOST}
            )
        except ValueError:
            return self.index.parse_query_lenient(text, ["title", "abstract", "authors"])[0]

    def filters(self, category, author, published_from, published_to) -> list:
        out = []
        if category:
            out.append(tantivy.Query.term_query(self.schema, "categories", category.strip()))
        if author:
            words = _words(author)
            if words:
                out.append(
                    tantivy.Query.phrase_query(self.schema, "authors", words)
                    if len(words) > 1
                    else tantivy.Query.term_query(self.schema, "authors", words[0])
                )
        if published_from or published_to:
            out.append(
                tantivy.Query.range_query(
                    self.schema,
                    "published",
                    tantivy.FieldType.Integer,
                    day_number(published_from) if published_from else None,
                    day_number(published_to) if published_to else None,
                )
            )
        return out
