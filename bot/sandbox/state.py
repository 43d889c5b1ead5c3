"""The sandbox's world: users, chats, messages and callback queries as plain dataclasses.

These objects are what tests inspect ("what did the bot say, with which buttons?"), so they
keep Telegram's data (ids, entities, reply markup as the raw Bot API dicts) and expose a few
convenience views. Each object can render itself as Bot API JSON, which is what PTB receives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

ChatType = Literal["private", "group", "supergroup", "channel"]
BotStatus = Literal["member", "administrator", "left", "kicked"]


@dataclass(eq=False)
class SandboxUser:
    """A Telegram account: a human, or the bot itself (``is_bot=True``)."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "nl"
    is_bot: bool = False
    #: The user pressed Start / wrote to the bot in private, so the bot may message them.
    started: bool = False
    #: The user blocked the bot in private.
    blocked: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code and not self.is_bot:
            data["language_code"] = self.language_code
        return data

    def __repr__(self) -> str:
        return f"SandboxUser({self.id}, {self.full_name!r})"


@dataclass(eq=False)
class SandboxChat:
    """A chat. Private chats have ``id == user.id`` and ``user`` set."""

    id: int
    type: ChatType
    title: str | None = None
    user: SandboxUser | None = None
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    banned: set[int] = field(default_factory=set)  # removed by an administrator
    creator_id: int | None = None
    bot_status: BotStatus = "left"
    migrated_to: int | None = None
    migrated_from: int | None = None
    messages: list[SandboxMessage] = field(default_factory=list)
    pinned: list[int] = field(default_factory=list)
    next_message_id: int = 1
    #: Whether members may react to messages (a group's settings can switch it off).
    reactions: bool = True

    @property
    def label(self) -> str:
        """Human-readable name for transcripts: ``Group CoP Rekenen`` / ``private Anna``."""
        if self.type == "private" and self.user is not None:
            return f"private {self.user.first_name}"
        kind = {"group": "Group", "supergroup": "Supergroup", "channel": "Channel"}[self.type]
        return f"{kind} {self.title}"

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def take_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private" and self.user is not None:
            data.update({k: v for k, v in self.user.to_json().items() if k in _PRIVATE_CHAT_FIELDS})
        else:
            data["title"] = self.title
            if self.type == "group":
                data["all_members_are_administrators"] = False
        return data

    def __repr__(self) -> str:
        return f"SandboxChat({self.id}, {self.label!r})"


_PRIVATE_CHAT_FIELDS = ("first_name", "last_name", "username")


@dataclass(eq=False)
class SandboxFile:
    """An uploaded document/photo; ``data`` holds the bytes so tests can open the file."""

    file_id: str
    file_unique_id: str
    file_name: str | None
    mime_type: str | None
    data: bytes

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data


@dataclass(eq=False)
class SandboxMessage:
    """One message in a chat, from a human or the bot."""

    message_id: int
    chat: SandboxChat
    from_user: SandboxUser | None
    date: datetime
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_to: SandboxMessage | None = None
    reply_markup: dict[str, Any] | None = None
    document: SandboxFile | None = None
    photo: SandboxFile | None = None
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    edited: bool = False
    edit_date: datetime | None = None
    deleted: bool = False
    pinned: bool = False
    #: The bot's reaction on this message (an emoji), set with setMessageReaction.
    bot_reaction: str | None = None
    #: The raw text as the bot sent it, when it used ``parse_mode``.
    html: str | None = None
    #: Whether the bot received this message as an update (privacy mode may hide it).
    delivered: bool = False
    #: Extra JSON keys of service messages (new_chat_members, migrate_to_chat_id, ...).
    service: dict[str, Any] = field(default_factory=dict)

    @property
    def is_from_bot(self) -> bool:
        return self.from_user is not None and self.from_user.is_bot

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard as rows of (text, callback_data); url buttons have data None."""
        if not self.reply_markup or "inline_keyboard" not in self.reply_markup:
            return []
        return [
            [(button.get("text", ""), button.get("callback_data")) for button in row]
            for row in self.reply_markup["inline_keyboard"]
        ]

    @property
    def button_texts(self) -> list[str]:
        return [text for row in self.buttons for text, _ in row]

    @property
    def force_reply(self) -> bool:
        return bool(self.reply_markup and self.reply_markup.get("force_reply"))

    @property
    def content(self) -> str:
        """Text or caption, whichever this message has (plain, entities stripped)."""
        return self.text if self.text is not None else (self.caption or "")

    def to_json(self, *, with_reply: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(self.date.timestamp()),
            "chat": self.chat.to_json(),
        }
        if self.from_user is not None:
            data["from"] = self.from_user.to_json()
        if self.edit_date is not None:
            data["edit_date"] = int(self.edit_date.timestamp())
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = [dict(e) for e in self.entities]
        if self.document is not None:
            data["document"] = self.document.to_json()
        if self.photo is not None:
            data["photo"] = _photo_sizes(self.photo)
        if self.caption is not None:
            data["caption"] = self.caption
            if self.caption_entities:
                data["caption_entities"] = [dict(e) for e in self.caption_entities]
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            # Telegram only echoes inline keyboards back in Message objects.
            data["reply_markup"] = self.reply_markup
        if with_reply and self.reply_to is not None and not self.reply_to.deleted:
            data["reply_to_message"] = self.reply_to.to_json(with_reply=False)
        data.update(self.service)
        return data

    def __repr__(self) -> str:
        who = self.from_user.first_name if self.from_user else "?"
        return f"SandboxMessage({self.chat.label!r} #{self.message_id} {who}: {self.content!r})"


def _photo_sizes(photo: SandboxFile) -> list[dict[str, Any]]:
    """Telegram returns several thumbnails; we fake a small and a full size."""
    sizes = []
    for suffix, width in (("s", 90), ("m", 800)):
        sizes.append(
            {
                "file_id": f"{photo.file_id}{suffix}",
                "file_unique_id": f"{photo.file_unique_id}{suffix}",
                "width": width,
                "height": width,
                "file_size": len(photo.data),
            }
        )
    return sizes


@dataclass(eq=False)
class SandboxCallbackQuery:
    """A button press; the bot's ``answerCallbackQuery`` is recorded on it."""

    id: str
    from_user: SandboxUser
    message: SandboxMessage
    data: str | None
    chat_instance: str
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False
    answer_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "from": self.from_user.to_json(),
            "chat_instance": self.chat_instance,
            "message": self.message.to_json(),
        }
        if self.data is not None:
            data["data"] = self.data
        return data


@dataclass
class TranscriptEvent:
    """One line of the transcript: who did what where."""

    kind: Literal[
        "said",
        "bot_said",
        "pressed",
        "bot_answered",
        "bot_edited",
        "bot_deleted",
        "bot_reacted",
        "event",
        "note",
    ]
    chat: str
    actor: str
    text: str
    buttons: list[list[str]] = field(default_factory=list)
    force_reply: bool = False
    attachment: str | None = None
    #: The sandbox clock when it happened (a demo prints a header when the day changes).
    at: datetime | None = None
