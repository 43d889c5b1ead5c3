"""Per-chat order across processes: a transaction-level advisory lock on PostgreSQL.

Several processes behind a load balancer may each receive updates of one chat. A turn
takes its chat's lock first thing in its transaction and keeps it until the commit or
rollback, so turns of one chat never overlap, whichever process runs them; within a
process `bot.app.instrumentation.ChatOrderedProcessor` keeps the arrival order. SQLite
needs none: it has one writer at a time, and one process.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

#: The first key of the two-key form, which never meets the one-key form that
#: `storage.leader` uses: PostgreSQL keeps the two key spaces apart.
CHAT_SPACE = 0x636F7063  # "copc"


def chat_key(chat_id: int) -> int:
    """A chat id (64 bits, negative for groups) folded into a signed 32-bit key."""
    folded = ((chat_id >> 32) ^ chat_id) & 0xFFFFFFFF
    return folded - (1 << 32) if folded >= 1 << 31 else folded


async def hold_chat(session: AsyncSession, chat_id: int) -> None:
    """Waits until no other transaction holds the chat, then holds it until this one ends."""
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        return
    await connection.execute(
        text("SELECT pg_advisory_xact_lock(:space, :key)"),
        {"space": CHAT_SPACE, "key": chat_key(chat_id)},
    )
