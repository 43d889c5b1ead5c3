"""How `copbot demo` prints its chat: fit for a 100-column terminal, a header per day.

The sandbox records what happened (`TranscriptEvent`s, each with the sandbox clock);
this module lays it out for a reader: long lines wrap with a hanging indent under the
speaker, edits are marked as edits, and whenever the clock has moved to another day a
date header says which. Emoji count as two columns, as terminals draw them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.sandbox.state import TranscriptEvent

WIDTH = 100
MAX_INDENT = 24  # a long speaker head would leave too little room for the text
GAP = timedelta(minutes=30)  # time passed without a note: the transcript says the time


@dataclass(frozen=True)
class Frame:
    """The few words of the transcript's own (not the bot's), in the demo's language."""

    locale: str
    group: str
    private: str
    edited: str
    pressed: str
    popup: str
    deleted: str
    reply: str
    reacted: str  # "{emoji} on {name}'s message"


FRAMES = {
    "nl": Frame(
        "nl",
        "groep",
        "privé",
        "bewerkt",
        "drukt op",
        "melding",
        "verwijderd",
        "(antwoord gevraagd)",
        "zet {emoji} bij het bericht van {name}",
    ),
    "en": Frame(
        "en",
        "group",
        "private",
        "edited",
        "pressed",
        "pop-up",
        "deleted",
        "(reply expected)",
        "puts {emoji} on {name}'s message",
    ),
}


def width(text: str) -> int:
    """Columns `text` takes in a terminal: wide characters (emoji, CJK) take two."""
    columns = 0
    for char in text:
        if unicodedata.combining(char) or char in "\u200d\ufe0f":
            continue
        columns += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return columns


def wrap(text: str, first: str, indent: int, limit: int = WIDTH) -> list[str]:
    """`first` + `text`, each line of it wrapped at word boundaries within `limit`
    columns, continuation lines indented by `indent` spaces (a hanging indent)."""
    pad = " " * indent
    out: list[str] = []
    for number, paragraph in enumerate(text.split("\n")):
        line = first if number == 0 else pad
        fresh = True  # nothing but the head or the indent on this line yet
        for word in paragraph.split(" "):
            candidate = line + ("" if fresh else " ") + word
            if width(candidate) <= limit or fresh:
                while width(candidate) > limit:  # a word longer than the line: cut it
                    room = limit - width(line)
                    cut = _cut(word, max(room, 1))
                    out.append(line + cut)
                    word, line = word[len(cut) :], pad
                    candidate = line + word
                line, fresh = candidate, False
            else:
                out.append(line.rstrip())
                line = pad + word
        out.append(line.rstrip())
    return out


def _cut(word: str, room: int) -> str:
    taken = ""
    for char in word:
        if width(taken + char) > room:
            break
        taken += char
    return taken or word[:1]


def _chat(event: TranscriptEvent, frame: Frame) -> str:
    if event.chat.startswith("private "):
        return f"[{frame.private} {event.chat.removeprefix('private ')}]"
    return f"[{frame.group}]"


def _day(event: TranscriptEvent, tz: ZoneInfo, frame: Frame) -> str | None:
    if event.at is None:
        return None
    return format_date(event.at.astimezone(tz).date(), "EEEE d MMMM y", locale=frame.locale)


def render(events: Iterable[TranscriptEvent], tz: ZoneInfo, language: str) -> str:
    """The transcript as text: a date header whenever the day changes, then one block per
    event (speaker, text wrapped under it, its button rows)."""
    frame = FRAMES[language]
    lines: list[str] = []
    day: str | None = None
    last: datetime | None = None
    for event in events:
        if event.kind == "event" and event.text.startswith(("buttons removed", "buttons changed")):
            continue  # only the keyboard changed: nothing a reader needs to see
        today = _day(event, tz, frame)
        moved = event.at is not None and (last is None or event.at - last >= GAP)
        if today is not None and today != day:
            day = today
            header = f"==== {today} "
            lines += ["", header + "=" * (WIDTH - width(header)), ""]
            moved = True
        if moved and event.kind != "note" and event.at is not None:
            lines.append(f"--- {event.at.astimezone(tz):%H:%M} ---")
        last = event.at or last
        if event.kind == "note":
            clock = event.at.astimezone(tz).strftime("%H:%M") if event.at else ""
            lines += wrap(event.text + " ---", f"--- {clock} ", 4)
            continue
        chat = _chat(event, frame)
        head, text = _head(event, chat, frame)
        indent = min(width(head), MAX_INDENT)
        lines += wrap(text, head, indent)
        for row in event.buttons:
            lines += wrap(" ".join(f"[ {label} ]" for label in row), " " * indent, indent + 2)
        if event.force_reply:
            lines.append(" " * indent + frame.reply)
    return "\n".join(lines).lstrip("\n")


def _head(event: TranscriptEvent, chat: str, frame: Frame) -> tuple[str, str]:
    """The speaker part of an event's first line, and the text that follows it."""
    if event.kind in ("said", "bot_said"):
        body = event.text
        if event.attachment:
            body = f"<{event.attachment}> {body}".rstrip()
        edited = f" ({frame.edited})" if body.endswith(" (edited)") else ""
        if edited:
            body = body.removesuffix(" (edited)")
        return f"{chat} {event.actor}{edited}: ", body
    if event.kind == "pressed":
        return f"{chat} {event.actor} {frame.pressed} ", event.text
    if event.kind == "bot_answered":
        return f"{chat} {event.actor} ({frame.popup}): ", event.text
    if event.kind == "bot_edited":
        actor, _, number = event.actor.partition(" ")
        return f"{chat} {actor} ({frame.edited} {number}): ", event.text
    if event.kind == "bot_deleted":
        return f"{chat} {event.actor} ({frame.deleted}): ", event.text
    if event.kind == "bot_reacted":  # "👍 on Anouk's message", from the sandbox
        emoji, _, rest = event.text.partition(" on ")
        name = rest.removesuffix("'s message")
        return f"{chat} {event.actor} ", frame.reacted.format(emoji=emoji, name=name)
    return f"{chat} * {event.actor} ", event.text
