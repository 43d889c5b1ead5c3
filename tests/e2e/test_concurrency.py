"""Updates of different chats at once, one chat's in order: in one process and across two."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from telegram import Update
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.app.context import CopApplication, Services, build_services
from bot.app.instrumentation import ForwardingRequest
from bot.app.root import build_application
from bot.sandbox import Sandbox, SandboxChat, SandboxDriver, SandboxUser
from bot.sandbox.server import detect_entities
from storage.locks import hold_chat
from tests.conftest import Cop, last


class HeldGroup(ForwardingRequest):
    """The Bot API, but the bot's messages to one group wait until the test lets them go
    (as PTB's rate limiter makes a busy group's handler wait)."""

    def __init__(self, inner: BaseRequest) -> None:
        super().__init__(inner)
        self.group: int | None = None
        self.open = asyncio.Event()
        self.open.set()
        self.held = 0
        self.private_answered = asyncio.Event()

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
        chat_id = (request_data.parameters if request_data else {}).get("chat_id")
        sending = url.endswith("/sendMessage")
        if sending and chat_id == self.group and not self.open.is_set():
            self.held += 1
            await self.open.wait()
        answer = await self._inner.do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if sending and isinstance(chat_id, int) and chat_id > 0:
            self.private_answered.set()
        return answer


@pytest.fixture
async def held(services: Services, sandbox: Sandbox) -> AsyncIterator[tuple[Cop, HeldGroup]]:
    request = HeldGroup(sandbox.request())
    application = build_application(
        services,
        request=request,
        get_updates_request=sandbox.request(),
        rate_limits=False,
        timers=False,
    )
    async with SandboxDriver(sandbox, application):
        fenna = sandbox.user("Fenna", username="fenna", language_code="en")
        teachers = [sandbox.user(name, language_code="en") for name in ("Anna", "Bram")]
        group = sandbox.group("De Regenboog CoP", members=[fenna, *teachers], admins=[fenna])
        await sandbox.add_bot(group, by=fenna)
        cop = Cop(sandbox, group, fenna, teachers)
        await cop.setup()
        await cop.join(cop.anna, cop.bram)
        request.group = group.id
        try:
            yield cop, request
        finally:
            request.open.set()  # a failed test must not leave turns held at shutdown


async def test_a_private_help_is_answered_while_a_busy_group_waits(
    held: tuple[Cop, HeldGroup],
) -> None:
    cop, request = held
    sandbox = cop.sandbox
    request.open.clear()
    burst = [
        asyncio.create_task(sandbox.send(teacher, cop.group, "/members"))
        for teacher in [cop.anna, cop.bram, cop.fenna] * 2
    ]
    private = asyncio.create_task(sandbox.dm(cop.anna, "/help"))
    await asyncio.wait_for(request.private_answered.wait(), 30)  # a guard, not a measure
    assert request.held == 1  # the group's first reply waits; its other five wait behind it
    assert "Commands you can use here" in last(sandbox, sandbox.private_chat(cop.anna)).content
    request.open.set()
    await asyncio.gather(*burst, private)
    replies = [m for m in sandbox.bot_messages(cop.group) if m.reply_to is not None]
    asked = [m.reply_to.message_id for m in replies[-6:] if m.reply_to is not None]
    assert asked == sorted(asked)  # answered in the order they were asked


# ---------------------------------------------------------------- two processes


def posted(sandbox: Sandbox, chat: SandboxChat, user: SandboxUser, words: str) -> dict[str, Any]:
    """An update as Telegram posts it to whichever process the load balancer picks."""
    message = sandbox._new_message(chat, user, text=words, entities=detect_entities(words))
    return {"update_id": 100_000 + message.message_id, "message": message.to_json()}


async def waiting_for_chats(services: Services) -> int:
    """Transactions of this database waiting for a chat's advisory lock."""
    async with services.engine.connect() as connection:
        found = await connection.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND objsubid = 2 AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )
    return int(found or 0)


async def until_waiting(services: Services, count: int) -> None:
    async def poll() -> None:
        while await waiting_for_chats(services) < count:  # noqa: ASYNC110 - another
            await asyncio.sleep(0.01)  # connection's state: PostgreSQL offers no event

    await asyncio.wait_for(poll(), 30)  # a guard, not a measure


async def test_two_processes_keep_one_chats_order(
    ready: Cop, app: CopApplication, services: Services, sandbox: Sandbox
) -> None:
    if services.engine.dialect.name != "postgresql":
        pytest.skip("one process on SQLite: the processor alone keeps the order")
    other = build_services(services.settings, clock=services.clock)
    second = build_application(
        other, request=sandbox.request(), rate_limits=False, timers=False, updater=False
    )
    await second.initialize()
    await second.start()
    try:
        first_words = posted(sandbox, ready.group, ready.anna, "/members")
        then_words = posted(sandbox, ready.group, ready.bram, "/members")
        # A turn of the group is running somewhere (a third process): both must wait.
        async with services.sessions.begin() as session:
            await hold_chat(session, ready.group.id)
            await app.update_queue.put(Update.de_json(first_words, app.bot))
            await until_waiting(services, 1)
            await second.update_queue.put(Update.de_json(then_words, second.bot))
            await until_waiting(services, 2)
        await app.update_queue.join()
        await second.update_queue.join()
        async with services.engine.connect() as connection:
            # Transaction ids grow: the turn that took the chat first wrote first.
            order = await connection.execute(
                text(
                    "SELECT update_id FROM processed_updates WHERE update_id > 100000 "
                    "ORDER BY xmin::text::bigint"
                )
            )
            assert [row[0] for row in order] == [first_words["update_id"], then_words["update_id"]]
    finally:
        await second.stop()
        await second.shutdown()
        await other.engine.dispose()
    answers = [m for m in sandbox.bot_messages(ready.group) if m.reply_to is not None][-2:]
    assert [m.reply_to.message_id for m in answers if m.reply_to] == [
        first_words["message"]["message_id"],
        then_words["message"]["message_id"],
    ]
