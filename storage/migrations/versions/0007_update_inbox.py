"""update inbox: acknowledged updates kept until handled

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 17:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbox_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbox_updates")),
    )
    with op.batch_alter_table("inbox_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_updates_received_at"), ["received_at"])


def downgrade() -> None:
    with op.batch_alter_table("inbox_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_updates_received_at"))
    op.drop_table("inbox_updates")
