"""`dailypapers search "QUERY" [--mode] [--limit N] [--json]`: ranked papers for a query, from the local indexes."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Search the indexed papers and print arXiv id, score and title (or JSON with --json)."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="+")
        parser.add_argument("--mode", choices=["hybrid", "semantic", "keyword"], default="hybrid")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--category")
        parser.add_argument("--author")
        parser.add_argument("--json", action="store_true", help="print a JSON list of {arxiv_id, title, score}")

    def handle(self, *args, query, mode, limit, category=None, author=None, json=False, **options):
        from dailypapers.search.services import search_papers

        text = " ".join(query)
        results = search_papers(
            query=text, mode=mode, category=category, author=author, per_page=max(1, min(limit, 100))
        )
        if results.redirect is not None:
            rows = [{"arxiv_id": results.redirect.arxiv_id, "title": results.redirect.title, "score": 1.0}]
        elif results.error:
            if json:
                self.stdout.write(_dumps([]))
            raise CommandError(results.error)
        else:
            rows = [
                {"arxiv_id": h.paper.arxiv_id, "title": h.paper.title, "score": round(h.score, 6)} for h in results.hits
            ]
        if results.notice:
            self.stderr.write(results.notice)
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            self.stdout.write(f"{row['arxiv_id']:<18} {row['score']:.4f}  {row['title']}")


def _dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False)
