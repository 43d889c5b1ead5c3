"""Benchmark: sustained handler throughput of copbot against a bare PTB echo bot.

Run from the repository root::

    /work/venv/bin/python bench/bench_throughput.py [--seconds 20] [--postgres] [--quick]

Both bots are real PTB ``Application``s polling the offline sandbox through
``SandboxDriver``, which makes every ``sandbox.send`` return only after the bot fully handled
the update (so one update is in flight at a time, as in one busy group).

copbot gets a CoP set up through the chat (``/setup``, five teachers ``/join`` + consent
button, ``/issues guard off``) and then the realistic mix, repeated for ``--seconds``:

    facilitator ``/issues``                        (opens a round: prompt row + message)
    5 × a teacher's reply to the round prompt     (answer + its shared part; progress reply)
    ``/used @bram Patience: ...``                 (a quality-use contribution + reply)
    ``/decide ... @chantal by <date>``             (an agreement + its vote message)
    facilitator ``/issues close``                  (closes the round + summary)

i.e. 9 updates a cycle, each a database write (plus the processed-update row) and a reply.
The baseline is an ``Application`` with a single ``MessageHandler`` that replies with the
text, driven through the *same* sequence of sends on the same kind of sandbox, in the same run.
Figures: updates/s of each, the ratio (goal ≥ 0.5), p50/p99 latency of one ``sandbox.send``.
Database: SQLite (WAL) in a temporary directory, or ``--postgres`` (database ``copbot_bench``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    append_results,
    fresh_postgres,
    fresh_sqlite,
    median,
    percentile,
    postgres_answers,
)
from sqlalchemy import event
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.app.context import build_services
from bot.app.root import build_application
from bot.app.settings import Settings
from bot.sandbox import Sandbox, SandboxDriver, SandboxMessage, SandboxUser

GOAL_RATIO = 0.5
GOAL_CPU_RATIO = 5.0  # issue 13: at most 5x the echo bot's CPU per update
ANSWER = "a) Pupil A walks out of class when he gets angry\nb) How do we respond as a school?"


class World:
    """One group with a facilitator and five teachers."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.fenna = sandbox.user(
            "Fenna", last_name="de Vries", username="fenna", language_code="en"
        )
        names = ["Anna", "Bram", "Chantal", "Dirk", "Emre"]
        self.teachers = [sandbox.user(n, username=n.lower(), language_code="en") for n in names]
        self.group = sandbox.group(
            "De Regenboog CoP", members=[self.fenna, *self.teachers], admins=[self.fenna]
        )
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.cpu_seconds = 0.0  # process CPU in the timed part (the sandbox's share included)
        self.statements = 0  # SQL statements so far (copbot's engine; the echo bot has none)
        self.statements_by_kind: dict[str, list[int]] = {}

    def last(self) -> SandboxMessage:
        message = self.sandbox.last_bot_message(self.group)
        assert message is not None, "the bot said nothing"
        return message

    async def send(
        self, kind: str, user: SandboxUser, text: str, reply_to: SandboxMessage | None = None
    ) -> None:
        start, statements = time.perf_counter(), self.statements
        await self.sandbox.send(user, self.group, text, reply_to=reply_to)
        elapsed = time.perf_counter() - start
        self.latencies.append(elapsed)
        self.by_kind.setdefault(kind, []).append(elapsed)
        self.statements_by_kind.setdefault(kind, []).append(self.statements - statements)

    async def cycle(self, due: str) -> int:
        """The handler mix; returns the number of updates sent."""
        anna, bram, chantal = self.teachers[:3]
        await self.send("issues", self.fenna, "/issues")
        prompt = self.last()
        for teacher in self.teachers:
            await self.send("answer", teacher, ANSWER, reply_to=prompt)
        await self.send("used", anna, "/used @bram Patience: he kept the group calm today")
        await self.send("decide", bram, f"/decide We observe with a tally sheet @chantal by {due}")
        await self.send("issues_close", self.fenna, "/issues close")
        del chantal
        return 9


