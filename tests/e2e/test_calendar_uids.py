"""Calendar UIDs belong to one installation, and events carry the agenda, not the people.

Two schools running the bot (or one school after a reinstall) must never export the same
UID, or Outlook and Google overwrite one school's meeting with the other's; one
installation must export the same UIDs every time, or a re-import duplicates meetings.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from icalendar import Calendar

from bot.render.calendar import event_uid
from bot.sandbox import Sandbox
from storage.db import create_engine, create_sessions
from storage.migrate import upgrade
from storage.repositories.installation import InstallationRepository
from tests.conftest import Cop, last

_NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _exported(sandbox: Sandbox, ready: Cop) -> dict[str, str]:
    document = sandbox.bot_messages(ready.group)[-1].document
    assert document is not None and document.file_name == "copbot-meetings.ics"
    calendar = Calendar.from_ical(document.data)
    return {
        str(event["UID"]): str(event.get("DESCRIPTION", "")) for event in calendar.walk("VEVENT")
    }


async def _installation_of_a_new_database(folder: Path) -> str:
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'other-school.db'}")
    try:
        await upgrade(engine)
        async with create_sessions(engine).begin() as session:
            return await InstallationRepository(session).id(now=_NOW)
    finally:
        await engine.dispose()


async def test_uids_stay_on_re_export_and_differ_between_installations(
    ready: Cop, sandbox: Sandbox, tmp_path: Path
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00 60 Lokaal 4")
    await sandbox.send(ready.anna, ready.group, "/calendar")
    first = _exported(sandbox, ready)
    await sandbox.send(ready.bram, ready.group, "/calendar")
    assert _exported(sandbox, ready).keys() == first.keys()  # a re-import updates

    [uid] = first
    ours = uid.split("-")[1]  # copbot-<installation>-cop<id>-meeting<id>@copbot
    other = await _installation_of_a_new_database(tmp_path)
    assert other != ours
    assert event_uid(other, 1, 1) != uid  # the same CoP and meeting ids elsewhere
    assert uid == event_uid(ours, 1, 1)


async def test_an_event_holds_the_agenda_without_member_names(ready: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(ready.fenna, ready.group, "/meeting add 2026-12-02 15:00")
    await sandbox.send(ready.bram, ready.group, "/agenda")
    agenda = last(sandbox, ready.group)
    await sandbox.send(ready.bram, ready.group, "The tally sheet from school B", reply_to=agenda)
    await sandbox.send(ready.anna, ready.group, "/calendar")
    [description] = _exported(sandbox, ready).values()
    assert "The tally sheet from school B" in description
    assert "Bram" not in description and "Anna" not in description
