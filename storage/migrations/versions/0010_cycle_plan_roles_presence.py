"""cycle plan, roles and presence: what the whole cycle needs to hold together

- `meetings.steps`: the cycle's steps (issue round, from individual to shared, qualities,
  ...) stored per meeting when the series is planned, so cancelling meeting 2 moves its
  steps to meeting 3 instead of recomputing the template from the meeting's number.
  Existing meetings get the steps the old template would have given them.
- `members.participates`: whether a facilitator takes part as a teacher. A facilitator who
  does not (the study's was a researcher) is not asked to come, not listed in "not yet" and
  not counted in rounds or quorums.
- `attendance.present`: who was there, ticked by the facilitator after the meeting (None:
  not ticked). The rhythm check counts presence, not promises.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("steps", sa.JSON(), nullable=True))
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("participates", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("present", sa.Boolean(), nullable=True))
    _fill_steps()


def downgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_column("present")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("participates")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("steps")


def _fill_steps() -> None:
    """Existing series keep the agenda they had: the old template, by number."""
    from bot.services.cycle import spread

    meetings = sa.table(
        "meetings",
        sa.column("id", sa.Integer),
        sa.column("community_id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("status", sa.String),
        sa.column("steps", sa.JSON),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(meetings.c.id, meetings.c.community_id, meetings.c.status).order_by(
            meetings.c.community_id, meetings.c.number
        )
    ).all()
    by_community: dict[int, list[tuple[int, str]]] = {}
    for meeting_id, community_id, status in rows:
        by_community.setdefault(community_id, []).append((meeting_id, status))
    for series in by_community.values():
        kept = [meeting_id for meeting_id, status in series if status != "cancelled"]
        for meeting_id, steps in zip(kept, spread(len(kept)), strict=True):
            bind.execute(
                meetings.update().where(meetings.c.id == meeting_id).values(steps=steps)
            )
        for meeting_id, status in series:
            if status == "cancelled":
                bind.execute(meetings.update().where(meetings.c.id == meeting_id).values(steps=[]))
