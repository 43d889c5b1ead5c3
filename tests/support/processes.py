"""Real `copbot run` processes against the sandbox served over HTTP, for fault tests.

`Served` is the sandbox as a Bot API server that can hold one `sendMessage` in flight:
Telegram has taken the message (the sandbox delivered it) but the process has not had
the answer yet. The held answer trickles whitespace (valid before JSON) so the
process's HTTP client never times out: the send stays in flight until the test releases
it, or kills the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from bot.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
#: Every bound in these tests: a process that does not get there in time fails the test.
BOUND = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _value(raw: str) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class Served:
    """The sandbox over HTTP; `hold(n)` keeps the n-th sendMessage in flight."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.url = ""
        self.held = asyncio.Event()
        self.released = asyncio.Event()
        self.held_chat: int | None = None
        self._hold_at: int | None = None

    def hold(self, nth: int) -> None:
        self._hold_at = nth

    def release(self) -> None:
        self.released.set()

    async def _endpoint(self, request: Request) -> Response:
        body = (await request.body()).decode("utf-8")
        params = {key: _value(value) for key, value in parse_qsl(body, keep_blank_values=True)}
        status, result = await self.sandbox.handle_http(str(request.url.path), params, {})
        holding = (
            request.url.path.lower().endswith("/sendmessage")
            and self._hold_at is not None
            and self.sandbox.calls["sendMessage"] == self._hold_at
            and not self.held.is_set()
        )
        if not holding:
            return JSONResponse(result, status_code=status)
        self.held_chat = int(str(params["chat_id"]))
        self.held.set()
        return StreamingResponse(
            self._trickle(result), status_code=status, media_type="application/json"
        )

    async def _trickle(self, result: dict[str, Any]) -> AsyncIterator[bytes]:
        while not self.released.is_set():
            yield b" "
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.released.wait(), 0.5)
        yield json.dumps(result).encode()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Served]:
        app = Starlette(
            routes=[Route("/bot{token}/{method}", self._endpoint, methods=["POST", "GET"])]
        )
        port = free_port()
        # A long poll of a killed process may still be open: do not wait out its timeout.
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="critical", timeout_graceful_shutdown=1
        )
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        async with asyncio.timeout(BOUND):
            while not server.started:  # noqa: ASYNC110 - uvicorn offers no event for this
                await asyncio.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}/bot"
        try:
            yield self
        finally:
            self.release()
            server.should_exit = True
            await task


class Copbot:
    """One `copbot run` process (polling), its HTTP port and its log."""

    def __init__(self, process: asyncio.subprocess.Process, port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    async def ready(self) -> dict[str, bool]:
        """Waits until /readyz answers 200 (migrated, scheduler running); its checks."""
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}") as http:
            async with asyncio.timeout(BOUND):
                while True:
                    assert self.process.returncode is None, self.log.read_text()[-3000:]
                    with contextlib.suppress(httpx.HTTPError):
                        answer = await http.get("/readyz")
                        if answer.status_code == 200:
                            return dict(answer.json())
                    await asyncio.sleep(0.1)

    async def leading(self) -> None:
        """Waits until this process holds the scheduler lock (its first tick took it)."""
        async with asyncio.timeout(BOUND):
            while True:
                if (await self.ready())["leader"]:
                    return
                await asyncio.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no settling, the lock connection just drops."""
        self.process.send_signal(signal.SIGKILL)


@contextlib.asynccontextmanager
async def copbot_run(
    database_url: str, served: Served, log: Path, **settings: str
) -> AsyncIterator[Copbot]:
    """Starts `python -m bot run`; on exit stops it (SIGTERM, bounded) unless it died."""
    port = free_port()
    env = {
        **os.environ,
        "COPBOT_TOKEN": served.sandbox.token,
        "COPBOT_BASE_URL": served.url,
        "COPBOT_DATABASE_URL": database_url,
        "COPBOT_LISTEN": "127.0.0.1",
        "COPBOT_PORT": str(port),
        "COPBOT_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        **{f"COPBOT_{name.upper()}": value for name, value in settings.items()},
    }
    env.pop("COPBOT_WEBHOOK_URL", None)
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=asyncio.subprocess.STDOUT,
        )
    bot = Copbot(process, port, log)
    try:
        yield bot
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()
