"""An offline, faithful fake of the Telegram Bot API for end-to-end tests and demos.

The real PTB ``Application`` runs against it unchanged (plugged in as a ``BaseRequest``);
tests drive "the humans" through :class:`Sandbox`'s world API and inspect what the bot did.
"""

from bot.sandbox.api import ApiError, retry_after
from bot.sandbox.driver import SandboxDriver
from bot.sandbox.server import Sandbox, SandboxError, format_transcript
from bot.sandbox.state import SandboxCallbackQuery, SandboxChat, SandboxMessage, SandboxUser

__all__ = [
    "ApiError",
    "Sandbox",
    "SandboxCallbackQuery",
    "SandboxChat",
    "SandboxDriver",
    "SandboxError",
    "SandboxMessage",
    "SandboxUser",
    "format_transcript",
    "retry_after",
]
