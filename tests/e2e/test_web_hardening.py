"""The HTTP side refuses what it cannot trust (issue 12: 1, 14, 16).

- Webhook mode never runs without a secret: a forged update could otherwise act as any
  user id. `copbot run --webhook` refuses to start, `copbot check` says so, and the web
  app serves no webhook route unless it has a secret.
- Bodies that are not a JSON object get a 400, never a 500; an oversized body is refused
  after reading at most the limit.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.app.cli import app as cli
from bot.app.context import CopApplication, Services
from bot.app.root import build_application
from bot.app.web import MAX_BODY, SECRET_HEADER, WEBHOOK_PATH, create_web_app
from bot.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-token"


@pytest.fixture
async def hooked(services: Services, sandbox: Sandbox) -> AsyncIterator[CopApplication]:
    application = build_application(
        services, request=sandbox.request(), rate_limits=False, timers=False, updater=False
    )
    await application.initialize()
    await application.start()
    yield application
    await application.stop()
    await application.shutdown()


def client(application: CopApplication, secret: str | None = SECRET) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_web_app(application, secret=secret))
    return httpx.AsyncClient(transport=transport, base_url="http://copbot")


async def an_update(sandbox: Sandbox, text: str) -> dict[str, object]:
    teacher = sandbox.user("Tess", language_code="en")
    await sandbox.dm(teacher, text)  # no driver attached: it only queues the update
    return sandbox.updates._pending[-1]


async def test_without_a_secret_no_webhook_is_served(
    hooked: CopApplication, sandbox: Sandbox
) -> None:
    update = await an_update(sandbox, "/help")
    async with client(hooked, secret=None) as http:
        forged = await http.post(WEBHOOK_PATH, json=update)
        await hooked.update_queue.join()
        assert forged.status_code == 404
        assert (await http.get("/healthz")).status_code == 200
    assert sandbox.calls["sendMessage"] == 0


@pytest.mark.parametrize("body", [b"[]", b"null", b"42", b'"text"', b"[" * 5000 + b"]" * 5000])
async def test_a_body_that_is_no_json_object_is_a_400(
    hooked: CopApplication, sandbox: Sandbox, body: bytes
) -> None:
    async with client(hooked) as http:
        answer = await http.post(WEBHOOK_PATH, content=body, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 400
    assert sandbox.calls["sendMessage"] == 0


async def test_an_oversized_body_is_refused_without_reading_it_whole(
    hooked: CopApplication,
) -> None:
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        chunk = b" " * 65536
        for _ in range(1024):  # 64 MiB if read to the end
            sent += len(chunk)
            yield chunk

    async with client(hooked) as http:
        answer = await http.post(WEBHOOK_PATH, content=body(), headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 413
    assert sent <= MAX_BODY + 2 * 65536


async def test_copbot_run_refuses_webhook_mode_without_a_secret(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("COPBOT_") or key == "COPBOT_TEST_POSTGRES_URL"
    }
    env.update(
        COPBOT_TOKEN="123456:" + "A" * 35,
        COPBOT_WEBHOOK_URL="https://bot.example.org/telegram/webhook",
        COPBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'copbot.db'}",
        PYTHONPATH=str(ROOT),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        _, stderr = await process.communicate()
    assert process.returncode == 2
    assert "COPBOT_WEBHOOK_SECRET" in stderr.decode()
    assert not (tmp_path / "copbot.db").exists()  # refused before touching anything


def test_copbot_check_reports_webhook_mode_without_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    monkeypatch.setenv("COPBOT_WEBHOOK_URL", "https://bot.example.org/telegram/webhook")
    monkeypatch.delenv("COPBOT_WEBHOOK_SECRET", raising=False)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code != 0
    assert "COPBOT_WEBHOOK_SECRET" in result.output
