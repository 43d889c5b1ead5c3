"""Ports: what the domain needs from the outside world, in the domain's own terms.

The scheduler sends through `Sender`; the Telegram adapter (handlers/) implements
it and turns Telegram's errors into the exceptions below, so no service or job
ever touches a PTB object.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

Buttons = Sequence[Sequence[tuple[str, str]]]  # rows of (label, callback data)


class SendError(Exception):
    """Base of what can go wrong when the bot writes on its own."""


class ChatGone(SendError):
    """The bot was removed from the chat or blocked by the person: stop, do not retry."""


class ChatMoved(SendError):
    """The group became a supergroup; everything follows the new chat id."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(new_chat_id)
        self.new_chat_id = new_chat_id


class SendLater(SendError):
    """Telegram asked to slow down (429) beyond what the rate limiter absorbed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class Sender(Protocol):
    async def send(self, chat_id: int, text: str, buttons: Buttons | None = None) -> int:
        """Sends Telegram HTML; returns the message id."""
        ...
