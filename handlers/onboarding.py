"""Getting to know the bot: /start, /help, /privacy, /join with consent, /leave."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.commands import visible
from bot.errors import AlreadyMember, StaleAction
from bot.render.callbacks import Button, as_int
from bot.render.html import join_lines
from bot.services import erasure, membership, privatechat
from bot.services.values import CommunityView, MemberView
from bot.texts import common as texts
from handlers.base import Turn, button, chat_kind, command, held_ranks, is_admin
from handlers.keyboards import keyboard


@command("start")
async def start(turn: Turn) -> None:
    """Explains the bot in a private chat and notes that we may write to this member."""
    person = turn.require_person()
    pairs = await membership.memberships(turn.unit, person.user_id)
    if pairs:
        await membership.set_private_chat(turn.unit, person.user_id, open_=True)
    await turn.reply(texts.start_private(turn.tr, [c.name for c, _ in pairs]), quote=False)


@command("help")
async def help_(turn: Turn) -> None:
    """Lists exactly the commands the asker may use in this chat."""
    admin = turn.in_group and turn.person is not None and await is_admin(turn)
    if not turn.in_group and turn.person is not None:
        pairs = await membership.memberships(turn.unit, turn.person.user_id)
        turn.member = pairs[0][1] if pairs else None
    specs = visible(chat_kind(turn), held_ranks(turn, admin))
    await turn.reply(texts.help_text(turn.tr, specs, chat_kind(turn)))


@command("privacy")
async def privacy(turn: Turn) -> None:
    """Shows the information letter again."""
    name = turn.community.name if turn.community else None
    await turn.reply(texts.information_letter(turn.tr, name))


@command("join")
async def join(turn: Turn) -> None:
    """Shows the letter and asks for consent; nothing is stored until a button is pressed."""
    community = turn.require_community()
    if turn.member is not None:
        raise AlreadyMember("already_member")
    agree, decline = texts.consent_labels(turn.tr)
    markup = keyboard(
        [
            (agree, (Button.CONSENT, community.id, "y")),
            (decline, (Button.CONSENT, community.id, "n")),
        ]
    )
    letter = texts.information_letter(turn.tr, community.name)
    await turn.reply(join_lines([letter, "", texts.consent_question(turn.tr)]), markup)


@button(Button.CONSENT)
async def consent_pressed(turn: Turn) -> None:
    """A press on the letter's buttons counts for the presser only."""
    _, community_ref, choice = turn.button(3)
    community = turn.require_community()
    if as_int(community_ref) != community.id or choice not in ("y", "n"):
        raise StaleAction("stale_button")
    if choice == "n":
        await turn.answer(texts.consent_declined(turn.tr))
        return
    person = turn.require_person()
    member = await membership.join(turn.unit, community.id, person)
    count = len(await membership.list_members(turn.unit, community.id))
    await turn.answer()
    await turn.reply(texts.joined(turn.tr, member.name, community.name, count), quote=False)


@command("leave")
async def leave(turn: Turn) -> None:
    """Asks to confirm withdrawal; in private, for the CoP chosen with /cop."""
    person = turn.require_person()
    if turn.in_group:
        community = turn.require_community()
    else:
        resolution = await privatechat.resolve(turn.unit, person.user_id)
        if resolution.chosen is None:
            await turn.reply(
                texts.choose_cop(turn.tr), _cop_keyboard(resolution.choices, person.user_id)
            )
            return
        community = resolution.chosen[0]
    yes, no = texts.leave_labels(turn.tr)
    markup = keyboard(
        [(yes, (Button.LEAVE, community.id, person.user_id, "y"))],
        [(no, (Button.LEAVE, community.id, person.user_id, "n"))],
    )
    await turn.reply(texts.leave_question(turn.tr, community.name), markup)


@button(Button.LEAVE)
async def leave_pressed(turn: Turn) -> None:
    """Withdraws consent and erases, only for the person who asked to leave."""
    _, community_ref, user_ref_text, choice = turn.button(4)
    community_id, user_ref = as_int(community_ref), as_int(user_ref_text)
    person = turn.require_person()
    if community_id is None:
        raise StaleAction("stale_button")
    if user_ref is not None and user_ref != person.user_id:
        raise StaleAction("not_your_flow")
    if choice == "c":  # chosen from the CoP list in private: ask to confirm for that CoP
        await membership.require_member(turn.unit, community_id, person.user_id)
        yes, no = texts.leave_labels(turn.tr)
        pairs = await membership.memberships(turn.unit, person.user_id)
        name = next(c.name for c, _ in pairs if c.id == community_id)
        markup = keyboard(
            [(yes, (Button.LEAVE, community_id, person.user_id, "y"))],
            [(no, (Button.LEAVE, community_id, person.user_id, "n"))],
        )
        await turn.answer()
        await turn.reply(texts.leave_question(turn.tr, name), markup)
        return
    if choice != "y":
        await turn.answer(texts.stayed(turn.tr))
        return
    report = await erasure.leave(turn.unit, community_id, person.user_id)
    await turn.answer()
    if turn.query and turn.query.message:
        await turn.query.message.edit_reply_markup(None)
    await turn.reply(texts.left(turn.tr, report), quote=False)


def _cop_keyboard(
    choices: list[tuple[CommunityView, MemberView]], user_id: int
) -> InlineKeyboardMarkup:
    return keyboard(*[[(c.name, (Button.LEAVE, c.id, user_id, "c"))] for c, _ in choices])
