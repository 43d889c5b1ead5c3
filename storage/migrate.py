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
