"""What the bot says when people leave the Telegram group, and about the main facilitator."""

from __future__ import annotations

from bot.i18n import N_

ERRORS = {
    "blocked_bot": N_(
        "You blocked me, so I cannot answer you here and nothing was changed. Press "
        "Restart in this chat, then try again."
    ),
}
