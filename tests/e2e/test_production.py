"""Production behaviour: webhooks, health, metrics, one scheduler, lifecycle, operator commands."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from bot.app.cli import app as cli
from bot.app.context import CopApplication, Services, build_services
from bot.app.root import build_application
from bot.app.sender import TelegramSender
from bot.app.settings import Settings
from bot.app.web import SECRET_HEADER, WEBHOOK_PATH, create_web_app
from bot.clock import ManualClock
from bot.outbox import housekeeping
from bot.sandbox import Sandbox
from storage.leader import Leadership
from storage.models import Attendance, Community, Contribution, Flow, Member, Reminder
from tests.conftest import Cop, Ticker, last, rows, said
from tests.support.outage import TcpProxy, immutable

SECRET = "s3cret-token"


@pytest.fixture
async def hooked(services: Services, sandbox: Sandbox) -> AsyncIterator[CopApplication]:
    """The Application in webhook mode (no updater), as `copbot run --webhook` builds it."""
    application = build_application(
        services, request=sandbox.request(), rate_limits=False, timers=True, updater=False
    )
    await application.initialize()
    await application.start()
    yield application
    await application.stop()
    await application.shutdown()


def client(application: CopApplication) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_web_app(application, secret=SECRET))
    return httpx.AsyncClient(transport=transport, base_url="http://copbot")


async def an_update(sandbox: Sandbox, text: str) -> dict[str, object]:
    """A real update as Telegram would post it: a teacher writes to the bot privately."""
    teacher = sandbox.user("Tess", language_code="en")
    await sandbox.dm(teacher, text)  # no driver attached: it only queues the update
    return sandbox.updates._pending[-1]


async def test_webhook_checks_the_secret_and_handles_each_update_once(
    hooked: CopApplication, sandbox: Sandbox, services: Services
) -> None:
    update = await an_update(sandbox, "/help")
    async with client(hooked) as http:
        missing = await http.post(WEBHOOK_PATH, json=update)
        wrong = await http.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: "nope"})
        assert (missing.status_code, wrong.status_code) == (401, 403)
        await hooked.update_queue.join()
        assert sandbox.calls["sendMessage"] == 0  # nothing was processed

        first = await http.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
        await hooked.update_queue.join()
        again = await http.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
        await hooked.update_queue.join()
        assert (first.status_code, again.status_code) == (200, 200)
        assert sandbox.calls["sendMessage"] == 1  # the retry was recognised
        bad = await http.post(WEBHOOK_PATH, content=b"{not json", headers={SECRET_HEADER: SECRET})
        assert bad.status_code == 400

        metrics = (await http.get("/metrics")).text
        assert 'copbot_updates_total{kind="message"} 2.0' in metrics  # both deliveries
        assert "copbot_duplicate_updates_total 1.0" in metrics
        assert 'copbot_telegram_calls_total{method="sendMessage"} 1.0' in metrics
        assert "Tess" not in metrics and "/help" not in metrics


@pytest.fixture
async def outage(
    database_url: str, services: Services, tmp_path: Path
) -> AsyncIterator[tuple[str, Callable[[bool], Awaitable[None]]]]:
    """A database URL and a switch that really takes that database away and back."""
    if database_url.startswith("sqlite"):
        path = Path(make_url(database_url).database or "")

        async def switch_file(down: bool) -> None:
            await services.engine.dispose()  # new connections open it as it is now
            if not immutable(path, down):
                pytest.skip("chattr is not available here")

        yield database_url, switch_file
        immutable(path, False)
        return
    target = make_url(database_url)
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
    await proxy.start()

    async def switch_proxy(down: bool) -> None:
        await (proxy.cut() if down else proxy.restore())

    yield proxy.url(database_url), switch_proxy
    await proxy.cut()


async def test_a_database_outage_answers_503_so_telegram_retries_and_nothing_is_lost(
    outage: tuple[str, Callable[[bool], Awaitable[None]]],
    sandbox: Sandbox,
    clock: ManualClock,
) -> None:
    """Issue 12: a real outage (connections cut, or the file read-only), not a patched call."""
    url, switch = outage
    settings = Settings(_env_file=None, token=sandbox.token, database_url=url)
    services = build_services(settings, clock=clock)
    application = build_application(
        services, request=sandbox.request(), rate_limits=False, timers=True, updater=False
    )
    await application.initialize()
    await application.start()
    try:
        update = await an_update(sandbox, "/start")
        async with client(application) as http:
            await switch(True)
            down = await http.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
            ready = await http.get("/readyz")
            assert down.status_code == 503 and ready.status_code == 503
            assert json.loads(ready.text)["database"] is False
            await application.update_queue.join()
            assert sandbox.calls["sendMessage"] == 0

            await switch(False)
            assert (await http.get("/readyz")).status_code == 200  # no restart
            retry = await http.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
            await application.update_queue.join()
            assert retry.status_code == 200 and sandbox.calls["sendMessage"] == 1  # nothing lost
            again = await http.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
            await application.update_queue.join()
            assert again.status_code == 200 and sandbox.calls["sendMessage"] == 1  # once only
    finally:
        await application.stop()
        await application.shutdown()
        await services.engine.dispose()


async def test_exactly_one_scheduler_and_failover(services: Services, database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        first = Leadership(services.engine)
        assert await first.try_acquire() and first.is_leader  # SQLite: the only process leads
        return
    from storage.db import create_engine

    engines = [create_engine(database_url), create_engine(database_url)]
    one, two = (Leadership(engine) for engine in engines)
    try:
        assert await one.try_acquire() is True
        assert await two.try_acquire() is False
        assert await two.try_acquire() is False
        # The leader's process dies: its connection goes, and with it the lock.
        assert one._connection is not None
        await one._connection.invalidate()
        await one._connection.close()
        one._connection = None
        assert await two.try_acquire() is True
        assert await one.try_acquire() is False
    finally:
        await one.release()
        await two.release()
        for engine in engines:
            await engine.dispose()


async def test_archive_stops_reminders_and_data_is_purged_after_retention(
    ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    await sandbox.dm(ready.fenna, "/start")
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    await sandbox.send(ready.bram, ready.group, "/archive")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(ready.fenna, ready.group, "/archive")
    assert "is archived" in said(sandbox)
    assert [r for r in await rows(services, Reminder) if r.status == "planned"] == []
    await sandbox.send(ready.anna, ready.group, "/members")
    assert "no CoP yet" in said(sandbox)

    sender = TelegramSender(tick.app.bot)
    tick.clock.advance(timedelta(days=175))
    await housekeeping(services, sender)
    warning = sandbox.last_bot_message(sandbox.private_chat(ready.fenna))
    assert warning is not None and "will be deleted in 5 days" in warning.content
    assert len(await rows(services, Community)) == 1
    tick.clock.advance(timedelta(days=6))
    await housekeeping(services, sender)
    assert await rows(services, Community) == [] and await rows(services, Member) == []


async def test_operator_data_subject_requests(
    ready: Cop, sandbox: Sandbox, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The operator's export and erasure reach an archived CoP and one the bot was removed
    from, and what others wrote about the person, their absences and their held texts.
    (Every table and column: tests/services/test_data_subject.py.)"""
    other = sandbox.group("Taal CoP", members=[ready.fenna, ready.anna], admins=[ready.fenna])
    await sandbox.add_bot(other, by=ready.fenna)
    await Cop(sandbox, other, ready.fenna, ready.teachers).setup("CoP Taal")
    await Cop(sandbox, other, ready.fenna, ready.teachers).join(ready.anna)
    await sandbox.send(ready.fenna, ready.group, "/issues")
    await sandbox.send(
        ready.anna, ready.group, "Pupil A runs away", reply_to=last(sandbox, ready.group)
    )
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    await sandbox.send(ready.anna, ready.group, "/absent my son is ill")
    anna_message = await sandbox.send(ready.anna, ready.group, "/members")
    await sandbox.send(ready.bram, ready.group, "/nominate", reply_to=anna_message)
    await sandbox.send(
        ready.bram, ready.group, "Calm: she stays calm", reply_to=last(sandbox, ready.group)
    )
    await sandbox.dm(ready.anna, "A text for one of my CoPs")  # held: "which CoP?"
    await sandbox.send(ready.fenna, ready.group, "/archive")
    await sandbox.remove_bot(other, by=ready.fenna)

    monkeypatch.setenv("COPBOT_DATABASE_URL", services.settings.database_url)
    runner = CliRunner()
    exported = await asyncio.to_thread(
        runner.invoke, cli, ["export-user", "--telegram-id", str(ready.anna.id)]
    )
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.output)
    by_name = {c["community"]["name"]: c for c in data["communities"]}
    assert {n: c["community"]["status"] for n, c in by_name.items()} == {
        "CoP Gedrag": "archived",
        "CoP Taal": "removed",
    }
    gedrag = by_name["CoP Gedrag"]
    assert [c["text"] for c in gedrag["contributions"]] == ["Pupil A runs away"]
    assert [c["text"] for c in gedrag["about_you"]] == ["Calm"]
    assert "member_id" not in gedrag["about_you"][0]  # who wrote it is Bram's data
    assert [a["note"] for a in gedrag["attendance"]] == ["my son is ill"]
    assert [r["action"] for r in gedrag["consent_records"]] == ["given"]
    assert [d["data"] for d in data["dialogues"]] == [{"text": "A text for one of my CoPs"}]

    erased = await asyncio.to_thread(
        runner.invoke, cli, ["erase-user", "--telegram-id", str(ready.anna.id), "--yes"]
    )
    assert erased.exit_code == 0, erased.output
    assert "erased from 2 CoP(s): CoP Gedrag, CoP Taal" in erased.output
    assert ready.anna.id not in {m.telegram_user_id for m in await rows(services, Member)}
    assert {c.text for c in await rows(services, Contribution)} == set()
    assert await rows(services, Attendance) == [] and await rows(services, Flow) == []
    again = await asyncio.to_thread(
        runner.invoke, cli, ["erase-user", "--telegram-id", str(ready.anna.id), "--yes"]
    )
    assert again.exit_code == 0 and "nothing stored about Telegram user" in again.output


def test_webhook_mode_needs_a_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPBOT_TOKEN", "1:abc")
    monkeypatch.delenv("COPBOT_WEBHOOK_URL", raising=False)
    result = CliRunner().invoke(cli, ["run", "--webhook"])
    assert result.exit_code == 2 and "COPBOT_WEBHOOK_URL" in result.output
