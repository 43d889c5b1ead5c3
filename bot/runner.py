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

import uvicorn

from bot.application import build_application, build_services
from bot.settings import Settings
from bot.web import create_web_app
from storage.migrate import upgrade

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


async def run(settings: Settings, *, webhook: bool) -> None:
    services = build_services(settings)
    await upgrade(services.engine)
    application = build_application(services, webhook=webhook)
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    server = uvicorn.Server(
        uvicorn.Config(
            create_web_app(application, secret=secret),
            host=settings.listen,
            port=settings.port,
            log_level="warning",
            access_log=False,
        )
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        if webhook:
            await application.bot.set_webhook(
                url=settings.webhook_url or "",
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("serving Telegram webhooks on %s:%s", settings.listen, settings.port)
        else:
            assert application.updater is not None
            await application.bot.delete_webhook()
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            log.info("polling Telegram; health on %s:%s", settings.listen, settings.port)
        serving = asyncio.create_task(server.serve())
        await stop.wait()
        server.should_exit = True
        await serving
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await services.leadership.release()
        await application.shutdown()
        await services.engine.dispose()
