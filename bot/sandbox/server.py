"""The sandbox: an offline Telegram with a Bot API for the bot and a world API for tests.

Tests play "the humans" (create users and groups, type messages, press buttons) through the
world API; the bot talks to the same state through the Bot API (via :class:`SandboxRequest`).
With a :class:`~bot.sandbox.driver.SandboxDriver` attached, each world action returns only
after the bot has fully handled the updates it caused, so tests read like a conversation.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlparse

from bot.sandbox.api import ApiError, BotApi
from bot.sandbox.html import utf16_len
from bot.sandbox.request import SandboxRequest
from bot.sandbox.state import (
    SandboxCallbackQuery,
    SandboxChat,
    SandboxFile,
    SandboxMessage,
    SandboxUser,
    TranscriptEvent,
)
from bot.sandbox.updates import UpdateQueue

if TYPE_CHECKING:
    from bot.sandbox.driver import SandboxDriver

#: A fault hook: sees (method name, parameters) before the call; returning an ApiError fails it.
Fault = Callable[[str, dict[str, Any]], ApiError | None]

_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{4,32}")
_URL_RE = re.compile(r"https?://[^\s<>\"]+")


class SandboxError(AssertionError):
    """A world action that cannot happen in Telegram: a bug in the test, not the bot."""


def _utf16_offset(text: str, index: int) -> int:
    return utf16_len(text[:index])


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Entities the Telegram client would attach to a typed message."""
    entities: list[dict[str, Any]] = []
    for kind, pattern in (("bot_command", _COMMAND_RE), ("mention", _MENTION_RE), ("url", _URL_RE)):
        for match in pattern.finditer(text):
            entities.append(
                {
                    "type": kind,
                    "offset": _utf16_offset(text, match.start()),
                    "length": utf16_len(match.group()),
                }
            )
    entities.sort(key=lambda e: e["offset"])
    return entities


