"""Replies to the bot's own messages: the prompt they answer decides where they go.

In privacy mode a reply to the bot is one of the few things a bot in a group
receives, so every question that needs free text is answered this way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.errors import InvalidInput
from bot.services import flows, prompts
from bot.services.prompts import PromptView
from handlers import decisions, issues, literature, meetings, private, qualities, rhythm, setup
from handlers.base import Turn, turn_callback

FlowReply = Callable[[Turn, flows.FlowState, str], Awaitable[None]]

PromptReply = Callable[[Turn, PromptView, str], Awaitable[None]]

FLOW_REPLIES: dict[str, FlowReply] = {
    "setup": setup.replied,
    "plan": meetings.plan_replied,
    "qualities": qualities.round_replied,
    "insight": literature.replied,
}

PROMPT_REPLIES: dict[str, PromptReply] = {
    "agenda": meetings.agenda_replied,
    "weekly": rhythm.weekly_replied,
    "meeting_log": rhythm.log_replied,
    "attendance": rhythm.attendance_replied,
    "issue_round": issues.round_replied,
    "issue_reflection": issues.reflection_replied,
    "edit": issues.edit_replied,
    "shared_issue": issues.shared_replied,
    "nominate": qualities.nomination_replied,
    "used": qualities.used_replied,
    "using": qualities.used_replied,
    "literature": literature.prompt_replied,
    "followup": decisions.followup_replied,
}


@turn_callback
async def prompt_reply(turn: Turn) -> None:
    """A reply to one of the bot's messages: found by message id, whoever sent it."""
    message = turn.message
    if message is None or message.reply_to_message is None:
        return
    prompt = await prompts.find(turn.unit, message.chat_id, message.reply_to_message.message_id)
    if prompt is not None and prompt.flow_id is not None and prompt.kind in FLOW_REPLIES:
        await _flow_reply(turn, prompt, message.text)
        return
    if prompt is not None and prompt.kind in PROMPT_REPLIES:
        if turn.in_group:
            turn.require_member()
        if not message.text:
            raise InvalidInput("text_only")
        await PROMPT_REPLIES[prompt.kind](turn, prompt, message.text)
        return
    if not turn.in_group:
        await private.private_message(turn)
        return
    member = turn.require_member()
    await private.route(turn, turn.require_community(), member, message.text or "")


async def _flow_reply(turn: Turn, prompt: PromptView, text: str | None) -> None:
    person = turn.require_person()
    assert prompt.flow_id is not None
    state = await flows.current(
        turn.unit, prompt.flow_id, person.user_id, prompt.kind, str(prompt.data.get("step", ""))
    )
    if not text:
        raise InvalidInput("text_only")
    await FLOW_REPLIES[prompt.kind](turn, state, text)
