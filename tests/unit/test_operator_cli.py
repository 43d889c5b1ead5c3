"""The IT person's commands as they run them (issue 19): `copbot check`, `copbot db ...`,
the refusal to start with an example's password, and help without noise.

The real CLI runs in a process of its own, in a folder of its own, with only the
`COPBOT_` settings each test gives it.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from storage.db import create_engine
from storage.migrate import HEAD, MIGRATIONS, known_revisions, new_revision, upgrade

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAE" + "x" * 32  # the shape BotFather hands out (35 after the colon)


def closed_port() -> int:
    """A local port nobody listens on: connecting fails at once, as on a blocked network."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def copbot(
    folder: Path, *args: str, input: str | None = None, **settings: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPBOT_")}
    env.update({f"COPBOT_{k.upper()}": v for k, v in settings.items()})
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=folder,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
    )


def migrated(folder: Path, revision: str = "head") -> str:
    """A SQLite database in ``folder`` at ``revision``; returns its URL."""
    url = f"sqlite+aiosqlite:///{folder / 'copbot.db'}"

    async def _go() -> None:
        engine = create_engine(url)
        try:
            await upgrade(engine, revision)
        finally:
            await engine.dispose()

    asyncio.run(_go())
    return url


def test_check_in_an_empty_folder_creates_nothing_and_names_the_fixes(tmp_path: Path) -> None:
    result = copbot(tmp_path, "check")
    assert result.returncode == 1
    assert list(tmp_path.iterdir()) == []  # no copbot.db: a check changes nothing
    lines = result.stdout.splitlines()
    database = next(line for line in lines if line.startswith("database:"))
    assert "FAILED" in database and "copbot db upgrade" in database
    token = next(line for line in lines if line.startswith("token:"))
    assert "FAILED" in token and "COPBOT_TOKEN is not set" in token and "@BotFather" in token


def test_check_passes_with_a_migrated_database_and_a_well_formed_token(tmp_path: Path) -> None:
    url = migrated(tmp_path)
    offline = copbot(tmp_path, "check", "--offline", database_url=url, token=TOKEN)
    assert offline.returncode == 0, offline.stdout
    assert f"database: ok (sqlite, revision {HEAD})" in offline.stdout
    # Telegram out of reach is not the installation's fault: said, with the likely cause.
    blocked = copbot(
        tmp_path,
        "check",
        database_url=url,
        token=TOKEN,
        base_url=f"http://127.0.0.1:{closed_port()}/bot",
    )
    assert blocked.returncode == 0, blocked.stdout
    token = next(line for line in blocked.stdout.splitlines() if line.startswith("token:"))
    assert "not checked" in token and "127.0.0.1" in token and "HTTPS_PROXY" in token
    assert TOKEN not in blocked.stdout + blocked.stderr


def test_a_malformed_token_is_reported_without_asking_telegram(tmp_path: Path) -> None:
    url = migrated(tmp_path)
    result = copbot(
        tmp_path, "check", database_url=url, token="garbage", base_url="http://0.0.0.0:1/bot"
    )
    assert result.returncode == 1
    token = next(line for line in result.stdout.splitlines() if line.startswith("token:"))
    assert "FAILED" in token and "not a bot token" in token and "garbage" not in token


def test_a_database_behind_is_not_ok_and_names_the_upgrade(tmp_path: Path) -> None:
    older = known_revisions()[-2]
    url = migrated(tmp_path, older)
    result = copbot(tmp_path, "check", "--offline", database_url=url, token=TOKEN)
    assert result.returncode == 1
    database = next(line for line in result.stdout.splitlines() if line.startswith("database:"))
    assert f"revision {older}, behind ({HEAD})" in database and "copbot db upgrade" in database


