"""The collection document, the team version, /share and /portfolio."""

from __future__ import annotations

import functools

from telegram import InlineKeyboardMarkup

from bot.app.rendering import collection_files, portfolio_docx
from bot.errors import InvalidInput
from bot.render.callbacks import Button
from bot.render.offload import off_loop
from bot.services import documents, sharing
from bot.texts import documents as document_texts
from bot.texts import keywords
from handlers.base import Turn, button, command, keyword_args
from handlers.keyboards import keyboard


@command("document")
async def document(turn: Turn) -> None:
    """/document [team] [docx|md|html]: builds and sends the collection document.

    Three steps, so no transaction is open while Telegram uploads the files: this turn
    takes the CoP's document lock and says "building"; a follow-up reads, renders (off
    the loop) and queues the files; a last one, run also when building failed, releases
    the lock and reports who reviewed /share.
    """
    community, member = turn.require_community(), turn.require_member()
    wanted = await documents.begin(turn.unit, community, member, keyword_args(turn, "team"))
    if wanted is None:
        await turn.reply(document_texts.busy(turn.tr))
        return
    await turn.reply(document_texts.building(turn.tr, wanted.team))
    turn.then(functools.partial(_build, wanted=wanted))
    turn.then(functools.partial(_finish, wanted=wanted), always=True)


async def _build(turn: Turn, wanted: documents.Request) -> None:
    """Reads the content in this follow-up's transaction; renders after it committed."""
    community = turn.require_community()
    data = await documents.collection(turn.unit, community, team=wanted.team)
    name = documents.stem(community, wanted.team, turn.unit.now)
    language = turn.tr.language
    caption = document_texts.ready(turn.tr, wanted.team, wanted.formats)

    async def make() -> list[tuple[bytes, str, str | None]]:
        # Charts and layout are CPU work: off the loop, so the bot keeps answering others.
        files = await off_loop(collection_files, language, data, wanted.formats)
        return [  # the caption goes with the first file (the Word file, when it is sent)
            (content, f"{name}.{suffix}", caption if index == 0 else None)
            for index, (suffix, content) in enumerate(files)
        ]

    await turn.send_made(make)


async def _finish(turn: Turn, wanted: documents.Request) -> None:
    review = await documents.end(turn.unit, turn.require_community(), wanted)
    if review is not None:
        await turn.reply(document_texts.review_status(turn.tr, review), quote=False)


@command("share")
async def share(turn: Turn) -> None:
    """What of yours goes into the team version: /share, /share name on|off."""
    community, member = await turn.here()
    args = [a.lower() for a in keyword_args(turn, "name", *keywords.SWITCH)]
    if args[:1] == ["name"] and args[1:] in (["on"], ["off"]):
        await sharing.set_named(turn.unit, community.id, member, args[1] == "on")
        await turn.reply(document_texts.name_set(turn.tr, args[1] == "on"))
        return
    if args:
        raise InvalidInput("share_usage")
    overview = await sharing.overview(turn.unit, community.id, member)
    await turn.reply(document_texts.share_list(turn.tr, overview), _share_keyboard(overview))


def _share_keyboard(overview: sharing.Overview) -> InlineKeyboardMarkup | None:
    """A button per item, numbered as the list."""
    buttons = [[(str(n), (Button.SHARE, item.id))] for n, item in enumerate(overview.items, 1)]
    return keyboard(*buttons) if buttons else None


@button(Button.SHARE)
async def share_pressed(turn: Turn) -> None:
    """Shares an item (or keeps it in the CoP again); the list shows the change in place."""
    (contribution_id,) = turn.pressed(int)
    community, member = await turn.here()
    shared, overview = await sharing.flip(turn.unit, community.id, member, contribution_id)
    await turn.answer(document_texts.share_toggled(turn.tr, shared))
    await turn.edit_pressed(document_texts.share_list(turn.tr, overview), _share_keyboard(overview))


@command("portfolio")
async def portfolio(turn: Turn) -> None:
    """Your own record (meetings, contributions, qualities, agreements) as a Word file."""
    community, member = await turn.here()
    data = await documents.portfolio(turn.unit, community, member)
    content = await off_loop(portfolio_docx, turn.tr.language, data)
    name = f"portfolio-{documents.slug(member.name)}-{documents.slug(community.name)}.docx"
    await turn.send_file(content, name, document_texts.portfolio_ready(turn.tr))
