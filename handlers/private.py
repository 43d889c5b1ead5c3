"""Private chats and replies: /cop, free text, and answers to the bot's prompts.

In privacy mode a reply to the bot is one of the few things a bot in a group
receives, so every question that needs free text is answered by replying. The prompt
a reply answers decides where it goes (`handlers.base.ROUTES`); free text with no
prompt goes to what is open in the member's CoP.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.errors import InvalidInput, StaleAction
from bot.render.callbacks import Button
from bot.services import flows, inbox, membership, prompts
from bot.services.flows import FlowKind
from bot.services.intake import Release
from bot.services.prompts import PromptKind, PromptView
from bot.services.values import CommunityView, MemberView
from bot.texts import common as texts
from handlers.base import ROUTES, Turn, button, command, submit, turn_callback
from handlers.keyboards import keyboard


@command("cop")
async def choose_cop(turn: Turn) -> None:
    """Lets a member pick which CoP their private messages are for."""
    person = turn.require_person()
    resolution = await membership.resolve(turn.unit, person.user_id)
    await turn.reply(texts.choose_cop(turn.tr), _choices(resolution.choices))


@button(Button.CHOOSE_COP)
async def cop_pressed(turn: Turn) -> None:
    """The CoP was chosen; a held message is now routed to it."""
    (community_id,) = turn.pressed(int)
    person = turn.require_person()
    community, member = await membership.choose(turn.unit, person.user_id, community_id)
    await turn.answer()
    await turn.reply(texts.cop_chosen(turn.tr, community.name), quote=False)
    held = await membership.release(turn.unit, person.user_id)
    if held:
        await _route(turn, community, member, held)


@turn_callback
async def private_text(turn: Turn) -> None:
    """Free text in private: only members' text is looked at, and only for an open prompt."""
    await _private_message(turn)


@turn_callback
async def prompt_reply(turn: Turn) -> None:
    """A reply to one of the bot's messages: found by message id, whoever sent it."""
    message = turn.message
    if message is None or message.reply_to_message is None:
        return
    prompt = await prompts.find(turn.unit, message.chat_id, message.reply_to_message.message_id)
    kind = _kind(prompt)
    if prompt is not None and prompt.flow_id is not None and kind in ROUTES.flows:
        await _flow_reply(turn, prompt, FlowKind(kind), message.text)
        return
    if prompt is not None and kind in ROUTES.prompts:
        if turn.in_group:
            turn.require_member()
        if not message.text:
            raise InvalidInput("text_only")
        await ROUTES.prompts[PromptKind(kind)](turn, prompt, message.text)
        return
    if not turn.in_group:
        await _private_message(turn)
        return
    member = turn.require_member()
    await _route(turn, turn.require_community(), member, message.text or "")


def _kind(prompt: PromptView | None) -> str | None:
    if prompt is None or prompt.kind not in PromptKind.__members__.values():
        return None
    return prompt.kind


async def _flow_reply(turn: Turn, prompt: PromptView, kind: FlowKind, text: str | None) -> None:
    person = turn.require_person()
    assert prompt.flow_id is not None
    state = await flows.current(
        turn.unit, prompt.flow_id, person.user_id, kind, str(prompt.data.get("step", ""))
    )
    if not text:
        raise InvalidInput("text_only")
    await ROUTES.flows[kind](turn, state, text)


async def _private_message(turn: Turn) -> None:
    person = turn.require_person()
    text = turn.message.text if turn.message else None
    if not text:
        raise InvalidInput("text_only")
    resolution = await membership.resolve(turn.unit, person.user_id)
    if resolution.chosen is None:
        await membership.hold(turn.unit, person.user_id, text)
        await turn.reply(texts.choose_cop(turn.tr), _choices(resolution.choices))
        return
    await _route(turn, *resolution.chosen, text)


async def _route(turn: Turn, community: CommunityView, member: MemberView, text: str) -> None:
    """Free text goes to what is open in the CoP; with nothing open, nothing is stored."""
    round_ = await inbox.route(turn.unit, community)
    if round_ is None:
        await turn.reply(texts.nothing_open(turn.tr, community.name))
        return
    data = {"prompt_id": round_.prompt_id}
    await submit(turn, community, member, text, Release.ISSUE_ANSWER, data)


def _choices(choices: list[tuple[CommunityView, MemberView]]) -> InlineKeyboardMarkup:
    return keyboard(*[[(c.name, (Button.CHOOSE_COP, c.id))] for c, _ in choices])


@turn_callback
async def stale_button(turn: Turn) -> None:
    """A button whose data no handler knows (old version, forged): refused, nothing changes."""
    raise StaleAction("stale_button")
