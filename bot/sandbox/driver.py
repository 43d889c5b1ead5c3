"""Run a real PTB Application against the sandbox and make world actions synchronous.

The Application runs in ordinary polling mode; the only coupling to PTB internals is the
knowledge of *when* an update is done: the Updater asks getUpdates again with a higher
``offset`` only after it queued the previous batch, and the Application calls
``update_queue.task_done()`` after handling each update. Waiting for both (plus tasks started
with ``Application.create_task``) means "the bot has fully reacted".
"""

from __future__ import annotations

import asyncio
import datetime as dtm
from types import TracebackType
from typing import Any

from telegram.ext import Application

from bot.sandbox.server import Sandbox


class SandboxDriver:
    """Async context manager: start polling on enter, stop cleanly on exit (even on failure)."""

    def __init__(
        self,
        sandbox: Sandbox,
        application: Application[Any, Any, Any, Any, Any, Any],
        *,
        timeout: float = 10.0,
        poll_timeout: float = 1.0,
    ) -> None:
        self.sandbox = sandbox
        self.application = application
        self.timeout = timeout
        self.poll_timeout = poll_timeout
        self._settled_upto = 0

    async def __aenter__(self) -> Sandbox:
        """Start like ``Application.run_polling`` does, including the post_init hook."""
        self.sandbox._driver = self
        app = self.application
        try:
            await app.initialize()
            if app.post_init:
                await app.post_init(app)
            assert app.updater is not None, "the Application needs an Updater"
            await app.updater.start_polling(
                poll_interval=0,
                timeout=dtm.timedelta(seconds=self.poll_timeout),
                drop_pending_updates=False,
            )
            await app.start()
            await self.wait_idle()
        except BaseException:
            await self.stop()
            raise
        return self.sandbox

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def stop(self) -> None:
        """Stop like ``run_polling`` does (post_stop/post_shutdown too); safe in any state."""
        if self.sandbox._driver is self:
            self.sandbox._driver = None
        app = self.application
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
                if app.post_stop:
                    await app.post_stop(app)
        finally:
            await app.shutdown()
            if app.post_shutdown:
                await app.post_shutdown(app)

    async def wait_idle(self) -> None:
        """Wait until the bot fetched and fully handled every update produced so far."""
        try:
            await asyncio.wait_for(self._wait_idle(), self.timeout)
        except TimeoutError:
            pending = self._describe_pending()
            raise AssertionError(
                f"the bot did not finish handling {pending} within {self.timeout}s"
            ) from None

    def _describe_pending(self) -> str:
        queue = self.sandbox.updates
        unsettled = [
            update_id
            for update_id in range(self._settled_upto + 1, queue.last_update_id + 1)
            if not queue.is_settled(update_id)
        ]
        if unsettled:
            pending = [
                f"{uid} ({', '.join(k for k in u if k != 'update_id')})"
                for u in queue._pending
                if (uid := u["update_id"]) in unsettled
            ]
            return "update(s) " + (", ".join(pending) or str(unsettled)) + " (never fetched)"
        return "the last update(s) (handler still running)"

    def _own_tasks(self) -> set[asyncio.Task[Any]]:
        # Tasks started via Application.create_task (e.g. block=False handlers).
        tasks: set[asyncio.Task[Any]] = getattr(
            self.application, "_Application__create_task_tasks", set()
        )
        current = asyncio.current_task()
        return {task for task in tasks if task is not current and not task.done()}

    async def _wait_idle(self) -> None:
        queue = self.sandbox.updates
        while True:
            last = queue.last_update_id
            for update_id in range(self._settled_upto + 1, last + 1):
                await queue.wait_settled(update_id)
            self._settled_upto = last
            await self.application.update_queue.join()
            tasks = self._own_tasks()
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
            if queue.last_update_id == last and not self._own_tasks():
                return
