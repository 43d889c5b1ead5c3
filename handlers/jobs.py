"""The timer: PTB's JobQueue (APScheduler) runs the reminder outbox every minute.

Only the leader sends (see `storage.leader`). Recovery of sends that a dead process
left half-way runs on the leader, never at process start: a standby that starts, or a
new leader that takes over, leaves a claim younger than the send timeout alone, since
its sender may still be at work.

`bot.app.sender.TelegramSender` is the Telegram side of the `Sender` port.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application, ContextTypes

from bot.app.context import CopApplication
from bot.app.sender import TelegramSender
from bot.outbox import housekeeping, recover, run_due

log = logging.getLogger(__name__)

TICK = "copbot-reminders"
INTERVAL_SECONDS = 60


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """One pass over the outbox, on the leader only; the next tick tries again."""
    application = context.application
    assert isinstance(application, CopApplication)
    services = application.services
    if not await services.leadership.try_acquire():
        return
    # Every leader pass (the first one is right after acquiring leadership): claims older
    # than the send timeout were left by a process that died; younger ones may be live.
    stale = timedelta(seconds=services.settings.send_timeout_seconds)
    interrupted = await recover(services, stale)
    if interrupted:
        log.warning("%s message(s) were interrupted mid-send and are recorded", interrupted)
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
    """Starts the timer; the first pass runs at once, to catch up after downtime."""
    assert application.job_queue is not None
    assert isinstance(application, CopApplication)
    for job in application.job_queue.get_jobs_by_name(TICK):
        job.schedule_removal()
    interval = application.services.settings.tick_seconds
    application.job_queue.run_repeating(
        tick,
        interval=interval,
        first=1,
        name=TICK,
        job_kwargs={
            "misfire_grace_time": max(interval // 2, 1),
            "coalesce": True,
            "max_instances": 1,
        },
    )


async def start(application: Application) -> None:
    """No recovery here: at start a process does not yet know whether it leads."""
    assert isinstance(application, CopApplication)
    schedule(application)
