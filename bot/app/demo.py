"""`copbot demo`: a facilitator and five teachers use the bot in the offline sandbox.

It runs the real Application, database and migrations, only with Telegram
replaced by the sandbox, and returns the chat transcript.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zipfile import ZipFile

from bot.app.context import Services, build_services
from bot.app.root import build_application
from bot.app.sender import TelegramSender
from bot.app.settings import Settings
from bot.clock import ManualClock
from bot.outbox import run_due
from bot.sandbox import Sandbox, SandboxChat, SandboxDriver, SandboxMessage, SandboxUser
from storage.migrate import upgrade

DEMO_START = datetime(2026, 9, 7, 7, 30, tzinfo=UTC)


def _last(sandbox: Sandbox, chat: SandboxChat) -> SandboxMessage:
    message = sandbox.last_bot_message(chat)
    if message is None:
        raise RuntimeError(f"the bot said nothing in {chat.label}")
    return message


async def run_demo(database: Path | None = None, output: Path | None = None) -> str:
    """Plays the scenario, writes the collection document, returns the transcript."""
    output = output or Path("copbot-demo-output")
    with tempfile.TemporaryDirectory(prefix="copbot-demo-") as folder:
        path = database or Path(folder) / "demo.db"
        clock = ManualClock(DEMO_START)
        sandbox = Sandbox(clock=clock)
        settings = Settings(
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
                group = await _scenario(sandbox)
                await _rhythm(sandbox, group, clock, services, TelegramSender(application.bot))
                written = _save_documents(sandbox, group, output)
        finally:
            await services.engine.dispose()
    lines = [f"  {path}" for path in written]
    return (
        sandbox.format_transcript()
        + "\n\nThe collection document is in "
        + str(output)
        + (":\n" + "\n".join(lines) if lines else " (none was made)")
    )


def _save_documents(sandbox: Sandbox, group: SandboxChat, output: Path) -> list[Path]:
    """Writes the files the bot sent for /document to the demo's output folder."""
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for message in sandbox.bot_messages(group):
        document = message.document
        if document is not None and document.file_name and "collection" not in document.file_name:
            target = output / document.file_name
            target.write_bytes(document.data)
            written.append(target)
            if target.name.endswith(".md.zip"):
                with ZipFile(target) as archive:
                    archive.extractall(output / target.name.removesuffix(".zip"))
    return written


async def _scenario(sb: Sandbox) -> SandboxChat:
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
    return group


async def _issue_round(
    sb: Sandbox, group: SandboxChat, fenna: SandboxUser, by_name: dict[str, SandboxUser]
) -> None:
    """Members bring their practice issues; the facilitator codes them privately."""
    round_prompt = _last(sb, group)
    await sb.send(
        by_name["Anouk"],
        group,
        "a) Leerling A loopt de klas uit als hij boos wordt; zijn ouders doen er niets aan.\n"
        "b) Hoe voorkomen we als school dat boze leerlingen de klas uit lopen?",
        reply_to=round_prompt,
    )
    await sb.send(
        by_name["Anouk"],
        group,
        "Ik kan eerder zien dat hij boos wordt en een rustplek aanbieden.",
        reply_to=_last(sb, group),
    )
    await sb.send(
        by_name["Bas"], group, "Mijn leerling Tim de Boer weigert te werken.", reply_to=round_prompt
    )
    await sb.press(by_name["Bas"], _last(sb, group), _last(sb, group).button_texts[0])
    await sb.dm(by_name["Dewi"], "Ik merk dat ik zelf onrustig word van leerling C.")
    await sb.dm(fenna, "/code")
    chat = sb.private_chat(fenna)
    items = [
        m
        for m in sb.bot_messages(chat)
        if m.buttons and (m.buttons[0][0][1] or "").startswith("cd:")
    ]
    for item, code in zip(items, ("ie", "si", "ii", "ii", "ii"), strict=False):
        await sb.press(
            fenna,
            item,
            next(d for row in item.buttons for _, d in row if d and d.endswith(":" + code)),
        )
    await sb.send(by_name["Chantal"], group, "/development")
    await sb.send(fenna, group, "/shared")
    await sb.press(fenna, _last(sb, group), "1")
    proposal = _last(sb, group)
    for name in ("Anouk", "Bas", "Chantal", "Dewi"):
        await sb.press(by_name[name], proposal, proposal.button_texts[0])


