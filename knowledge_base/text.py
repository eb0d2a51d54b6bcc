"""Answer Markdown to safe HTML and to plain text, and the texts each entry is indexed under."""
from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4", "table",
                "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Longest answer passage given to the encoder as one text, in words (its window is 256 word pieces).
PASSAGE_WORDS = 120


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML in the Markdown is escaped, not passed through; nh3 then removes anything else unsafe.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def to_html(markdown: str) -> str:
    """Sanitised HTML: a fixed set of tags, links limited to http(s)/mailto/relative, rel=noopener added."""
    return nh3.clean(
        _markdown().render(markdown),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def to_plain(markdown: str) -> str:
    text = nh3.clean(_markdown().render(markdown), tags=set())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def passages(question: str, phrasings: list[str], answer_markdown: str) -> list[str]:
    """What the encoder sees for one entry: the question, each phrasing, and the answer in short passages."""
    words = to_plain(answer_markdown).split()
    answer = [" ".join(words[i:i + PASSAGE_WORDS]) for i in range(0, len(words), PASSAGE_WORDS)]
    return [question, *phrasings, *answer]


def lexical_text(question: str, phrasings: list[str], answer_markdown: str) -> str:
    return " ".join([question, *phrasings, to_plain(answer_markdown)])
