"""Benchmark: the scheduler tick's queries at 250k planned and 1M sent reminders.

Run from the repository root::

    .venv/bin/python bench/bench_scheduler.py [--postgres URL] [--planned 250000] [--sent 1000000]

The schema is migrated to 0008 (before the outbox indexes), filled with bulk
``INSERT ... SELECT`` (10,000 CoPs; ``--sent`` sent reminders spread over the past year,
each with its sent message; ``--planned`` planned ones over the next 90 days, of which 50
are due now; 20 reminders part-way through delivery with a message due again after a 429),
then the tick's queries are timed through the real repositories, each in its own
transaction as ``bot.outbox`` runs them: ``due_ids`` (reminders due now), ``reminders_due``
(messages due again), and recovery's two ``stale`` queries. Then migration 0009 runs on the
filled tables (its duration is a figure too) and the same queries are timed again.
Figures: median and p95 per query before and after, the ratio after/before (baseline: the
same query before the indexes, same run) and the query plans (``EXPLAIN QUERY PLAN`` /
``EXPLAIN``). Goal: each tick query under 5 ms after. Last, one ``reminders.prune`` pass (a
housekeeping batch) is timed.

SQLite in a temp dir always (not ANALYZEd, as in production); PostgreSQL when ``--postgres``
or ``COPBOT_TEST_POSTGRES_URL`` gives a URL: in a schema of its own (``bench_scheduler``,
dropped at the end), so the database's ``public`` schema (the tests') is left alone;
ANALYZEd after the load, as autovacuum would. Appends to ``bench/results.jsonl``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import append_results, median, percentile
from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.services import reminders
from bot.services.unit import Unit
from storage.db import create_engine, create_sessions
from storage.migrate import upgrade
from storage.models import Community
from storage.repositories.deliveries import DeliveryRepository
from storage.repositories.reminders import ReminderRepository

COPS = 10_000
DUE_NOW = 50
DELIVERING = 20
BATCH = 500  # bot.outbox.BATCH
GOAL_MS = 5.0
SCHEMA = "bench_scheduler"
NOW = datetime.now(UTC).replace(microsecond=0)

Query = Callable[[AsyncSession], Awaitable[object]]
QUERIES: dict[str, Query] = {
    "tick: reminders due": lambda s: ReminderRepository(s).due_ids(NOW, BATCH),
    "tick: messages due again": lambda s: DeliveryRepository(s).reminders_due(NOW, BATCH),
    "recover: stale reminders": lambda s: ReminderRepository(s).stale(NOW - timedelta(minutes=5)),
    "recover: stale messages": lambda s: DeliveryRepository(s).stale(NOW - timedelta(minutes=5)),
}


def _sqlite_at(seconds: str) -> str:
    """A time `seconds` (an SQL expression) from :now, as SQLAlchemy stores it in SQLite."""
    return f"strftime('%Y-%m-%d %H:%M:%S', :now, ({seconds}) || ' seconds') || '.000000'"


def _fill_sql(dialect: str) -> list[str]:
    """INSERT ... SELECT statements over a number sequence (n = 1..count)."""
    if dialect == "sqlite":
        seq = (
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {count})"
        )
        at = _sqlite_at
        source = "FROM seq"
    else:
        seq = ""

        def at(seconds: str) -> str:
            return f"CAST(:now AS timestamptz) + ({seconds}) * interval '1 second'"

        source = "FROM generate_series(1, {count}) AS seq(n)"
    columns = (
        "(id, community_id, kind, key, due_at, status, attempts, chat_id, message_id, note,"
        " sent_at, created_at)"
    )
    year = 365 * 86400
    sent_due = at(f"-{year} + n * {{step}}")
    planned_due = at("60 + n * {step}")
    return [
        f"{seq} INSERT INTO reminders {columns} SELECT n, n % {COPS} + 1, 'weekly',"
        f" 'sent:' || n, {sent_due}, 'sent', 1, -n, n, '', {sent_due}, {sent_due} {source}",
        f"{seq} INSERT INTO deliveries (id, reminder_id, community_id, chat_id, position, text,"
        f" status, attempts, due_at, message_id, note, sent_at) SELECT n, n, n % {COPS} + 1, -n,"
        f" 0, '', 'sent', 1, {sent_due}, n, '', {sent_due} {source}",
        f"{seq} INSERT INTO reminders {columns} SELECT {{offset}} + n, n % {COPS} + 1, 'weekly',"
        f" 'planned:' || n, {planned_due}, 'planned', 0, NULL, NULL, '', NULL, {at('0')} {source}",
    ]


async def _fill(engine: AsyncEngine, planned: int, sent: int) -> float:
    started = time.perf_counter()
    dialect = engine.dialect.name
    now: Any = NOW.strftime("%Y-%m-%d %H:%M:%S") if dialect == "sqlite" else NOW
    async with engine.begin() as connection:
        await connection.execute(
            insert(Community),
            [
                {
                    "id": i,
                    "chat_id": -1_000_000 - i,
                    "chat_type": "group",
                    "name": f"CoP {i}",
                    "theme": "",
                    "language": "en",
                    "timezone": "Europe/Amsterdam",
                    "status": "active",
                    "settings": {},
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for i in range(1, COPS + 1)
            ],
        )
        sent_rows, messages, planned_rows = _fill_sql(dialect)
        step = 365 * 86400 // sent  # seconds between two sent rows: a year's spread
        await connection.execute(text(sent_rows.format(count=sent, step=step)), {"now": now})
        await connection.execute(text(messages.format(count=sent, step=step)), {"now": now})
        step = 90 * 86400 // planned
        await connection.execute(
            text(planned_rows.format(count=planned, offset=sent, step=step)), {"now": now}
        )
        # Due now: 50 planned reminders; 20 delivering ones with a message due again.
        first = sent + planned
        await connection.execute(
            text("UPDATE reminders SET due_at = :due WHERE id > :a AND id <= :b"),
            {"due": _stored(dialect, NOW - timedelta(seconds=30)), "a": sent, "b": sent + DUE_NOW},
        )
        for i in range(1, DELIVERING + 1):
            rid = first + i
            await connection.execute(
                text(
                    "INSERT INTO reminders (id, community_id, kind, key, due_at, status, attempts,"
                    " note, created_at) VALUES (:id, :c, 'nudge', :key, :due, 'delivering', 1,"
                    " '', :due)"
                ),
                {"id": rid, "c": i, "key": f"delivering:{i}", "due": _stored(dialect, NOW)},
            )
            await connection.execute(
                text(
                    "INSERT INTO deliveries (id, reminder_id, community_id, chat_id, position,"
                    " text, status, attempts, due_at, note) VALUES (:id, :r, :c, :chat, 0,"
                    " 'Will you come?', 'planned', 1, :due, 'rate limited')"
                ),
                {
                    "id": sent + i,
                    "r": rid,
                    "c": i,
                    "chat": i,
                    "due": _stored(dialect, NOW - timedelta(seconds=10)),
                },
            )
        if dialect == "postgresql":
            for table in ("reminders", "deliveries"):
                await connection.execute(
                    text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
    if dialect == "postgresql":
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE reminders"))
            await connection.execute(text("VACUUM ANALYZE deliveries"))
    return time.perf_counter() - started


def _stored(dialect: str, moment: datetime) -> Any:
    """A bound time in the form the column holds (SQLite: SQLAlchemy's text format)."""
    if dialect == "sqlite":
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment


async def _plans(engine: AsyncEngine) -> dict[str, str]:
    """Each query's plan, with the statement and parameters the repository really sends."""
    captured: list[tuple[str, Any]] = []

    def _capture(_c: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        captured.append((statement, params))

    plans = {}
    sessions = create_sessions(engine)
    for name, query in QUERIES.items():
        captured.clear()
        event.listen(engine.sync_engine, "before_cursor_execute", _capture)
        async with sessions.begin() as session:
            await query(session)
        event.remove(engine.sync_engine, "before_cursor_execute", _capture)
        statement, params = captured[-1]
        explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
        async with engine.connect() as connection:
            result = await connection.exec_driver_sql(explain + statement, params)
            lines = [" ".join(str(c) for c in row[-1:]) for row in result]
        plans[name] = "\n".join(lines)
    return plans


async def _time(engine: AsyncEngine, runs: int) -> dict[str, dict[str, float]]:
    sessions = create_sessions(engine)
    figures = {}
    for name, query in QUERIES.items():
        async with sessions.begin() as session:
            found = await query(session)  # warm-up, and a check the data is what we meant
        assert isinstance(found, list)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            async with sessions.begin() as session:
                await query(session)
            samples.append((time.perf_counter() - started) * 1000)
        figures[name] = {
            "median_ms": median(samples),
            "p95_ms": percentile(samples, 95),
            "rows": len(found),
        }
    return figures


async def measure(url: str, planned: int, sent: int, runs: int) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if url.startswith("postgresql"):
        kwargs["connect_args"] = {"server_settings": {"search_path": SCHEMA}}
        admin = create_engine(url)
        async with admin.begin() as connection:
            await connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            await connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        await admin.dispose()
    engine = create_engine(url, **kwargs)
    try:
        await upgrade(engine, "0008")
        fill_s = await _fill(engine, planned, sent)
        print(f"  filled in {fill_s:.1f} s")
        before = await _time(engine, max(3, runs // 5))
        plans_before = await _plans(engine)
        started = time.perf_counter()
        await upgrade(engine)
        migrate_s = time.perf_counter() - started
        print(f"  migration 0009 on the filled tables: {migrate_s:.1f} s")
        if engine.dialect.name == "postgresql":
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("ANALYZE reminders"))
                await connection.execute(text("ANALYZE deliveries"))
        after = await _time(engine, runs)
        plans_after = await _plans(engine)
        sessions = create_sessions(engine)
        started = time.perf_counter()
        async with sessions.begin() as session:
            pruned = await reminders.prune(Unit(session, NOW))
        prune_ms = (time.perf_counter() - started) * 1000
        return {
            "fill_s": fill_s,
            "migrate_s": migrate_s,
            "before": before,
            "after": after,
            "plans_before": plans_before,
            "plans_after": plans_after,
            "pruned": pruned,
            "prune_ms": prune_ms,
        }
    finally:
        if engine.dialect.name == "postgresql":
            async with engine.begin() as connection:
                await connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        await engine.dispose()


def _asyncpg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+asyncpg://", 1) if "+" not in url else url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("COPBOT_TEST_POSTGRES_URL", ""))
    parser.add_argument("--planned", type=int, default=250_000)
    parser.add_argument("--sent", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50, help="timed runs per query after")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.jsonl"))
    args = parser.parse_args()

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="copbot-bench-") as tmp:
        targets = [("sqlite", f"sqlite+aiosqlite:///{Path(tmp) / 'scheduler.db'}")]
        if args.postgres:
            targets.append(("postgresql", _asyncpg(args.postgres)))
        else:
            print("no --postgres URL nor COPBOT_TEST_POSTGRES_URL: SQLite only")
        for backend, url in targets:
            print(f"{backend}: {args.planned:,} planned, {args.sent:,} sent reminders")
            results[backend] = asyncio.run(measure(url, args.planned, args.sent, args.runs))

    rows = []
    met = True
    print(f"\n{'backend':<11}{'query':<27}{'before ms':>10}{'after ms':>10}{'p95':>8}"
          f"{'after/before':>13}{'rows':>6}  goal < {GOAL_MS:g} ms")  # fmt: skip
    for backend, r in results.items():
        for name in QUERIES:
            b, a = r["before"][name], r["after"][name]
            ratio = a["median_ms"] / b["median_ms"]
            within = a["median_ms"] < GOAL_MS
            met = met and (within or not name.startswith("tick"))
            print(
                f"{backend:<11}{name:<27}{b['median_ms']:>10.2f}{a['median_ms']:>10.2f}"
                f"{a['p95_ms']:>8.2f}{ratio:>13.4f}{a['rows']:>6}  {'yes' if within else 'NO'}"
            )
            rows.append(
                {
                    "benchmark": "scheduler",
                    "figure": name,
                    "backend": backend,
                    "planned": args.planned,
                    "sent": args.sent,
                    "value": round(a["median_ms"], 3),
                    "unit": "ms",
                    "p95_ms": round(a["p95_ms"], 3),
                    "before_ms": round(b["median_ms"], 3),
                    "rows": a["rows"],
                    "baseline": "the same query before migration 0009's indexes, same run",
                    "x_baseline": round(ratio, 5),
                    "goal": f"< {GOAL_MS:g} ms",
                    "within_goal": within,
                    "plan_before": r["plans_before"][name],
                    "plan_after": r["plans_after"][name],
                }
            )
        print(
            f"{backend:<11}migration 0009 took {r['migrate_s']:.2f} s; one prune pass "
            f"({r['pruned']} reminders) {r['prune_ms']:.0f} ms; fill {r['fill_s']:.0f} s"
        )
        rows.append(
            {
                "benchmark": "scheduler",
                "figure": "prune pass",
                "backend": backend,
                "value": round(r["prune_ms"], 1),
                "unit": "ms",
                "pruned": r["pruned"],
                "migrate_s": round(r["migrate_s"], 2),
                "baseline": None,
                "x_baseline": None,
                "goal": None,
                "within_goal": None,
            }
        )
    for backend, r in results.items():
        print(f"\nplans on {backend}, after (before):")
        for name in QUERIES:
            print(f"  {name}:\n    " + r["plans_after"][name].replace("\n", "\n    "))
            print("    (" + r["plans_before"][name].replace("\n", "\n     ") + ")")
    append_results(rows, args.out)
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
