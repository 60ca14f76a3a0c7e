"""Comment Markdown -> safe HTML: markdown-it-py (CommonMark, raw HTML off) with math kept for KaTeX, then nh3.

Math spans (``$...$`` and ``$$...$$``) are taken out before Markdown so that ``_`` and ``*`` inside them are not read
as emphasis, and written back as escaped text inside ``<span class="math">``; the browser's KaTeX auto-render turns
them into formulas. nh3 then keeps only an allow-list of tags and attributes: no script, no event handlers, no
``javascript:`` (or any non-http(s)/mailto) links survive, whatever the Markdown parser let through.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

MAX_BODY_CHARS = 10_000

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "span",
    "div",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_ALLOWED_CLASSES = {"span": {"math", "math-inline"}, "div": {"math", "math-block"}}


def _render_inline_math(self, tokens, idx, options, env) -> str:
    return f'<span class="math math-inline">{html.escape("$" + tokens[idx].content + "$")}</span>'


def _render_block_math(self, tokens, idx, options, env) -> str:
    return f'<div class="math math-block">{html.escape("$$" + tokens[idx].content.strip() + "$$")}</div>\n'


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(dollarmath_plugin, allow_space=True, double_inline=True)
    md.add_render_rule("math_inline", _render_inline_math)
    md.add_render_rule("math_inline_double", _render_block_math)
    md.add_render_rule("math_block", _render_block_math)
    md.add_render_rule("math_block_label", _render_block_math)
    # Headings inside a comment should not outrank the page's own: h1/h2 become h3.
    return md


_MD = _parser()


def _demote_headings(html_text: str) -> str:
    return html_text.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")


def sanitize(html_text: str) -> str:
    return nh3.clean(
        html_text,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Safe HTML for a comment's Markdown source."""
    return sanitize(_demote_headings(_MD.render(text or "")))
