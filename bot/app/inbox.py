"""Acknowledged updates are kept until handled, so a crash loses none of them.

Telegram forgets an update once we acknowledge it: the webhook's 200, or a getUpdates
with a higher offset. So each update is written to the inbox (`inbox_updates`) before
it is acknowledged, and removed by the transaction of the turn that handles it (or, for
an update no turn takes or whose turn rolled back, right after it was handled). What is
left after a crash is handled on the next start; what failed on a database outage is
handled again once the database is back (`replay`). Handling twice is prevented by the
update-id check inside each turn's transaction (`handlers.base.run_turn`); replies go out
after the commit, so a turn that crashed between its commit and its replies stays
unanswered, never doubled.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Update
from telegram.ext import Application

from bot.clock import Clock
from bot.services import updates
from bot.services.unit import Unit

log = logging.getLogger(__name__)
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

#: An update older than this that is still in the inbox was lost by a process (a
#: crash, or its turn failed on the database) and is handled again.
STALE = timedelta(minutes=1)


class UpdateInbox:
    """The process's view of the inbox: what it queued, and what failed on the database."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self._queued: set[int] = set()
        self._failed: set[int] = set()
        self._taken: set[int] = set()  # removed from the inbox by their turn's transaction

    async def take(self, unit: Unit, update_id: int) -> bool:
        """Inside a turn's transaction: the update leaves the inbox when the turn commits.

        One transaction per update instead of a second one to settle it; True when the
        update came through this inbox (then `taken` is said after the commit).
        """
        if update_id not in self._queued:
            return False
        await updates.handled(unit, update_id)
        return True

    def taken(self, update_id: int) -> None:
        """The turn that took the update committed: `settle` has nothing left to remove."""
        self._taken.add(update_id)

    async def accept(self, application: AnyApplication, payload: dict[str, Any]) -> bool:
        """Keeps the update (raises when the database cannot), then queues it for handling.

        False when the update is in the inbox already: it is being handled, or will be.
        """
        update = Update.de_json(payload, application.bot)
        async with self._sessions.begin() as session:
            fresh = await updates.accept(Unit(session, self._clock()), update.update_id, payload)
        if fresh:
            await self._queue(application, update)
        return fresh

    async def settle(self, update: object) -> None:
        """After handling: the update leaves the inbox, unless the database failed it."""
        if not isinstance(update, Update) or update.update_id not in self._queued:
            return
        self._queued.discard(update.update_id)
        if update.update_id in self._taken:
            self._taken.discard(update.update_id)
            return
        if update.update_id in self._failed:
            self._failed.discard(update.update_id)
            return
        try:
            async with self._sessions.begin() as session:
                await updates.handled(Unit(session, self._clock()), update.update_id)
        except Exception:  # it stays and comes again; the turn's id check skips it then
            log.warning("update %s stays in the inbox (database)", update.update_id)

    def failed_on_database(self, update_id: int) -> None:
        """The update's turn met a database outage: keep it to handle again later."""
        if update_id in self._queued:
            self._failed.add(update_id)

    async def replay(self, application: AnyApplication, older_than: timedelta = STALE) -> int:
        """Queues what is left in the inbox (and not queued here already); returns how many."""
        async with self._sessions.begin() as session:
            unit = Unit(session, self._clock())
            waiting = await updates.waiting(unit, unit.now - older_than)
        count = 0
        for update_id, payload in waiting:
            if update_id in self._queued:
                continue
            await self._queue(application, Update.de_json(payload, application.bot))
            count += 1
        if count:
            log.info("handling %d update(s) left in the inbox", count)
        return count

    async def _queue(self, application: AnyApplication, update: Update) -> None:
        self._queued.add(update.update_id)
        await application.update_queue.put(update)
