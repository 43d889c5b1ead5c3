"""A strict parser for Telegram's HTML ``parse_mode``.

Telegram rejects malformed markup with a 400 error instead of rendering it, so a bot that
passes tests with a lenient fake can still break in production. This module follows the
server's parser (tdlib ``MessageEntity.cpp: parse_html``) closely: same supported tags, same
entity decoding rules, same error texts and the same *byte* offsets in error messages. Entity
offsets and lengths are counted in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)

_SIMPLE_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}

_SPACES = frozenset(" \t\r\n\0\v")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HtmlParseError(ValueError):
    """Raised for markup Telegram would refuse; ``str(exc)`` is Telegram's error detail."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    result_pos: int


@dataclass
class _Parser:
    text: str
    result: list[str] = field(default_factory=list)
    utf16_offset: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)
    stack: list[_OpenTag] = field(default_factory=list)

    def char(self, i: int) -> str:
        """Character at ``i``, or NUL past the end (tdlib relies on a NUL-terminated string)."""
        return self.text[i] if i < len(self.text) else "\0"

    def byte_offset(self, i: int) -> int:
        return len(self.text[:i].encode("utf-8"))

    def decode_entity(self, pos: int) -> tuple[str, int] | None:
        """Decode an HTML entity at ``pos``; returns (character, new position) or None.

        Unknown named entities (``&nbsp;``) are not errors for Telegram: the ``&`` is kept
        literally. The trailing ``;`` is optional.
        """
        end = pos + 1
        if self.char(end) == "#":
            end += 1
            value = 0
            if self.char(end) == "x":
                end += 1
                while self.char(end) in "0123456789abcdefABCDEF" and self.char(end) != "\0":
                    value = value * 16 + int(self.char(end), 16)
                    end += 1
                    if value >= 0x10FFFF:
                        return None
            else:
                while self.char(end).isascii() and self.char(end).isdigit():
                    value = value * 10 + int(self.char(end))
                    end += 1
                    if value >= 0x10FFFF:
                        return None
            if value == 0 or 0xD800 <= value <= 0xDFFF:
                return None
            decoded = chr(value)
        else:
            while self.char(end).isascii() and self.char(end).isalpha():
                end += 1
            name = self.text[pos + 1 : end]
            if name not in _NAMED_ENTITIES:
                return None
            decoded = _NAMED_ENTITIES[name]
        if self.char(end) == ";":
            end += 1
        return decoded, end

    def append(self, chars: str) -> None:
        self.result.append(chars)
        self.utf16_offset += utf16_len(chars)

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        i = 0
        text = self.text
        while i < len(text):
            c = text[i]
            if c == "&":
                decoded = self.decode_entity(i)
                if decoded is not None:
                    self.append(decoded[0])
                    i = decoded[1]
                    continue
            if c != "<":
                self.append(c)
                i += 1
                continue
            i = self.parse_end_tag(i) if self.char(i + 1) == "/" else self.parse_start_tag(i)
        if self.stack:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.result), self.entities

    def parse_start_tag(self, begin: int) -> int:
        i = begin + 1
        while self.char(i) not in _SPACES and self.char(i) != ">":
            i += 1
        if i >= len(self.text):
            raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = self.text[begin + 1 : i].lower()
        if tag not in SUPPORTED_TAGS:
            raise HtmlParseError(
                f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        argument = ""
        while self.char(i) != ">":
            while i < len(self.text) and self.char(i) in _SPACES:
                i += 1
            if self.char(i) == ">":
                break
            attr_begin = i
            while self.char(i) not in _SPACES and self.char(i) not in "=>":
                i += 1
            attr_name = self.text[attr_begin:i]
            if not attr_name:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            while i < len(self.text) and self.char(i) in _SPACES:
                i += 1
            if self.char(i) != "=" and tag == "blockquote" and attr_name == "expandable":
                argument = "1"  # the only valueless attribute Telegram documents
                continue
            if self.char(i) != "=":
                raise HtmlParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            i += 1
            while i < len(self.text) and self.char(i) in _SPACES:
                i += 1
            if i >= len(self.text):
                raise HtmlParseError(
                    f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}'
                )
            value_chars: list[str] = []
            if self.char(i) not in "'\"":
                token_begin = i
                while self.char(i).isascii() and (self.char(i).isalnum() or self.char(i) in ".-"):
                    i += 1
                value = self.text[token_begin:i].lower()
                if self.char(i) not in _SPACES and self.char(i) != ">":
                    raise HtmlParseError(
                        f"Unexpected end of name token at byte offset "
                        f"{self.byte_offset(token_begin)}"
                    )
            else:
                quote = self.text[i]
                i += 1
                while i < len(self.text) and self.text[i] != quote:
                    if self.text[i] == "&":
                        decoded = self.decode_entity(i)
                        if decoded is not None:
                            value_chars.append(decoded[0])
                            i = decoded[1]
                            continue
                    value_chars.append(self.text[i])
                    i += 1
                if self.char(i) == quote:
                    i += 1
                value = "".join(value_chars)
            if i >= len(self.text):
                raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if tag == "a" and attr_name == "href":
                argument = value
            elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                argument = value[len("language-") :]
            elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                argument = value[len("tg-") :]
            elif (tag == "tg-emoji" and attr_name == "emoji-id") or (
                tag == "blockquote" and attr_name == "expandable"
            ):
                argument = value if tag == "tg-emoji" else "1"
        if tag == "span" and argument != "spoiler":
            raise HtmlParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(_OpenTag(tag, argument, self.utf16_offset, len(self.result)))
        return i + 1

    def parse_end_tag(self, begin: int) -> int:
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while self.char(i) not in _SPACES and self.char(i) != ">":
            i += 1
        end_name = self.text[begin + 2 : i]
        while i < len(self.text) and self.char(i) in _SPACES:
            i += 1
        if self.char(i) != ">":
            raise HtmlParseError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        open_tag = self.stack.pop()
        if end_name and end_name != open_tag.name:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{open_tag.name}>", found "</{end_name}>"'
            )
        self.close(open_tag)
        return i + 1

    def close(self, tag: _OpenTag) -> None:
        offset = tag.utf16_offset
        length = self.utf16_offset - offset
        if length <= 0:
            return
        entity: dict[str, Any] = {"offset": offset, "length": length}
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and last["offset"] == offset and last["length"] == length
        if tag.name in _SIMPLE_TAG_TYPES:
            entity["type"] = _SIMPLE_TAG_TYPES[tag.name]
        elif tag.name == "a":
            url = tag.argument or "".join(self.result[tag.result_pos :])
            if url.startswith("tg://user?id="):
                entity["type"] = "text_mention"
                entity["user"] = {
                    "id": int(url.split("=", 1)[1]),
                    "is_bot": False,
                    "first_name": "",
                }
            elif _looks_like_url(url):
                entity["type"] = "text_link"
                entity["url"] = url
            else:
                return
        elif tag.name == "tg-emoji":
            entity["type"] = "custom_emoji"
            entity["custom_emoji_id"] = tag.argument
        elif tag.name == "blockquote":
            entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
        elif tag.name == "pre":
            if same_span and last is not None and last["type"] == "code" and last.get("_lang"):
                last["type"] = "pre"
                last["language"] = last.pop("_lang")
                return
            entity["type"] = "pre"
        elif tag.name == "code":
            if same_span and last is not None and last["type"] == "pre" and tag.argument:
                last["language"] = tag.argument
                return
            entity["type"] = "code"
            if tag.argument:
                entity["_lang"] = tag.argument
        self.entities.append(entity)


def _looks_like_url(url: str) -> bool:
    """Rough version of tdlib's ``check_link``: a scheme URL or something with a dot."""
    url = url.strip()
    if not url or any(ch in url for ch in " \n"):
        return False
    lowered = url.lower()
    if lowered.startswith(("http://", "https://", "tg://", "ton://", "mailto:")):
        return True
    return "." in url.split("/", 1)[0]


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, MessageEntity dicts).

    Raises:
        HtmlParseError: with Telegram's wording, for text Telegram would reject.
    """
    plain, entities = _Parser(text).parse()
    for entity in entities:
        entity.pop("_lang", None)
    return plain, entities
