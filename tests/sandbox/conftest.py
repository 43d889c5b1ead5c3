"""Shared fixtures: a fresh sandbox and a tiny real PTB Application bound to it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.sandbox import Sandbox

FIXED_NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(clock=lambda: FIXED_NOW)


def build_app(sandbox: Sandbox) -> Application[Any, Any, Any, Any, Any, Any]:
    """The application exactly as production builds it, but talking to the sandbox."""
    return (
        ApplicationBuilder()
        .token(sandbox.token)
        .request(sandbox.request())
        .get_updates_request(sandbox.request())
        .rate_limiter(AIORateLimiter())
        .build()
    )


@pytest.fixture
def app(sandbox: Sandbox) -> Application[Any, Any, Any, Any, Any, Any]:
    return build_app(sandbox)
