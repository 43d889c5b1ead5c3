"""/setup and /cancel: the facilitator's dialogue, answered by button or by reply."""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardMarkup

from bot.errors import NotAllowed
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from bot.render.callbacks import Button
from bot.services import flows, setup
from bot.services.flows import FlowKind, FlowState
from bot.services.setup import SetupSaved, SetupStep
from bot.texts import common as texts
from bot.texts import setup as setup_texts
from handlers.base import Markup, Turn, attach, button, command, continues, is_admin
from handlers.keyboards import keyboard


@command("setup")
async def start(turn: Turn) -> None:
    """Starts the dialogue (or restarts it, pre-filled, to edit the settings)."""
    settings = turn.context.services.settings
    step = await setup.start(
        turn.unit,
        chat_id=turn.chat.id,
        person=turn.require_person(),
        group_title=turn.chat.title or "CoP",
        default_language=settings.default_language,
        default_timezone=settings.timezone,
    )
    await ask(turn, step)


@command("cancel")
async def cancel(turn: Turn) -> None:
    """Leaves any dialogue in this chat without storing its answers."""
    person = turn.require_person()
    had_flow = await flows.cancel(turn.unit, turn.chat.id, person.user_id)
    await turn.reply(texts.cancelled(_speaker(turn), had_flow))


def _speaker(turn: Turn) -> Translator:
    """The dialogue's language: a CoP being edited speaks its own; a new one asks the
    admin in their app's language, since the language is one of the questions (the group
    reads the default language until then, see `handlers.base._resolve`)."""
    if turn.community is not None:
        return turn.tr
    person = turn.person
    return turn.context.services.catalogs.pick(person.language_code if person else None)


async def ask(turn: Turn, step: SetupStep) -> None:
    """Sends the question for the current step and remembers it as a prompt.

    Telegram allows one markup per message: where there are buttons, a reply to
    the message works all the same; otherwise ForceReply opens the reply box.
    """
    turn.tr = _speaker(turn)
    if step.step == "confirm":  # a saver who is no member yet reads the letter and agrees
        labels = setup_texts.setup_labels(turn.tr)
        save = ("agree", labels["agree"]) if step.needs_consent else ("save", labels["save"])
        markup = keyboard(
            [(save[1], (Button.SETUP, step.flow_id, "confirm", save[0]))],
            [(labels["cancel"], (Button.SETUP, step.flow_id, "confirm", "cancel"))],
        )
        await turn.reply(setup_texts.setup_summary(turn.tr, step), markup)
        return
    buttons = _buttons(turn, step)
    reply_markup: Markup = buttons if buttons is not None else ForceReply(selective=True)
    await turn.reply(setup_texts.setup_step(turn.tr, step), reply_markup, record=attach(step.flow))


def _buttons(turn: Turn, state: SetupStep) -> InlineKeyboardMarkup | None:
    labels = setup_texts.setup_labels(turn.tr)
    current = state.current
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
    flow_id, step, value = turn.pressed(int, str, str)
    turn.tr = _speaker(turn)
    if step == "confirm" and value in setup.SAVES and not await is_admin(turn):
        raise NotAllowed("admin_only")  # rights are checked again when it counts
    outcome = await setup.press(
        turn.unit, flow_id, turn.require_person(), step, value, chat_type=turn.chat.type
    )
    await turn.answer()
    await turn.remove_buttons()
    if isinstance(outcome, SetupStep):
        await ask(turn, outcome)
    elif isinstance(outcome, SetupSaved):  # said in the language just chosen
        tr = turn.context.services.catalogs.get(outcome.community.language)
        await turn.reply(setup_texts.setup_saved(tr, outcome), quote=False)
    else:
        await turn.reply(texts.cancelled(turn.tr, True), quote=False)


@continues(FlowKind.SETUP)
async def replied(turn: Turn, state: FlowState, text: str) -> None:
    """A reply to one of the dialogue's questions."""
    turn.tr = _speaker(turn)  # a bad answer is told in the dialogue's language
    await ask(turn, await setup.answer(turn.unit, state, text))
