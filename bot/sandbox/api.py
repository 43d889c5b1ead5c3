"""Bot API method implementations over the sandbox state.

Every method validates its input the way Telegram does and fails with Telegram's exact error
texts, because the bot's error handling (BadRequest/Forbidden/ChatMigrated) is part of what the
sandbox exists to exercise. Results are Bot API JSON so PTB parses them with its own de_json.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.sandbox.html import HtmlParseError, parse_html, utf16_len
from bot.sandbox.state import SandboxChat, SandboxFile, SandboxMessage, SandboxUser

if TYPE_CHECKING:
    from bot.sandbox.server import Sandbox

MAX_TEXT = 4096
MAX_CAPTION = 1024
#: The emoji Telegram accepts as a reaction (ReactionTypeEmoji), the ones a bot would use.
REACTIONS = frozenset(
    ["👍", "❤", "🔥", "👏", "🙏", "👌", "🤝", "🎉", "👀", "✍", "🤗", "🫡", "💯", "😍", "🤔"]
)
MAX_CALLBACK_DATA = 64
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"

Params = dict[str, Any]
Files = dict[str, tuple[str | None, bytes, str | None]]


class ApiError(Exception):
    """A Bot API error response: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            data["parameters"] = self.parameters
        return data


def bad_request(detail: str, parameters: dict[str, Any] | None = None) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}", parameters)


def forbidden(detail: str) -> ApiError:
    return ApiError(403, f"Forbidden: {detail}")


def retry_after(seconds: int) -> ApiError:
    """The 429 flood-control error, for fault injection."""
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


def _int(params: Params, name: str, *, required: bool = True) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise bad_request(f"{name} is empty" if name != "chat_id" else "chat_id is empty")
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        if name == "chat_id":
            raise bad_request("chat not found") from None
        raise bad_request(f"invalid {name} specified") from None


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def _json(value: Any) -> Any:
    """Parameters may arrive JSON-encoded (form style) or as objects; accept both."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def strip_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim leading/trailing whitespace as Telegram does, keeping entities aligned."""
    stripped_left = text.lstrip()
    shift = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip()
    total = utf16_len(result)
    adjusted = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            adjusted.append({**entity, "offset": start, "length": end - start})
    return result, adjusted


