"""No log level prints what members wrote (issue 12.9).

At DEBUG, aiosqlite logs every call with its arguments and SQLAlchemy echoes
statements with their parameters; a database error's message carries them too. Text
members wrote travels as parameters, so none of that may reach a log line.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.app.cli import _configure_logging
from storage.db import create_engine

MARKER = "Pietje-Puk-schreef-dit"


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


async def test_debug_logging_never_prints_member_text(tmp_path: Path) -> None:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    collect = Collect()
    try:
        _configure_logging("DEBUG")
        root.setLevel(logging.DEBUG)  # as basicConfig does in a process of its own
        root.addHandler(collect)
        assert logging.getLogger("bot").isEnabledFor(logging.DEBUG)  # really at DEBUG
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE notes (body TEXT UNIQUE)"))
            await connection.execute(text("INSERT INTO notes VALUES (:body)"), {"body": MARKER})
        with pytest.raises(Exception) as failed:
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO notes VALUES (:b)"), {"b": MARKER})
        await engine.dispose()
    finally:
        root.removeHandler(collect)
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
    assert not [line for line in collect.lines if MARKER in line]
    assert MARKER not in str(failed.value)  # an error's message may be logged as it is
