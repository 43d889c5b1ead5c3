"""outbox indexes: the tick reads reminders and messages by (status, due time)

With one index on status and one on due time, the tick's query (planned, due by now,
oldest first) read every planned row or walked every sent one: 161 ms on SQLite and
1.5 s on PostgreSQL at 250k planned and 1M sent reminders. A composite index reads only
the rows due, in the tick's order (due time, id: without the id PostgreSQL's planner still
walked the due-time index through every sent row). It begins with status, so the
single-column status indexes go.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_reminders_status_due_at", "reminders", ["status", "due_at", "id"])
    op.drop_index("ix_reminders_status", table_name="reminders")
    op.create_index("ix_deliveries_status_due_at", "deliveries", ["status", "due_at"])
    op.drop_index("ix_deliveries_status", table_name="deliveries")


def downgrade() -> None:
    op.create_index("ix_deliveries_status", "deliveries", ["status"])
    op.drop_index("ix_deliveries_status_due_at", table_name="deliveries")
    op.create_index("ix_reminders_status", "reminders", ["status"])
    op.drop_index("ix_reminders_status_due_at", table_name="reminders")
