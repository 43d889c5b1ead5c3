"""`copbot check` and small helpers for operator commands that need one unit of work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import text
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app.context import build_services
from bot.app.settings import Settings
from bot.services.unit import Unit
from storage.db import create_engine
from storage.migrate import current_revision

T = TypeVar("T")


async def run_checks(settings: Settings) -> tuple[list[str], bool]:
    """One line per check: what is right or what is wrong, never a traceback."""
    lines = ["configuration: ok"]
    ok = True
    secret = settings.webhook_secret.get_secret_value().strip() if settings.webhook_secret else ""
    if settings.webhook_url and not secret:
        ok = False
        lines.append(
            "webhook: FAILED (COPBOT_WEBHOOK_URL is set but COPBOT_WEBHOOK_SECRET is not: "
            "copbot run would refuse to start; set a random secret)"
        )
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        revision = await current_revision(engine)
        shown = revision or "none: run copbot db upgrade"
        lines.append(f"database: ok ({engine.dialect.name}, revision {shown})")
    except Exception as exc:
        ok = False
        where = engine.url.render_as_string(hide_password=True)
        lines.append(f"database: FAILED ({type(exc).__name__}: cannot reach {where})")
    finally:
        await engine.dispose()
    if settings.token is None:
        ok = False
        lines.append("token: FAILED (COPBOT_TOKEN is not set)")
    else:
        bot = Bot(settings.token.get_secret_value(), base_url=settings.base_url)
        try:
            async with bot:
                lines.append(f"token: ok (@{bot.username})")
        except InvalidToken:
            ok = False
            lines.append("token: FAILED (Telegram does not know this token)")
        except NetworkError:
            lines.append("token: not checked (Telegram cannot be reached from here)")
        except TelegramError as exc:
            ok = False
            lines.append(f"token: FAILED ({type(exc).__name__})")
    return lines, ok


async def with_unit(settings: Settings, work: Callable[[Unit], Awaitable[T]]) -> T:
    services = build_services(settings)
    try:
        async with services.sessions.begin() as session:
            return await work(Unit(session, services.clock()))
    finally:
        await services.engine.dispose()
