"""Configuration from `COPBOT_` environment variables and `.env`.

One settings object is built by the composition root and handed down; nothing
reads the environment at import time, so tests can build as many as they like.
"""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Language = Literal["nl", "en"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
LogFormat = Literal["text", "json"]

TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
TELEGRAM_BASE_FILE_URL = "https://api.telegram.org/file/bot"


class Settings(BaseSettings):
    """Everything an operator can set; defaults make `copbot demo` work on a fresh machine."""

    model_config = SettingsConfigDict(
        env_prefix="COPBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    token: SecretStr | None = Field(default=None, description="Bot token from BotFather")
    database_url: str = Field(
        default="sqlite+aiosqlite:///copbot.db",
        description="SQLAlchemy URL; SQLite file in the working directory by default",
    )
    base_url: str = Field(default=TELEGRAM_BASE_URL, description="Bot API base URL")
    base_file_url: str = Field(default=TELEGRAM_BASE_FILE_URL, description="Bot API file URL")
    default_language: Language = Field(default="nl", description="Language of new CoPs")
    timezone: str = Field(default="Europe/Amsterdam", description="Time zone of new CoPs")
    log_level: LogLevel = Field(default="INFO", description="Logging level")
    log_format: LogFormat = Field(
        default="text", description="text (one line per event) or json (one object per line)"
    )
    webhook_url: str | None = Field(
        default=None, description="Public https URL Telegram posts updates to (webhook mode)"
    )
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token"
    )
    listen: str = Field(
        default="127.0.0.1",
        description="Address the HTTP server listens on (0.0.0.0 only in a container)",
    )
    port: int = Field(default=8080, ge=1, le=65535, description="Port of the HTTP server")
    retention_days: int = Field(
        default=180, ge=7, description="Days a removed or archived CoP's data is kept"
    )
    tick_seconds: int = Field(
        default=60, ge=1, le=3600, description="Seconds between passes over the reminder outbox"
    )
    status_edit_seconds: float = Field(
        default=30,
        ge=0,
        le=600,
        description=(
            "A round's status message is edited at most this often: every Bot API call "
            "counts towards Telegram's 30 a second, so at a peak edits are gathered"
        ),
    )
    concurrent_updates: int = Field(
        default=16,
        ge=1,
        le=256,
        description="Updates handled at once (of different chats; one chat's stay in order)",
    )
    send_timeout_seconds: int = Field(
        default=300,
        ge=1,
        description="Seconds after which an unsettled send is taken for dead (crash, failover)",
    )
    outbox_in_flight: int = Field(
        default=8,
        ge=1,
        le=64,
        description="Reminder messages on their way to Telegram at once (paced to its limits)",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower_format(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
