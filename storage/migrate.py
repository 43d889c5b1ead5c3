"""Applies Alembic migrations from code (`copbot db upgrade`, start-up, tests).

Start-up first asks the database for its revision; when it is already `HEAD`,
Alembic is not even imported (it costs a noticeable part of the cold start).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
#: The newest revision; a test checks it equals Alembic's head.
HEAD = "0012"


def alembic_config(url: str = "") -> Config:
    """A config that needs no alembic.ini on disk, so an installed wheel can migrate."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrades on the engine's own connection, inside the running event loop."""
    if revision == "head" and await current_revision(engine) == HEAD:
        return

    def _upgrade(connection: Connection) -> None:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    async with engine.connect() as connection:
        exists = await connection.run_sync(lambda sync: inspect(sync).has_table("alembic_version"))
        if not exists:  # asked first: a failing SELECT would count as a database error
            return None
        try:
            revision = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            return None if revision is None else str(revision)
        except DBAPIError:
            return None


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Goes back to ``revision`` (`copbot db downgrade`); what later migrations added is lost."""

    def _downgrade(connection: Connection) -> None:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(_downgrade)


def known_revisions(directory: Path = MIGRATIONS) -> list[str]:
    """Every revision in the migrations folder, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_folder_config(directory))
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def new_revision(message: str, directory: Path = MIGRATIONS) -> Path:
    """Writes an empty migration after the newest one, numbered as the others are
    (`0012_<message>.py`), and returns its file (`copbot db revision -m ...`, contributors)."""
    from alembic import command

    revisions = known_revisions(directory)
    number = max((int(r) for r in revisions if r.isdigit()), default=0) + 1
    script = command.revision(_folder_config(directory), message, rev_id=f"{number:04d}")
    if script is None or isinstance(script, list):  # one head: alembic makes one script
        raise RuntimeError("alembic made no single revision")
    return Path(script.path)


def _folder_config(directory: Path) -> Config:
    config = alembic_config()
    config.set_main_option("script_location", str(directory))
    return config
