"""Faults and hostile input (issue 8): 429 storms, privacy edges, isolation, fuzzed input."""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app.context import CopApplication, Services
from bot.clock import ManualClock
from bot.sandbox import Sandbox
from bot.sandbox.api import ApiError, retry_after
from storage.models import Contribution, Delivery, Reminder
from tests.conftest import Cop, Ticker, groups_with_a_due_reminder, last, rows, said
from tests.support.outbox import cops_with_a_due_nudge, next_due


@pytest.mark.fault
async def test_a_429_storm_during_a_fan_out_to_1000_groups_and_200_nudged_members(
    app: CopApplication,
    sandbox: Sandbox,
    services: Services,
    clock: ManualClock,
    tick: Ticker,
) -> None:
    """1,000 one-message reminders and 40 nudges of five private messages each: a 429 on
    any message holds back that message (and only it) until its retry_after."""
    groups = await groups_with_a_due_reminder(sandbox, services, 1000, clock())
    nudged = await cops_with_a_due_nudge(sandbox, services, 40, 5, clock())
    rng = random.Random(2026)
    windows: dict[int, datetime] = {}
    violations: list[int] = []
    storms = 0
    part_way = 0  # 429s that hit a nudge after an earlier member of it was served

    def storm(method: str, params: dict[str, object]) -> ApiError | None:
        nonlocal storms, part_way
        if method != "sendMessage":
            return None
        chat = int(str(params["chat_id"]))
        now = clock()
        until = windows.get(chat)
        if until is not None and now < until:
            violations.append(chat)
        if rng.random() < 0.15:
            seconds = rng.randint(3, 30)
            windows[chat] = now + timedelta(seconds=seconds)
            storms += 1
            cop = next((c for c in nudged if any(m.id == chat for m in c.members)), None)
            if cop and any(sandbox.bot_messages(sandbox.private_chat(m)) for m in cop.members):
                part_way += 1
            return retry_after(seconds)
        return None

    sandbox.faults.append(storm)
    for _ in range(200):
        await tick()
        due = await next_due(services)
        if due is None:
            break
        clock.set(max(due, clock()))
    assert storms > 100  # about 15% of the first pass, and of every retry
    assert part_way > 5  # the storm did hit reminders part-way through their messages
    assert violations == []  # nothing was sent to a chat inside its retry_after window
    for group in groups:
        assert len(sandbox.bot_messages(group)) == 1, group
    for cop in nudged:
        assert sandbox.bot_messages(cop.group) == []
        for member in cop.members:  # every silent member nudged, exactly once
            nudges = sandbox.bot_messages(sandbox.private_chat(member))
            assert len(nudges) == 1, (cop.group, member)
            assert "Are you coming to meeting 1 of Nudged CoP" in nudges[0].content
    assert {r.status for r in await rows(services, Reminder)} == {"sent"}
    assert {d.status for d in await rows(services, Delivery)} == {"sent"}
    metrics = services.metrics.render().decode()
    assert f'copbot_telegram_errors_total{{kind="429"}} {float(storms)}' in metrics


