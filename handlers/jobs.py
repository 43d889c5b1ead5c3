"""The timer: PTB's JobQueue (APScheduler) runs the reminder outbox every minute.

`bot.app.sender.TelegramSender` is the Telegram side of the `Sender` port.
"""

from __future__ import annotations

import logging

from telegram.ext import Application, ContextTypes

from bot.app.context import CopApplication
from bot.app.sender import TelegramSender
from bot.outbox import housekeeping, recover, run_due

log = logging.getLogger(__name__)

TICK = "copbot-reminders"
INTERVAL_SECONDS = 60


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """One pass over the outbox, on the leader only; the next minute tries again."""
    application = context.application
    assert isinstance(application, CopApplication)
    services = application.services
    if not await services.leadership.try_acquire():
        return
    report = await run_due(services, TelegramSender(context.bot))
    for outcome in ("sent", "missed", "skipped", "failed", "retried"):
        if getattr(report, outcome):
            services.metrics.reminders.labels(outcome).inc(getattr(report, outcome))
    await housekeeping(services, TelegramSender(context.bot))
    if report.outcomes:
        log.info(
            "reminders: %s sent, %s missed, %s skipped, %s failed, %s retried",
            report.sent,
            report.missed,
            report.skipped,
            report.failed,
            report.retried,
        )


def schedule(application: Application) -> None:
    """Starts the minute timer; the first pass runs at once, to catch up after downtime."""
    assert application.job_queue is not None
    for job in application.job_queue.get_jobs_by_name(TICK):
        job.schedule_removal()
    application.job_queue.run_repeating(
        tick,
        interval=INTERVAL_SECONDS,
        first=1,
        name=TICK,
        job_kwargs={"misfire_grace_time": 30, "coalesce": True, "max_instances": 1},
    )


async def start(application: Application) -> None:
    assert isinstance(application, CopApplication)
    interrupted = await recover(application.services)
    if interrupted:
        log.warning(
            "%s reminder(s) were interrupted by a restart and are recorded as missed", interrupted
        )
    schedule(application)
