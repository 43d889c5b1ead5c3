"""The schema for the whole CoP cycle.

Every row belongs to one community (multi-tenant); repositories take the
community id up front so a query cannot wander into another CoP's rows.
Personal data lives in `members` and `contributions` only, which keeps erasure
(`/leave`) a matter of two tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Community(Base):
    """One CoP, living in one Telegram group."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_type: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(500), default="")
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    region: Mapped[str | None] = mapped_column(String(16), default=None)
    status: Mapped[str] = mapped_column(String(16), default="active")
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    removed_at: Mapped[datetime | None] = mapped_column(default=None)


class Member(Base):
    """A teacher who consented; the row exists only after consent.

    After `/leave` the row stays (so anonymised contributions keep a stable
    author id) but every identifying column is cleared.
    """

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("community_id", "telegram_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)
    display_name: Mapped[str | None] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    role: Mapped[str] = mapped_column(String(16), default="member")
    status: Mapped[str] = mapped_column(String(16), default="active")
    private_chat: Mapped[bool] = mapped_column(Boolean, default=False)
    # A facilitator who is not a participating teacher (`/facilitator role`) is not asked to
    # come and not counted in rounds, "of N members" or quorums.
    participates: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None] = mapped_column(default=None)


class ConsentRecord(Base):
    """Evidence of what was agreed to, and when; kept after erasure without identity."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(16))
    letter_version: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]


class Meeting(Base):
    """A meeting of the CoP; the schedule's truth (timers are rebuilt from it)."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("community_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    location: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")
    agenda: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The cycle's steps this meeting carries (`bot.services.cycle`), stored when the series is
    # planned and moved along when a meeting is cancelled, moved, added or dropped.
    steps: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Prompt(Base):
    """A bot message that expects answers (by reply or button).

    Looked up by (chat, message) when a reply arrives, so flows survive restarts
    and any instance can take the next step.
    """

    __tablename__ = "prompts"
    __table_args__ = (UniqueConstraint("chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), default=None
    )
    flow_id: Mapped[int | None] = mapped_column(
        ForeignKey("flows.id", ondelete="CASCADE"), default=None, index=True
    )
    created_at: Mapped[datetime]
    closes_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Flow(Base):
    """One person's multi-step dialogue with the bot (e.g. /setup) in one chat.

    Answers collect in `data` and are applied in one go at the end, so a
    cancelled flow leaves nothing half-stored.
    """

    __tablename__ = "flows"
    __table_args__ = (UniqueConstraint("chat_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), default=None
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class Contribution(Base):
    """Anything a member wrote for the CoP: issues, answers, nominations, insights, ...

    `kind` says which feature owns it; `visibility` says whether it may leave the
    CoP ("cop" by default, "team" when the author marked it shareable).
    """

    __tablename__ = "contributions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    about_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), default=None
    )
    kind: Mapped[str] = mapped_column(String(32))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), default=None
    )
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("prompts.id", ondelete="SET NULL"), default=None
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), default=None
    )
    text: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    visibility: Mapped[str] = mapped_column(String(8), default="cop")
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    source_message_id: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Reminder(Base):
    """The outbox of everything the bot sends on its own, one row per due message.

    The unique key (community, kind, meeting, due time) makes sending idempotent:
    a restart, a crash or two overlapping timers find the row already claimed.
    Rows stay after sending, so the facilitator can see what was sent or missed, until
    `bot.services.reminders.prune` drops settled ones past the retention.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("community_id", "key"),
        # The tick's query (planned, due by now, oldest first: in this index's order) and
        # recovery's (sending) read only the rows they want, however many sent rows pile
        # up. With the id in it, PostgreSQL's planner no longer prefers walking the due-time
        # index through every sent row to sort by (due_at, id).
        Index("ix_reminders_status_due_at", "status", "due_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), default=None
    )
    contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), default=None
    )
    kind: Mapped[str] = mapped_column(String(24))
    key: Mapped[str] = mapped_column(String(120))
    due_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    message_id: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]


class Delivery(Base):
    """One message of a reminder to one chat: the outbox's unit of delivery.

    A reminder with several messages (private nudges to each silent member, a note to
    each facilitator) has one row per recipient, claimed (planned -> sending) and settled
    on its own, so a 429 or a network error part-way retries only the messages still
    due, and a recipient already served is never sent to again. The text waits here only
    while its message is due; settling the row clears it.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        # One row per message: a long reminder split in parts sends several to one chat.
        UniqueConstraint("reminder_id", "position"),
        # The tick's query for messages due again (planned, due by now) and recovery's.
        Index("ix_deliveries_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reminder_id: Mapped[int] = mapped_column(
        ForeignKey("reminders.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)  # its place in the reminder
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[list[Any] | None] = mapped_column(JSON, default=None)
    prompt_kind: Mapped[str | None] = mapped_column(String(24), default=None)
    prompt_data: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    message_id: Mapped[int | None] = mapped_column(Integer, default=None)
    note: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class Attendance(Base):
    """A member's answer to "will you come?" for one meeting (yes / no / maybe), and
    whether they were there (ticked by the facilitator after the meeting)."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(8))  # y / m / n, or "" (only presence ticked)
    note: Mapped[str] = mapped_column(Text, default="")
    present: Mapped[bool | None] = mapped_column(Boolean, default=None)  # ticked afterwards
    updated_at: Mapped[datetime]


class Coding(Base):
    """A coder's code for one contribution on the code book's two axes.

    Kept apart from the text (coder, code, time), so a second coder can code the
    same contribution and agreement can be measured. Only the `primary` code, or a
    `resolved` one, counts in the development table; a `second` code never does.
    """

    __tablename__ = "codings"
    __table_args__ = (UniqueConstraint("contribution_id", "coder_member_id", "code_book", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"))
    coder_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    scope: Mapped[str] = mapped_column(String(16))  # individual | shared | none
    attribution: Mapped[str] = mapped_column(String(16))  # internal | external | none
    coded_at: Mapped[datetime]
    #: issue (appendix E) | learning (appendix G)
    code_book: Mapped[str] = mapped_column(String(32), default="issue", server_default="issue")
    #: primary (the table's) | second (agreement only) | resolved (after discussion)
    role: Mapped[str] = mapped_column(String(16), default="primary", server_default="primary")


class Vote(Base):
    """A member's reaction to a proposal (shared issue, decision): kept with its version.

    After erasure the vote stays without its voter, so a version keeps the
    reactions it had.
    """

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("contribution_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    contribution_id: Mapped[int] = mapped_column(
        ForeignKey("contributions.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    choice: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]


class HealthCheck(Base):
    """One row that readiness rewrites: proof the database takes writes, not just reads."""

    __tablename__ = "health_checks"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    checked_at: Mapped[datetime]


class Installation(Base):
    """The one row that names this installation: a random id made by migration 0011.

    Calendar UIDs include it, so two installations (two schools, or one after a
    reinstall) never export the same UID, and one installation always exports the same.
    """

    __tablename__ = "installation"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]


class InboxUpdate(Base):
    """An update Telegram handed us and we acknowledged, kept until it has been handled.

    Written before the webhook answers 200 (or before polling confirms its offset), so a
    crash after the acknowledgement loses nothing: what is left here is handled on start.
    """

    __tablename__ = "inbox_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[dict[str, Any]]
    received_at: Mapped[datetime] = mapped_column(index=True)


class ProcessedUpdate(Base):
    """Telegram update ids already handled: a webhook retry or a replay is handled once."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(index=True)
