"""The Telegram adapter. `register` owns the handler order.

Feature modules declare what they answer (`handlers.base`: `@command`, `@button`,
`@answers`, `@continues`, `@released`); importing them fills `ROUTES`, and
`register` turns that one table into PTB handlers, checking that every command of
`bot.commands`, every button prefix and every prompt and dialogue kind has exactly
one callback.

Order matters within group 0: the first matching handler wins, so commands come
before the unknown-command catch-all, and callback prefixes are matched exactly.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.commands import COMMANDS
from bot.render.callbacks import Button, Start
from bot.services.flows import FlowKind
from bot.services.intake import Release
from bot.services.prompts import PromptKind
from handlers import (  # noqa: F401 - imported for their routes
    agreement,
    chair,
    chat_events,
    coding,
    decisions,
    development,
    documents,
    fallbacks,
    intake,
    issues,
    jobs,
    language,
    literature,
    meetings,
    menus,
    mine,
    onboarding,
    private,
    qualities,
    recap,
    rhythm,
    roles,
    setup,
    shared_issue,
)
from handlers.base import ROUTES
from handlers.errors import on_error

NEW = filters.UpdateType.MESSAGE  # edits never re-run a command or re-store an answer


class _AddressedReply(filters.MessageFilter):
    """A reply the bot may look at: in private any reply, in a group only one to the
    bot's own message. Whatever the bot's rights (an administrator, or privacy mode off,
    receives every message), replies between members are none of its business."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        if replied is None:
            return False
        if message.chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
            return True
        author = replied.from_user
        return author is not None and author.id == message.get_bot().id


TO_THE_BOT = _AddressedReply(name="reply to the bot")

# Kinds kept only for rows written before they were folded into another, or that are
# dialogue steps answered by buttons only: no reply callback of their own.
UNROUTED_FLOWS = frozenset({FlowKind.INTAKE, FlowKind.DUPLICATE})
UNROUTED_PROMPTS = frozenset(
    {PromptKind.SETUP, PromptKind.PLAN, PromptKind.QUALITIES, PromptKind.INSIGHT}
)


def check_routes() -> None:
    """Every declared command, button, prompt kind and release has exactly one callback."""
    missing = [
        *(f"/{spec.name}" for spec in COMMANDS if spec.name not in ROUTES.commands),
        *(f"button {b.name}" for b in Button if b not in ROUTES.buttons),
        *(
            f"prompt {k.name}"
            for k in PromptKind
            if k not in ROUTES.prompts and k not in UNROUTED_PROMPTS
        ),
        *(
            f"dialogue {k.name}"
            for k in FlowKind
            if k not in ROUTES.flows and k not in UNROUTED_FLOWS
        ),
        *(f"release {r.name}" for r in Release if r not in ROUTES.releases),
        *(f"deep link {k.name}" for k in Start if k not in ROUTES.opens),
    ]
    unknown = sorted(set(ROUTES.commands) - {spec.name for spec in COMMANDS})
    if missing or unknown:
        raise RuntimeError(f"routes incomplete: missing {missing}, undeclared {unknown}")


def register(application: Application) -> None:
    check_routes()
    for spec in COMMANDS:
        application.add_handler(CommandHandler(spec.name, ROUTES.commands[spec.name], filters=NEW))
    application.add_handler(MessageHandler(filters.COMMAND & NEW, fallbacks.unknown_command))

    for prefix, callback in ROUTES.buttons.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=f"^{prefix.value}:"))
    application.add_handler(CallbackQueryHandler(private.stale_button))

    application.add_handler(
        ChatMemberHandler(chat_events.my_status_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(
        ChatMemberHandler(chat_events.member_changed, ChatMemberHandler.CHAT_MEMBER)
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, chat_events.migrated))
    application.add_handler(
        MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER, chat_events.member_left)
    )
    application.add_handler(
        MessageHandler(filters.StatusUpdate.NEW_CHAT_MEMBERS, chat_events.members_joined)
    )
    application.add_handler(MessageHandler(TO_THE_BOT & NEW, private.prompt_reply))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & NEW & ~filters.COMMAND, private.private_text)
    )
    application.add_error_handler(on_error)

    async def post_init(app: Application) -> None:
        await menus.set_menus(app.bot, app.services.catalogs)  # type: ignore[attr-defined]
        if getattr(app, "timers", True):
            await jobs.start(app)

    application.post_init = post_init


__all__ = ["Update", "register"]
