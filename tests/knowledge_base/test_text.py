from __future__ import annotations

from knowledge_base.text import PASSAGE_WORDS, lexical_text, passages, to_html, to_plain


def test_markdown_renders_to_sanitised_html() -> None:
    html = to_html("**Free** returns. [Policy](/returns) <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>Free</strong>" in html
    assert '<a href="/returns" rel="noopener noreferrer">Policy</a>' in html
    assert "<script" not in html and "href=\"javascript" not in html


def test_raw_html_in_markdown_is_escaped_not_rendered() -> None:
    html = to_html('<img src=x onerror="alert(1)">')
    assert "<img" not in html and "&lt;img" in html


def test_plain_text_and_passages() -> None:
    assert to_plain("**Bold** and `code`\n\n- one\n- two") == "Bold and code one two"
    long_answer = " ".join(f"word{i}" for i in range(PASSAGE_WORDS + 10))
    found = passages("Q?", ["Other way?"], long_answer)
    assert found[:2] == ["Q?", "Other way?"]
    assert len(found) == 4 and len(found[2].split()) == PASSAGE_WORDS
    assert lexical_text("Q?", ["P?"], "*A*") == "Q? P? A"
