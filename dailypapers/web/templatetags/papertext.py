"""Template filters for paper text: arXiv titles and abstracts carry text-mode LaTeX (``97.3\\%``, ``\\emph{...}``,
``~``, ``--``) that should read as text, while math (``$...$``) is left for KaTeX to render in the browser."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dailypapers.search.terms import stems_pattern

register = template.Library()

# Math that KaTeX renders: $$...$$, $...$, \(...\), \[...\] (an escaped \$ is not a delimiter).
_MATH = re.compile(r"(\$\$.+?\$\$|(?<!\\)\$.+?(?<!\\)\$|\\\(.+?\\\)|\\\[.+?\\\])", re.DOTALL)
_STYLES = {
    "emph": "em",
    "textit": "em",
    "textsl": "em",
    "textbf": "strong",
    "texttt": "code",
    "textsc": "span",
    "textrm": "span",
    "textsf": "span",
    "text": "span",
    "mbox": "span",
    "underline": "u",
}
_COMMAND = re.compile(r"\\(" + "|".join(sorted(_STYLES, key=len, reverse=True)) + r")\s*\{([^{}]*)\}")
_BRACED_STYLE = re.compile(r"\{\\(em|it|bf|sc|tt)\s+([^{}]*)\}")
_OLD_STYLES = {"em": "em", "it": "em", "bf": "strong", "sc": "span", "tt": "code"}
_ESCAPES = {r"\%": "%", r"\&amp;": "&amp;", r"\_": "_", r"\#": "#", r"\$": "$", r"\{": "{", r"\}": "}"}
_DASHES = ((re.compile(r"(?<!-)---(?!-)"), "\u2014"), (re.compile(r"(?<!-)--(?!-)"), "\u2013"))
_QUOTES = re.compile(r"``(.+?)(?:''|&#x27;&#x27;)")  # after escaping, ' is &#x27;
_TILDE = re.compile(r"(?<!\\)~")


def _text_mode(text: str) -> str:
    """Escaped HTML of a stretch of text outside math, its text-mode LaTeX turned into what it prints."""
    html = escape(text)
    for _ in range(3):  # nested styles: \textbf{\emph{x}}
        new = _COMMAND.sub(lambda m: f'<{_STYLES[m[1]]} class="tex-{m[1]}">{m[2]}</{_STYLES[m[1]]}>', html)
        new = _BRACED_STYLE.sub(lambda m: f"<{_OLD_STYLES[m[1]]}>{m[2]}</{_OLD_STYLES[m[1]]}>", new)
        if new == html:
            break
        html = new
    for source, target in _ESCAPES.items():
        html = html.replace(source, target)
    for pattern, dash in _DASHES:
        html = pattern.sub(dash, html)
    html = _QUOTES.sub("\u201c\\1\u201d", html)
    return _TILDE.sub("\u00a0", html)


_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&[#\w]+;)")


def _mark(html: str, words: re.Pattern[str] | None) -> str:
    """Wrap the words a search matched in <mark>, in the text between tags (never inside a tag or an entity)."""
    if words is None:
        return html
    pieces = _TAG_OR_ENTITY.split(html)
    return "".join(
        words.sub(lambda m: f"<mark>{m.group(0)}</mark>", piece) if i % 2 == 0 else piece
        for i, piece in enumerate(pieces)
    )


@register.filter(name="latex_text")
def latex_text(value, highlight: list[str] | None = None) -> SafeString:
    """Render text-mode LaTeX outside math as text (HTML-escaped); math stays as written for KaTeX. With
    ``highlight`` (a search's query stems), the words they match are marked, outside math only."""
    if not value:
        return mark_safe("")
    words = stems_pattern(highlight) if highlight else None
    parts = _MATH.split(str(value))
    # split() with one group: even indexes are text, odd ones are the math delimited stretches.
    return mark_safe(
        "".join(_mark(_text_mode(part), words) if i % 2 == 0 else escape(part) for i, part in enumerate(parts))
    )
