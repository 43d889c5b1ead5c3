"""code books and coding roles: a coding says which code book it uses and whose code it is

Table 3 took whichever coding of a contribution was created last, so a co-facilitator
coding a sample as second coder silently changed the development table. Each coding now
has a role: `primary` (the code the table uses), `second` (a second coder's, only for
agreement) or `resolved` (the code agreed after discussion, which the table then uses);
and a code book (`issue`: the study's appendix E; `learning`: appendix G). One coder may
hold one coding per contribution, code book and role. Existing codings are the issue code
book's primary codes (the first coder's, where two coded the same contribution).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("code_book", sa.String(length=32), nullable=False, server_default="issue")
        )
        batch_op.add_column(
            sa.Column("role", sa.String(length=16), nullable=False, server_default="primary")
        )
        batch_op.drop_constraint("uq_codings_contribution_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_codings_contribution_id",
            ["contribution_id", "coder_member_id", "code_book", "role"],
        )
    # Where two facilitators coded the same contribution, the first coder is the primary
    # one (the table used to take the last); the later codes are kept as second codes.
    op.execute(
        "UPDATE codings SET role = 'second' WHERE id NOT IN "
        "(SELECT first_id FROM (SELECT MIN(id) AS first_id FROM codings "
        "GROUP BY contribution_id) AS firsts)"
    )


def downgrade() -> None:
    # Only the primary issue codes fit the old one-code-per-coder table.
    op.execute("DELETE FROM codings WHERE role <> 'primary' OR code_book <> 'issue'")
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.drop_constraint("uq_codings_contribution_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_codings_contribution_id", ["contribution_id", "coder_member_id"]
        )
        batch_op.drop_column("role")
        batch_op.drop_column("code_book")
