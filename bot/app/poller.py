"""Polling that confirms an update to Telegram only once it is kept in the inbox.

getUpdates with `offset=N` tells Telegram that every update below N was received, and
Telegram then forgets them. PTB's Updater advances the offset as soon as it queued a
batch; this loop advances it past an update only after `UpdateInbox.accept` stored it,
so during a database outage the same updates come again until they can be kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from telegram.error import NetworkError, TelegramError
from telegram.ext import Application

from bot.app.inbox import UpdateInbox

log = logging.getLogger(__name__)

LONG_POLL = 30  # seconds Telegram may hold a getUpdates open


async def poll(
    application: Application[Any, Any, Any, Any, Any, Any],
    inbox: UpdateInbox,
    stop: asyncio.Event,
    allowed_updates: Sequence[str],
    *,
    long_poll: int = LONG_POLL,
) -> None:
    """Runs until `stop` is set."""
    offset: int | None = None
    delay = 1.0
    while not stop.is_set():
        try:
            batch = await _until_stopped(
                application.bot.get_updates(
                    offset=offset, timeout=long_poll, allowed_updates=list(allowed_updates)
                ),
                stop,
            )
        except (NetworkError, TelegramError) as exc:
            log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, delay)
            await _pause(stop, delay)
            delay = min(delay * 2, 60.0)
            continue
        if batch is None:
            return
        delay = 1.0
        for update in batch:
            try:
                await inbox.accept(application, update.to_dict())
            except Exception as exc:  # the database: do not confirm this update yet
                log.warning(
                    "cannot keep update %s (%s); it stays unconfirmed",
                    update.update_id,
                    type(exc).__name__,
                )
                await _pause(stop, 2.0)
                break
            offset = update.update_id + 1


async def _until_stopped(call: Any, stop: asyncio.Event) -> Any:
    """The call's result, or None when `stop` is set first (the call is cancelled)."""
    task = asyncio.ensure_future(call)
    stopping = asyncio.ensure_future(stop.wait())
    done, _ = await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        stopping.cancel()
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    return None


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
