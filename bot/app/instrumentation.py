"""Around the handlers: the update processor (per-chat order, metrics) and a request wrapper."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram._utils.types import ODVInput
from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest, RequestData

from bot.app.metrics import Metrics
from storage.db import in_transaction

log = logging.getLogger(__name__)


def update_kind(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__
    for name in (
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
        "chat_member",
        "channel_post",
    ):
        if getattr(update, name, None) is not None:
            return name
    return "other"


#: How many updates PTB's own semaphore lets in at once. An update waiting for its chat
#: must not hold one of the handling slots (a busy group would fill them all), so PTB's
#: bound only admits; `ChatOrderedProcessor` bounds the handling itself.
ADMITTED = 100_000


def order_key(update: object) -> int | None:
    """What orders an update: its chat (a private chat is one person's dialogue), else its
    sender (whose private chat has the same id); None for what belongs to no chat."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Handles updates of different chats concurrently, those of one chat in arrival order.

    PTB starts one task per update, in arrival order, and calls `do_process_update` in
    each before its first pause, so the chat's queue is joined in arrival order. An update
    first waits for the one before it in its chat, then for one of `limit` handling
    slots: a chat waits in the Telegram rate limiter on one slot at most, never on all.
    Counting, timing and the `after` hook (the inbox's settle) run inside the chat's turn,
    so the next update of that chat starts after its predecessor left the inbox.
    """

    def __init__(
        self,
        metrics: Metrics,
        after: Callable[[object], Awaitable[None]] | None = None,
        *,
        limit: int = 16,
    ) -> None:
        super().__init__(ADMITTED)
        if limit < 1:
            raise ValueError("the processor needs at least one handling slot")
        self._metrics = metrics
        self._after = after
        self._slots = asyncio.Semaphore(limit)
        self._limit = limit
        self._last: dict[int, asyncio.Event] = {}  # per chat: the done-signal of its newest

    @property
    def limit(self) -> int:
        """How many updates are handled at once (of different chats)."""
        return self._limit

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        before: asyncio.Event | None = None
        done = asyncio.Event()
        if key is not None:  # no pause before this: the queue is joined in arrival order
            before = self._last.get(key)
            self._last[key] = done
        try:
            if before is not None:
                await before.wait()
            async with self._slots:
                await self._handle(update, coroutine)
        finally:
            done.set()
            if key is not None and self._last.get(key) is done:
                del self._last[key]

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> None:
        start = time.perf_counter()
        try:
            await coroutine
        finally:
            self._metrics.latency.observe(time.perf_counter() - start)
            self._metrics.updates.labels(update_kind(update)).inc()
            if self._after is not None:
                await self._after(update)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB awaits the update tasks when it stops."""


class ForwardingRequest(BaseRequest):
    """A request object that hands everything to `inner`; subclasses wrap `do_request`."""

    def __init__(self, inner: BaseRequest) -> None:
        self._inner = inner

    @property
    def read_timeout(self) -> float | None:
        return self._inner.read_timeout

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        return await self._inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )


class MeteredRequest(ForwardingRequest):
    """Wraps the real request object; counts Bot API calls and errors by kind."""

    def __init__(self, inner: BaseRequest, metrics: Metrics) -> None:
        super().__init__(inner)
        self._metrics = metrics

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        if in_transaction():  # a design error: see `handlers.base`
            self._metrics.calls_in_transaction.labels(api_method).inc()
            log.warning("Bot API call %s made inside a database transaction", api_method)
        try:
            code, payload = await self._inner.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except Exception:
            self._metrics.telegram_errors.labels("network").inc()
            raise
        if api_method.lower() != "getupdates":
            self._metrics.sent.labels(api_method).inc()
        if code >= 400:
            self._metrics.telegram_errors.labels(_error_kind(code, payload)).inc()
        return code, payload


def _error_kind(code: int, payload: bytes) -> str:
    if code == 400:
        try:
            parameters = json.loads(payload).get("parameters") or {}
        except ValueError:
            parameters = {}
        if "migrate_to_chat_id" in parameters:
            return "migrated"
    return str(code)
