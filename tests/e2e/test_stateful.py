"""A stateful fuzzer: two CoPs with an overlapping member, in groups and private chats,
pressing buttons (real and forged from the other CoP), replying, and a clock that moves
and runs the reminder outbox. Hypothesis draws each step from the state so far and, when
a property breaks, shrinks the run to the shortest sequence that breaks it.

After every step:
- nothing reached the error handler (every failure is a friendly answer);
- Telegram (the sandbox) refused nothing the bot sent (length, entities, markup);
- nothing of one CoP appears in the other CoP's group: its name or its members' markers.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from bot.app.context import build_services
from bot.app.root import build_application
from bot.app.sender import TelegramSender
from bot.app.settings import Settings
from bot.clock import ManualClock
from bot.outbox import run_due
from bot.sandbox import Sandbox, SandboxChat, SandboxDriver, SandboxUser
from tests.conftest import START, Cop

COMMANDS = (
    "/help",
    "/members",
    "/join",
    "/leave",
    "/meetings",
    "/agenda",
    "/absent",
    "/issues",
    "/issues close",
    "/mine",
    "/code",
    "/development",
    "/shared",
    "/shared history",
    "/qualities",
    "/qualities close",
    "/nominate",
    "/profile",
    "/used",
    "/insight",
    "/reading",
    "/decide",
    "/decisions",
    "/share",
    "/document",
    "/cop",
    "/cancel",
    "/privacy",
    "/plan",
    "/reminders",
    "/weekly",
    "/nonsense",
)
TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["<b>x</b>", "&amp;", "*bold*", "\u202eevil", "Pietje Puk zit in groep 5", ""]),
)
NAMES = {"A": "CoP Alfa", "B": "CoP Beta"}


class Counting(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("handlers.errors"):
            self.failures.append(record.getMessage().splitlines()[0])


class TwoCops(RuleBasedStateMachine):
    """The world: Fenna facilitates Alfa, Gerda facilitates Beta; Anna is in both."""

    template: Path  # set by the test

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.folder = Path(tempfile.mkdtemp())
        self.counting = Counting()
        logging.getLogger().addHandler(self.counting)

    def run(self, step: object) -> None:
        self.loop.run_until_complete(step)  # type: ignore[arg-type]

    @initialize()
    def start(self) -> None:
        self.run(self._start())

    async def _start(self) -> None:
        path = self.folder / "copbot.db"
        shutil.copy(self.template, path)
        self.clock = ManualClock(START)
        self.sandbox = sb = Sandbox(clock=self.clock)
        settings_ = Settings(
            _env_file=None, token=sb.token, database_url=f"sqlite+aiosqlite:///{path}"
        )
        self.services = build_services(settings_, clock=self.clock)
        self.app = build_application(
            self.services,
            request=sb.request(),
            get_updates_request=sb.request(),
            rate_limits=False,
            timers=False,
        )
        self.driver = SandboxDriver(sb, self.app)
        await self.driver.__aenter__()
        fenna, gerda = sb.user("Fenna", language_code="en"), sb.user("Gerda", language_code="en")
        anna, bram, cas = (sb.user(n, language_code="en") for n in ("Anna", "Bram", "Cas"))
        self.groups: dict[str, SandboxChat] = {}
        self.people: dict[str, list[SandboxUser]] = {
            "A": [fenna, anna, bram],
            "B": [gerda, anna, cas],
        }
        for key, facilitator in (("A", fenna), ("B", gerda)):
            members = self.people[key]
            group = sb.group(f"group {key}", members=members, admins=[facilitator])
            await sb.add_bot(group, by=facilitator)
            cop = Cop(sb, group, facilitator, members[1:])
            await cop.setup(name=NAMES[key], language="English" if key == "A" else "Nederlands")
            await cop.join(*members[1:])
            self.groups[key] = group
        await sb.send(fenna, self.groups["A"], "/issues")

    def teardown(self) -> None:
        if hasattr(self, "driver"):
            self.run(self.driver.__aexit__(None, None, None))
            self.run(self.services.engine.dispose())
        logging.getLogger().removeHandler(self.counting)
        self.loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _who(self, key: str, index: int) -> SandboxUser:
        people = self.people[key]
        return people[index % len(people)]

    @rule(
        key=st.sampled_from("AB"),
        who=st.integers(0, 2),
        command=st.sampled_from(COMMANDS),
        text=TEXT,
    )
    def command_in_group(self, key: str, who: int, command: str, text: str) -> None:
        marker = f"MARK{key}{who}"
        self.run(
            self.sandbox.send(self._who(key, who), self.groups[key], f"{command} {text} {marker}")
        )

    @rule(
        key=st.sampled_from("AB"),
        who=st.integers(0, 2),
        command=st.sampled_from(COMMANDS),
        text=TEXT,
    )
    def command_in_private(self, key: str, who: int, command: str, text: str) -> None:
        self.run(self.sandbox.dm(self._who(key, who), f"{command} {text}".strip() or "?"))

    @rule(key=st.sampled_from("AB"), who=st.integers(0, 2), text=TEXT, back=st.integers(0, 5))
    def reply_in_group(self, key: str, who: int, text: str, back: int) -> None:
        said = self.sandbox.bot_messages(self.groups[key])
        if said:
            target = said[-1 - back % len(said)]
            words = f"{text} MARK{key}{who}"
            self.run(
                self.sandbox.send(self._who(key, who), self.groups[key], words, reply_to=target)
            )

    @rule(
        key=st.sampled_from("AB"),
        who=st.integers(0, 2),
        pick=st.integers(0, 10_000),
        private=st.booleans(),
    )
    def press_a_button(self, key: str, who: int, pick: int, private: bool) -> None:
        user = self._who(key, who)
        chat = self.sandbox.private_chat(user) if private else self.groups[key]
        buttons = [
            (m, data)
            for m in self.sandbox.bot_messages(chat)
            if not m.deleted
            for row in m.buttons
            for _t, data in row
            if data
        ]
        if buttons:
            message, data = buttons[pick % len(buttons)]
            self.run(self.sandbox.press_data(user, message, data))

    @rule(key=st.sampled_from("AB"), who=st.integers(0, 2), pick=st.integers(0, 10_000))
    def press_the_other_cops_button(self, key: str, who: int, pick: int) -> None:
        """Callback data of the other CoP's group, sent from this CoP's group (forged)."""
        other = self.groups["B" if key == "A" else "A"]
        foreign = [
            data
            for m in self.sandbox.bot_messages(other)
            for row in m.buttons
            for _t, data in row
            if data
        ]
        own = [m for m in self.sandbox.bot_messages(self.groups[key]) if not m.deleted]
        if foreign and own:
            self.run(
                self.sandbox.press_data(self._who(key, who), own[-1], foreign[pick % len(foreign)])
            )

    @rule(hours=st.integers(1, 96))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(timedelta(hours=hours))
        self.run(run_due(self.services, TelegramSender(self.app.bot)))

    @invariant()
    def nothing_failed(self) -> None:
        if not hasattr(self, "sandbox"):
            return
        assert self.counting.failures == []
        assert sum(self.sandbox.errors.values()) == 0, self.sandbox.errors

    @invariant()
    def the_cops_stay_apart(self) -> None:
        if not hasattr(self, "groups"):
            return
        for key, group in self.groups.items():
            other = "B" if key == "A" else "A"
            for message in self.sandbox.bot_messages(group):
                assert NAMES[other] not in message.content, message.content
                assert f"MARK{other}" not in message.content, message.content


def test_two_cops_under_random_steps_never_fail_or_leak(sqlite_template: Path) -> None:
    TwoCops.template = sqlite_template
    run_state_machine_as_test(
        TwoCops,
        settings=settings(
            max_examples=12,
            stateful_step_count=30,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
