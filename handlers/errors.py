"""The error handler: log what failed (ids and kinds, never text), then apologise."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import TelegramError

from bot.app.context import CopContext
from bot.services import updates
from bot.texts import common as texts

log = logging.getLogger(__name__)


def describe(update: object) -> str:
    """Ids and kinds of an update, nothing a person wrote."""
    if not isinstance(update, Update):
        return type(update).__name__
    kinds = [name for name, value in update.to_dict().items() if name != "update_id" and value]
    chat = update.effective_chat
    user = update.effective_user
    return (
        f"update_id={update.update_id} kind={','.join(kinds)} "
        f"chat={chat.id if chat else '-'}/{chat.type if chat else '-'} "
        f"user={user.id if user else '-'}"
    )


async def on_error(update: object, context: CopContext) -> None:
    """Logs first, then tells the person something went wrong, so nothing fails silently."""
    error = context.error
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    log.error("handling %s failed with %s\n%s", describe(update), type(error).__name__, frames)
    if isinstance(update, Update) and error is not None and updates.is_outage(error):
        context.services.inbox.failed_on_database(update.update_id)  # handled again later
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    user = update.effective_user
    tr = context.services.catalogs.pick(user.language_code if user else None)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.plain(texts.apology(tr)), show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, texts.apology(tr))
    except TelegramError as exc:
        log.warning(
            "could not apologise in chat %s: %s", update.effective_chat.id, type(exc).__name__
        )
