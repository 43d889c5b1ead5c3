"""installation id: one random id per installation, for calendar UIDs

A meeting's calendar UID was built from database ids only ("copbot-cop1-meeting1@copbot"),
so two schools running the bot, or one school after a reinstall, exported the same UIDs
and overwrote each other's meetings in Outlook and Google Calendar. The `installation`
table holds one random id, made once here and kept for the installation's life: UIDs
that include it are unique per installation and stay the same on every re-export.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 01:30:00
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "installation",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installation")),
    )
    op.bulk_insert(table, [{"id": secrets.token_hex(8), "created_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("installation")
