"""Shared fixtures: a migrated database (SQLite, and PostgreSQL when it answers),
the services, and the real Application running against the offline sandbox."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
import uvicorn
from sqlalchemy import select, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.app.context import CopApplication, Services, build_services
from bot.app.root import build_application
from bot.app.sender import TelegramSender
from bot.app.settings import Settings
from bot.clock import ManualClock
from bot.outbox import TickReport, run_due
from bot.sandbox import Sandbox, SandboxChat, SandboxDriver, SandboxMessage, SandboxUser
from storage.db import checkpoint, create_engine
from storage.migrate import upgrade
from storage.models import Base, Community, Reminder

os.environ.setdefault("PTB_TIMEDELTA", "true")  # PTB 22 warns on int retry_after otherwise
POSTGRES_URL = os.environ.get("COPBOT_TEST_POSTGRES_URL", "")
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _asyncpg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1) if "+" not in url else url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per run; each test gets a copy (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("db") / "template.db"

    async def _migrate() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        await checkpoint(engine)
        await engine.dispose()

    asyncio.run(_migrate())
    return path


@pytest.fixture(scope="session")
def postgres_ready() -> Iterator[str]:
    """Migrates a fresh public schema once per run."""
    if not POSTGRES_URL:
        pytest.skip("COPBOT_TEST_POSTGRES_URL is not set")
    url = _asyncpg(POSTGRES_URL)

    async def _reset() -> None:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(_reset())
    yield url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "copbot.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_ready")
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)

    async def _truncate() -> None:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    asyncio.run(_truncate())
    return url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def sandbox(clock: ManualClock) -> Sandbox:
    return Sandbox(clock=clock)


@pytest.fixture
async def services(
    database_url: str, clock: ManualClock, sandbox: Sandbox
) -> AsyncIterator[Services]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        token=sandbox.token,
        database_url=database_url,
        status_edit_seconds=0,  # every status edit at once: a chat test reads like a chat
    )
    built = build_services(settings, clock=clock)
    yield built
    await built.engine.dispose()


@pytest.fixture
async def app(services: Services, sandbox: Sandbox) -> AsyncIterator[CopApplication]:
    application = build_application(
        services,
        request=sandbox.request(),
        get_updates_request=sandbox.request(),
        rate_limits=False,
        timers=False,
    )
    async with SandboxDriver(sandbox, application):
        yield application
    # Every chat test also checks the turn's rule: no Bot API call inside a transaction.
    inside = {
        sample.labels["method"]: sample.value
        for metric in services.metrics.calls_in_transaction.collect()
        for sample in metric.samples
        if sample.name.endswith("_total") and sample.value
    }
    assert not inside, f"Bot API calls made inside a database transaction: {inside}"


@dataclass
class Cop:
    """A Telegram group with a facilitator (group admin) and five teachers, bot added."""

    sandbox: Sandbox
    group: SandboxChat
    fenna: SandboxUser  # facilitator, group admin
    teachers: list[SandboxUser]

    async def setup(self, name: str = "CoP Gedrag", language: str = "English") -> None:
        """Walks through /setup as the facilitator would."""
        sb = self.sandbox
        await sb.send(self.fenna, self.group, "/setup")
        await sb.send(self.fenna, self.group, name, reply_to=last(sb, self.group))
        await sb.press(self.fenna, last(sb, self.group), "Skip")
        await sb.press(self.fenna, last(sb, self.group), language)
        await sb.press(self.fenna, last(sb, self.group), "Europe/Amsterdam")
        await sb.press(self.fenna, last(sb, self.group), last(sb, self.group).buttons[0][0][0])

    async def plan(self, first: str, count: str, every: str = "every 2 weeks") -> None:
        """Plans a series by the /plan dialogue, as the facilitator would (no location)."""
        sb = self.sandbox
        await sb.send(self.fenna, self.group, "/plan")
        await sb.send(self.fenna, self.group, first, reply_to=last(sb, self.group))
        for answer in (count, every, "60 min", "Skip", "Save"):
            await sb.press(self.fenna, last(sb, self.group), answer)
        assert "Planned" in said(sb)

    async def join(self, *users: SandboxUser) -> None:
        """Each user sends /join and presses the agree button."""
        for user in users:
            await self.sandbox.send(user, self.group, "/join")
            letter = last(self.sandbox, self.group)
            await self.sandbox.press(user, letter, letter.buttons[0][0][0])

    @property
    def anna(self) -> SandboxUser:
        return self.teachers[0]

    @property
    def bram(self) -> SandboxUser:
        return self.teachers[1]


def last(sandbox: Sandbox, chat: SandboxChat) -> SandboxMessage:
    message = sandbox.last_bot_message(chat)
    assert message is not None, f"the bot said nothing in {chat!r}"
    return message


def acked(sandbox: Sandbox, message: SandboxMessage) -> bool:
    """Whether the bot confirmed a member's message with a 👍 on it, saying nothing more."""
    return message.bot_reaction == "\U0001f44d" and not sandbox.last_replies


