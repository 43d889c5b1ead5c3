"""/mine: a member sees, edits and deletes their own contributions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from telegram import ForceReply, InlineKeyboardMarkup, Message

from bot.render.callbacks import Button
from bot.services import mine
from bot.services.intake import Release
from bot.services.mine import OwnItem
from bot.services.prompts import PromptKind, PromptView
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.texts import mine as mine_texts
from handlers.base import Turn, answers, button, command, released, submit
from handlers.keyboards import keyboard


@released(Release.EDIT)
async def _save_edit(
    turn: Turn, community: CommunityView, member: MemberView, text: str, data: dict[str, Any]
) -> None:
    await mine.edit(turn.unit, community.id, member, int(data["contribution_id"]), text)
    await turn.reply(mine_texts.edited(turn.tr))


@command("mine")
async def mine_command(turn: Turn) -> None:
    """A member's own contributions in this CoP, with edit and delete."""
    community, member = await turn.here()
    items = await mine.recent(turn.unit, community.id, member)
    await turn.reply(
        mine_texts.mine(turn.tr, community.name, items, ZoneInfo(community.timezone)),
        _mine_keyboard(turn, items),
    )


def _mine_keyboard(turn: Turn, items: Sequence[OwnItem]) -> InlineKeyboardMarkup | None:
    if not items:
        return None
    labels = [mine_texts.mine_labels(turn.tr, n) for n in range(1, len(items) + 1)]
    return keyboard(
        *[
            [(edit, (Button.MINE, item.id, "e")), (delete, (Button.MINE, item.id, "d"))]
            for item, (edit, delete) in zip(items, labels, strict=True)
        ]
    )


@button(Button.MINE, archived=True)
async def mine_pressed(turn: Turn) -> None:
    """Edit (asks for the new text), delete (asks to confirm), confirm or keep."""
    contribution_id, choice = turn.pressed(int, str)
    community, member = await turn.here()
    if choice == "y":
        await mine.delete(turn.unit, community.id, member, contribution_id)
        await turn.answer()
        await turn.remove_buttons()
        await turn.reply(mine_texts.deleted(turn.tr), quote=False)
        return
    item = await mine.own_item(turn.unit, community.id, member, contribution_id)
    await turn.answer()
    if choice == "e":
        await _ask_edit(turn, community, member, item)
    elif choice == "d":
        yes, no = mine_texts.delete_labels(turn.tr)
        await turn.reply(
            mine_texts.delete_question(turn.tr, item),
            keyboard([(yes, (Button.MINE, item.id, "y")), (no, (Button.MINE, item.id, "n"))]),
        )
    else:
        await turn.remove_buttons()
        await turn.reply(mine_texts.kept(turn.tr), quote=False)


async def _ask_edit(
    turn: Turn, community: CommunityView, member: MemberView, item: OwnItem
) -> None:

    async def record(unit: Unit, sent: Message) -> None:
        await mine.remember_edit(unit, community.id, member, item, sent.chat_id, sent.message_id)

    await turn.reply(
        mine_texts.edit_question(turn.tr, item), ForceReply(selective=True), record=record
    )


@answers(PromptKind.EDIT)
async def edit_replied(turn: Turn, prompt: PromptView, text: str) -> None:
    """A reply to "the new text for" replaces that contribution's text (once screened)."""
    community, member = await turn.asked_in(prompt)
    contribution_id = mine.edit_target(prompt, member)
    data = {"contribution_id": contribution_id}
    await submit(turn, community, member, text, Release.EDIT, data)
