"""Pending updates and the ``getUpdates`` long-poll, as Telegram's server keeps them.

Long polling must wake up the moment an update arrives, otherwise every simulated action
would cost a poll interval; and the driver needs to know when the bot has *fetched* an
update (it asks again with a higher ``offset``), which this queue records.
"""

from __future__ import annotations

import asyncio
from typing import Any

#: Update types Telegram sends when the bot never specified ``allowed_updates``.
DEFAULT_ALLOWED = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)


class UpdateQueue:
    """Server-side update storage with Telegram's offset/confirmation semantics."""

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._allowed: frozenset[str] = DEFAULT_ALLOWED
        self._changed = asyncio.Condition()
        #: Highest ``offset`` any getUpdates call has confirmed up to (exclusive).
        self.confirmed_offset = 0
        self.dropped: set[int] = set()
        self._wakeups: set[asyncio.Task[None]] = set()

    @property
    def last_update_id(self) -> int:
        return self._next_id - 1

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Store an update of type ``kind``; returns its update_id.

        Updates of a type the bot did not ask for are dropped, as Telegram does.
        """
        update_id = self._next_id
        self._next_id += 1
        if kind not in self._allowed:
            self.dropped.add(update_id)
            return update_id
        self._pending.append({"update_id": update_id, kind: payload})
        self._notify()
        return update_id

    def _notify(self) -> None:
        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        task = loop.create_task(notify())
        self._wakeups.add(task)
        task.add_done_callback(self._wakeups.discard)

    def is_settled(self, update_id: int) -> bool:
        """True once the bot fetched and confirmed ``update_id`` or it was never deliverable."""
        return update_id in self.dropped or self.confirmed_offset > update_id

    async def wait_settled(self, update_id: int) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.is_settled(update_id))

    def _confirm(self, offset: int) -> None:
        if offset > self.confirmed_offset:
            self.confirmed_offset = offset
        self._pending = [u for u in self._pending if u["update_id"] >= offset]

    async def get_updates(
        self,
        offset: int | None,
        limit: int,
        timeout: float,  # noqa: ASYNC109 - the Bot API's long-poll parameter
        allowed_updates: list[str] | None,
    ) -> list[dict[str, Any]]:
        """Implement getUpdates: confirm below ``offset``, then return or long-poll."""
        if allowed_updates is not None:
            self._allowed = frozenset(allowed_updates) if allowed_updates else DEFAULT_ALLOWED
        async with self._changed:
            if offset is not None and offset > 0:
                self._confirm(offset)
            elif offset is not None and offset < 0:
                for update in self._pending[:offset]:
                    self.dropped.add(update["update_id"])
                self._pending = self._pending[offset:]
            self._changed.notify_all()
            if not self._pending and timeout > 0:
                try:
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._pending)), timeout
                    )
                except TimeoutError:
                    return []
            return [dict(u) for u in self._pending[: max(1, min(limit, 100))]]

    def drop_pending(self) -> None:
        """Used by deleteWebhook(drop_pending_updates=True)."""
        for update in self._pending:
            self.dropped.add(update["update_id"])
        self._pending.clear()
        self._notify()
