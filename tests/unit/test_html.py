from __future__ import annotations

import pytest

from bot.render.callbacks import pack, unpack
from bot.render.html import Markup, fmt, join_lines, mention, split_message
from bot.sandbox.html import parse_html


def test_fmt_escapes_values_but_not_the_template() -> None:
    text = fmt("<b>{name}</b> & {other}", name="<script>", other=Markup("<i>ok</i>"))
    assert text == "<b>&lt;script&gt;</b> & <i>ok</i>"


def test_mention_escapes_the_name() -> None:
    assert mention(5, "<A&B>") == '<a href="tg://user?id=5">&lt;A&amp;B&gt;</a>'


def test_join_lines_escapes_plain_lines_only() -> None:
    assert join_lines([Markup("<b>x</b>"), "<y>"]) == "<b>x</b>\n&lt;y&gt;"


def test_split_message_keeps_every_part_valid_and_under_the_limit() -> None:
    lines = [fmt("<b>{n}</b> {text}", n=i, text="é<&>" * 30) for i in range(200)]
    text = join_lines(lines)
    parts = split_message(text, limit=1000)
    assert len(parts) > 1
    assert "\n".join(parts) == text
    for part in parts:
        assert len(part) <= 1000
        parse_html(part)  # raises on broken markup


def test_split_message_cuts_an_overlong_line_outside_entities() -> None:
    line = fmt("{x}", x="<" * 5000)
    parts = split_message(line, limit=4096)
    assert all(len(part) <= 4096 for part in parts)
    for part in parts:
        parse_html(part)
    assert "".join(parts) == line


def test_callback_data_must_fit_64_bytes() -> None:
    assert pack("cj", 12, "y") == "cj:12:y"
    with pytest.raises(ValueError):
        pack("x" * 65)
    with pytest.raises(ValueError):
        pack("é" * 33)
    with pytest.raises(ValueError):
        pack("a:b")
    assert unpack("cj:1", 4) == ["cj", "1", "", ""]
    assert unpack(None, 2) == ["", ""]
