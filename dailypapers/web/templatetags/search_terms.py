"""``{{ text|highlight:stems }}``: the text, escaped, with the words a search matched wrapped in <mark>."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dailypapers.search.terms import highlight_spans

register = template.Library()


@register.filter
def highlight(text: str, stems: list[str] | None) -> SafeString:
    return mark_safe(  # noqa: S308  (every piece is escaped here)
        "".join(f"<mark>{escape(piece)}</mark>" if matched else escape(piece) for piece, matched in highlight_spans(text, stems or []))
    )