async def test_an_edit_after_leaving_brings_nothing_back(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/issues nudge off")
    await sandbox.send(ready.fenna, ready.group, "/issues")
    answer = await sandbox.send(
        ready.anna,
        ready.group,
        "Pupil A hides under the table",
        reply_to=last(sandbox, ready.group),
    )
    await sandbox.send(ready.anna, ready.group, "/leave")
    await sandbox.press(ready.anna, last(sandbox, ready.group), "Yes, leave and erase")
    assert [c for c in await rows(services, Contribution) if c.kind == "issue"] == []
    await sandbox.edit(ready.anna, answer, "Pupil A hides under the table (edited)")
    assert sandbox.last_replies == []
    assert [c for c in await rows(services, Contribution) if c.kind == "issue"] == []


async def _fill(cop: Cop, sandbox: Sandbox, group, marker: str, admin) -> None:  # type: ignore[no-untyped-def]
    """One CoP's worth of data, every text carrying the CoP's marker."""
    await sandbox.send(admin, group, "/setup")
    await sandbox.send(admin, group, f"{marker} CoP", reply_to=last(sandbox, group))
    await sandbox.press(admin, last(sandbox, group), "Skip")
    await sandbox.press(admin, last(sandbox, group), "English")
    await sandbox.press(admin, last(sandbox, group), "Europe/Amsterdam")
    await sandbox.press(admin, last(sandbox, group), "I agree, save")
    for teacher in (cop.anna, cop.bram):
        await sandbox.send(teacher, group, "/join")
        await sandbox.press(teacher, last(sandbox, group), "I agree, join")
    await sandbox.send(admin, group, "/issues nudge off")
    await sandbox.send(
        admin,
        group,
        f"/meeting add 2026-12-0{2 if marker == 'ALPHA' else 3} 15:00 60 {marker} room",
    )
    await sandbox.send(admin, group, "/issues")
    await sandbox.send(
        cop.anna, group, f"a) {marker} issue\nb) {marker} shared", reply_to=last(sandbox, group)
    )
    await sandbox.send(admin, group, f"/shared {marker} shared issue")
    await sandbox.send(cop.anna, group, f"/decide {marker} agreement")
    await sandbox.send(cop.anna, group, f"/used @bram {marker}quality: {marker} situation")
    await sandbox.send(cop.bram, group, f"/insight {marker} book")
    await sandbox.send(cop.bram, group, f"{marker} insight", reply_to=last(sandbox, group))
    await sandbox.send(cop.bram, group, f"{marker} practice", reply_to=last(sandbox, group))


READ_COMMANDS = (
    "/members",
    "/meetings",
    "/agenda",
    "/development",
    "/decisions",
    "/reading",
    "/qualities stats",
    "/shared history",
    "/mine",
    "/profile @bram",
    "/help",
    "/privacy",
    "/document html",
)


PRIVATE_READ_COMMANDS = (
    "/mine",
    "/reading",
    "/profile",
    "/profile @bram",
    "/qualities stats",
    "/code",
    "/code all",
    "/portfolio",
    "/help",
)


def _seen(sandbox: Sandbox) -> list[str]:
    seen = []
    for message in sandbox.last_replies:
        seen.append(message.content)
        if message.document is not None:
            seen.append(message.document.data.decode("utf-8", "replace"))
    return seen


async def test_two_cops_with_overlapping_members_never_show_each_others_data(
    cop: Cop, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    beta_admin = sandbox.user("Bea", username="bea", language_code="en")
    beta = sandbox.group("Beta", members=[beta_admin, cop.anna, cop.bram], admins=[beta_admin])
    await sandbox.add_bot(beta, by=beta_admin)
    await _fill(cop, sandbox, cop.group, "ALPHA", cop.fenna)
    await _fill(cop, sandbox, beta, "BETA", beta_admin)
    await sandbox.send(cop.fenna, cop.group, "/facilitator @anna")  # /code shows all issues
    await sandbox.send(beta_admin, beta, "/facilitator @anna")
    buttons = {
        name: [data for m in sandbox.bot_messages(group) for row in m.buttons for _, data in row]
        for name, group in (("ALPHA", cop.group), ("BETA", beta))
    }
    assert (
        len([d for d in buttons["ALPHA"] if d]) > 5 and len([d for d in buttons["BETA"] if d]) > 5
    )
    private = sandbox.private_chat(cop.anna)
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        for group, own, other in ((cop.group, "ALPHA", "BETA"), (beta, "BETA", "ALPHA")):
            seen = []
            for command in READ_COMMANDS:
                await sandbox.send(cop.anna, group, command)
                seen += _seen(sandbox)
            # the private chat, once /cop chose this CoP
            await sandbox.dm(cop.anna, "/cop")
            await sandbox.press(cop.anna, last(sandbox, private), f"{own} CoP")
            before = len(seen)
            for command in PRIVATE_READ_COMMANDS:
                await sandbox.dm(cop.anna, command)
                seen += _seen(sandbox)
            assert own in "\n".join(seen[before:])  # the private chat shows this CoP's data
            for command in PRIVATE_READ_COMMANDS:
                await sandbox.dm(cop.anna, command)
                for row in last(sandbox, private).buttons:  # and what its buttons open
                    for _label, data in row[:1]:
                        if data is not None and not data.startswith("lv:"):
                            query = await sandbox.press_data(cop.anna, last(sandbox, private), data)
                            seen += [*_seen(sandbox), query.answer_text or ""]
            # the other CoP's buttons, forged onto this CoP's messages and the private chat
            for data in buttons[other]:
                if data is None or data.startswith(("lv:", "cj:")):
                    continue
                for target in (last(sandbox, group), last(sandbox, private)):
                    query = await sandbox.press_data(cop.anna, target, data)
                    seen += [*_seen(sandbox), query.answer_text or ""]
            everything = "\n".join(seen)
            assert own in everything
            assert other not in everything, [s for s in seen if other in s][:1]
    assert "failed with" not in caplog.text  # nothing reached the error handler


COMMANDS = (
    "/help",
    "/join",
    "/members",
    "/leave",
    "/setup",
    "/facilitator",
    "/meetings",
    "/agenda",
    "/absent",
    "/plan",
    "/meeting",
    "/reminders",
    "/weekly",
    "/holidays",
    "/issues",
    "/mine",
    "/development",
    "/shared",
    "/qualities",
    "/nominate",
    "/profile",
    "/used",
    "/insight",
    "/reading",
    "/decide",
    "/decisions",
    "/share",
    "/cancel",
    "/privacy",
    "/calendar",
    "/nonsense",
)


def _inputs() -> list[tuple[str, str, bool]]:
    """Commands with random arguments and free replies: unicode, HTML- and Markdown-like."""
    found: list[tuple[str, str, bool]] = []
    text = st.one_of(
        st.text(max_size=300),
        st.text(alphabet="<>&*_[]()`~|#\\/@:;", max_size=40),
        st.sampled_from(
            [
                "<b>x</b>",
                "&amp;",
                "<script>alert(1)</script>",
                "*bold* _it_",
                "\u202eevil",
                "\U0001f600" * 50,
                "x" * 5000,
                " ",
                "\n\n",
            ]
        ),
    )

    @given(st.sampled_from(COMMANDS), text, st.booleans())
    @settings(
        max_examples=300, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def collect(command: str, argument: str, as_reply: bool) -> None:
        found.append((command, argument, as_reply))

    collect()
    return found


@pytest.fixture(scope="module")
def fuzz_inputs() -> list[tuple[str, str, bool]]:
    return _inputs()


async def test_random_commands_and_replies_never_fail_silently(
    ready: Cop,
    sandbox: Sandbox,
    services: Services,
    caplog: pytest.LogCaptureFixture,
    fuzz_inputs: list[tuple[str, str, bool]],
) -> None:
    await sandbox.send(ready.fenna, ready.group, "/issues")
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        for command, argument, as_reply in fuzz_inputs:
            user = ready.anna if len(argument) % 2 else ready.fenna
            if as_reply:
                await sandbox.send(
                    user, ready.group, argument or "?", reply_to=last(sandbox, ready.group)
                )
            else:
                await sandbox.send(user, ready.group, f"{command} {argument}"[:4096])
            await sandbox.dm(user, f"{command} {argument}"[:4096])
    assert "failed with" not in caplog.text  # no exception reached the error handler
    assert sum(sandbox.errors.values()) == 0  # every reply was valid for Telegram
    for message in sandbox.messages(ready.group):
        for row in message.buttons:
            for _label, data in row:
                assert data is None or len(data.encode()) <= 64
    async with services.sessions() as session:  # nothing stored half: no orphaned rows
        orphans = await session.scalars(
            select(Contribution).where(
                Contribution.member_id.is_(None), Contribution.kind.in_(["issue", "insight"])
            )
        )
        assert list(orphans) == []
    assert said is not None