async def _run_for(
    world: World, seconds: float, due: str, warmup_cycles: int = 1
) -> tuple[int, float]:
    for _ in range(warmup_cycles):
        await world.cycle(due)
    world.latencies.clear()
    world.by_kind.clear()
    world.statements_by_kind.clear()
    updates, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        updates += await world.cycle(due)
    world.cpu_seconds = time.process_time() - cpu
    return updates, time.perf_counter() - start


def _check(world: World, expect: str) -> None:
    text = world.last().content
    if expect not in text:
        raise SystemExit(f"unexpected bot reply (wanted {expect!r}): {text[:300]!r}")


async def copbot(url: str, seconds: float) -> dict[str, Any]:
    sandbox = Sandbox()
    world = World(sandbox)
    settings = Settings(_env_file=None, token=sandbox.token, database_url=url)  # type: ignore[call-arg]
    services = build_services(settings)

    def count(*_: Any) -> None:
        world.statements += 1

    event.listen(services.engine.sync_engine, "before_cursor_execute", count)
    due = (services.clock() + timedelta(days=21)).date().isoformat()
    app = build_application(
        services,
        request=sandbox.request(),
        get_updates_request=sandbox.request(),
        rate_limits=False,
        timers=False,
    )
    try:
        async with SandboxDriver(sandbox, app):
            await sandbox.add_bot(world.group, by=world.fenna)
            await _setup(world)
            updates, elapsed = await _run_for(world, seconds, due)
            _check(world, "closed")
    finally:
        await services.engine.dispose()
    return _figures("copbot", world, updates, elapsed, sandbox)


async def _setup(world: World) -> None:
    """/setup as the facilitator, five teachers /join with consent, guard off (as in tests)."""
    sb, fenna, group = world.sandbox, world.fenna, world.group
    await sb.send(fenna, group, "/setup")
    await sb.send(fenna, group, "CoP Gedrag", reply_to=world.last())
    await sb.press(fenna, world.last(), "Skip")
    await sb.press(fenna, world.last(), "English")
    await sb.press(fenna, world.last(), "Europe/Amsterdam")
    await sb.press(fenna, world.last(), world.last().buttons[0][0][0])
    for teacher in world.teachers:
        await sb.send(teacher, group, "/join")
        letter = world.last()
        await sb.press(teacher, letter, letter.buttons[0][0][0])
    await sb.send(fenna, group, "/issues guard off")
    _check(world, "")


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text(update.message.text or "")


async def echo(seconds: float) -> dict[str, Any]:
    sandbox = Sandbox()
    world = World(sandbox)
    app: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(sandbox.token)
        .request(sandbox.request())
        .get_updates_request(sandbox.request())
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    async with SandboxDriver(sandbox, app):
        await sandbox.add_bot(world.group, by=world.fenna)
        updates, elapsed = await _run_for(world, seconds, "2026-12-31")
    return _figures("echo", world, updates, elapsed, sandbox)


def _figures(
    name: str, world: World, updates: int, elapsed: float, sandbox: Sandbox
) -> dict[str, Any]:
    return {
        "bot": name,
        "updates": updates,
        "seconds": elapsed,
        "updates_per_s": updates / elapsed,
        "p50_ms": percentile(world.latencies, 50) * 1000,
        "p99_ms": percentile(world.latencies, 99) * 1000,
        "by_kind_ms": {k: round(median(v) * 1000, 2) for k, v in world.by_kind.items()},
        "cpu_ms_per_update": world.cpu_seconds / updates * 1000,
        "sql_by_kind": {k: round(median(v), 1) for k, v in world.statements_by_kind.items()},
        "sql_per_update": sum(map(sum, world.statements_by_kind.values())) / updates,
        "bot_api_calls": sum(sandbox.calls.values()) - sandbox.calls["getUpdates"],
        "errors": sum(sandbox.errors.values()),
    }


