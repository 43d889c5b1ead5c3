"""The update processor: different chats at once, one chat's updates in arrival order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Chat, Message, Update

from bot.app.instrumentation import ChatOrderedProcessor
from bot.app.metrics import Metrics

CHATS = (-1001, -1002, 42)  # two groups and one person's private chat


def update(update_id: int, chat_id: int) -> Update:
    kind = Chat.PRIVATE if chat_id > 0 else Chat.SUPERGROUP
    message = Message(update_id, None, Chat(chat_id, kind), text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


class Handlers:
    """Handlers that run until the test releases them, recording what ran when."""

    def __init__(self) -> None:
        self.running: dict[int, int] = {}  # update id -> chat id
        self.started: list[int] = []
        self.release: dict[int, asyncio.Event] = {}
        self.settled: list[int] = []
        self.overlap = 0  # most chats seen running at once

    async def handle(self, update_id: int, chat_id: int) -> None:
        self.running[update_id] = chat_id
        self.started.append(update_id)
        self.overlap = max(self.overlap, len(set(self.running.values())))
        await self.release.setdefault(update_id, asyncio.Event()).wait()
        del self.running[update_id]

    def let(self, update_id: int) -> None:
        """The update's handler may finish (now, or as soon as it starts)."""
        self.release.setdefault(update_id, asyncio.Event()).set()

    async def after(self, handled: object) -> None:
        assert isinstance(handled, Update)
        self.settled.append(handled.update_id)


async def idle() -> None:
    """Lets every task that can move move (no clock: only turns of the loop)."""
    for _ in range(20):
        await asyncio.sleep(0)


def start(
    processor: ChatOrderedProcessor, handlers: Handlers, arrivals: list[int]
) -> list[asyncio.Task[None]]:
    """Hands the updates over as PTB does: one task per update, in arrival order."""
    tasks = []
    for update_id, chat_id in enumerate(arrivals, start=1):
        work: Awaitable[None] = handlers.handle(update_id, chat_id)
        handed = processor.process_update(update(update_id, chat_id), work)
        tasks.append(asyncio.create_task(handed))
    return tasks


@settings(max_examples=40, derandomize=True, deadline=None)
@given(
    arrivals=st.lists(st.sampled_from(CHATS), min_size=2, max_size=12),
    picks=st.lists(st.integers(min_value=0, max_value=10), min_size=12, max_size=12),
    limit=st.integers(min_value=1, max_value=4),
)
def test_each_chat_in_arrival_order_and_chats_at_once(
    arrivals: list[int], picks: list[int], limit: int
) -> None:
    async def scenario() -> None:
        handlers = Handlers()
        processor = ChatOrderedProcessor(Metrics(), after=handlers.after, limit=limit)
        tasks = start(processor, handlers, arrivals)
        for pick in picks:
            await idle()
            if not handlers.running:
                break
            # Every chat with work left runs its oldest update, as far as the slots go.
            left = [chat for n, chat in enumerate(arrivals, 1) if n not in handlers.settled]
            waiting = set(left)
            assert len(handlers.running) == min(limit, len(waiting))
            assert len(set(handlers.running.values())) == len(handlers.running)
            # A random one finishes next: the random per-update delay.
            ids = sorted(handlers.running)
            handlers.let(ids[pick % len(ids)])
        for update_id in range(1, len(arrivals) + 1):
            handlers.let(update_id)
        await asyncio.gather(*tasks)
        for chat in CHATS:
            mine = [number for number, c in enumerate(arrivals, 1) if c == chat]
            assert [n for n in handlers.started if n in mine] == mine
            assert [n for n in handlers.settled if n in mine] == mine
        assert sorted(handlers.settled) == list(range(1, len(arrivals) + 1))
        if limit > 1 and len(set(arrivals)) > 1:
            assert handlers.overlap >= 2

    asyncio.run(scenario())


async def test_a_slow_chat_does_not_hold_up_another() -> None:
    handlers = Handlers()
    processor = ChatOrderedProcessor(Metrics(), after=handlers.after, limit=2)
    # Five updates of a group whose first handler is held (the rate limiter, say), then one
    # private update: it is handled while the group's first is still held.
    tasks = start(processor, handlers, [-1001] * 5 + [42])
    await idle()
    assert handlers.running == {1: -1001, 6: 42}
    handlers.let(6)
    await idle()
    assert handlers.settled == [6]
    assert handlers.running == {1: -1001}
    for update_id in range(1, 6):
        handlers.let(update_id)
    await asyncio.gather(*tasks)
    assert handlers.settled == [6, 1, 2, 3, 4, 5]


async def test_metrics_count_every_update() -> None:
    handlers = Handlers()
    metrics = Metrics()
    processor = ChatOrderedProcessor(metrics, after=handlers.after, limit=3)
    for update_id in range(1, 4):
        handlers.let(update_id)
    await asyncio.gather(*start(processor, handlers, [-1001, 42, -1001]))
    assert metrics.registry.get_sample_value("copbot_updates_total", {"kind": "message"}) == 3
    assert metrics.registry.get_sample_value("copbot_handler_seconds_count") == 3
