"""Benchmark: database commits per second for the handlers' unit of work, SQLite vs PostgreSQL.

Run from the repository root::

    /work/venv/bin/python bench/bench_db.py [--seconds 5] [--workers 1,4,16] [--quick]

One *unit of work* is what a handler turn does to the database: ``services.sessions.begin()``,
read the CoP by chat id and the member by Telegram user id (as ``handlers.base._resolve``
does), add a ``Contribution`` (``ContributionRepository.add``, which flushes) and a ``Vote``
on it (``VoteRepository.add``), commit. K asyncio workers (default 1, 4, 16) run units back
to back for ``--seconds`` against one engine built by ``build_services`` (so
``storage.db.create_engine``'s defaults: SQLite in WAL mode with a 30 s busy timeout,
synchronous=NORMAL; SQLAlchemy's default pool), each worker on its own CoP.

Figures per backend and K: commits/s, mean and p99 latency of one unit, and errors:
``database is locked`` (``OperationalError`` containing "locked") and any other failure.
Baseline: K = 1 on SQLite. PostgreSQL (database ``copbot_bench`` on 127.0.0.1:5432) is
measured when it answers; ``--no-postgres`` skips it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    append_results,
    fresh_postgres,
    fresh_sqlite,
    percentile,
    postgres_answers,
)
from sqlalchemy import insert, select
from sqlalchemy.exc import OperationalError

from bot.app.context import Services, build_services
from bot.app.settings import Settings
from bot.services import communities, membership
from bot.services.unit import Unit
from storage.models import Community, Contribution, Member, Vote
from storage.repositories.codings import VoteRepository
from storage.repositories.contributions import ContributionRepository

TEXT = "a) Pupil A walks out of class when he gets angry\nb) How do we respond as a school?"


async def _seed(services: Services, cops: int) -> list[tuple[int, int, int, int]]:
    """``cops`` communities with one member each: (community id, chat id, user id, member id)."""
    now = services.clock()
    async with services.sessions.begin() as session:
        await session.execute(
            insert(Community),
            [
                {
                    "chat_id": -(5000 + i),
                    "chat_type": "group",
                    "name": f"CoP {i}",
                    "theme": "",
                    "language": "en",
                    "timezone": "Europe/Amsterdam",
                    "status": "active",
                    "settings": {},
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(cops)
            ],
        )
        rows = (await session.execute(select(Community.id, Community.chat_id))).all()
        await session.execute(
            insert(Member),
            [
                {
                    "community_id": cid,
                    "telegram_user_id": 900_000 + cid,
                    "display_name": f"Teacher {cid}",
                    "username": f"teacher{cid}",
                    "role": "member",
                    "status": "active",
                    "private_chat": False,
                    "joined_at": now,
                }
                for cid, _ in rows
            ],
        )
        members = dict((await session.execute(select(Member.community_id, Member.id))).all())
    return [(cid, chat, 900_000 + cid, members[cid]) for cid, chat in sorted(rows)]


async def _unit(services: Services, cop: tuple[int, int, int, int]) -> None:
    _, chat_id, user_id, _ = cop
    async with services.sessions.begin() as session:
        unit = Unit(session, services.clock())
        community = await communities.by_chat(unit, chat_id)
        assert community is not None
        member = await membership.member_of(unit, community.id, user_id)
        assert member is not None
        row = await ContributionRepository(session, community.id).add(
            Contribution(
                member_id=member.id,
                kind="decision",
                text=TEXT,
                data={"status": "proposed"},
                visibility="cop",
                created_at=unit.now,
                updated_at=unit.now,
            )
        )
        await VoteRepository(session, community.id).add(
            Vote(contribution_id=row.id, member_id=member.id, choice="agree", at=unit.now)
        )


async def measure(url: str, workers: int, seconds: float) -> dict[str, Any]:
    settings = Settings(_env_file=None, token="1:X", database_url=url)  # type: ignore[call-arg]
    services = build_services(settings)
    cops = await _seed(services, workers)
    latencies: list[float] = []
    errors = {"locked": 0, "other": 0}
    other: list[str] = []
    deadline = time.perf_counter() + seconds

    async def worker(cop: tuple[int, int, int, int]) -> None:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                await _unit(services, cop)
            except OperationalError as error:
                key = "locked" if "locked" in str(error).lower() else "other"
                errors[key] += 1
                other.append(str(error)[:120])
                continue
            except Exception as error:
                errors["other"] += 1
                other.append(f"{type(error).__name__}: {str(error)[:120]}")
                continue
            latencies.append(time.perf_counter() - start)

    try:
        for cop in cops[:1]:  # warm the pool and the statement cache
            await _unit(services, cop)
        started = time.perf_counter()
        await asyncio.gather(*(worker(cop) for cop in cops))
        elapsed = time.perf_counter() - started
    finally:
        await services.engine.dispose()
    return {
        "workers": workers,
        "commits": len(latencies),
        "commits_per_s": len(latencies) / elapsed,
        "mean_ms": sum(latencies) / len(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": percentile(latencies, 99) * 1000 if latencies else float("nan"),
        "locked": errors["locked"],
        "other_errors": errors["other"],
        "error_samples": sorted(set(other))[:3],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per backend and K")
    parser.add_argument("--workers", default="1,4,16")
    parser.add_argument("--quick", action="store_true", help="2 s per backend and K")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.jsonl"))
    args = parser.parse_args()
    seconds = 2.0 if args.quick else args.seconds
    counts = [int(k) for k in args.workers.split(",")]
    logging.basicConfig(level=logging.WARNING)

    backends = ["sqlite"]
    if not args.no_postgres:
        if postgres_answers():
            backends.append("postgresql")
        else:
            print("PostgreSQL does not answer on 127.0.0.1:5432: SQLite only")
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="copbot-bench-") as tmp:
        for backend in backends:
            for k in counts:
                if backend == "sqlite":
                    url = asyncio.run(fresh_sqlite(Path(tmp) / f"db{k}.db"))
                else:
                    url = asyncio.run(fresh_postgres())
                results.append({"backend": backend, **asyncio.run(measure(url, k, seconds))})

    base = results[0]["commits_per_s"]
    print(f"\ncommits/s for the handler unit of work, {seconds:.0f} s per row")
    print(
        f"{'backend':<12}{'K':>4}{'commits':>9}{'commits/s':>11}{'x base':>8}"
        f"{'mean ms':>9}{'p99 ms':>9}{'locked':>8}{'other':>7}"
    )
    rows = []
    for r in results:
        x = r["commits_per_s"] / base
        print(
            f"{r['backend']:<12}{r['workers']:>4}{r['commits']:>9}{r['commits_per_s']:>11.0f}"
            f"{x:>8.2f}{r['mean_ms']:>9.2f}{r['p99_ms']:>9.2f}{r['locked']:>8}{r['other_errors']:>7}"
        )
        for sample in r["error_samples"]:
            print(f"    error: {sample}")
        rows.append(
            {
                "benchmark": "db",
                "figure": "commits_per_s",
                "backend": r["backend"],
                "workers": r["workers"],
                "seconds": seconds,
                "value": round(r["commits_per_s"], 1),
                "unit": "commits/s",
                "mean_ms": round(r["mean_ms"], 2),
                "p99_ms": round(r["p99_ms"], 2),
                "locked_errors": r["locked"],
                "other_errors": r["other_errors"],
                "baseline": "1 worker on SQLite, same run",
                "x_baseline": round(x, 3),
                "goal": "0 'database is locked' errors",
                "within_goal": r["locked"] == 0,
            }
        )
    append_results(rows, args.out)
    return 0 if all(r["locked"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
