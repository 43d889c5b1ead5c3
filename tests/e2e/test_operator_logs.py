"""What `copbot run` logs for the IT person (issue 19): JSON lines for a log collector that
never carry what members wrote, a retry line that names the host and the likely cause,
"connected as @bot", and no migration chatter at INFO."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

from bot.app.context import Services
from bot.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
MARKER = "Pietje-Puk-schreef-dit"


def _env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPBOT_")}
    env.update({f"COPBOT_{k.upper()}": v for k, v in settings.items()})
    env["PYTHONPATH"] = str(ROOT)
    return env


async def _start(folder: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=folder, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _stop(process: asyncio.subprocess.Process) -> list[dict[str, object]]:
    """SIGTERM, then every line it logged, each parsed as one JSON object."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()[-2000:]
    return [json.loads(line) for line in err.decode().splitlines()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_json_logs_of_a_real_chat_parse_and_never_hold_member_text(
    sandbox: Sandbox, services: Services, served: str, tmp_path: Path
) -> None:
    env = _env(
        token=sandbox.token,
        base_url=served,
        database_url=services.settings.database_url,
        listen="127.0.0.1",
        port=str(_free_port()),
        log_level="DEBUG",
        log_format="json",
    )
    process = await _start(tmp_path, env)
    try:
        async with asyncio.timeout(60):
            while sandbox.calls["getUpdates"] == 0:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            teacher = sandbox.user("Tess", language_code="en")
            await sandbox.dm(teacher, "/start")
            await sandbox.dm(teacher, f"My issue: {MARKER}")
            while len(sandbox.bot_messages(sandbox.private_chat(teacher))) < 2:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        lines = await _stop(process)
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert not [line for line in lines if MARKER in json.dumps(line)]
    assert not [line for line in lines if str(line["logger"]).startswith("alembic")]
    bot = sandbox.bot
    assert f"connected to Telegram as @{bot.username} (id {bot.id})" in [
        line["message"] for line in lines
    ]


async def test_a_blocked_telegram_is_retried_with_its_host_and_the_likely_cause(
    tmp_path: Path,
) -> None:
    port = _free_port()  # nobody listens: as a firewall that refuses
    env = _env(
        token="123456789:AAE" + "x" * 32,
        base_url=f"http://127.0.0.1:{port}/bot",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'copbot.db'}",
        port=str(_free_port()),
        log_format="json",
    )
    process = await _start(tmp_path, env)
    assert process.stderr is not None
    seen: list[str] = []
    try:
        async with asyncio.timeout(60):
            while not any("retrying" in line for line in seen):
                seen.append((await process.stderr.readline()).decode())
    finally:
        process.send_signal(signal.SIGTERM)
        rest = await _stop(process)
    lines = [json.loads(line) for line in seen] + rest
    retry = next(str(line["message"]) for line in lines if "retrying" in str(line["message"]))
    assert f"connecting to Telegram (127.0.0.1:{port}) failed (NetworkError" in retry
    assert "firewall" in retry and "HTTPS_PROXY" in retry
    assert not [line for line in lines if str(line["logger"]).startswith("alembic")]
