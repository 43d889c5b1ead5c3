"""Private chats and replies: /cop, free text, and answers to the bot's prompts."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.errors import InvalidInput, StaleAction
from bot.render.callbacks import as_int
from bot.services import inbox, privatechat
from bot.services.values import CommunityView, MemberView
from bot.texts import common as texts
from handlers import issues as issue_handlers
from handlers.base import Turn, command, turn_callback
from handlers.keyboards import keyboard

CHOOSE = "pc"


@command("cop")
async def choose_cop(turn: Turn) -> None:
    """Lets a member pick which CoP their private messages are for."""
    person = turn.require_person()
    resolution = await privatechat.resolve(turn.unit, person.user_id)
    await turn.reply(texts.choose_cop(turn.tr), _choices(resolution.choices))


@turn_callback
async def cop_pressed(turn: Turn) -> None:
    """The CoP was chosen; a held message is now routed to it."""
    community_id = as_int(turn.button(2)[1])
    if community_id is None:
        raise StaleAction("stale_button")
    person = turn.require_person()
    community, member = await privatechat.choose(turn.unit, person.user_id, community_id)
    await turn.answer()
    await turn.reply(texts.cop_chosen(turn.tr, community.name), quote=False)
    held = await privatechat.release(turn.unit, person.user_id)
    if held:
        await route(turn, community, member, held)


@turn_callback
async def private_text(turn: Turn) -> None:
    """Free text in private: only members' text is looked at, and only for an open prompt."""
    await private_message(turn)


async def private_message(turn: Turn) -> None:
    person = turn.require_person()
    text = turn.message.text if turn.message else None
    if not text:
        raise InvalidInput("text_only")
    resolution = await privatechat.resolve(turn.unit, person.user_id)
    if resolution.chosen is None:
        await privatechat.hold(turn.unit, person.user_id, text)
        await turn.reply(texts.choose_cop(turn.tr), _choices(resolution.choices))
        return
    await route(turn, *resolution.chosen, text)


async def route(turn: Turn, community: CommunityView, member: MemberView, text: str) -> None:
    """Free text goes to what is open in the CoP; with nothing open, nothing is stored."""
    round_ = await inbox.route(turn.unit, community)
    if round_ is None:
        await turn.reply(texts.nothing_open(turn.tr, community.name))
        return
    await issue_handlers.answer_privately(turn, community, member, round_, text)


def _choices(choices: list[tuple[CommunityView, MemberView]]) -> InlineKeyboardMarkup:
    return keyboard(*[[(c.name, (CHOOSE, c.id))] for c, _ in choices])


@turn_callback
async def stale_button(turn: Turn) -> None:
    """A button whose data no handler knows (old version, forged): refused, nothing changes."""
    raise StaleAction("stale_button")
