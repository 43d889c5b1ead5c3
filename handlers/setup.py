"""/setup and /cancel: the facilitator's dialogue, answered by button or by reply."""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardMarkup

from bot.errors import StaleAction
from bot.i18n import LANGUAGE_NAMES, LANGUAGES
from bot.render.callbacks import Button, as_int
from bot.render.html import join_lines
from bot.services import flows, setup
from bot.services.flows import FlowKind, FlowState
from bot.texts import common as texts
from handlers.base import Turn, button, command, continues
from handlers.keyboards import keyboard


@command("setup")
async def start(turn: Turn) -> None:
    """Starts the dialogue (or restarts it, pre-filled, to edit the settings)."""
    person = turn.require_person()
    settings = turn.context.services.settings
    state = await setup.start(
        turn.unit,
        chat_id=turn.chat.id,
        person=person,
        group_title=turn.chat.title or "CoP",
        default_language=settings.default_language,
        default_timezone=settings.timezone,
    )
    await ask(turn, state)


@command("cancel")
async def cancel(turn: Turn) -> None:
    """Leaves any dialogue in this chat without storing its answers."""
    person = turn.require_person()
    had_flow = await flows.cancel(turn.unit, turn.chat.id, person.user_id)
    await turn.reply(texts.cancelled(turn.tr, had_flow))


async def ask(turn: Turn, state: FlowState) -> None:
    """Sends the question for the current step and remembers it as a prompt.

    Telegram allows one markup per message: where there are buttons, a reply to
    the message works all the same; otherwise ForceReply opens the reply box.
    """
    if state.step == "confirm":
        labels = texts.setup_labels(turn.tr)
        markup = keyboard(
            [(labels["save"], (Button.SETUP, state.flow_id, "confirm", "save"))],
            [(labels["cancel"], (Button.SETUP, state.flow_id, "confirm", "cancel"))],
        )
        await turn.reply(texts.setup_summary(turn.tr, state), markup)
        return
    buttons = _buttons(turn, state)
    markup = buttons if buttons is not None else ForceReply(selective=True)
    message = await turn.reply(texts.setup_step(turn.tr, state), markup)
    await flows.attach_prompt(turn.unit, state, message.chat_id, message.message_id)


def _buttons(turn: Turn, state: FlowState) -> InlineKeyboardMarkup | None:
    labels = texts.setup_labels(turn.tr)
    current = str(state.data["answers"].get(state.step) or "")
    flow, step = state.flow_id, state.step
    if step == "name" and current:
        return keyboard(
            [(labels["keep"].format(value=current[:40]), (Button.SETUP, flow, step, "keep"))]
        )
    if step == "theme":
        row = [(labels["skip"], (Button.SETUP, flow, step, "skip"))]
        if current:
            row.insert(
                0, (labels["keep"].format(value=current[:30]), (Button.SETUP, flow, step, "keep"))
            )
        return keyboard(row)
    if step == "language":
        return keyboard(
            [(LANGUAGE_NAMES[code], (Button.SETUP, flow, step, code)) for code in LANGUAGES]
        )
    if step == "timezone":
        return keyboard([(current, (Button.SETUP, flow, step, "keep"))])
    return None


@button(Button.SETUP)
async def pressed(turn: Turn) -> None:
    """A button of the dialogue: keep, skip, a language, save or cancel."""
    _, flow_ref, step, value = turn.button(4)
    flow_id = as_int(flow_ref)
    if flow_id is None:
        raise StaleAction("stale_button")
    person = turn.require_person()
    state = await flows.current(turn.unit, flow_id, person.user_id, setup.KIND, step)
    await turn.answer()
    if turn.query and turn.query.message:
        await turn.query.message.edit_reply_markup(None)
    if step == "confirm":
        await _confirm(turn, state, value == "save")
        return
    answer = {"keep": None, "skip": ""}.get(value, value)
    await ask(turn, await setup.answer(turn.unit, state, answer))


@continues(FlowKind.SETUP)
async def replied(turn: Turn, state: FlowState, text: str) -> None:
    """A reply to one of the dialogue's questions."""
    await ask(turn, await setup.answer(turn.unit, state, text))


async def _confirm(turn: Turn, state: FlowState, save: bool) -> None:
    person = turn.require_person()
    if not save:
        await flows.end(turn.unit, state)
        await turn.reply(texts.cancelled(turn.tr, True), quote=False)
        return
    community, created = await setup.finish(
        turn.unit, state, chat_type=turn.chat.type, person=person
    )
    tr = turn.context.services.catalogs.get(community.language)
    await turn.reply(join_lines([texts.setup_saved(tr, community, created)]), quote=False)
