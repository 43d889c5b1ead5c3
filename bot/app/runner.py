"""`copbot run`: polling (default) or webhooks, with the HTTP server beside either.

PTB's `run_polling` cannot share its loop with our HTTP server, so the
Application is driven the way PTB documents for custom setups: initialize,
post_init, start, updates, and the reverse on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy.exc import DBAPIError
from telegram.error import InvalidToken, NetworkError

from bot.app.context import CopApplication, Services, build_services
from bot.app.inbox import UpdateInbox
from bot.app.metrics import watch_loop
from bot.app.poller import poll
from bot.app.root import build_application
from bot.app.settings import Settings
from bot.app.web import create_web_app
from storage.migrate import upgrade

log = logging.getLogger(__name__)
T = TypeVar("T")

# chat_member reaches the bot only while it is a group administrator; without that, people
# leaving are seen through the left_chat_member service message (sent even in privacy mode).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member", "chat_member"]
REPLAY_EVERY = 20.0  # seconds between looks at the inbox for updates left behind


class Stopped(Exception):
    """Asked to stop while waiting to retry."""


#: Why Telegram may be out of reach from a school network, said once per retry.
TELEGRAM_HINT = (
    "is the network up? a firewall may block it; behind a proxy set HTTPS_PROXY=http://proxy:port"
)
DATABASE_HINT = "is the database running, and are COPBOT_DATABASE_URL's host and password right?"


def telegram_host(settings: Settings) -> str:
    return urlsplit(settings.base_url).netloc or settings.base_url


def database_host(services: Services) -> str:
    url = services.engine.url
    if url.get_backend_name() == "sqlite":
        return f"sqlite file {url.database}"
    return f"{url.host or 'localhost'}:{url.port or 5432}"


async def _retrying(
    what: str,
    action: Callable[[], Awaitable[T]],
    stop: asyncio.Event,
    *,
    where: str = "",
    hint: str = "",
) -> T:
    """Retries with backoff while Telegram or the database cannot be reached: one clear log
    line per attempt (what, where, why it may be), no traceback; a stop signal ends the wait."""
    delay = 1.0
    place = f" ({where})" if where else ""
    advice = f": {hint}" if hint else ""
    while True:
        try:
            return await action()
        except (NetworkError, OSError, DBAPIError) as exc:
            log.warning(
                "%s%s failed (%s%s); retrying in %.0f s",
                what,
                place,
                type(exc).__name__,
                advice,
                delay,
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
            raise Stopped
        delay = min(delay * 2, 60.0)


async def _replaying(application: CopApplication, inbox: UpdateInbox, stop: asyncio.Event) -> None:
    """Every so often, what is left in the inbox (a database outage, a lost process) again."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), REPLAY_EVERY)
            return
        try:
            await inbox.replay(application)
        except Exception as exc:
            log.warning("reading the inbox failed (%s)", type(exc).__name__)


async def run(settings: Settings, *, webhook: bool) -> int:
    """Runs until SIGINT/SIGTERM; returns the process exit code."""
    if webhook and not (settings.webhook_secret and settings.webhook_secret.get_secret_value()):
        log.error("webhook mode needs COPBOT_WEBHOOK_SECRET: refusing to start without one")
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    services = build_services(settings)
    try:
        await _retrying(
            "database migration",
            lambda: upgrade(services.engine),
            stop,
            where=database_host(services),
            hint=DATABASE_HINT,
        )
        application = build_application(services, updater=False)  # updates: via the inbox
        await _retrying(
            "connecting to Telegram",
            application.initialize,
            stop,
            where=telegram_host(settings),
            hint=TELEGRAM_HINT,
        )
        log.info(
            "connected to Telegram as @%s (id %s)", application.bot.username, application.bot.id
        )
    except InvalidToken:
        log.error("Telegram rejects the token (revoked or mistyped): check COPBOT_TOKEN")
        await services.engine.dispose()
        return 2
    except Stopped:
        await services.engine.dispose()
        return 0
    await _serve(settings, services, application, webhook=webhook, stop=stop)
    return 0


async def _serve(
    settings: Settings,
    services: Services,
    application: CopApplication,
    *,
    webhook: bool,
    stop: asyncio.Event,
) -> None:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    inbox = services.inbox
    background: list[asyncio.Task[None]] = []
    monitor: asyncio.Task[None] | None = None
    server = uvicorn.Server(
        uvicorn.Config(
            create_web_app(application, secret=secret if webhook else None),
            host=settings.listen,
            port=settings.port,
            log_level="warning",
            access_log=False,
        )
    )
    server.install_signal_handlers = lambda: None  # type: ignore[attr-defined]
    try:
        monitor = asyncio.create_task(watch_loop(services.metrics))  # the loop-lag metric
        if application.post_init:
            await application.post_init(application)
        await application.start()
        # What an earlier process acknowledged but did not handle comes first.
        await _retrying("reading the inbox", lambda: inbox.replay(application, timedelta(0)), stop)
        background = [asyncio.create_task(_replaying(application, inbox, stop))]
        if webhook:
            await application.bot.set_webhook(
                url=settings.webhook_url or "",
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("serving Telegram webhooks on %s:%s", settings.listen, settings.port)
        else:
            await application.bot.delete_webhook()
            background.append(asyncio.create_task(poll(application, inbox, stop, ALLOWED_UPDATES)))
            log.info("polling Telegram; health on %s:%s", settings.listen, settings.port)
        serving = asyncio.create_task(server.serve())
        await stop.wait()
        server.should_exit = True
        await serving
        await asyncio.gather(*background, return_exceptions=True)
    except Stopped:
        pass
    finally:
        if monitor is not None:
            monitor.cancel()
        if application.running:
            await application.stop()
        await services.leadership.release()
        await application.shutdown()
        await services.engine.dispose()