class BotApi:
    """Dispatches Bot API calls by (case-insensitive) method name."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self._methods: dict[str, Callable[[Params, Files], Awaitable[Any]]] = {}
        # Handlers are ``m_<snake_case>``; Telegram matches method names case-insensitively.
        for name in dir(self):
            if name.startswith("m_"):
                self._methods[name[2:].replace("_", "").lower()] = getattr(self, name)

    def canonical(self, method: str) -> str | None:
        """``SENDmessage`` -> ``sendMessage``; None for unknown methods."""
        handler = self._methods.get(method.lower())
        if handler is None:
            return None
        first, *rest = handler.__name__[2:].split("_")
        return first + "".join(part.capitalize() for part in rest)

    async def call(self, method: str, params: Params, files: Files) -> Any:
        handler = self._methods.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found")
        return await handler(params, files)

    # ----------------------------------------------------------------- helpers

    @property
    def bot(self) -> SandboxUser:
        return self.sandbox.bot

    def _find_chat(self, params: Params, name: str = "chat_id") -> SandboxChat:
        chat_id = params.get(name)
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.sandbox.chats.values():
                if chat.title and chat.title.lower() == chat_id[1:].lower():
                    return chat
            raise bad_request("chat not found")
        chat_id = _int(params, name)
        assert chat_id is not None
        found = self.sandbox.chats.get(chat_id)
        if found is not None:
            return found
        user = self.sandbox.users.get(chat_id)
        if user is None or user.is_bot:
            raise bad_request("chat not found")
        return self.sandbox.private_chat(user)

    def _check_access(self, chat: SandboxChat, *, post: bool = True) -> None:
        """Raise the error Telegram gives when the bot can't act in ``chat``."""
        if chat.migrated_to is not None:
            raise bad_request(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private":
            assert chat.user is not None
            if chat.user.blocked:
                raise forbidden("bot was blocked by the user")
            if not chat.user.started and post:
                raise forbidden("bot can't initiate conversation with a user")
            return
        kind = f"{chat.type} chat"
        if chat.bot_status == "kicked":
            raise forbidden(f"bot was kicked from the {kind}")
        if chat.bot_status == "left":
            raise forbidden(f"bot is not a member of the {kind}")
        if chat.type == "channel" and chat.bot_status != "administrator" and post:
            raise bad_request("need administrator rights in the channel chat")

    def _sendable_chat(self, params: Params) -> SandboxChat:
        chat = self._find_chat(params)
        self._check_access(chat)
        return chat

    def _message(self, chat: SandboxChat, message_id: int | None) -> SandboxMessage | None:
        if message_id is None:
            return None
        for message in chat.messages:
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def _formatted(
        self, params: Params, text_key: str, entities_key: str
    ) -> tuple[str | None, list[dict[str, Any]], str | None]:
        """Apply parse_mode/entities; returns (plain text, entities, original markup)."""
        raw = params.get(text_key)
        if raw is None:
            return None, [], None
        raw = str(raw)
        parse_mode = params.get("parse_mode")
        entities: list[dict[str, Any]] = []
        original: str | None = None
        if parse_mode:
            if str(parse_mode).lower() != "html":
                raise bad_request("unsupported parse_mode")
            try:
                text, entities = parse_html(raw)
            except HtmlParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
            original = raw
        else:
            text = raw
            entities = [dict(e) for e in _json(params.get(entities_key)) or []]
        text, entities = strip_text(text, entities)
        return text, entities, original

    def _reply_markup(self, params: Params) -> dict[str, Any] | None:
        markup = _json(params.get("reply_markup"))
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            for row in markup["inline_keyboard"]:
                for button in row:
                    self._check_button(button)
        elif not any(k in markup for k in ("force_reply", "remove_keyboard", "keyboard")):
            raise bad_request("can't parse reply keyboard markup JSON object")
        return markup

    @staticmethod
    def _check_button(button: dict[str, Any]) -> None:
        if not str(button.get("text", "")).strip():
            raise bad_request("BUTTON_TEXT_INVALID")
        if "callback_data" in button:
            data = str(button["callback_data"])
            if not data or len(data.encode("utf-8")) > MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
            return
        actions = (
            "url",
            "login_url",
            "web_app",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "copy_text",
            "callback_game",
            "pay",
        )
        if not any(k in button for k in actions):
            raise bad_request("text buttons are unallowed in the inline keyboard")
        if "url" in button and not str(button["url"]).strip():
            raise bad_request("BUTTON_URL_INVALID")

    def _reply_target(self, chat: SandboxChat, params: Params) -> SandboxMessage | None:
        reply = _json(params.get("reply_parameters"))
        message_id: int | None
        allow_without = False
        if isinstance(reply, dict):
            message_id = int(reply["message_id"])
            allow_without = _bool(reply.get("allow_sending_without_reply", False))
            if reply.get("chat_id") not in (None, chat.id):
                chat = self._find_chat(reply)
        else:
            message_id = _int(params, "reply_to_message_id", required=False)
            allow_without = _bool(params.get("allow_sending_without_reply", False))
        if message_id is None:
            return None
        target = self._message(chat, message_id)
        if target is None and not allow_without:
            raise bad_request("message to be replied not found")
        return target

    def _new_bot_message(self, chat: SandboxChat, params: Params) -> SandboxMessage:
        return SandboxMessage(
            message_id=chat.take_message_id(),
            chat=chat,
            from_user=self.bot,
            date=self.sandbox.now(),
            reply_to=self._reply_target(chat, params),
            reply_markup=self._reply_markup(params),
        )

    def _upload(self, params: Params, files: Files, name: str) -> SandboxFile:
        value = params.get(name)
        upload = None
        if value is None:
            upload = files.get(name)
        elif isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
        if upload is not None:
            file_name, data, mime_type = upload
            if not data:
                raise bad_request("file must be non-empty")
            return self.sandbox.store_file(file_name, data, mime_type)
        if isinstance(value, str) and value:
            known = self.sandbox.files.get(value)
            if known is not None:
                return known
            if value.startswith(("http://", "https://")):
                return self.sandbox.store_file(value.rsplit("/", 1)[-1], b"", None)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _deliver(self, message: SandboxMessage) -> dict[str, Any]:
        self.sandbox.record_bot_message(message)
        return message.to_json()

    # ------------------------------------------------------------- identity

    async def m_get_me(self, params: Params, files: Files) -> Any:
        return {
            **self.bot.to_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.sandbox.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def m_log_out(self, params: Params, files: Files) -> Any:
        return True

    async def m_close(self, params: Params, files: Files) -> Any:
        return True

    # -------------------------------------------------------------- updates

    async def m_get_updates(self, params: Params, files: Files) -> Any:
        allowed = _json(params.get("allowed_updates"))
        return await self.sandbox.updates.get_updates(
            offset=_int(params, "offset", required=False),
            limit=_int(params, "limit", required=False) or 100,
            timeout=float(params.get("timeout") or 0),
            allowed_updates=allowed,
        )

    async def m_delete_webhook(self, params: Params, files: Files) -> Any:
        if _bool(params.get("drop_pending_updates", False)):
            self.sandbox.updates.drop_pending()
        self.sandbox.webhook = None
        return True

    async def m_set_webhook(self, params: Params, files: Files) -> Any:
        """Recorded, not served: a test posts the queued updates to the bot itself."""
        url = str(params.get("url") or "")
        if not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.sandbox.webhook = {"url": url, "secret_token": str(params.get("secret_token") or "")}
        return True

    async def m_get_webhook_info(self, params: Params, files: Files) -> Any:
        url = self.sandbox.webhook["url"] if self.sandbox.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    # ------------------------------------------------------------- commands

    @staticmethod
    def _commands_key(params: Params) -> tuple[str, str]:
        scope = _json(params.get("scope")) or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def m_set_my_commands(self, params: Params, files: Files) -> Any:
        commands = _json(params.get("commands")) or []
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        cleaned = []
        for command in commands:
            name = str(command.get("command", "")).lstrip("/")
            description = str(command.get("description", ""))
            if not (1 <= len(name) <= 32) or not all(
                c.isascii() and (c.islower() or c.isdigit() or c == "_") for c in name
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not (1 <= len(description.strip()) <= 256):
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        self.sandbox.command_lists[self._commands_key(params)] = cleaned
        return True

    async def m_get_my_commands(self, params: Params, files: Files) -> Any:
        return self.sandbox.command_lists.get(self._commands_key(params), [])

    async def m_delete_my_commands(self, params: Params, files: Files) -> Any:
        self.sandbox.command_lists.pop(self._commands_key(params), None)
        return True

    async def m_set_chat_menu_button(self, params: Params, files: Files) -> Any:
        self.sandbox.menu_button = _json(params.get("menu_button")) or {"type": "default"}
        return True

    async def m_get_chat_menu_button(self, params: Params, files: Files) -> Any:
        return self.sandbox.menu_button

    async def m_set_my_description(self, params: Params, files: Files) -> Any:
        return True

    async def m_set_my_short_description(self, params: Params, files: Files) -> Any:
        return True

    async def m_set_my_name(self, params: Params, files: Files) -> Any:
        return True

    # ------------------------------------------------------------- messages

    async def m_send_message(self, params: Params, files: Files) -> Any:
        chat = self._sendable_chat(params)
        text, entities, original = self._formatted(params, "text", "entities")
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise bad_request("message is too long")
        message = self._new_bot_message(chat, params)
        message.text, message.entities, message.html = text, entities, original
        return self._deliver(message)

    async def _send_file(self, params: Params, files: Files, kind: str) -> Any:
        chat = self._sendable_chat(params)
        caption, entities, original = self._formatted(params, "caption", "caption_entities")
        if caption is not None and utf16_len(caption) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        stored = self._upload(params, files, kind)
        message = self._new_bot_message(chat, params)
        if kind == "photo":
            message.photo = stored
        else:
            message.document = stored
        if caption:
            message.caption, message.caption_entities, message.html = caption, entities, original
        return self._deliver(message)

    async def m_send_document(self, params: Params, files: Files) -> Any:
        return await self._send_file(params, files, "document")

    async def m_send_photo(self, params: Params, files: Files) -> Any:
        return await self._send_file(params, files, "photo")

    async def m_send_chat_action(self, params: Params, files: Files) -> Any:
        self._sendable_chat(params)
        return True

    def _editable(self, params: Params) -> SandboxMessage:
        if params.get("inline_message_id"):
            raise bad_request("the sandbox does not support inline messages")
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        message = self._message(chat, _int(params, "message_id"))
        if message is None:
            raise bad_request("message to edit not found")
        if not message.is_from_bot:
            raise bad_request("message can't be edited")
        return message

    def _apply_edit(
        self,
        message: SandboxMessage,
        changes: dict[str, Any],
        markup: dict[str, Any] | None,
    ) -> Any:
        current = {key: getattr(message, key) for key in changes}
        if current == changes and message.reply_markup == markup:
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        content_changed = current != changes
        before = message.content
        for key, value in changes.items():
            setattr(message, key, value)
        message.reply_markup = markup
        message.edited = True
        message.edit_date = self.sandbox.now()
        self.sandbox.record_bot_edit(message, content_changed=content_changed, before=before)
        return message.to_json()

    async def m_edit_message_text(self, params: Params, files: Files) -> Any:
        message = self._editable(params)
        text, entities, original = self._formatted(params, "text", "entities")
        if not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise bad_request("message is too long")
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        markup = self._reply_markup(params)
        message.html = original
        return self._apply_edit(message, {"text": text, "entities": entities}, markup)

    async def m_edit_message_caption(self, params: Params, files: Files) -> Any:
        message = self._editable(params)
        caption, entities, original = self._formatted(params, "caption", "caption_entities")
        if caption is not None and utf16_len(caption) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        if message.text is not None:
            raise bad_request("there is no caption in the message to edit")
        markup = self._reply_markup(params)
        message.html = original
        changes = {"caption": caption or None, "caption_entities": entities}
        return self._apply_edit(message, changes, markup)

    async def m_edit_message_reply_markup(self, params: Params, files: Files) -> Any:
        message = self._editable(params)
        return self._apply_edit(message, {}, self._reply_markup(params))

    async def m_delete_message(self, params: Params, files: Files) -> Any:
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        message = self._message(chat, _int(params, "message_id"))
        if message is None:
            raise bad_request("message to delete not found")
        if not message.is_from_bot and chat.is_group and chat.bot_status != "administrator":
            raise bad_request("message can't be deleted")
        message.deleted = True
        self.sandbox.record_bot_delete(message)
        return True

    async def m_set_message_reaction(self, params: Params, files: Files) -> Any:
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        message = self._message(chat, _int(params, "message_id"))
        if message is None:
            raise bad_request("MESSAGE_ID_INVALID")
        reaction = _json(params.get("reaction")) or []
        if len(reaction) > 1:  # bots may set one reaction
            raise bad_request("REACTIONS_TOO_MANY")
        emojis = [r.get("emoji") for r in reaction if r.get("type") == "emoji"]
        if len(emojis) != len(reaction) or any(e not in REACTIONS for e in emojis):
            raise bad_request("REACTION_INVALID")
        if emojis and not chat.reactions:
            raise bad_request("REACTION_INVALID")
        message.bot_reaction = emojis[0] if emojis else None
        self.sandbox.record_bot_reaction(message)
        return True

    async def m_pin_chat_message(self, params: Params, files: Files) -> Any:
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        if chat.is_group and chat.bot_status != "administrator":
            raise bad_request("not enough rights to manage pinned messages in the chat")
        message = self._message(chat, _int(params, "message_id"))
        if message is None:
            raise bad_request("message to pin not found")
        message.pinned = True
        if message.message_id in chat.pinned:
            chat.pinned.remove(message.message_id)
        chat.pinned.append(message.message_id)
        return True

    async def m_unpin_chat_message(self, params: Params, files: Files) -> Any:
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        if chat.is_group and chat.bot_status != "administrator":
            raise bad_request("not enough rights to manage pinned messages in the chat")
        message_id = _int(params, "message_id", required=False)
        if message_id is None:
            message_id = chat.pinned[-1] if chat.pinned else None
        message = self._message(chat, message_id)
        if message is None or not message.pinned:
            raise bad_request("message to unpin not found")
        message.pinned = False
        chat.pinned.remove(message.message_id)
        return True

    # -------------------------------------------------------------- callbacks

    async def m_answer_callback_query(self, params: Params, files: Files) -> Any:
        query = self.sandbox.callback_queries.get(str(params.get("callback_query_id", "")))
        if query is None or query.answered:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        text = params.get("text")
        if text is not None and len(str(text)) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer_text = str(text) if text is not None else None
        query.show_alert = _bool(params.get("show_alert", False))
        query.answer_url = params.get("url")
        self.sandbox.record_callback_answer(query)
        return True

    # ------------------------------------------------------------------ chats

    async def m_get_chat(self, params: Params, files: Files) -> Any:
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        data = chat.to_json()
        data.pop("all_members_are_administrators", None)
        data.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        )
        if chat.migrated_from is not None:
            data["migrated_from_chat_id"] = chat.migrated_from
        if chat.pinned:
            pinned = self._message(chat, chat.pinned[-1])
            if pinned is not None:
                data["pinned_message"] = pinned.to_json(with_reply=False)
        return data

    def member_json(self, chat: SandboxChat, user: SandboxUser) -> dict[str, Any]:
        """A ChatMember object with every field PTB requires for its status."""
        status = self.sandbox.member_status(chat, user)
        data: dict[str, Any] = {"user": user.to_json(), "status": status}
        if status == "creator":
            data["is_anonymous"] = False
        elif status == "administrator":
            data.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": True,
                    "can_edit_stories": True,
                    "can_delete_stories": True,
                    "can_pin_messages": True,
                }
            )
            if chat.type == "channel":
                data.update({"can_post_messages": True, "can_edit_messages": True})
        elif status == "kicked":
            data["until_date"] = 0
        return data

    async def m_get_chat_member(self, params: Params, files: Files) -> Any:
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        user_id = _int(params, "user_id")
        user = self.bot if user_id == self.bot.id else self.sandbox.users.get(user_id or 0)
        if user is None:
            raise bad_request("user not found")
        return self.member_json(chat, user)

    async def m_get_chat_administrators(self, params: Params, files: Files) -> Any:
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        admins = [
            user
            for user in [*self.sandbox.users.values(), self.bot]
            if self.sandbox.member_status(chat, user) in ("creator", "administrator")
        ]
        return [self.member_json(chat, user) for user in admins]

    async def m_get_chat_member_count(self, params: Params, files: Files) -> Any:
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        if chat.type == "private":
            return 2
        in_chat = chat.bot_status in ("member", "administrator")
        return len(chat.members) + (1 if in_chat else 0)

    async def m_leave_chat(self, params: Params, files: Files) -> Any:
        chat = self._find_chat(params)
        self._check_access(chat, post=False)
        if chat.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        self.sandbox.bot_left(chat)
        return True