async def _profiled(run: Callable[[], Awaitable[dict[str, Any]]], path: Path) -> dict[str, Any]:
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    try:
        return await run()
    finally:
        profile.disable()
        profile.dump_stats(str(path))
        stats = pstats.Stats(str(path))
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="timed seconds per bot")
    parser.add_argument("--quick", action="store_true", help="5 s per bot")
    parser.add_argument("--postgres", action="store_true", help="copbot on PostgreSQL")
    parser.add_argument("--profile", type=Path, help="cProfile the copbot run into this file")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.jsonl"))
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    logging.basicConfig(level=logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="copbot-bench-") as tmp:
        if args.postgres:
            if not postgres_answers():
                print("PostgreSQL does not answer on 127.0.0.1:5432")
                return 2
            url = asyncio.run(fresh_postgres())
        else:
            url = asyncio.run(fresh_sqlite(Path(tmp) / "copbot.db"))
        backend = "postgresql" if args.postgres else "sqlite"
        base = asyncio.run(echo(seconds))
        if args.profile:
            cop = asyncio.run(_profiled(lambda: copbot(url, seconds), args.profile))
        else:
            cop = asyncio.run(copbot(url, seconds))

    ratio = cop["updates_per_s"] / base["updates_per_s"]
    print(f"\nhandler throughput, {backend}, {seconds:.0f} s per bot, 9-update mix")
    print(f"{'bot':<8}{'updates':>9}{'upd/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'api calls':>11}")
    for row in (base, cop):
        print(
            f"{row['bot']:<8}{row['updates']:>9}{row['updates_per_s']:>9.1f}"
            f"{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['bot_api_calls']:>11}"
        )
    print(f"copbot median ms by kind: {cop['by_kind_ms']}")
    print(f"ratio copbot/echo: {ratio:.2f} (goal >= {GOAL_RATIO})")
    cpu_ratio = cop["cpu_ms_per_update"] / base["cpu_ms_per_update"]
    print(
        f"CPU per update: copbot {cop['cpu_ms_per_update']:.2f} ms, echo "
        f"{base['cpu_ms_per_update']:.2f} ms: {cpu_ratio:.1f}x (goal <= {GOAL_CPU_RATIO}x)"
    )
    print(
        f"SQL statements per update: {cop['sql_per_update']:.1f}; "
        f"median by kind: {cop['sql_by_kind']}"
    )

    common = {"benchmark": "throughput", "backend": backend, "seconds": round(seconds, 1)}
    baseline = "bare PTB echo bot, same sends, same run"
    rows = [
        {
            **common,
            "figure": "echo_updates_per_s",
            "value": round(base["updates_per_s"], 1),
            "unit": "updates/s",
            "p50_ms": round(base["p50_ms"], 2),
            "p99_ms": round(base["p99_ms"], 2),
            "baseline": baseline,
            "x_baseline": 1.0,
        },
        {
            **common,
            "figure": "copbot_updates_per_s",
            "value": round(cop["updates_per_s"], 1),
            "unit": "updates/s",
            "p50_ms": round(cop["p50_ms"], 2),
            "p99_ms": round(cop["p99_ms"], 2),
            "by_kind_median_ms": cop["by_kind_ms"],
            "sql_per_update": round(cop["sql_per_update"], 2),
            "sql_by_kind_median": cop["sql_by_kind"],
            "baseline": baseline,
            "x_baseline": round(ratio, 3),
            "goal": f"x_baseline >= {GOAL_RATIO}",
            "within_goal": ratio >= GOAL_RATIO,
        },
    ]
    rows.append(
        {
            **common,
            "figure": "copbot_cpu_ms_per_update",
            "value": round(cop["cpu_ms_per_update"], 2),
            "unit": "ms CPU/update",
            "echo_cpu_ms_per_update": round(base["cpu_ms_per_update"], 2),
            "baseline": baseline,
            "x_baseline": round(cpu_ratio, 2),
            "goal": f"x_baseline <= {GOAL_CPU_RATIO}",
            "within_goal": cpu_ratio <= GOAL_CPU_RATIO,
        }
    )
    append_results(rows, args.out)
    return 0 if ratio >= GOAL_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
