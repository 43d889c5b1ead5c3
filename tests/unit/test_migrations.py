"""The migrations build exactly the schema the models describe, on every database."""

from __future__ import annotations

import json
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.migrate import HEAD, current_revision, upgrade
from storage.models import Base


async def test_upgrade_from_empty_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)  # already migrated: running again is a no-op
        assert await current_revision(engine) == HEAD

        def _diff(connection: Connection) -> list[object]:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))

        async with engine.connect() as connection:
            differences = await connection.run_sync(_diff)
        assert differences == []
    finally:
        await engine.dispose()


def test_the_head_constant_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from storage.migrate import HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


async def test_0010_gives_existing_series_the_steps_they_had(tmp_path: Path) -> None:
    """A CoP planned before the cycle plan was stored keeps the agenda it had: the old
    template by number among the meetings not cancelled."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(engine, "0009")
        now = "2026-11-23 08:00:00.000000"
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO communities (id, chat_id, chat_type, name, theme, language,"
                    " timezone, status, settings, created_at, updated_at) VALUES (1, -1,"
                    " 'supergroup', 'CoP', '', 'nl', 'Europe/Amsterdam', 'active', '{}',"
                    " :now, :now)"
                ),
                {"now": now},
            )
            for number, status in enumerate(["planned", "cancelled", "planned", "planned"], 1):
                await connection.execute(
                    text(
                        "INSERT INTO meetings (community_id, number, starts_at,"
                        " duration_minutes, location, status, agenda, sequence, created_at,"
                        " updated_at) VALUES (1, :number, :starts, 60, '', :status, '{}', 0,"
                        " :now, :now)"
                    ),
                    {
                        "number": number,
                        "starts": f"2026-12-0{number} 14:00:00.000000",
                        "status": status,
                        "now": now,
                    },
                )
        await upgrade(engine)
        async with engine.connect() as connection:
            rows = (
                await connection.execute(text("SELECT number, steps FROM meetings ORDER BY number"))
            ).all()
        steps = {number: json.loads(value) for number, value in rows}
        assert steps == {
            1: ["issues", "confidentiality"],
            2: [],
            3: ["qualities", "shared"],
            4: ["literature", "using", "agreements", "document"],
        }
    finally:
        await engine.dispose()
