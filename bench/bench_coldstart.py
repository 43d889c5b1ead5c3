"""Benchmark: cold start, process start to the first handled update, with 10,000 CoPs.

Run from the repository root::

    /work/venv/bin/python bench/bench_coldstart.py [--cops 10000] [--runs 5] [--quick]

The database (SQLite) is filled once and reused between runs (``--db``, default
``$TMPDIR/copbot-bench/coldstart-<cops>.db``; refilled when its planned reminders are no
longer all in the future, or with ``--refill``): ``--cops`` communities with six members,
three planned meetings each (in 1, 3 and 5 weeks) and the reminder outbox planned by the
real ``bot.services.reminders.replan`` (about 25 rows per CoP).

Each run is a fresh ``python`` subprocess (this file with ``--child``) on a fresh copy of that
file. The copbot child does what ``copbot run`` does before it can answer: imports, builds the
services, runs ``storage.migrate.upgrade`` (a no-op on a migrated database), builds the
Application with the rate limiter and the minute timer, and starts it with the
``SandboxDriver`` (``initialize`` + ``post_init``: set the command menus, recover interrupted
reminders, schedule the timer; then polling). Then a member sends ``/meetings`` in the group
of CoP 1 and the child reports the wall-clock moment the bot had answered. The baseline
child is a bare PTB echo bot (one ``MessageHandler``) started and driven the same way with
the same message. The parent takes ``time.time()`` right before ``subprocess.run`` and
reports, per kind, the median over ``--runs``:

* ``to_first_update_s`` — parent's start of the subprocess → the bot had answered (the figure
  the ratio uses; goal ≤ 2 × the echo bot),
* ``in_process_s`` — ``perf_counter`` at the top of the child's entry → answered (without
  interpreter start-up),
* ``process_wall_s`` — the whole ``subprocess.run`` (includes shutting down).
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # as early as possible in the child

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GOAL_RATIO = 2.0
MESSAGE = "/meetings"


# ----------------------------------------------------------------------------- children


async def _child_copbot(db: Path) -> dict[str, object]:
    from bot.app.context import build_services
    from bot.app.root import build_application
    from bot.app.settings import Settings
    from bot.sandbox import Sandbox, SandboxDriver
    from storage.migrate import upgrade

    sandbox = Sandbox()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, token=sandbox.token, database_url=f"sqlite+aiosqlite:///{db}"
    )
    services = build_services(settings)
    await upgrade(services.engine)
    app = build_application(
        services,
        request=sandbox.request(),
        get_updates_request=sandbox.request(),
        rate_limits=True,
        timers=True,
    )
    fenna = sandbox.user("Fenna", username="fenna", language_code="en")
    group = sandbox.group("CoP 0", members=[fenna], admins=[fenna])  # chat id of community 1
    group.bot_status = "member"
    try:
        async with SandboxDriver(sandbox, app):
            await sandbox.send(fenna, group, MESSAGE)
            handled = time.time()
            since_entry = time.perf_counter() - T0
            reply = sandbox.last_bot_message(group)
    finally:
        await services.engine.dispose()
    return {"handled_at": handled, "in_process_s": since_entry, "reply": reply and reply.content}


async def _child_echo() -> dict[str, object]:
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from bot.sandbox import Sandbox, SandboxDriver

    async def echo(update, context):  # type: ignore[no-untyped-def]
        await update.message.reply_text(update.message.text)

    sandbox = Sandbox()
    app = (
        ApplicationBuilder()
        .token(sandbox.token)
        .request(sandbox.request())
        .get_updates_request(sandbox.request())
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    fenna = sandbox.user("Fenna", username="fenna", language_code="en")
    group = sandbox.group("CoP 0", members=[fenna], admins=[fenna])
    group.bot_status = "member"
    async with SandboxDriver(sandbox, app):
        await sandbox.send(fenna, group, MESSAGE)
        handled = time.time()
        since_entry = time.perf_counter() - T0
        reply = sandbox.last_bot_message(group)
    return {"handled_at": handled, "in_process_s": since_entry, "reply": reply and reply.content}


def child(kind: str, db: Path | None) -> int:
    import asyncio

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    result = asyncio.run(_child_copbot(db) if kind == "copbot" and db else _child_echo())
    print("RESULT " + json.dumps(result))
    return 0


# ------------------------------------------------------------------------------ filling


async def _fill(path: Path, cops: int) -> None:
    from datetime import timedelta

    from sqlalchemy import insert, select

    from bot.clock import system_clock
    from bot.services.reminders import replan
    from bot.services.unit import Unit
    from storage.db import checkpoint, create_engine, create_sessions
    from storage.models import Community, Meeting, Member

    sys.path.insert(0, str(HERE))
    from _common import fresh_sqlite

    url = await fresh_sqlite(path)
    engine = create_engine(url)
    sessions = create_sessions(engine)
    now = system_clock()
    first = (now + timedelta(days=7)).replace(hour=14, minute=0, second=0, microsecond=0)
    step = 1000
    for start in range(0, cops, step):
        chunk = range(start, min(cops, start + step))
        async with sessions.begin() as session:
            await session.execute(
                insert(Community),
                [
                    {
                        "chat_id": -(1001 + i),  # the sandbox's i-th group
                        "chat_type": "group",
                        "name": f"CoP {i}",
                        "theme": "Gedrag",
                        "language": "en",
                        "timezone": "Europe/Amsterdam",
                        "status": "active",
                        "settings": {},
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in chunk
                ],
            )
            ids = list(
                await session.scalars(
                    select(Community.id).where(Community.chat_id.in_([-(1001 + i) for i in chunk]))
                )
            )
            await session.execute(
                insert(Member),
                [
                    {
                        "community_id": cid,
                        "telegram_user_id": 1001 if m == 0 else 10**7 + cid * 10 + m,
                        "display_name": f"Member {m}",
                        "username": f"member{cid}_{m}",
                        "role": "facilitator" if m == 0 else "member",
                        "status": "active",
                        "private_chat": False,
                        "joined_at": now,
                    }
                    for cid in ids
                    for m in range(6)
                ],
            )
            await session.execute(
                insert(Meeting),
                [
                    {
                        "community_id": cid,
                        "number": n + 1,
                        "starts_at": first + timedelta(weeks=2 * n),
                        "duration_minutes": 90,
                        "location": "Room 4",
                        "status": "planned",
                        "agenda": {},
                        "sequence": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for cid in ids
                    for n in range(3)
                ],
            )
            unit = Unit(session, now)
            for cid in ids:
                await replan(unit, cid)
        print(f"  filled {min(cops, start + step)}/{cops} CoPs", flush=True)
    await checkpoint(engine)
    await engine.dispose()


def _usable(path: Path, cops: int) -> bool:
    """The file exists, has ``cops`` CoPs and no planned reminder due within an hour."""
    import sqlite3
    from datetime import UTC, datetime, timedelta

    if not path.exists():
        return False
    try:
        with sqlite3.connect(path) as connection:
            count = connection.execute("SELECT count(*) FROM communities").fetchone()[0]
            earliest = connection.execute(
                "SELECT min(due_at) FROM reminders WHERE status = 'planned'"
            ).fetchone()[0]
    except sqlite3.Error:
        return False
    if count != cops or earliest is None:
        return False
    soon = datetime.now(UTC) + timedelta(hours=1)
    moment = datetime.fromisoformat(str(earliest).replace(" ", "T"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment > soon


def _db_stats(path: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("communities", "members", "meetings", "reminders")
        } | {"size_bytes": path.stat().st_size}


# -------------------------------------------------------------------------------- parent


def _run_child(kind: str, db: Path | None) -> dict[str, float]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    if db is not None:
        command += ["--db", str(db)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    started = time.time()
    wall0 = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    wall = time.perf_counter() - wall0
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"{kind} child failed:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line[len("RESULT ") :])
    if kind == "copbot" and "Meeting" not in str(result["reply"]):
        raise SystemExit(f"copbot child answered unexpectedly: {result['reply']!r}")
    return {
        "to_first_update_s": result["handled_at"] - started,
        "in_process_s": result["in_process_s"],
        "process_wall_s": wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=["copbot", "echo"], help=argparse.SUPPRESS)
    parser.add_argument("--cops", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 runs each")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "results.jsonl")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.db)

    import asyncio

    sys.path.insert(0, str(HERE))
    from _common import append_results

    runs = 3 if args.quick else args.runs
    db = args.db or Path(tempfile.gettempdir()) / "copbot-bench" / f"coldstart-{args.cops}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    if args.refill or not _usable(db, args.cops):
        print(f"filling {db} with {args.cops} CoPs (once; reused by later runs)")
        started = time.perf_counter()
        asyncio.run(_fill(db, args.cops))
        print(f"  filled in {time.perf_counter() - started:.0f} s")
    stats = _db_stats(db)
    print(f"database: {stats}")

    results: dict[str, list[dict[str, float]]] = {"echo": [], "copbot": []}
    with tempfile.TemporaryDirectory(prefix="copbot-bench-") as tmp:
        for run in range(runs + 1):  # run 0 warms the page cache and .pyc files; not counted
            for kind in ("echo", "copbot"):
                copy = None
                if kind == "copbot":
                    copy = Path(tmp) / "copbot.db"
                    for suffix in ("-wal", "-shm"):
                        Path(f"{copy}{suffix}").unlink(missing_ok=True)
                    shutil.copyfile(db, copy)
                measured = _run_child(kind, copy)
                if run:
                    results[kind].append(measured)

    medians = {
        kind: {key: statistics.median(r[key] for r in rows) for key in rows[0]}
        for kind, rows in results.items()
    }
    ratio = medians["copbot"]["to_first_update_s"] / medians["echo"]["to_first_update_s"]
    print(f"\ncold start, {args.cops} CoPs, median of {runs} runs (fresh process each)")
    print(f"{'bot':<8}{'to 1st update s':>17}{'in-process s':>14}{'process wall s':>16}")
    for kind in ("echo", "copbot"):
        m = medians[kind]
        print(
            f"{kind:<8}{m['to_first_update_s']:>17.3f}{m['in_process_s']:>14.3f}"
            f"{m['process_wall_s']:>16.3f}"
        )
    print(f"ratio copbot/echo (to first update): {ratio:.2f} (goal <= {GOAL_RATIO})")

    common = {
        "benchmark": "coldstart",
        "backend": "sqlite",
        "cops": args.cops,
        "runs": runs,
        "database": stats,
        "baseline": "bare PTB echo bot cold start, same sandbox, same run",
    }
    rows = []
    for kind in ("echo", "copbot"):
        m = medians[kind]
        x = m["to_first_update_s"] / medians["echo"]["to_first_update_s"]
        row = {
            **common,
            "figure": f"{kind}_cold_start_s",
            "value": round(m["to_first_update_s"], 3),
            "unit": "s",
            "in_process_s": round(m["in_process_s"], 3),
            "process_wall_s": round(m["process_wall_s"], 3),
            "x_baseline": round(x, 3),
        }
        if kind == "copbot":
            row |= {"goal": f"x_baseline <= {GOAL_RATIO}", "within_goal": ratio <= GOAL_RATIO}
        rows.append(row)
    append_results(rows, args.out)
    return 0 if ratio <= GOAL_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
