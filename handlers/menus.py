"""Command menus per language and scope, set at start-up from the command table."""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)

from bot.commands import Where, Who, visible
from bot.i18n import LANGUAGES, Catalogs
from bot.texts import commands as command_texts

SCOPES: tuple[tuple[BotCommandScope, Where, frozenset[Who]], ...] = (
    (
        BotCommandScopeAllPrivateChats(),
        Where.PRIVATE,
        frozenset({Who.ANYONE, Who.GUEST, Who.MEMBER}),
    ),
    (
        BotCommandScopeAllGroupChats(),
        Where.GROUP,
        frozenset({Who.ANYONE, Who.GUEST, Who.MEMBER}),
    ),
    (
        BotCommandScopeAllChatAdministrators(),
        Where.GROUP,
        frozenset({Who.ANYONE, Who.GUEST, Who.MEMBER, Who.FACILITATOR, Who.CHAIR, Who.ADMIN}),
    ),
)


async def set_menus(bot: Bot, catalogs: Catalogs) -> None:
    """One menu per (scope, language), plus the default language without a code."""
    for scope, where, held in SCOPES:
        for language in (*LANGUAGES, None):
            tr = catalogs.get(language)
            commands = [
                BotCommand(spec.name, command_texts.description(tr, spec.name)[:256])
                for spec in visible(where, held, tr.language)
            ]
            await bot.set_my_commands(commands, scope=scope, language_code=language)
