"""A database that cannot be written is not ready, and the bot recovers without a restart
(issue 12.14). Real SQLite files, really read-only or really full:

- read-only: the file is made immutable (`chattr +i`: root ignores permission bits) before
  the pool connects, as when a volume comes back read-only; SQLite then opens it
  read-only and keeps that connection read-only even after the file is writable again;
- full: the file lives on a small tmpfs that a filler file fills up.

Readiness writes (a `SELECT 1` passes on both); the failure's kind is named in the
metrics; once the cause is gone, the next probe and the next update succeed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from bot.app.context import CopApplication, Services, build_services
from bot.app.root import build_application
from bot.app.settings import Settings
from bot.app.web import create_web_app
from bot.clock import ManualClock
from bot.sandbox import Sandbox, SandboxChat, SandboxDriver
from storage.models import Member
from tests.conftest import Cop, rows

pytestmark = pytest.mark.fault


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB file system of its own (skipped where this process may not mount)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not _run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)):
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    _run("umount", "-l", str(mount))


async def _services(path: Path, template: Path, clock: ManualClock, token: str) -> Services:
    shutil.copy(template, path)
    settings = Settings(_env_file=None, token=token, database_url=f"sqlite+aiosqlite:///{path}")
    return build_services(settings, clock=clock)


@pytest.fixture
async def world(
    sqlite_template: Path, clock: ManualClock, sandbox: Sandbox, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[Services, CopApplication, Path]]:
    on_tmpfs = "full" in request.node.name
    folder: Path = request.getfixturevalue("disk" if on_tmpfs else "tmp_path")
    path = folder / "copbot.db"
    services = await _services(path, sqlite_template, clock, sandbox.token)
    application = build_application(
        services,
        request=sandbox.request(),
        get_updates_request=sandbox.request(),
        rate_limits=False,
        timers=False,
    )
    async with SandboxDriver(sandbox, application):
        yield services, application, path
    _run("chattr", "-i", str(path))
    await services.engine.dispose()


def _http(application: CopApplication) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_web_app(application, secret=None))
    return httpx.AsyncClient(transport=transport, base_url="http://copbot")


async def _a_cop(sandbox: Sandbox) -> SandboxChat:
    fenna = sandbox.user("Fenna", username="fenna", language_code="en")
    group = sandbox.group("CoP", members=[fenna], admins=[fenna])
    await sandbox.add_bot(group, by=fenna)
    await Cop(sandbox, group, fenna, []).setup()
    return group


async def _join(sandbox: Sandbox, group: SandboxChat, name: str) -> None:
    user = sandbox.user(name, language_code="en")
    group.members.add(user.id)
    await sandbox.send(user, group, "/join")
    letter = sandbox.last_bot_message(group)
    assert letter is not None
    if letter.buttons:
        await sandbox.press(user, letter, letter.buttons[0][0][0])


def _fill(filler: Path) -> None:
    """Writes zeros until the file system says it is full.

    Unbuffered: a buffered file's close flushes what did not fit and raised ENOSPC
    again, outside the `try`, depending only on how the free space fell against the
    buffer (a database a few pages larger made the test fail).
    """
    chunk = bytes(65536)
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(chunk)
        except OSError:
            pass


def _errors(metrics: str, kind: str) -> float:
    line = f'copbot_database_errors_total{{kind="{kind}"}} '
    found = [float(row.split()[-1]) for row in metrics.splitlines() if row.startswith(line)]
    return found[0] if found else 0.0


async def test_a_read_only_file_is_not_ready_and_recovers_without_restart(
    world: tuple[Services, CopApplication, Path],
    sandbox: Sandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    services, application, path = world
    group = await _a_cop(sandbox)
    async with _http(application) as http:
        assert (await http.get("/readyz")).json()["database"] is True
        await services.engine.dispose()  # the pool reconnects: as after a restart of the volume
        if not _run("chattr", "+i", str(path)):
            pytest.skip("chattr is not available here")
        answer = await http.get("/readyz")
        assert answer.status_code == 503 and answer.json()["database"] is False
        assert _errors((await http.get("/metrics")).text, "read_only") >= 1
        assert "database error: read-only (OperationalError)" in caplog.text
        assert _errors((await http.get("/metrics")).text, "other") == 0
        await _join(sandbox, group, "Anna")  # refused with an apology, nothing half-stored
        assert "Anna" not in [m.display_name for m in await rows(services, Member)]

        assert _run("chattr", "-i", str(path))
        assert (await http.get("/readyz")).json()["database"] is True  # no restart
        await _join(sandbox, group, "Bram")
        assert "Bram" in [m.display_name for m in await rows(services, Member)]


async def test_a_full_disk_is_not_ready_and_recovers_when_space_returns(
    world: tuple[Services, CopApplication, Path], sandbox: Sandbox
) -> None:
    services, application, path = world
    group = await _a_cop(sandbox)
    filler = path.parent / "filler"
    async with _http(application) as http:
        assert (await http.get("/readyz")).json()["database"] is True
        _fill(filler)
        answer = await http.get("/readyz")
        assert answer.status_code == 503 and answer.json()["database"] is False
        assert _errors((await http.get("/metrics")).text, "full") >= 1

        filler.unlink()
        assert (await http.get("/readyz")).json()["database"] is True
        await _join(sandbox, group, "Bram")
        assert "Bram" in [m.display_name for m in await rows(services, Member)]


async def test_an_outage_costs_one_apology_per_update(
    world: tuple[Services, CopApplication, Path], sandbox: Sandbox
) -> None:
    """Issue 12.15: the update-id check and the command failed separately, two apologies."""
    services, _application, path = world
    group = await _a_cop(sandbox)
    await services.engine.dispose()
    if not _run("chattr", "+i", str(path)):
        pytest.skip("chattr is not available here")
    fenna = next(u for u in sandbox.users.values() if u.first_name == "Fenna")
    await sandbox.send(fenna, group, "/issues")  # starting a round writes
    apologies = [m for m in sandbox.last_replies if "Sorry, something went wrong" in m.content]
    assert len(apologies) == 1
