"""No acknowledged update is lost (issue 12.12), with real `copbot run` processes.

- Webhooks: 120 updates are posted at once; the process answers 200 only after keeping
  each one, and is killed with SIGKILL right after the last 200, while most are still
  waiting to be handled. A second process handles what the first left: every
  acknowledged update is handled exactly once, and none is answered twice.
- Polling: while the database is cut off (a TCP proxy in front of PostgreSQL), fetched
  updates are not confirmed to Telegram; once the database is back they are handled.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app.context import Services
from bot.app.web import SECRET_HEADER, WEBHOOK_PATH
from bot.sandbox import Sandbox, SandboxUser
from storage.models import InboxUpdate, ProcessedUpdate
from tests.conftest import rows
from tests.support.outage import TcpProxy

pytestmark = pytest.mark.fault
ROOT = Path(__file__).resolve().parents[2]
SECRET = "inbox-test-secret"
IN_FLIGHT = 4  # updates one process handles at once (COPBOT_CONCURRENT_UPDATES below)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Copbot:
    """One `copbot run` process against the sandbox served over HTTP."""

    def __init__(self, served: str, database_url: str, token: str, *, webhook: bool) -> None:
        self.port = _free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("COPBOT_")},
            "COPBOT_TOKEN": token,
            "COPBOT_BASE_URL": served,
            "COPBOT_DATABASE_URL": database_url,
            "COPBOT_LISTEN": "127.0.0.1",
            "COPBOT_PORT": str(self.port),
            "COPBOT_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "COPBOT_CONCURRENT_UPDATES": str(IN_FLIGHT),
        }
        if webhook:
            self.env["COPBOT_WEBHOOK_URL"] = "https://bot.example.org/telegram/webhook"
            self.env["COPBOT_WEBHOOK_SECRET"] = SECRET
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=self.env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        async with httpx.AsyncClient(base_url=self.base) as http, asyncio.timeout(60):
            while True:
                assert self.process.returncode is None, await self._stderr()
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(30):
                await self.process.wait()

    async def _stderr(self) -> str:
        assert self.process is not None and self.process.stderr is not None
        return (await self.process.stderr.read()).decode()[-2000:]


@pytest.fixture
async def processes() -> AsyncIterator[list[Copbot]]:
    started: list[Copbot] = []
    yield started
    for process in started:
        await process.stop()


async def _settled(services: Services) -> None:
    """Waits until the other process has handled and removed every kept update."""
    async with asyncio.timeout(60):
        while await rows(services, InboxUpdate):  # noqa: ASYNC110 - another process
            await asyncio.sleep(0.05)


def _answered(sandbox: Sandbox, users: list[SandboxUser]) -> list[int]:
    return [len(sandbox.bot_messages(sandbox.private_chat(user))) for user in users]


async def _until(condition: Callable[[], bool], seconds: float = 90) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110 - the other process gives no event
            await asyncio.sleep(0.05)


async def test_sigkill_during_webhook_delivery_loses_no_acknowledged_update(
    sandbox: Sandbox, services: Services, served: str, processes: list[Copbot]
) -> None:
    url = services.settings.database_url
    first = Copbot(served, url, sandbox.token, webhook=True)
    processes.append(first)
    await first.start()
    answering = sandbox.handle_http

    async def slow_to_send(path: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        """Each reply takes Telegram a while: handling lags far behind acknowledging."""
        if path.endswith("/sendMessage"):
            await asyncio.sleep(0.05)
        return await answering(path, params, files)

    sandbox.handle_http = slow_to_send  # type: ignore[method-assign]
    users = [sandbox.user(f"Teacher{n}", language_code="en") for n in range(120)]
    payloads = []
    for user in users:
        await sandbox.dm(user, "/start")  # queued in the sandbox: posted by hand below
        payloads.append(sandbox.updates._pending.pop())
    async with httpx.AsyncClient(base_url=first.base, timeout=60) as http:
        answers = await asyncio.gather(
            *[
                http.post(WEBHOOK_PATH, json=payload, headers={SECRET_HEADER: SECRET})
                for payload in payloads
            ]
        )
    await first.kill()
    acknowledged = [user for user, a in zip(users, answers, strict=True) if a.status_code == 200]
    handled_by_first = sum(1 for n in _answered(sandbox, users) if n)
    assert len(acknowledged) == len(users)
    assert handled_by_first < len(users)  # the kill came while updates were waiting

    second = Copbot(served, url, sandbox.token, webhook=True)
    processes.append(second)
    await second.start()
    await _settled(services)  # each turn takes its update out of the inbox as it commits
    handled = {row.update_id for row in await rows(services, ProcessedUpdate)}
    assert {payload["update_id"] for payload in payloads} <= handled  # every one, once
    # The last turns' replies go out just after their commit: wait for them.
    await _until(lambda: _answered(sandbox, acknowledged).count(0) <= IN_FLIGHT)
    await asyncio.sleep(1)  # a reply sent twice would show up now
    counts = _answered(sandbox, acknowledged)
    assert max(counts) == 1  # replies go out after the commit: none is answered twice
    # What is not answered: the updates whose turn had committed at the kill while their
    # reply was still on its way (one round trip per handling slot at most).
    assert counts.count(0) <= IN_FLIGHT


async def test_a_database_outage_in_polling_mode_loses_no_update(
    sandbox: Sandbox, services: Services, served: str, processes: list[Copbot], database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("an outage of a database server (PostgreSQL behind a proxy)")
    from sqlalchemy.engine import make_url

    target = make_url(database_url)
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
    await proxy.start()
    try:
        bot = Copbot(served, proxy.url(database_url), sandbox.token, webhook=False)
        processes.append(bot)
        await bot.start()
        before, during = sandbox.user("Anna", language_code="en"), sandbox.user("Bram")
        await sandbox.dm(before, "/start")
        await _until(lambda: all(_answered(sandbox, [before])))
        await _settled(services)  # handled and committed: the cut below is not mid-turn

        await proxy.cut()
        await sandbox.dm(during, "/start")  # fetched by the poller, but cannot be kept
        fetched = sandbox.calls["getUpdates"]
        await _until(lambda: sandbox.calls["getUpdates"] > fetched + 1)  # it asked again
        assert _answered(sandbox, [during]) == [0]

        await proxy.restore()
        await _until(lambda: all(_answered(sandbox, [during])))
        assert _answered(sandbox, [before, during]) == [1, 1]
    finally:
        await proxy.cut()
