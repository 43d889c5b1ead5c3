"""`copbot run` as a real process: it polls the sandbox over HTTP, answers, serves health."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

from bot.app.context import Services
from bot.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


async def test_copbot_run_polls_answers_and_reports_health(
    sandbox: Sandbox, services: Services, served: str
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "COPBOT_TOKEN": sandbox.token,
        "COPBOT_BASE_URL": served,
        "COPBOT_DATABASE_URL": services.settings.database_url,
        "COPBOT_LISTEN": "127.0.0.1",
        "COPBOT_PORT": str(port),
        "COPBOT_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("COPBOT_WEBHOOK_URL", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(60):
            while sandbox.calls["getUpdates"] == 0:
                assert process.returncode is None, (await process.communicate())[1].decode()
                await asyncio.sleep(0.05)
            teacher = sandbox.user("Tess", language_code="en")
            await sandbox.dm(teacher, "/start")  # no driver here: the process fetches it
            while not sandbox.bot_messages(sandbox.private_chat(teacher)):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        reply = sandbox.bot_messages(sandbox.private_chat(teacher))[0]
        assert "I support teachers' Communities of Practice" in reply.content
        assert sandbox.command_lists  # menus were set at start
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            assert (await http.get("/healthz")).status_code == 200
            ready = await http.get("/readyz")
            assert ready.status_code == 200, ready.text
            metrics = (await http.get("/metrics")).text
            assert 'copbot_updates_total{kind="message"} 1.0' in metrics
            assert "copbot_event_loop_lag_seconds_count" in metrics  # the runner's monitor
            assert "copbot_event_loop_lag_max_seconds" in metrics
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()[-2000:]