def test_check_json_reports_webhook_without_secret_and_the_example_password(
    tmp_path: Path,
) -> None:
    url = migrated(tmp_path)
    result = copbot(
        tmp_path,
        "check",
        "--json",
        "--offline",
        token=TOKEN,
        webhook_url="https://bot.example.org/telegram/webhook",
        database_url=f"postgresql+asyncpg://copbot:change-me@127.0.0.1:{closed_port()}/copbot",
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    by_name = {check["name"]: check for check in report["checks"]}
    assert by_name["webhook"]["status"] == "FAILED"
    assert "COPBOT_WEBHOOK_SECRET" in by_name["webhook"]["detail"]
    assert by_name["secrets"]["status"] == "FAILED"
    assert "COPBOT_DATABASE_URL" in by_name["secrets"]["detail"]
    assert by_name["database"]["status"] == "FAILED"  # nobody listens there
    assert "change-me" not in result.stdout  # a check names a secret, never shows it
    secret = copbot(
        tmp_path, "check", "--json", "--offline", database_url=url, token=TOKEN,
        webhook_url="https://bot.example.org/telegram/webhook", webhook_secret="Change-Me",
    )  # fmt: skip
    assert json.loads(secret.stdout)["checks"][1]["detail"].startswith("COPBOT_WEBHOOK_SECRET")


def test_run_refuses_to_start_with_the_example_password(tmp_path: Path) -> None:
    result = copbot(
        tmp_path,
        "run",
        token=TOKEN,
        database_url="postgresql+asyncpg://copbot:change-me@db:5432/copbot",
    )
    assert result.returncode == 2
    assert "COPBOT_DATABASE_URL" in result.stderr and "refusing to start" in result.stderr
    assert "change-me" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_db_current_downgrade_and_back(tmp_path: Path) -> None:
    empty = copbot(tmp_path, "db", "current")
    assert empty.returncode == 1 and "no schema yet" in empty.stdout
    assert list(tmp_path.iterdir()) == []  # asking created no file
    url = migrated(tmp_path)
    current = copbot(tmp_path, "db", "current", database_url=url)
    assert current.returncode == 0
    assert current.stdout.strip() == f"database at revision {HEAD} (up to date)"

    older = known_revisions()[-2]
    declined = copbot(tmp_path, "db", "downgrade", older, input="n\n", database_url=url)
    assert declined.returncode == 1 and "backup" in declined.stdout + declined.stderr
    assert HEAD in copbot(tmp_path, "db", "current", database_url=url).stdout
    done = copbot(tmp_path, "db", "downgrade", older, "--yes", database_url=url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"database at revision {older}"
    behind = copbot(tmp_path, "db", "current", database_url=url).stdout
    assert f"database at revision {older} (this copbot's newest: {HEAD})" in behind
    unknown = copbot(tmp_path, "db", "downgrade", "9999", "--yes", database_url=url)
    assert unknown.returncode == 2 and "no revision '9999'" in unknown.stderr
    assert copbot(tmp_path, "db", "upgrade", database_url=url).returncode == 0


def test_a_contributor_s_new_revision_follows_the_newest(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    path = new_revision("pupil notes", directory=folder)
    number = f"{int(HEAD) + 1:04d}"
    assert path.parent == folder / "versions" and path.name == f"{number}_pupil_notes.py"
    source = path.read_text(encoding="utf-8")
    assert f"Revision ID: {number}\nRevises: {HEAD}\n" in source
    assert known_revisions(folder)[-1] == number


def test_help_says_what_each_command_is_for_without_type_noise(tmp_path: Path) -> None:
    for args in ([], ["db"], ["export"], ["check"], ["demo"], ["run"]):
        shown = copbot(tmp_path, *args, "--help").stdout
        assert "<bool>" not in shown and "--version" not in shown.replace(
            "--version  Show the version.", ""
        )
    db = copbot(tmp_path, "db", "--help").stdout
    for command in ("current", "upgrade", "downgrade", "revision"):
        assert f"  {command} " in db
    export = copbot(tmp_path, "export", "--help").stdout
    assert "--output" in export and "--out " not in export  # the old name still works, unshown


def test_data_subject_commands_name_a_missing_database_and_export_to_a_private_file(
    tmp_path: Path,
) -> None:
    """`export-user` in the wrong folder created an empty copbot.db and printed an empty
    record; it had no `--output` like the other commands that write."""
    wrong = copbot(tmp_path, "export-user", "--telegram-id", "1003")
    assert wrong.returncode == 2 and "no database at" in wrong.stderr
    erase = copbot(tmp_path, "erase-user", "--telegram-id", "1003", "--yes")
    assert erase.returncode == 2 and "no database at" in erase.stderr
    assert list(tmp_path.iterdir()) == []  # nothing was created

    url = migrated(tmp_path)
    target = tmp_path / "person.json"
    written = copbot(
        tmp_path, "export-user", "--telegram-id", "1003", "--output", str(target), database_url=url
    )
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip() == f"wrote {target}"
    assert (target.stat().st_mode & 0o777) == 0o600  # personal data: for its owner only
    assert isinstance(json.loads(target.read_text(encoding="utf-8")), dict)
