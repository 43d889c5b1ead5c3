"""Getting to know the bot: /start, /help, /privacy, /join with consent, /leave."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message

from bot.commands import visible
from bot.errors import AlreadyMember, NotAMember, StaleAction
from bot.render.callbacks import Button, read_start
from bot.render.html import Markup, join_lines
from bot.render.pages import clamp
from bot.services import membership, roster
from bot.services.values import CommunityView, MemberView
from bot.texts import commands as command_texts
from bot.texts import common as common_texts
from bot.texts import membership as texts
from bot.texts.common import plain
from handlers.base import (
    ROUTES,
    Turn,
    args_of,
    button,
    chat_kind,
    command,
    held_ranks,
    is_admin,
)
from handlers.keyboards import carries, keyboard, pager


@command("start")
async def start(turn: Turn) -> None:
    """Explains the bot in a private chat and notes that we may write to this member.

    Opened from a group prompt's link (`/start issue-12`), it lands a member of that CoP
    in the step the prompt asked for, and their private messages go to that CoP.
    """
    person = turn.require_person()
    names = await membership.started(turn.unit, person.user_id)
    link = read_start(args_of(turn))
    if link is None:
        await turn.reply(texts.start_private(turn.tr, names), quote=False)
        return
    key, community_id = link
    try:
        community, member = await membership.choose(turn.unit, person.user_id, community_id)
    except NotAMember:  # a link of a CoP one is not (or no longer) in: as a plain /start
        await turn.reply(texts.start_private(turn.tr, names), quote=False)
        return
    await ROUTES.opens[key](turn, community, member)


@command("help")
async def help_(turn: Turn) -> None:
    """Lists exactly the commands the asker may use in this chat (a page at a time in
    the group)."""
    pages = await _help_pages(turn)
    await turn.reply(pages[0], pager(turn.tr, Button.HELP_PAGE, 0, len(pages)))


@button(Button.HELP_PAGE)
async def help_page(turn: Turn) -> None:
    """Back / more under the group's /help: the same message shows another page (of the
    presser's own commands)."""
    (page,) = turn.pressed(int)
    if not carries(turn.query.message if turn.query else None, Button.HELP_PAGE):
        raise StaleAction("stale_button")
    pages = await _help_pages(turn)
    page = clamp(page, len(pages))
    await turn.answer()
    await turn.edit_pressed(pages[page], pager(turn.tr, Button.HELP_PAGE, page, len(pages)))


async def _help_pages(turn: Turn) -> list[Markup]:
    admin = turn.in_group and turn.person is not None and await is_admin(turn)
    if not turn.in_group and turn.person is not None:  # ranks from any CoP of theirs
        pairs = await membership.memberships(turn.unit, turn.person.user_id)
        turn.member = pairs[0][1] if pairs else None
    specs = visible(chat_kind(turn), held_ranks(turn, admin), turn.tr.language)
    return command_texts.help_pages(turn.tr, specs, chat_kind(turn))


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
    after = await membership.newest_member_id(turn.unit, community.id)
    await turn.reply(_letter(turn, community), _consent_keyboard(turn, community, after))


def _letter(turn: Turn, community: CommunityView) -> str:
    letter = texts.information_letter(turn.tr, community.name)
    return join_lines([letter, "", texts.consent_question(turn.tr)])


def _consent_keyboard(
    turn: Turn, community: CommunityView, after: int | None
) -> InlineKeyboardMarkup:
    """Agree / decline; `after` (the newest member when the letter was shown) lets the
    letter name who joined by it."""
    agree, decline = texts.consent_labels(turn.tr)
    if after is None:
        return keyboard(
            [
                (agree, (Button.CONSENT, community.id, "y")),
                (decline, (Button.CONSENT, community.id, "n")),
            ]
        )
    return keyboard(
        [
            (agree, (Button.CONSENT, community.id, "y", after)),
            (decline, (Button.CONSENT, community.id, "n", after)),
        ]
    )


@button(Button.CONSENT)
async def consent_pressed(turn: Turn) -> None:
    """A press on the letter's buttons counts for the presser only."""
    try:
        community_id, choice, after = turn.pressed(int, str, int)
    except StaleAction:  # a letter shown before it counted who joined by it
        (community_id, choice), after = turn.pressed(int, str), None
    community = turn.require_community()
    if community_id != community.id or choice not in ("y", "n"):
        raise StaleAction("stale_button")
    if choice == "n":
        await turn.answer(texts.consent_declined(turn.tr))
        return
    letter = turn.query.message if turn.query else None
    joined = await membership.consent(turn.unit, community, turn.require_person(), after)
    await turn.answer(plain(texts.joined(turn.tr, joined)))
    if isinstance(letter, Message):  # the letter names who joined by it: no message each
        text = join_lines([_letter(turn, community), "", texts.welcomed(turn.tr, joined)])
        await turn.edit(letter, text, _consent_keyboard(turn, community, after))
    else:
        await turn.reply(texts.joined(turn.tr, joined), quote=False)


@command("leave")
async def leave(turn: Turn) -> None:
    """Asks to confirm withdrawal, also in an archived CoP; in private, the person picks
    the CoP when they are in several (whatever their state)."""
    person = turn.require_person()
    if turn.in_group:
        community = turn.require_community()
    else:
        resolution = await roster.erasable(turn.unit, person.user_id)
        if resolution.chosen is None:
            choices = _cop_keyboard(resolution.choices, person.user_id)
            await turn.reply(common_texts.choose_cop(turn.tr), choices)
            return
        community = resolution.chosen[0]
    await turn.reply(
        texts.leave_question(turn.tr, community.name), _leave_keyboard(turn, community)
    )


@button(Button.LEAVE)
async def leave_pressed(turn: Turn) -> None:
    """Withdraws consent and erases, only for the person who asked to leave."""
    community_id, user_id, choice = turn.pressed(int, int, str)
    person = turn.require_person()
    if user_id != person.user_id:
        raise StaleAction("not_your_flow")
    if choice == "c":  # chosen from the CoP list in private: ask to confirm for that CoP
        community = await roster.leaving(turn.unit, community_id, person.user_id)
        await turn.answer()
        await turn.reply(
            texts.leave_question(turn.tr, community.name), _leave_keyboard(turn, community)
        )
    elif choice != "y":
        await turn.answer(texts.stayed(turn.tr))
    else:
        report = await membership.leave(turn.unit, community_id, person.user_id)
        await turn.answer()
        await turn.remove_buttons()
        await turn.reply(texts.left(turn.tr, report), quote=False)


def _leave_keyboard(turn: Turn, community: CommunityView) -> InlineKeyboardMarkup:
    yes, no = texts.leave_labels(turn.tr)
    user_id = turn.require_person().user_id
    return keyboard(
        [(yes, (Button.LEAVE, community.id, user_id, "y"))],
        [(no, (Button.LEAVE, community.id, user_id, "n"))],
    )


def _cop_keyboard(
    choices: list[tuple[CommunityView, MemberView]], user_id: int
) -> InlineKeyboardMarkup:
    return keyboard(*[[(c.name, (Button.LEAVE, c.id, user_id, "c"))] for c, _ in choices])
