"""The Telegram side of the `Sender` port: PTB errors become the port's exceptions."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.ports import Buttons, ChatGone, ChatMoved, SendError, SendLater
from bot.render.callbacks import checked


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
