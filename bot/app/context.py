"""What every handler and job is given: the process's services and the typed context.

Kept apart from the composition root (`bot.app.root`) so that the outbox and the
handlers can import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import (
    Application,
    CallbackContext,
    ExtBot,
)

from bot.app.inbox import UpdateInbox
from bot.app.metrics import Metrics
from bot.app.settings import Settings
from bot.clock import Clock, system_clock
from bot.i18n import Catalogs
from bot.services.holidays import HolidayCalendar
from storage.db import create_engine, create_sessions
from storage.leader import Leadership


@dataclass(frozen=True)
class Services:
    """What handlers and jobs need; built once per process."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    catalogs: Catalogs
    clock: Clock
    holidays: HolidayCalendar
    metrics: Metrics
    leadership: Leadership
    inbox: UpdateInbox


def build_services(settings: Settings, clock: Clock = system_clock) -> Services:
    metrics = Metrics()
    engine = create_engine(
        settings.database_url, on_error=lambda kind: metrics.database_errors.labels(kind).inc()
    )
    sessions = create_sessions(engine)
    return Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        catalogs=Catalogs(default=settings.default_language),
        clock=clock,
        holidays=HolidayCalendar(),
        metrics=metrics,
        leadership=Leadership(engine),
        inbox=UpdateInbox(sessions, clock),
    )


class CopApplication(Application):  # type: ignore[type-arg]
    """PTB's Application carrying our services, so the context is typed, not a dict."""

    def __init__(self, *, services: Services, timers: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        self.timers = timers


class CopContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        application = self.application
        assert isinstance(application, CopApplication)
        return application.services
