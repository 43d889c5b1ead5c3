"""Charts and documents are made off the event loop: other chats are served meanwhile."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool

import pytest

from bot.app.context import CopApplication, Services
from bot.render import offload
from bot.sandbox import Sandbox
from bot.services.documents import Collection
from tests.conftest import Cop


@pytest.fixture
def in_threads() -> Iterator[None]:
    """Renders in a thread of this process, so a patched renderer is the one that runs."""
    offload.use_threads()
    yield
    offload.use_threads(False)


async def test_a_render_job_runs_in_another_process() -> None:
    assert await offload.off_loop(os.getpid) != os.getpid()


async def test_the_loop_serves_others_while_a_job_runs(in_threads: None) -> None:
    released = threading.Event()

    def job() -> str:
        # Only a coroutine on the loop can set this: if the job held the loop, it never would.
        assert released.wait(timeout=30), "the loop did not run while the job did"
        return "made"

    running = asyncio.create_task(offload.off_loop(job))
    await asyncio.sleep(0)
    assert not running.done()
    released.set()  # the loop is free: this line ran while the job was blocked in its worker
    assert await running == "made"


async def test_help_in_another_chat_is_answered_while_a_document_is_made(
    app: CopApplication,
    services: Services,
    ready: Cop,
    sandbox: Sandbox,
    in_threads: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert app.update_processor.max_concurrent_updates > 1
    import handlers.documents as document_handlers
    from bot.app.rendering import collection_files

    started, finish = threading.Event(), threading.Event()

    def held(language: str, data: Collection, formats: Sequence[str]) -> list[tuple[str, bytes]]:
        started.set()
        assert finish.wait(timeout=30), "the test never let the document finish"
        return collection_files(language, data, formats)

    monkeypatch.setattr(document_handlers, "collection_files", held)
    making = asyncio.create_task(sandbox.send(ready.anna, ready.group, "/document"))
    assert await asyncio.to_thread(started.wait, 30)
    outsider = sandbox.user("Olga", language_code="en")
    helping = asyncio.create_task(sandbox.dm(outsider, "/help"))
    private = sandbox.private_chat(outsider)
    while not sandbox.bot_messages(private):
        assert not making.done()
        await asyncio.sleep(0.01)
    assert not making.done()  # /help was answered while the document was still being made
    finish.set()
    await making
    await helping
    assert any(m.document for m in sandbox.bot_messages(ready.group))


async def test_a_dead_worker_costs_only_its_own_job() -> None:
    with pytest.raises(BrokenProcessPool):
        await offload.off_loop(os._exit, 1)  # the worker dies as if killed for memory
    assert await offload.off_loop(os.getpid) != os.getpid()  # the next job gets a new pool
