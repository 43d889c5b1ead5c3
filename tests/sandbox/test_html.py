"""The HTML parser must accept and reject exactly what Telegram does."""

from __future__ import annotations

import pytest

from bot.sandbox.html import HtmlParseError, parse_html


def test_plain_text_and_entities_in_utf16_units() -> None:
    text, entities = parse_html("😀 <b>bold</b> <i>it<u>al</u></i>")
    assert text == "😀 bold ital"
    assert entities == [
        {"offset": 3, "length": 4, "type": "bold"},
        {"offset": 8, "length": 4, "type": "italic"},
        {"offset": 10, "length": 2, "type": "underline"},
    ]


def test_links_spoilers_code_blocks() -> None:
    html = (
        '<a href="https://example.org/?a=1&amp;b=2">x</a> <span class="tg-spoiler">s</span> '
        '<pre><code class="language-python">x = 1</code></pre> '
        "<blockquote expandable>q</blockquote>"
    )
    text, entities = parse_html(html)
    assert text == "x s x = 1 q"
    types = {e["type"]: e for e in entities}
    assert types["text_link"]["url"] == "https://example.org/?a=1&b=2"
    assert types["spoiler"] == {"offset": 2, "length": 1, "type": "spoiler"}
    assert types["pre"]["language"] == "python"
    assert "expandable_blockquote" in types


def test_entities_decoding() -> None:
    text, _ = parse_html("&lt;a&gt; &amp; &quot; &#65;&#x42; &nbsp; &copy")
    assert text == '<a> & " AB &nbsp; &copy'


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<script>x</script>", 'Unsupported start tag "script" at byte offset 0'),
        ("hi <b>there", 'Can\'t find end tag corresponding to start tag "b"'),
        ("ok</b>", "Unexpected end tag at byte offset 2"),
        ("é<b>x</i>", 'Unmatched end tag at byte offset 6, expected "</b>", found "</i>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_errors_match_telegram(html: str, error: str) -> None:
    with pytest.raises(HtmlParseError) as info:
        parse_html(html)
    assert str(info.value) == error
