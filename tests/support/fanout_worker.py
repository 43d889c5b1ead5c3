"""A separate copbot process that sends what is due (used by the SIGKILL test).

Environment: COPBOT_DATABASE_URL, COPBOT_TOKEN, COPBOT_BASE_URL (the test's sandbox).
"""

from __future__ import annotations

import asyncio

from telegram import Bot

from bot.app.context import build_services
from bot.app.sender import TelegramSender
from bot.app.settings import Settings
from bot.outbox import recover, run_due


async def main() -> None:
    settings = Settings()
    services = build_services(settings)
    assert settings.token is not None
    bot = Bot(settings.token.get_secret_value(), base_url=settings.base_url)
    try:
        async with bot:
            interrupted = await recover(services)
            report = await run_due(services, TelegramSender(bot))
            print(f"interrupted={interrupted} sent={report.sent}", flush=True)
    finally:
        await services.engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