async def _rhythm(
    sb: Sandbox, group: SandboxChat, clock: ManualClock, services: Services, sender: TelegramSender
) -> None:
    """The facilitator plans the cycle; the bot keeps its rhythm with reminders."""
    fenna = next(user for user in sb.users.values() if user.username == "fenna_ib")
    by_name = {user.first_name: user for user in sb.users.values()}
    await sb.send(fenna, group, "/holidays midden")
    await sb.send(fenna, group, "/plan")
    await sb.send(fenna, group, "16 september 15:00", reply_to=_last(sb, group))
    await sb.press(fenna, _last(sb, group), "5")
    await sb.press(fenna, _last(sb, group), _last(sb, group).button_texts[1])  # every 2 weeks
    await sb.press(fenna, _last(sb, group), "60 min")
    await sb.send(fenna, group, "Lokaal 12", reply_to=_last(sb, group))
    await sb.press(fenna, _last(sb, group), _last(sb, group).button_texts[0])  # save
    await sb.send(by_name["Bas"], group, "/agenda")
    await sb.send(
        by_name["Bas"], group, "Casus leerling B: time-out of niet?", reply_to=_last(sb, group)
    )

    first = datetime(2026, 9, 16, 13, 0, tzinfo=UTC)  # 15:00 in Amsterdam
    clock.set(first - timedelta(days=2))
    sb.note("two days before meeting 1: the reminder outbox runs")
    await run_due(services, sender)
    reminder = _last(sb, group)
    for name, choice in (("Anouk", 0), ("Bas", 1), ("Chantal", 0), ("Emre", 2)):
        await sb.press(by_name[name], reminder, reminder.button_texts[choice])
    clock.set(first - timedelta(days=1) + timedelta(minutes=5))
    sb.note("the day before: agenda, and a nudge to those who did not answer")
    await run_due(services, sender)
    clock.set(first - timedelta(days=1) + timedelta(minutes=10))
    sb.note("the cycle template opens the issue round before meeting 1")
    await run_due(services, sender)
    await _issue_round(sb, group, fenna, by_name)
    clock.set(first + timedelta(hours=1, minutes=15))
    sb.note("after the meeting")
    await run_due(services, sender)
    await sb.send(
        fenna,
        group,
        "We observeren met een turflijst en bespreken die over twee weken.",
        reply_to=_last(sb, group),
    )
    await _qualities_and_literature(sb, group, fenna, by_name)
    await _agreements(sb, group, fenna, by_name)


async def _qualities_and_literature(
    sb: Sandbox, group: SandboxChat, fenna: SandboxUser, by_name: dict[str, SandboxUser]
) -> None:
    """A short quality round and two literature insights."""
    sb.note("meeting 2: a quality round, and literature")
    await sb.send(fenna, group, "/qualities")
    anouk = by_name["Anouk"]
    await sb.dm(anouk, "/qualities")
    chat = sb.private_chat(anouk)
    await sb.dm(
        anouk,
        "Goed samenvatten: ze vatte aan het eind onze vraagstukken samen",
        reply_to=_last(sb, chat),
    )
    await sb.press(anouk, _last(sb, chat), _last(sb, chat).button_texts[-2])  # title
    await sb.dm(anouk, "Zorgdrager", reply_to=_last(sb, chat))
    await sb.press(anouk, _last(sb, chat), _last(sb, chat).button_texts[-1])  # stop for now
    await sb.send(fenna, group, "/qualities close")
    await sb.send(by_name["Bas"], group, "/insight Gedrag is communicatie; Jansen, P.; 2019")
    await sb.send(
        by_name["Bas"],
        group,
        "Boos gedrag vertelt iets over wat een leerling nodig heeft.",
        reply_to=_last(sb, group),
    )
    await sb.send(
        by_name["Bas"], group, "Ik vraag eerst wat er aan de hand is.", reply_to=_last(sb, group)
    )
    await sb.dm(by_name["Chantal"], "/insight https://doi.org/10.1000/gedrag.2020")
    chat = sb.private_chat(by_name["Chantal"])
    await sb.dm(by_name["Chantal"], "Voorspelbaarheid geeft rust.", reply_to=_last(sb, chat))
    await sb.dm(by_name["Chantal"], "Dagritmekaarten in groep 5.", reply_to=_last(sb, chat))
    await sb.send(by_name["Dewi"], group, "/reading")


async def _agreements(
    sb: Sandbox, group: SandboxChat, fenna: SandboxUser, by_name: dict[str, SandboxUser]
) -> None:
    """An agreement with an owner becomes a new practice; the document is made."""
    sb.note("an agreement, and the collection document")
    await sb.send(
        by_name["Anouk"], group, "/decide We observeren met een turflijst @bas by 2026-10-14"
    )
    decision = _last(sb, group)
    for name in ("Anouk", "Bas", "Chantal", "Dewi"):
        await sb.press(by_name[name], decision, decision.button_texts[0])
    await sb.press(fenna, decision, decision.button_texts[-1])  # new practice
    await sb.send(fenna, group, "/decisions")
    await sb.send(fenna, group, "/document")
