"""`copbot demo`: a facilitator and five teachers use the bot in the offline sandbox.

It runs the real Application, database and migrations, only with Telegram
replaced by the sandbox, and returns the chat transcript.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bot.application import build_application, build_services
from bot.clock import ManualClock
from bot.sandbox import Sandbox, SandboxChat, SandboxDriver, SandboxMessage
from bot.settings import Settings
from storage.migrate import upgrade

DEMO_START = datetime(2026, 9, 7, 7, 30, tzinfo=UTC)


def _last(sandbox: Sandbox, chat: SandboxChat) -> SandboxMessage:
    message = sandbox.last_bot_message(chat)
    if message is None:
        raise RuntimeError(f"the bot said nothing in {chat.label}")
    return message


async def run_demo(database: Path | None = None) -> str:
    """Plays the scenario and returns the transcript (who said what, where)."""
    with tempfile.TemporaryDirectory(prefix="copbot-demo-") as folder:
        path = database or Path(folder) / "demo.db"
        clock = ManualClock(DEMO_START)
        sandbox = Sandbox(clock=clock)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, token=sandbox.token, database_url=f"sqlite+aiosqlite:///{path}"
        )
        services = build_services(settings, clock=clock)
        try:
            await upgrade(services.engine)
            application = build_application(
                services,
                request=sandbox.request(),
                get_updates_request=sandbox.request(),
                rate_limits=False,
                timers=False,
            )
            async with SandboxDriver(sandbox, application):
                await _scenario(sandbox)
        finally:
            await services.engine.dispose()
    return sandbox.format_transcript()


async def _scenario(sb: Sandbox) -> None:
    fenna = sb.user("Fenna", last_name="de Vries", username="fenna_ib")
    teachers = [
        sb.user(name, username=name.lower()) for name in ("Anouk", "Bas", "Chantal", "Dewi", "Emre")
    ]
    anouk, bas, chantal, dewi, emre = teachers
    group = sb.group("CoP De Regenboog", members=[fenna, *teachers], admins=[fenna])

    await sb.add_bot(group, by=fenna)
    await sb.send(fenna, group, "/setup")
    await sb.send(fenna, group, "CoP Gedrag De Regenboog", reply_to=_last(sb, group))
    await sb.send(fenna, group, "Externaliserend gedrag in de klas", reply_to=_last(sb, group))
    await sb.press(fenna, _last(sb, group), "Nederlands")
    await sb.press(fenna, _last(sb, group), "Europe/Amsterdam")
    await sb.press(fenna, _last(sb, group), _last(sb, group).button_texts[0])

    await sb.send(bas, group, "/members@" + (sb.bot.username or ""))
    await sb.send(anouk, group, "/join")
    letter = _last(sb, group)
    for teacher in teachers:  # one letter in the group; each press counts for the presser
        await sb.press(teacher, letter, letter.button_texts[0])
    await sb.send(anouk, group, "/members")
    await sb.send(fenna, group, "/facilitator @anouk")
    await sb.send(emre, group, "/help")
    await sb.dm(dewi, "/start")
    await sb.dm(dewi, "/help")
    await sb.dm(chantal, "Mag ik iets vragen over leerling A?")
    outsider = sb.user("Olaf")
    await sb.dm(outsider, "Hallo, wie ben jij?")
