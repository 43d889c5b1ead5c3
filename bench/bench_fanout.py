"""Benchmark: deliver one reminder to each of N groups under Telegram's flood limits.

Run from the repository root::

    .venv/bin/python bench/bench_fanout.py [--groups 1000] [--latency-ms 100] [--in-flight 8]
                                           [--compare] [--postgres] [--quick]

Default N = 1,000 groups at 100 ms per Bot API call: Telegram's floor at 30 messages/s is
33.3 s. ``--quick`` uses 300 groups (floor 10 s); ``--compare`` first runs the same fan-out
one send at a time (``outbox_in_flight=1``, how the outbox sent before issue 13).

Setup: N communities, each with one due ``weekly`` reminder (no meetings, so the text is
composed; the unique key is per community, ``due_at`` = now, status planned), inserted
directly with SQLAlchemy into a freshly migrated database; N sandbox groups with the bot as
a member. The sandbox answers each call after ``--latency-ms`` (half before it serves the
call, half before it answers: a round trip) and enforces Telegram's limits with a fault
function: a ``sendMessage`` gets 429 (``retry_after`` = seconds until the window frees) when
30 calls already happened in the last second overall, or 20 in the last 60 s to the same
chat. Rejected calls do not count towards the windows.

The bot side is the real thing: ``build_application(..., rate_limits=True)`` (PTB's
``AIORateLimiter`` as in production: 30/s as a steady pace, 20/min per group,
``max_retries=0``), the system clock, ``outbox_in_flight`` = ``--in-flight``, and one call
of ``bot.outbox.run_due(services, TelegramSender(app.bot), batch=N)``, timed. Figures: wall
time; the floor, max(N/30 s, N x latency / in flight) + one latency; their ratio (goal
<= 1.1); 429s (goal 0); the most sends the sandbox saw under way at once; messages
delivered (must equal N).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import sys
import tempfile
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import append_results, fresh_postgres, fresh_sqlite, postgres_answers
from sqlalchemy import insert, select

from bot.app.context import build_services
from bot.app.root import build_application
from bot.app.sender import TelegramSender
from bot.app.settings import Settings
from bot.outbox import run_due
from bot.sandbox import Sandbox, SandboxDriver
from bot.sandbox.api import ApiError, retry_after
from storage.models import Community, Reminder

OVERALL_PER_S = 30
PER_CHAT_PER_MIN = 20
GOAL_RATIO = 1.1


class FloodControl:
    """Sliding windows of accepted sendMessage calls: 30 per 1 s overall, 20 per 60 s per chat."""

    def __init__(self) -> None:
        self.overall: deque[float] = deque()
        self.per_chat: dict[str, deque[float]] = defaultdict(deque)
        self.rejected = 0
        self.accepted = 0
        self.first: float | None = None
        self.last: float | None = None

    def __call__(self, method: str, params: dict[str, Any]) -> ApiError | None:
        if method != "sendMessage":
            return None
        now = time.monotonic()
        while self.overall and now - self.overall[0] >= 1.0:
            self.overall.popleft()
        chat = self.per_chat[str(params.get("chat_id"))]
        while chat and now - chat[0] >= 60.0:
            chat.popleft()
        wait = 0.0
        if len(self.overall) >= OVERALL_PER_S:
            wait = max(wait, 1.0 - (now - self.overall[0]))
        if len(chat) >= PER_CHAT_PER_MIN:
            wait = max(wait, 60.0 - (now - chat[0]))
        if wait > 0:
            self.rejected += 1
            return retry_after(max(1, math.ceil(wait)))
        self.overall.append(now)
        chat.append(now)
        self.accepted += 1
        self.first = self.first if self.first is not None else now
        self.last = now
        return None


async def _fill(services: Any, sandbox: Sandbox, groups: int) -> None:
    """N communities (chat ids of N fresh sandbox groups), one due weekly reminder each."""
    founder = sandbox.user("Fenna", username="fenna", language_code="en")
    chat_ids = []
    for i in range(groups):
        chat = sandbox.group(f"CoP {i}", members=[founder], admins=[founder])
        chat.bot_status = "member"
        chat_ids.append(chat.id)
    now = services.clock()
    async with services.sessions.begin() as session:
        for start in range(0, groups, 1000):
            await session.execute(
                insert(Community),
                [
                    {
                        "chat_id": chat_id,
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
                    for i, chat_id in enumerate(chat_ids[start : start + 1000], start)
                ],
            )
        ids = list(await session.scalars(select(Community.id).order_by(Community.id)))
        for start in range(0, groups, 1000):
            await session.execute(
                insert(Reminder),
                [
                    {
                        "community_id": cid,
                        "kind": "weekly",
                        "key": f"weekly:0:{now.strftime('%Y%m%dT%H%MZ')}",
                        "due_at": now,
                        "status": "planned",
                        "attempts": 0,
                        "note": "",
                        "created_at": now,
                    }
                    for cid in ids[start : start + 1000]
                ],
            )


async def fan_out(url: str, groups: int, in_flight: int, latency_ms: float) -> dict[str, Any]:
    sandbox = Sandbox()
    flood = FloodControl()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, token=sandbox.token, database_url=url, outbox_in_flight=in_flight
    )
    services = build_services(settings)  # system clock: the limiter works in real time
    app = build_application(
        services,
        request=sandbox.request(),
        get_updates_request=sandbox.request(),
        rate_limits=True,
        timers=False,
    )
    try:
        await _fill(services, sandbox, groups)
        async with SandboxDriver(sandbox, app):
            sandbox.faults.append(flood)
            sandbox.latency = latency_ms / 1000
            before = sandbox.calls["sendMessage"]
            start = time.perf_counter()
            report = await run_due(services, TelegramSender(app.bot), batch=groups)
            wall = time.perf_counter() - start
            calls = sandbox.calls["sendMessage"] - before
            sandbox.latency = 0.0
            sandbox.faults.remove(flood)
    finally:
        await services.engine.dispose()
    delivered = sum(
        1 for chat in sandbox.chats.values() if chat.type == "group" and sandbox.bot_messages(chat)
    )
    floor = floor_s(groups, in_flight, latency_ms)
    return {
        "in_flight": in_flight,
        "latency_ms": latency_ms,
        "groups": groups,
        "wall_s": wall,
        "floor_s": floor,
        "ratio": wall / floor,
        "send_calls": calls,
        "most_in_flight": sandbox.most_in_flight["sendMessage"],
        "http_429": flood.rejected,
        "delivered": delivered,
        "report": {
            "sent": report.sent,
            "retried": report.retried,
            "failed": report.failed,
            "skipped": report.skipped,
            "missed": report.missed,
        },
    }


def floor_s(groups: int, in_flight: int, latency_ms: float) -> float:
    """Telegram's 30 messages/s, or, when fewer sends overlap than that allows, one round
    trip per message spread over `in_flight` lanes (plus the last one's round trip)."""
    latency = latency_ms / 1000
    return max(groups / OVERALL_PER_S, groups * latency / in_flight) + latency


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="300 groups (floor 10 s)")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--latency-ms", type=float, default=100.0, help="each Bot API call's round trip"
    )
    parser.add_argument(
        "--in-flight", type=int, default=8, help="sends at once (setting outbox_in_flight)"
    )
    parser.add_argument(
        "--compare", action="store_true", help="first run one send at a time (as before 13)"
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.jsonl"))
    args = parser.parse_args()
    groups = 300 if args.quick else args.groups
    logging.basicConfig(level=logging.ERROR)
    # With max_retries=0 PTB logs every 429 at ERROR with a traceback; we count them instead.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    backend = "postgresql" if args.postgres else "sqlite"
    print(
        f"fan-out to {groups} groups on {backend}, {args.latency_ms:g} ms per Bot API call; "
        f"Telegram's floor {groups / OVERALL_PER_S:.1f} s"
    )

    results = []
    variants = [1, args.in_flight] if args.compare else [args.in_flight]
    with tempfile.TemporaryDirectory(prefix="copbot-bench-") as tmp:
        for in_flight in variants:
            if args.postgres:
                if not postgres_answers():
                    print("PostgreSQL does not answer on 127.0.0.1:5432")
                    return 2
                url = asyncio.run(fresh_postgres())
            else:
                url = asyncio.run(fresh_sqlite(Path(tmp) / f"fanout{in_flight}.db"))
            results.append(asyncio.run(fan_out(url, groups, in_flight, args.latency_ms)))

    print(
        f"{'in flight':>9}{'latency':>9}{'time s':>8}{'floor s':>9}{'ratio':>7}{'429s':>6}"
        f"{'most at once':>14}{'delivered':>11}"
    )
    rows = []
    for r in results:
        print(
            f"{r['in_flight']:>9}{r['latency_ms']:>7g}ms{r['wall_s']:>8.1f}{r['floor_s']:>9.1f}"
            f"{r['ratio']:>7.2f}{r['http_429']:>6}{r['most_in_flight']:>14}{r['delivered']:>11}"
            f"   run_due: {r['report']}"
        )
        ok = r["ratio"] <= GOAL_RATIO and r["http_429"] == 0 and r["delivered"] == groups
        common = {
            "benchmark": "fanout",
            "backend": backend,
            "groups": groups,
            "in_flight": r["in_flight"],
            "latency_ms": r["latency_ms"],
            "baseline": "floor: max(N/30 s, N x latency / in flight) + latency",
        }
        rows += [
            {
                **common,
                "figure": "fanout_wall_s",
                "value": round(r["wall_s"], 2),
                "unit": "s",
                "floor_s": round(r["floor_s"], 2),
                "x_baseline": round(r["ratio"], 3),
                "goal": f"x_baseline <= {GOAL_RATIO}",
                "within_goal": r["ratio"] <= GOAL_RATIO,
            },
            {
                **common,
                "figure": "fanout_http_429",
                "value": r["http_429"],
                "unit": "responses",
                "goal": "0",
                "within_goal": r["http_429"] == 0,
            },
            {
                **common,
                "figure": "fanout_delivered",
                "value": r["delivered"],
                "unit": "messages",
                "run_due": r["report"],
                "most_in_flight": r["most_in_flight"],
                "goal": f"== {groups}",
                "within_goal": r["delivered"] == groups,
            },
        ]
        if not ok:
            print(f"  -> misses the goal (ratio <= {GOAL_RATIO}, 0 x 429, all delivered)")
    append_results(rows, args.out)
    last = results[-1]
    return (
        0
        if last["ratio"] <= GOAL_RATIO and last["http_429"] == 0 and last["delivered"] == groups
        else 1
    )


if __name__ == "__main__":
    raise SystemExit(main())
