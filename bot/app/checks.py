"""`copbot check` and small helpers for operator commands that need one unit of work.

`copbot check` has no side effects: it creates no database file and changes no schema,
so an IT person can run it before anything else, and a monitor can run it every minute.
Each check says what is wrong and the command or setting that fixes it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import text
from sqlalchemy.engine import make_url
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app.context import build_services
from bot.app.settings import Settings
from bot.services.unit import Unit
from storage.db import create_engine
from storage.migrate import HEAD, current_revision

T = TypeVar("T")
Status = Literal["ok", "FAILED", "not checked"]

#: What BotFather hands out: the bot's numeric id, a colon, 35 letters, digits, _ and -
#: (a little slack on the length: Telegram has never promised it).
TOKEN_FORMAT = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{30,50}")
#: Passwords and secrets shipped in examples (deploy/env.example, compose.yaml's fallback,
#: the README's sample URL) or guessed first by anyone who finds the port.
KNOWN_DEFAULTS = frozenset(
    {"change-me", "changeme", "secret", "password", "copbot", "postgres", "admin", "example"}
)


@dataclass(frozen=True)
class Check:
    """One line of `copbot check`: what was checked, how it went, and the fix."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "FAILED"

    def line(self) -> str:
        fix = f"; fix: {self.fix}" if self.fix else ""
        return f"{self.name}: {self.status} ({self.detail}{fix})"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def token_well_formed(token: str) -> bool:
    return TOKEN_FORMAT.fullmatch(token) is not None


def known_defaults(settings: Settings) -> list[str]:
    """The settings that still hold a password or secret from an example: the names only,
    never the values."""
    found = []
    try:
        password = make_url(settings.database_url).password
    except Exception:  # a URL SQLAlchemy cannot parse fails in the database check
        password = None
    if password is not None and str(password).strip().casefold() in KNOWN_DEFAULTS:
        found.append("COPBOT_DATABASE_URL (its password)")
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if secret.strip().casefold() in KNOWN_DEFAULTS:
        found.append("COPBOT_WEBHOOK_SECRET")
    return found


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL points at (None: not SQLite, or in memory)."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def _configuration(settings: Settings) -> list[Check]:
    checks = [Check("configuration", "ok", "the settings are valid")]
    secret = settings.webhook_secret.get_secret_value().strip() if settings.webhook_secret else ""
    if settings.webhook_url and not secret:
        checks.append(
            Check(
                "webhook",
                "FAILED",
                "COPBOT_WEBHOOK_URL is set but COPBOT_WEBHOOK_SECRET is not: copbot run "
                "would refuse to start",
                "set COPBOT_WEBHOOK_SECRET=$(openssl rand -hex 32)",
            )
        )
    defaults = known_defaults(settings)
    if defaults:
        checks.append(
            Check(
                "secrets",
                "FAILED",
                f"{', '.join(defaults)} still has the example's default value: copbot run "
                "would refuse to start",
                "choose a new one (e.g. openssl rand -hex 24) and set it in the env file "
                "(and in PostgreSQL: ALTER USER ... PASSWORD ...)",
            )
        )
    return checks


async def _database(settings: Settings) -> Check:
    upgrade = "run copbot db upgrade"
    try:
        path = sqlite_file(settings.database_url)
    except Exception as exc:
        return Check("database", "FAILED", f"COPBOT_DATABASE_URL is not a URL ({exc})")
    if path is not None and not path.is_file():
        # Connecting would create the file: a check must leave the folder as it was.
        return Check("database", "FAILED", f"no SQLite file at {path.resolve()}", upgrade)
    engine = create_engine(settings.database_url)
    where = engine.url.render_as_string(hide_password=True)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        revision = await current_revision(engine)
    except Exception as exc:
        return Check(
            "database",
            "FAILED",
            f"{type(exc).__name__}: cannot reach {where}",
            "is the database running, and are COPBOT_DATABASE_URL's host, user and password right?",
        )
    finally:
        await engine.dispose()
    kind = engine.dialect.name
    if revision is None:
        return Check("database", "FAILED", f"{kind}, reachable, but it has no schema yet", upgrade)
    if revision != HEAD:
        if revision.isdigit() and HEAD.isdigit() and int(revision) > int(HEAD):
            return Check(
                "database",
                "FAILED",
                f"{kind}, at revision {revision}, newer than this copbot ({HEAD})",
                "install the copbot version that made it, or restore a backup",
            )
        return Check(
            "database", "FAILED", f"{kind}, at revision {revision}, behind ({HEAD})", upgrade
        )
    return Check("database", "ok", f"{kind}, revision {revision}")


async def _token(settings: Settings, *, offline: bool) -> Check:
    botfather = "create a bot with @BotFather and set COPBOT_TOKEN to the token it gives"
    token = settings.token.get_secret_value().strip() if settings.token else ""
    if not token:
        return Check("token", "FAILED", "COPBOT_TOKEN is not set", botfather)
    if not token_well_formed(token):
        return Check(
            "token",
            "FAILED",
            "COPBOT_TOKEN is not a bot token (they look like 123456789:AAE...; 35 characters "
            "after the colon)",
            "copy the whole token from @BotFather again (/mybots, API Token)",
        )
    if offline:
        return Check("token", "not checked", "well-formed; --offline: Telegram not asked")
    host = urlsplit(settings.base_url).hostname or settings.base_url
    bot = Bot(token, base_url=settings.base_url)
    try:
        async with bot:
            return Check("token", "ok", f"connected as @{bot.username} (id {bot.id})")
    except InvalidToken:
        return Check("token", "FAILED", "Telegram does not know this token (revoked?)", botfather)
    except NetworkError:
        return Check(
            "token",
            "not checked",
            f"well-formed, but {host} cannot be reached from here",
            "a firewall may block it; behind a proxy set HTTPS_PROXY=http://proxy:port",
        )
    except TelegramError as exc:
        return Check("token", "FAILED", type(exc).__name__)


async def run_checks(settings: Settings, *, offline: bool = False) -> list[Check]:
    """Every check, in the order an operator fixes them; never a traceback."""
    return [
        *_configuration(settings),
        await _database(settings),
        await _token(settings, offline=offline),
    ]


async def with_unit(settings: Settings, work: Callable[[Unit], Awaitable[T]]) -> T:
    services = build_services(settings)
    try:
        async with services.sessions.begin() as session:
            return await work(Unit(session, services.clock()))
    finally:
        await services.engine.dispose()
