"""The composition root: builds the PTB Application with its services.

This is the only module that imports `handlers`.
"""

from __future__ import annotations

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.app.context import CopApplication, CopContext, Services
from bot.app.instrumentation import ChatOrderedProcessor, MeteredRequest


def build_application(
    services: Services,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limits: bool = True,
    timers: bool = True,
    updater: bool = True,
) -> CopApplication:
    """Builds the Application; the sandbox passes its own request objects.

    Tests switch the minute timer off (`timers=False`) and run the outbox
    themselves after moving the clock, so no test waits in real time. Without the
    `updater`, updates come from outside PTB's Updater: `copbot run`'s webhook and its
    own polling loop, both through the durable inbox (`bot.app.inbox`).
    """
    from handlers import register  # the composition root may know the adapter

    settings = services.settings
    token = settings.token.get_secret_value() if settings.token else ""
    # No in-process retries: a reminder that meets a 429 goes back to the outbox with its
    # retry_after (persistent, restart-safe); the limiter's pacing keeps 429s rare otherwise.
    limiter = (
        # 30/s overall as a steady pace (a bucket of one): aiolimiter's default bucket of 30
        # let a burst of ~59 through in the first second, which a strict Telegram refuses.
        AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 30, max_retries=0)
        if rate_limits
        else AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=0)
    )
    builder = (
        ApplicationBuilder()
        .application_class(CopApplication, kwargs={"services": services, "timers": timers})
        .token(token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .context_types(ContextTypes(context=CopContext))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.tzinfo,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(limiter)
    )
    metrics = services.metrics
    builder = builder.request(MeteredRequest(request or HTTPXRequest(), metrics))
    # Updates of different chats are handled concurrently, on SQLite too: a turn sends
    # nothing inside its transaction, so a group waiting in the rate limiter holds no lock.
    builder = builder.concurrent_updates(
        ChatOrderedProcessor(
            metrics, after=services.inbox.settle, limit=settings.concurrent_updates
        )
    )
    if not updater:
        builder = builder.updater(None)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application = builder.build()
    assert isinstance(application, CopApplication)
    register(application)
    return application
