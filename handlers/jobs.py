"""The timer: PTB's JobQueue (APScheduler) runs the reminder outbox every minute.

The Telegram side of sending lives here too: `TelegramSender` implements the
domain's `Sender` port and turns Telegram's errors into the port's exceptions.
"""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot.application import CopApplication
from bot.callbacks import checked
from bot.ports import Buttons, ChatGone, ChatMoved, SendError, SendLater
from bot.scheduler import recover, run_due

log = logging.getLogger(__name__)

TICK = "copbot-reminders"
INTERVAL_SECONDS = 60


class TelegramSender:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, chat_id: int, text: str, buttons: Buttons | None = None) -> int:
        markup = (
            InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(label[:64], callback_data=checked(data))
                        for label, data in row
                    ]
                    for row in buttons
                ]
            )
            if buttons
            else None
        )
        try:
            message = await self._bot.send_message(chat_id, text, reply_markup=markup)
        except ChatMigrated as exc:
            raise ChatMoved(int(exc.new_chat_id)) from exc
        except RetryAfter as exc:
            raise SendLater(_seconds(exc.retry_after)) from exc
        except Forbidden as exc:
            raise ChatGone(str(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise ChatGone(str(exc)) from exc
            raise SendError(str(exc)) from exc
        except TelegramError as exc:
            raise SendError(type(exc).__name__) from exc
        return message.message_id


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """One pass over the outbox; errors are logged and the next minute tries again."""
    application = context.application
    assert isinstance(application, CopApplication)
    report = await run_due(application.services, TelegramSender(context.bot))
    if report.outcomes:
        log.info(
            "reminders: %s sent, %s missed, %s skipped, %s failed, %s retried",
            report.sent,
            report.missed,
            report.skipped,
            report.failed,
            report.retried,
        )


def schedule(application: Application) -> None:  # type: ignore[type-arg]
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


async def start(application: Application) -> None:  # type: ignore[type-arg]
    assert isinstance(application, CopApplication)
    interrupted = await recover(application.services)
    if interrupted:
        log.warning(
            "%s reminder(s) were interrupted by a restart and are recorded as missed", interrupted
        )
    schedule(application)
