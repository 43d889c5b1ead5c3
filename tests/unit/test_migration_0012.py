"""0012: existing codings become the issue code book's; the first coder's code is primary."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from storage.db import create_engine
from storage.migrate import upgrade


async def test_0012_keeps_the_first_coders_code_as_primary(tmp_path: Path) -> None:
    """Two facilitators had coded one contribution: the table used to take the last code;
    after the upgrade the first coder's is the primary code and the other a second code."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    now = "2026-11-23 08:00:00.000000"
    statements = [
        "INSERT INTO communities (id, chat_id, chat_type, name, theme, language, timezone,"
        " status, settings, created_at, updated_at) VALUES (1, -1, 'supergroup', 'CoP', '',"
        " 'nl', 'Europe/Amsterdam', 'active', '{}', :now, :now)",
        *(
            "INSERT INTO members (id, community_id, telegram_user_id, role, status,"
            f" private_chat, participates, joined_at) VALUES ({n}, 1, {n}, 'facilitator',"
            " 'active', 1, 1, :now)"
            for n in (1, 2)
        ),
        *(
            "INSERT INTO contributions (id, community_id, member_id, kind, text, data,"
            f" visibility, created_at, updated_at) VALUES ({n}, 1, 1, 'issue', 'x', '{{}}',"
            " 'cop', :now, :now)"
            for n in (1, 2)
        ),
        "INSERT INTO codings (id, community_id, contribution_id, coder_member_id, scope,"
        " attribution, coded_at) VALUES (1, 1, 1, 1, 'shared', 'internal', :now),"
        " (2, 1, 2, 1, 'individual', 'external', :now),"
        " (3, 1, 1, 2, 'individual', 'external', :now)",
    ]
    try:
        await upgrade(engine, "0011")
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement), {"now": now})
        await upgrade(engine)
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    text("SELECT id, code_book, role FROM codings ORDER BY id")
                )
            ).all()
        assert [tuple(row) for row in rows] == [
            (1, "issue", "primary"),
            (2, "issue", "primary"),
            (3, "issue", "second"),
        ]
    finally:
        await engine.dispose()
