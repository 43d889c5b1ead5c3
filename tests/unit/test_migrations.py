"""The migrations build exactly the schema the models describe, on every database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
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
