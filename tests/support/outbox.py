"""Outbox fixtures for fault tests: CoPs whose reminder fans out to several chats.

Written straight to the database (fault tests are about sending, not set-up), with the
same rows the features write: a CoP, its members who opened a private chat with the
bot, a meeting tomorrow nobody answered about, and the day-before nudge due now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.app.context import Services
from bot.sandbox import Sandbox, SandboxChat, SandboxUser
from storage.models import Community, Delivery, Meeting, Member, Reminder


@dataclass
class NudgedCop:
    """A CoP whose nudge goes privately to each of its silent members."""

    group: SandboxChat
    members: list[SandboxUser]


async def cops_with_a_due_nudge(
    sandbox: Sandbox, services: Services, count: int, members: int, now: datetime
) -> list[NudgedCop]:
    """`count` CoPs of `members` members each (distinct people), each with a nudge due
    `now`: one private message per member, none to the group."""
    cops = []
    async with services.sessions.begin() as session:
        for index in range(count):
            people = [sandbox.user(f"T{index}-{n}", language_code="en") for n in range(members)]
            for person in people:
                person.started = True  # they wrote to the bot in private once
            group = sandbox.group(f"Nudged CoP {index}", members=people)
            group.bot_status = "member"
            community = Community(
                chat_id=group.id,
                chat_type="group",
                name=f"Nudged CoP {index}",
                theme="",
                language="en",
                timezone="Europe/Amsterdam",
                status="active",
                settings={"rhythm": {"weekly": False, "holidays": False}},
                created_at=now,
                updated_at=now,
            )
            session.add(community)
            await session.flush()
            meeting = Meeting(
                community_id=community.id,
                number=1,
                starts_at=now + timedelta(days=1),
                created_at=now,
                updated_at=now,
            )
            session.add(meeting)
            for person in people:
                session.add(
                    Member(
                        community_id=community.id,
                        telegram_user_id=person.id,
                        display_name=person.first_name,
                        username=None,
                        private_chat=True,
                        joined_at=now,
                    )
                )
            await session.flush()
            session.add(
                Reminder(
                    community_id=community.id,
                    meeting_id=meeting.id,
                    kind="nudge",
                    key="nudge:fault",
                    due_at=now,
                    status="planned",
                    attempts=0,
                    note="",
                    created_at=now,
                )
            )
            cops.append(NudgedCop(group, people))
    return cops


async def groups_with_a_due_weekly(
    sandbox: Sandbox, services: Services, count: int, now: datetime
) -> list[SandboxChat]:
    """`count` CoPs, each with the weekly question due `now`: one message to the group.
    (No holiday rule: these run on the wall clock, whatever the date.)"""
    owner = sandbox.user("Olga", language_code="en")
    groups = []
    async with services.sessions.begin() as session:
        for index in range(count):
            group = sandbox.group(f"Weekly CoP {index}", members=[owner])
            group.bot_status = "member"
            community = Community(
                chat_id=group.id,
                chat_type="group",
                name=f"Weekly CoP {index}",
                theme="",
                language="en",
                timezone="Europe/Amsterdam",
                status="active",
                settings={"rhythm": {"weekly": False, "holidays": False}},
                created_at=now,
                updated_at=now,
            )
            session.add(community)
            await session.flush()
            session.add(
                Reminder(
                    community_id=community.id,
                    kind="weekly",
                    key="weekly:fault",
                    due_at=now,
                    status="planned",
                    attempts=0,
                    note="",
                    created_at=now,
                )
            )
            groups.append(group)
    return groups


async def make_due(services: Services, now: datetime) -> None:
    """Every planned reminder becomes due `now` (the processes run on the wall clock)."""
    async with services.sessions.begin() as session:
        await session.execute(
            update(Reminder).where(Reminder.status == "planned").values(due_at=now)
        )


async def unsettled(services: Services) -> list[str]:
    """What is still on its way: reminders and messages not yet sent, missed or failed."""
    async with services.sessions() as session:
        reminders = await session.scalars(
            select(Reminder).where(Reminder.status.in_(["planned", "sending", "delivering"]))
        )
        messages = await session.scalars(
            select(Delivery).where(Delivery.status.in_(["planned", "sending"]))
        )
        return [
            *(f"reminder {r.id} {r.status}" for r in reminders),
            *(f"message {d.id} to {d.chat_id} {d.status}" for d in messages),
        ]


async def next_due(services: Services) -> datetime | None:
    """When the outbox has something to send next: a reminder or a message of one."""
    async with services.sessions() as session:
        reminders = await session.scalars(
            select(Reminder.due_at).where(Reminder.status == "planned")
        )
        messages = await session.scalars(
            select(Delivery.due_at).where(Delivery.status == "planned")
        )
        moments = [*reminders, *messages]
    return min(moments, default=None)