class Sandbox:
    """Offline Telegram: state, Bot API endpoint and world API."""

    def __init__(
        self,
        clock: Callable[[], datetime] | None = None,
        *,
        bot_username: str = "copbot_sandbox_bot",
        bot_name: str = "copbot",
        token: str = "123456:SANDBOX",
        privacy_mode: bool = True,
    ) -> None:
        self.token = token
        self.privacy_mode = privacy_mode
        self._clock = clock or (lambda: datetime.now(UTC))
        self.bot = SandboxUser(
            id=int(token.split(":", 1)[0]),
            first_name=bot_name,
            username=bot_username,
            language_code=None,
            is_bot=True,
        )
        self.users: dict[int, SandboxUser] = {}
        self.chats: dict[int, SandboxChat] = {}
        self.updates = UpdateQueue()
        self.api = BotApi(self)
        self.callback_queries: dict[str, SandboxCallbackQuery] = {}
        self.files: dict[str, SandboxFile] = {}
        #: setMyCommands storage keyed by (scope JSON, language_code).
        self.command_lists: dict[tuple[str, str], list[dict[str, str]]] = {}
        #: What setWebhook was told (url, secret_token); None in polling mode.
        self.webhook: dict[str, str] | None = None
        self.menu_button: dict[str, Any] = {"type": "default"}
        #: Fault hooks consulted before every Bot API call (see :meth:`fail_next`).
        self.faults: list[Fault] = []
        #: Bot API calls per canonical method name, and error responses per method.
        self.calls: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.error_log: list[tuple[str, int, str]] = []
        #: Seconds each Bot API call takes, as a round trip to api.telegram.org would: half
        #: before the call is served (and counted by the fault hooks), half before it answers.
        self.latency = 0.0
        #: Bot API calls under way now, and the most that were under way at once, per method.
        self.in_flight: Counter[str] = Counter()
        self.most_in_flight: Counter[str] = Counter()
        self.transcript: list[TranscriptEvent] = []
        #: Messages the bot sent since the last world action started.
        self.last_replies: list[SandboxMessage] = []
        self._driver: SandboxDriver | None = None
        self._user_ids = itertools.count(1001)
        self._group_ids = itertools.count(1001)
        self._supergroup_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)

    # ------------------------------------------------------------ plumbing

    def now(self) -> datetime:
        return self._clock()

    def request(self) -> SandboxRequest:
        """A new PTB request object bound to this sandbox (PTB needs two)."""
        return SandboxRequest(self)

    async def handle_http(
        self, url: str, params: dict[str, Any], files: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Serve one Bot API HTTP call: returns (HTTP status, JSON envelope)."""
        match = re.search(r"/bot([^/]*)/([^/?]+)", url)
        if match is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, method = match.groups()
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        name = self.api.canonical(method) or method
        self.calls[name] += 1
        self.in_flight[name] += 1
        self.most_in_flight[name] = max(self.most_in_flight[name], self.in_flight[name])
        try:
            if self.latency:
                await asyncio.sleep(self.latency / 2)
            answer = await self._serve(name, method, params, files)
            if self.latency:
                await asyncio.sleep(self.latency / 2)
            return answer
        finally:
            self.in_flight[name] -= 1

    async def _serve(
        self, name: str, method: str, params: dict[str, Any], files: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        try:
            for fault in list(self.faults):
                error = fault(name, params)
                if error is not None:
                    raise error
            result = await self.api.call(method, params, files)
        except ApiError as error:
            self.errors[name] += 1
            self.error_log.append((name, error.error_code, error.description))
            return error.error_code, error.to_json()
        return 200, {"ok": True, "result": result}

    def fail_next(
        self,
        method: str,
        error: ApiError | None = None,
        *,
        times: int = 1,
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (default: a 429 flood error)."""
        from bot.sandbox.api import retry_after as flood

        failure = error or flood(retry_after or 1)
        remaining = [times]

        def fault(name: str, params: dict[str, Any]) -> ApiError | None:
            if name.lower() != method.lower() or remaining[0] <= 0:
                return None
            remaining[0] -= 1
            if remaining[0] == 0:
                self.faults.remove(fault)
            return failure

        self.faults.append(fault)

    def store_file(self, file_name: str | None, data: bytes, mime_type: str | None) -> SandboxFile:
        number = next(self._file_ids)
        stored = SandboxFile(
            f"SBXFILE{number:06d}", f"SBXU{number:06d}", file_name, mime_type, data
        )
        self.files[stored.file_id] = stored
        return stored

    def _push(self, kind: str, payload: dict[str, Any]) -> int:
        return self.updates.push(kind, payload)

    async def _settle(self) -> None:
        if self._driver is not None:
            await self._driver.wait_idle()

    def _begin(self) -> None:
        self.last_replies = []

    def note(self, text: str) -> None:
        """A line of narration in the transcript (the demo says what time it is)."""
        self.transcript.append(TranscriptEvent("note", "", "", text, at=self.now()))

    def _event(self, kind: Any, chat: SandboxChat, actor: str, text: str, **extra: Any) -> None:
        self.transcript.append(
            TranscriptEvent(kind, chat.label, actor, text, at=self.now(), **extra)
        )

    # ------------------------------------------------ callbacks from the Bot API

    def record_bot_message(self, message: SandboxMessage) -> None:
        message.chat.messages.append(message)
        self.last_replies.append(message)
        attachment = None
        if message.document is not None:
            attachment = f"document {message.document.file_name or message.document.file_id}"
        elif message.photo is not None:
            attachment = "photo"
        self._event(
            "bot_said",
            message.chat,
            self.bot.first_name,
            message.content,
            buttons=[[text for text, _ in row] for row in message.buttons],
            force_reply=message.force_reply,
            attachment=attachment,
        )

    def record_bot_edit(
        self, message: SandboxMessage, *, content_changed: bool = True, before: str = ""
    ) -> None:
        """Logs an edit: only the lines that changed (or just "buttons removed")."""
        buttons = [[text for text, _ in row] for row in message.buttons]
        if not content_changed:
            note = "buttons changed" if buttons else "buttons removed"
            self._event(
                "event",
                message.chat,
                self.bot.first_name,
                f"{note} (#{message.message_id})",
                buttons=buttons,
            )
            return
        old_lines = before.splitlines()
        changed = [line for line in message.content.splitlines() if line not in old_lines]
        shown = "\n".join(changed) if before and changed else message.content
        self._event(
            "bot_edited",
            message.chat,
            f"{self.bot.first_name} #{message.message_id}",
            shown,
            buttons=buttons,
        )

    def record_bot_reaction(self, message: SandboxMessage) -> None:
        """Logs a reaction: not a message, but what the member sees on theirs."""
        author = message.from_user.first_name if message.from_user else "?"
        shown = message.bot_reaction or "nothing"
        self._event(
            "bot_reacted", message.chat, self.bot.first_name, f"{shown} on {author}'s message"
        )

    def record_bot_delete(self, message: SandboxMessage) -> None:
        self._event("bot_deleted", message.chat, self.bot.first_name, message.content)

    def record_callback_answer(self, query: SandboxCallbackQuery) -> None:
        if query.answer_text:
            text = query.answer_text + (" (alert)" if query.show_alert else "")
            self._event("bot_answered", query.message.chat, self.bot.first_name, text)

    def member_status(self, chat: SandboxChat, user: SandboxUser) -> str:
        """ChatMember status of ``user`` (or the bot) in ``chat``."""
        if user.id == self.bot.id:
            if chat.type == "private":
                return "kicked" if chat.user is not None and chat.user.blocked else "member"
            return chat.bot_status
        if chat.type == "private":
            return "member" if chat.user is user else "left"
        if user.id not in chat.members:
            return "kicked" if user.id in chat.banned else "left"
        if user.id == chat.creator_id:
            return "creator"
        if user.id in chat.admins:
            return "administrator"
        return "member"

    def bot_left(self, chat: SandboxChat) -> None:
        """The bot called leaveChat."""
        old = self.api.member_json(chat, self.bot)
        chat.bot_status = "left"
        self._push_my_chat_member(chat, self.bot, old)

    # -------------------------------------------------------- reading state

    def messages(self, chat: SandboxChat) -> list[SandboxMessage]:
        return [m for m in chat.messages if not m.deleted]

    def bot_messages(self, chat: SandboxChat) -> list[SandboxMessage]:
        return [m for m in self.messages(chat) if m.is_from_bot]

    def last_bot_message(self, chat: SandboxChat) -> SandboxMessage | None:
        messages = self.bot_messages(chat)
        return messages[-1] if messages else None

    def bot_messages_since(self, chat: SandboxChat, marker: int) -> list[SandboxMessage]:
        """Bot messages in ``chat`` with message_id > ``marker`` (a message id)."""
        return [m for m in self.bot_messages(chat) if m.message_id > marker]

    @property
    def commands(self) -> list[dict[str, str]]:
        """The default-scope, no-language command list set via setMyCommands."""
        return self.command_lists.get(('{"type": "default"}', ""), [])

    def format_transcript(self) -> str:
        return format_transcript(self.transcript)

    # -------------------------------------------------- world: creating things

    def user(
        self,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "nl",
    ) -> SandboxUser:
        user = SandboxUser(
            next(self._user_ids), first_name, last_name, username, language_code, is_bot=False
        )
        self.users[user.id] = user
        return user

    def private_chat(self, user: SandboxUser) -> SandboxChat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = SandboxChat(id=user.id, type="private", user=user, members={user.id})
            self.chats[user.id] = chat
        return chat

    def group(
        self,
        title: str,
        *,
        members: Sequence[SandboxUser],
        admins: Sequence[SandboxUser] = (),
        supergroup: bool = False,
    ) -> SandboxChat:
        """A group without the bot; the first admin (or first member) is its creator."""
        if supergroup:
            chat_id = -(10**12 + 1_000_000_000 + next(self._supergroup_ids))
        else:
            chat_id = -next(self._group_ids)
        everyone = list(members) + [a for a in admins if a not in members]
        creator = admins[0] if admins else (everyone[0] if everyone else None)
        chat = SandboxChat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            members={u.id for u in everyone},
            admins={u.id for u in admins},
            creator_id=creator.id if creator else None,
        )
        self.chats[chat.id] = chat
        return chat

    def channel(self, title: str, *, admins: Sequence[SandboxUser] = ()) -> SandboxChat:
        chat = SandboxChat(
            id=-(10**12 + 1_000_000_000 + next(self._supergroup_ids)),
            type="channel",
            title=title,
            members={u.id for u in admins},
            admins={u.id for u in admins},
            creator_id=admins[0].id if admins else None,
        )
        self.chats[chat.id] = chat
        return chat

    # ------------------------------------------------ world: membership changes

    def _push_my_chat_member(self, chat: SandboxChat, by: SandboxUser, old: dict[str, Any]) -> None:
        self._push(
            "my_chat_member",
            {
                "chat": chat.to_json(),
                "from": by.to_json(),
                "date": int(self.now().timestamp()),
                "old_chat_member": old,
                "new_chat_member": self.api.member_json(chat, self.bot),
            },
        )

    def _push_chat_member(
        self, chat: SandboxChat, by: SandboxUser, user: SandboxUser, old: dict[str, Any]
    ) -> None:
        if chat.bot_status != "administrator":  # Telegram tells only administrator bots
            return
        self._push(
            "chat_member",
            {
                "chat": chat.to_json(),
                "from": by.to_json(),
                "date": int(self.now().timestamp()),
                "old_chat_member": old,
                "new_chat_member": self.api.member_json(chat, user),
            },
        )

    def _require_member(self, user: SandboxUser, chat: SandboxChat) -> None:
        if chat.migrated_to is not None:
            raise SandboxError(f"{chat!r} was migrated to {chat.migrated_to}; use the new chat")
        if chat.type != "private" and user.id not in chat.members:
            raise SandboxError(f"{user!r} is not a member of {chat!r}")

    async def add_bot(self, chat: SandboxChat, *, by: SandboxUser, as_admin: bool = False) -> None:
        """``by`` adds the bot: my_chat_member update plus (groups) a new_chat_members message."""
        self._begin()
        self._require_member(by, chat)
        if chat.type == "private":
            raise SandboxError("use dm() to start a private chat with the bot")
        if chat.type == "channel" and not as_admin:
            raise SandboxError("bots can only be added to channels as administrators")
        old = self.api.member_json(chat, self.bot)
        chat.bot_status = "administrator" if as_admin else "member"
        self._push_my_chat_member(chat, by, old)
        self._event("event", chat, by.first_name, f"added {self.bot.first_name}")
        if chat.is_group:
            self._service(chat, by, {"new_chat_members": [self.bot.to_json()]})
        await self._settle()

    async def remove_bot(self, chat: SandboxChat, *, by: SandboxUser) -> None:
        """``by`` kicks the bot; afterwards the bot gets 403 in this chat."""
        self._begin()
        self._require_member(by, chat)
        old = self.api.member_json(chat, self.bot)
        chat.bot_status = "kicked"
        self._push_my_chat_member(chat, by, old)
        self._event("event", chat, by.first_name, f"removed {self.bot.first_name}")
        if chat.is_group:
            self._service(chat, by, {"left_chat_member": self.bot.to_json()})
        await self._settle()

    async def join(self, user: SandboxUser, chat: SandboxChat) -> SandboxMessage | None:
        self._begin()
        if chat.migrated_to is not None:
            raise SandboxError(f"{chat!r} was migrated; use the new chat")
        old = self.api.member_json(chat, user)
        chat.members.add(user.id)
        chat.banned.discard(user.id)  # let back in (an administrator lifted the ban)
        self._push_chat_member(chat, user, user, old)
        self._event("event", chat, user.first_name, "joined")
        message = None
        if chat.is_group:
            message = self._service(chat, user, {"new_chat_members": [user.to_json()]})
        await self._settle()
        return message

    async def leave(self, user: SandboxUser, chat: SandboxChat) -> SandboxMessage | None:
        self._begin()
        self._require_member(user, chat)
        old = self.api.member_json(chat, user)
        chat.members.discard(user.id)
        chat.admins.discard(user.id)
        self._push_chat_member(chat, user, user, old)
        self._event("event", chat, user.first_name, "left")
        message = None
        if chat.is_group:
            message = self._service(chat, user, {"left_chat_member": user.to_json()})
        await self._settle()
        return message

    async def remove_member(
        self, user: SandboxUser, chat: SandboxChat, *, by: SandboxUser
    ) -> SandboxMessage | None:
        """``by`` (an administrator) removes ``user`` from the group: status "kicked", and the
        service message every bot in the group receives, even in privacy mode."""
        self._begin()
        self._require_member(user, chat)
        if by.id not in chat.admins and by.id != chat.creator_id:
            raise SandboxError(f"{by!r} is no administrator of {chat!r}")
        old = self.api.member_json(chat, user)
        chat.members.discard(user.id)
        chat.admins.discard(user.id)
        chat.banned.add(user.id)
        self._push_chat_member(chat, by, user, old)
        self._event("event", chat, by.first_name, f"removed {user.first_name}")
        message = None
        if chat.is_group:
            message = self._service(chat, by, {"left_chat_member": user.to_json()})
        await self._settle()
        return message

    async def set_admin(self, chat: SandboxChat, user: SandboxUser, is_admin: bool = True) -> None:
        """Promote/demote ``user`` (or the bot: pass ``sandbox.bot``)."""
        self._begin()
        promoter = self.users.get(chat.creator_id or 0) or user
        if user.id == self.bot.id:
            if chat.bot_status not in ("member", "administrator"):
                raise SandboxError("the bot is not in this chat")
            old = self.api.member_json(chat, self.bot)
            chat.bot_status = "administrator" if is_admin else "member"
            self._push_my_chat_member(chat, promoter, old)
        else:
            self._require_member(user, chat)
            old = self.api.member_json(chat, user)
            if is_admin:
                chat.admins.add(user.id)
            else:
                chat.admins.discard(user.id)
            self._push_chat_member(chat, promoter, user, old)
        await self._settle()

    async def block(self, user: SandboxUser) -> None:
        """``user`` blocks the bot: my_chat_member (member -> kicked); sends then get 403."""
        self._begin()
        chat = self.private_chat(user)
        old = self.api.member_json(chat, self.bot)
        user.blocked = True
        self._push_my_chat_member(chat, user, old)
        self._event("event", chat, user.first_name, f"blocked {self.bot.first_name}")
        await self._settle()

    async def unblock(self, user: SandboxUser) -> None:
        self._begin()
        chat = self.private_chat(user)
        old = self.api.member_json(chat, self.bot)
        user.blocked = False
        self._push_my_chat_member(chat, user, old)
        self._event("event", chat, user.first_name, f"unblocked {self.bot.first_name}")
        await self._settle()

    async def migrate(self, chat: SandboxChat) -> SandboxChat:
        """Upgrade a group to a supergroup; returns the new chat (the old id is dead)."""
        self._begin()
        if chat.type != "group" or chat.migrated_to is not None:
            raise SandboxError(f"{chat!r} is not a basic group that can be migrated")
        new = SandboxChat(
            id=-(10**12 + 1_000_000_000 + next(self._supergroup_ids)),
            type="supergroup",
            title=chat.title,
            members=set(chat.members),
            admins=set(chat.admins),
            creator_id=chat.creator_id,
            bot_status=chat.bot_status,
            migrated_from=chat.id,
        )
        self.chats[new.id] = new
        by = self.users.get(chat.creator_id or 0)
        if by is None:
            raise SandboxError("a group needs a creator to be migrated")
        self._service(chat, by, {"migrate_to_chat_id": new.id})
        chat.migrated_to = new.id
        self._service(new, by, {"migrate_from_chat_id": chat.id})
        self._event("event", chat, by.first_name, f"upgraded the group to supergroup {new.id}")
        await self._settle()
        return new

    # -------------------------------------------------------- world: messages

    def _bot_sees(self, message: SandboxMessage) -> bool:
        """Telegram's delivery rules, including group privacy mode."""
        chat = message.chat
        if chat.type == "private":
            return not (chat.user is not None and chat.user.blocked)
        if chat.bot_status not in ("member", "administrator"):
            return False
        if message.service or chat.type == "channel":
            return True
        if not self.privacy_mode or chat.bot_status == "administrator":
            return True
        text = message.text or message.caption or ""
        own = (self.bot.username or "").lower()
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            addressee = command.partition("@")[2].lower()
            if not addressee or addressee == own:
                return True
        reply = message.reply_to
        if reply is not None and reply.is_from_bot:
            return True
        return f"@{own}" in text.lower()

    def _new_message(self, chat: SandboxChat, user: SandboxUser, **fields: Any) -> SandboxMessage:
        message = SandboxMessage(
            message_id=chat.take_message_id(),
            chat=chat,
            from_user=None if chat.type == "channel" else user,
            date=self.now(),
            **fields,
        )
        if chat.type == "channel":
            message.service.setdefault("sender_chat", chat.to_json())
        chat.messages.append(message)
        return message

    def _dispatch(self, message: SandboxMessage, kind: str = "message") -> None:
        """Deliver ``message`` to the bot if Telegram would."""
        if not self._bot_sees(message):
            return
        message.delivered = True
        if message.chat.type == "channel":
            kind = "channel_post" if kind == "message" else "edited_channel_post"
        self._push(kind, message.to_json())

    def _service(
        self, chat: SandboxChat, user: SandboxUser, service: dict[str, Any]
    ) -> SandboxMessage:
        message = self._new_message(chat, user, service=dict(service))
        self._dispatch(message)
        return message

    async def send(
        self,
        user: SandboxUser,
        chat: SandboxChat | Literal["private"],
        text: str,
        *,
        reply_to: SandboxMessage | None = None,
    ) -> SandboxMessage:
        """``user`` types ``text`` in ``chat``; returns after the bot handled it."""
        if chat == "private":
            return await self.dm(user, text, reply_to=reply_to)
        assert isinstance(chat, SandboxChat)
        self._begin()
        self._require_member(user, chat)
        if chat.type == "private":
            if chat.user is not user:
                raise SandboxError(f"{user!r} cannot write in {chat!r}")
            return await self.dm(user, text, reply_to=reply_to)
        if chat.type == "channel" and user.id not in chat.admins:
            raise SandboxError(f"{user!r} is not an admin of {chat!r} and cannot post")
        self._check_reply(chat, reply_to)
        message = self._new_message(
            chat, user, text=text, entities=detect_entities(text), reply_to=reply_to
        )
        self._event("said", chat, user.first_name, text)
        self._dispatch(message)
        await self._settle()
        return message

    @staticmethod
    def _check_reply(chat: SandboxChat, reply_to: SandboxMessage | None) -> None:
        if reply_to is not None and (reply_to.chat is not chat or reply_to.deleted):
            raise SandboxError(f"{reply_to!r} is not a live message in {chat!r}")

    async def dm(
        self, user: SandboxUser, text: str, *, reply_to: SandboxMessage | None = None
    ) -> SandboxMessage:
        """``user`` writes to the bot in private (this also "starts" the bot)."""
        self._begin()
        chat = self.private_chat(user)
        if user.blocked:
            if not text.startswith("/start"):
                raise SandboxError(f"{user!r} blocked the bot; only /start (Restart) unblocks")
            old = self.api.member_json(chat, self.bot)
            user.blocked = False
            self._push_my_chat_member(chat, user, old)
        user.started = True
        self._check_reply(chat, reply_to)
        message = self._new_message(
            chat, user, text=text, entities=detect_entities(text), reply_to=reply_to
        )
        self._event("said", chat, user.first_name, text)
        self._dispatch(message)
        await self._settle()
        return message

    async def edit(
        self, user: SandboxUser, message: SandboxMessage, new_text: str
    ) -> SandboxMessage:
        """``user`` edits their own message; the bot gets edited_message if it saw the original."""
        self._begin()
        if message.from_user is not user and message.chat.type != "channel":
            raise SandboxError(f"{user!r} cannot edit {message!r}")
        if message.deleted or message.text is None:
            raise SandboxError(f"{message!r} cannot be edited")
        message.text = new_text
        message.entities = detect_entities(new_text)
        message.edited = True
        message.edit_date = self.now()
        self._event("said", message.chat, user.first_name, f"{new_text} (edited)")
        if message.delivered:
            kind = "edited_channel_post" if message.chat.type == "channel" else "edited_message"
            self._push(kind, message.to_json())
        await self._settle()
        return message

    async def press(
        self, user: SandboxUser, message: SandboxMessage, button: str
    ) -> SandboxCallbackQuery:
        """``user`` presses the inline button whose text or callback_data is ``button``."""
        for row in message.buttons:
            for text, data in row:
                if button in (text, data):
                    if data is None:
                        raise SandboxError(f"button {text!r} is not a callback button")
                    return await self._press(user, message, data, label=text)
        raise SandboxError(
            f"no button {button!r} on {message!r}; buttons are {message.button_texts}"
        )

    async def open_link(
        self, user: SandboxUser, message: SandboxMessage, button: str
    ) -> SandboxMessage:
        """``user`` taps the URL button ``button``: a deep link to this bot
        (``https://t.me/<bot>?start=<payload>``) opens the private chat, and Telegram
        sends ``/start <payload>`` there, as when the person presses Start."""
        for row in (message.reply_markup or {}).get("inline_keyboard", []):
            for key in row:
                if key.get("text") == button and key.get("url"):
                    parsed = urlparse(str(key["url"]))
                    payload = parse_qs(parsed.query).get("start", [""])[0]
                    if parsed.netloc != "t.me" or parsed.path.strip("/") != self.bot.username:
                        raise SandboxError(f"{key['url']!r} does not open this bot")
                    return await self.dm(user, f"/start {payload}".rstrip())
        raise SandboxError(f"no link {button!r} on {message!r}")

    async def press_data(
        self, user: SandboxUser, message: SandboxMessage, data: str
    ) -> SandboxCallbackQuery:
        """Send arbitrary (possibly forged) callback data from ``message``."""
        return await self._press(user, message, data, label=data)

    async def _press(
        self, user: SandboxUser, message: SandboxMessage, data: str, *, label: str
    ) -> SandboxCallbackQuery:
        self._begin()
        self._require_member(user, message.chat)
        if message.deleted or not message.is_from_bot:
            raise SandboxError(f"{message!r} has no pressable buttons")
        query = SandboxCallbackQuery(
            id=f"{next(self._query_ids)}{abs(message.chat.id) % 10_000:04d}",
            from_user=user,
            message=message,
            data=data,
            chat_instance=str(abs(message.chat.id) * 7919 + 104729),
        )
        self.callback_queries[query.id] = query
        self._event("pressed", message.chat, user.first_name, f"[ {label} ]")
        self._push("callback_query", query.to_json())
        await self._settle()
        return query


