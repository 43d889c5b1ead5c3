"""The first handler of every update: a redelivered update id is skipped."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.app.context import CopContext
from bot.services import updates
from bot.services.unit import Unit


async def once(update: object, context: CopContext) -> None:
    """Records the update id in its own transaction; a known id stops all handlers."""
    if not isinstance(update, Update):
        return
    services = context.services
    async with services.sessions.begin() as session:
        fresh = await updates.first_time(Unit(session, services.clock()), update.update_id)
    if not fresh:
        services.metrics.duplicates.inc()
        raise ApplicationHandlerStop
