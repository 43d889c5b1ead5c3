"""Measuring without touching handlers: an update processor and a request wrapper."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram._utils.types import ODVInput
from telegram.ext import SimpleUpdateProcessor
from telegram.request import BaseRequest, RequestData

from bot.app.metrics import Metrics


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


class MeteredUpdateProcessor(SimpleUpdateProcessor):
    """PTB's sequential processor, counting updates and timing their handling."""

    def __init__(
        self, metrics: Metrics, after: Callable[[object], Awaitable[None]] | None = None
    ) -> None:
        super().__init__(1)
        self._metrics = metrics
        self._after = after

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        start = time.perf_counter()
        try:
            await coroutine
        finally:
            self._metrics.latency.observe(time.perf_counter() - start)
            self._metrics.updates.labels(update_kind(update)).inc()
            if self._after is not None:
                await self._after(update)


class MeteredRequest(BaseRequest):
    """Wraps the real request object; counts Bot API calls and errors by kind."""

    def __init__(self, inner: BaseRequest, metrics: Metrics) -> None:
        self._inner = inner
        self._metrics = metrics

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
        api_method = url.rsplit("/", 1)[-1]
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
