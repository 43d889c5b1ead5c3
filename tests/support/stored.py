"""What the database holds, read straight from every table: for tests that claim
"nothing was stored" or "this text was stored nowhere but the guard's dialogue"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app.context import Services
from storage.models import Base

# Bookkeeping that every update touches: not what a member said.
BOOKKEEPING = frozenset({"processed_updates"})


async def snapshot(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the update dedupe), as plain tuples."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    async with services.sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in BOOKKEEPING:
                continue
            result = await session.execute(select(table))
            tables[table.name] = sorted((tuple(row) for row in result), key=repr)
    return tables


async def tables_containing(services: Services, marker: str) -> set[str]:
    """The tables with a row in which `marker` occurs (in any column, JSON included)."""
    return {
        name
        for name, table_rows in (await snapshot(services)).items()
        if any(marker in repr(row) for row in table_rows)
    }