def said(sandbox: Sandbox) -> str:
    """Everything the bot said while handling the last action, as plain text."""
    return "\n".join(message.content for message in sandbox.last_replies)


async def rows(services: Services, model: type[Any]) -> list[Any]:
    """Reads a table directly, to check what was (not) stored."""
    async with services.sessions() as session:
        return list(await session.scalars(select(model)))


@pytest.fixture
async def cop(app: CopApplication, sandbox: Sandbox) -> Cop:
    fenna = sandbox.user("Fenna", last_name="de Vries", username="fenna", language_code="en")
    names = ["Anna", "Bram", "Chantal", "Dirk", "Emre"]
    teachers = [sandbox.user(name, username=name.lower(), language_code="en") for name in names]
    group = sandbox.group("De Regenboog CoP", members=[fenna, *teachers], admins=[fenna])
    await sandbox.add_bot(group, by=fenna)
    return Cop(sandbox, group, fenna, teachers)


@pytest.fixture
async def ready(cop: Cop) -> Cop:
    """The CoP is set up (English) and Anna and Bram have joined."""
    await cop.setup()
    await cop.join(cop.anna, cop.bram)
    return cop


class Ticker:
    """Runs the reminder outbox as the minute timer would, at the test's clock."""

    def __init__(self, app: CopApplication, sandbox: Sandbox, clock: ManualClock) -> None:
        self.app, self.sandbox, self.clock = app, sandbox, clock

    async def __call__(self) -> TickReport:
        self.sandbox.last_replies = []
        return await run_due(self.app.services, TelegramSender(self.app.bot))

    async def at(self, moment: datetime) -> TickReport:
        self.clock.set(moment)
        return await self()


@pytest.fixture
def tick(app: CopApplication, sandbox: Sandbox, clock: ManualClock) -> Ticker:
    return Ticker(app, sandbox, clock)


async def groups_with_a_due_reminder(
    sandbox: Sandbox, services: Services, count: int, now: datetime
) -> list[SandboxChat]:
    """`count` CoPs, each in its own group with the bot, each with one reminder due `now`.

    Written straight to the database: fan-out tests are about sending, not set-up.
    """
    owner = sandbox.user("Olga", language_code="en")
    groups = [sandbox.group(f"CoP {i}", members=[owner]) for i in range(count)]
    async with services.sessions.begin() as session:
        for index, group in enumerate(groups):
            group.bot_status = "member"
            community = Community(
                chat_id=group.id,
                chat_type="group",
                name=f"CoP {index}",
                theme="",
                language="en",
                timezone="Europe/Amsterdam",
                status="active",
                settings={"rhythm": {"weekly": False}},
                created_at=now,
                updated_at=now,
            )
            session.add(community)
            await session.flush()
            session.add(
                Reminder(
                    community_id=community.id,
                    kind="weekly",
                    key="weekly:fan-out",
                    due_at=now,
                    status="planned",
                    attempts=0,
                    note="",
                    created_at=now,
                )
            )
    return groups


def _value(raw: str) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


@pytest.fixture
async def served(sandbox: Sandbox) -> AsyncIterator[str]:
    """The sandbox as an HTTP Bot API server on a free local port."""

    async def endpoint(request: Request) -> JSONResponse:
        body = (await request.body()).decode("utf-8")
        params = {key: _value(value) for key, value in parse_qsl(body, keep_blank_values=True)}
        status, body = await sandbox.handle_http(str(request.url.path), params, {})
        return JSONResponse(body, status_code=status)

    app = Starlette(routes=[Route("/bot{token}/{method}", endpoint, methods=["POST", "GET"])])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # A bot's long poll may still be open when the test ends: do not wait out its timeout.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for this
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}/bot"
    server.should_exit = True
    await task
