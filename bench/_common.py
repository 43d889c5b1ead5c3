"""Shared helpers for the copbot benchmarks (not a benchmark itself).

Every benchmark appends one JSON object per figure to ``bench/results.jsonl`` with the
same envelope: ``benchmark``, ``figure``, ``value``, ``unit``, ``baseline``, ``x_baseline``,
``goal``, ``within_goal``, ``python``, ``cores``, ``timestamp`` plus benchmark-specific keys.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run without installing

os.environ.setdefault("PTB_TIMEDELTA", "true")  # PTB 22 warns on int retry_after otherwise

RESULTS = Path(__file__).with_name("results.jsonl")
#: Admin URL of the local PostgreSQL (trust auth); benchmarks use their own database.
POSTGRES_ADMIN = os.environ.get(
    "COPBOT_BENCH_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_DB = os.environ.get("COPBOT_BENCH_POSTGRES_DB", "copbot_bench")


def stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def envelope() -> dict[str, Any]:
    return {"python": platform.python_version(), "cores": os.cpu_count(), "timestamp": stamp()}


def append_results(rows: Sequence[dict[str, Any]], out: Path = RESULTS) -> None:
    """Appends one JSON line per figure (the other benchmarks' lines stay)."""
    common = envelope()
    with out.open("a", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps({**common, **row}, sort_keys=True) + "\n")
    print(f"appended {len(rows)} line(s) to {out}")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def postgres_answers(timeout: float = 2.0) -> bool:
    """True when the local PostgreSQL accepts a connection."""

    async def _probe() -> bool:
        import asyncpg

        try:
            connection = await asyncpg.connect(POSTGRES_ADMIN, timeout=timeout)
        except Exception:
            return False
        await connection.close()
        return True

    return asyncio.run(_probe())


async def fresh_postgres(database: str = POSTGRES_DB) -> str:
    """Creates ``database`` if missing, resets *its* public schema, migrates; returns the URL.

    Never touches the ``test`` database the test suite uses.
    """
    import asyncpg
    from sqlalchemy import text

    from storage.db import create_engine
    from storage.migrate import upgrade

    assert database != "test", "the benchmarks never touch the test database"
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            await admin.execute(f'CREATE DATABASE "{database}"')
    finally:
        await admin.close()
    base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    url = f"{base}/{database}"
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    await engine.dispose()
    return url


async def fresh_sqlite(path: Path) -> str:
    """A migrated SQLite file at ``path`` (WAL, as ``storage.db.create_engine`` sets it up)."""
    from storage.db import checkpoint, create_engine
    from storage.migrate import upgrade

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)  # noqa: ASYNC240 - set-up, not timed
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    await upgrade(engine)
    await checkpoint(engine)
    await engine.dispose()
    return url