def _indent(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + " " * len(prefix))


def format_transcript(events: Iterable[TranscriptEvent]) -> str:
    """Render transcript events for a terminal, one event per line (plus button rows)."""
    lines: list[str] = []
    for event in events:
        if event.kind == "note":
            lines.append(f"--- {event.text} ---")
            continue
        prefix = f"[{event.chat}] "
        if event.kind in ("said", "bot_said"):
            head = f"{prefix}{event.actor}: "
            body = event.text
            if event.attachment:
                body = f"<{event.attachment}> {body}".rstrip()
            lines.append(head + _indent(body, head))
        elif event.kind == "pressed":
            lines.append(f"{prefix}{event.actor} pressed {event.text}")
        elif event.kind == "bot_answered":
            lines.append(f"{prefix}{event.actor} answered: {event.text}")
        elif event.kind == "bot_edited":
            head = f"{prefix}{event.actor} (edited): "
            lines.append(head + _indent(event.text, head))
        elif event.kind == "bot_deleted":
            lines.append(f"{prefix}{event.actor} deleted: {event.text}")
        elif event.kind == "bot_reacted":
            lines.append(f"{prefix}{event.actor} reacted {event.text}")
        else:
            lines.append(f"{prefix}* {event.actor} {event.text}")
        pad = " " * len(prefix)
        for row in event.buttons:
            lines.append(pad + "  " + " ".join(f"[ {text} ]" for text in row))
        if event.force_reply:
            lines.append(pad + "  (force reply)")
    return "\n".join(lines)
