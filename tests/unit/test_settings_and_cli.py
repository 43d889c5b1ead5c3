from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from bot.app.cli import app
from bot.app.settings import Settings
from storage.migrate import HEAD


def test_defaults_need_no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.token is None
    assert settings.database_url == "sqlite+aiosqlite:///copbot.db"
    assert (settings.default_language, settings.timezone) == ("nl", "Europe/Amsterdam")
    assert settings.base_url == "https://api.telegram.org/bot"


def test_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("COPBOT_TIMEZONE=Europe/Brussels\nCOPBOT_LOG_LEVEL=debug\n")
    monkeypatch.setenv("COPBOT_TOKEN", "1:abc")
    settings = Settings()
    assert settings.token is not None and settings.token.get_secret_value() == "1:abc"
    assert "1:abc" not in repr(settings)
    assert (settings.timezone, settings.log_level) == ("Europe/Brussels", "DEBUG")


def test_unknown_timezone_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, timezone="Mars/Olympus")  # type: ignore[call-arg]


def test_run_without_token_exits_2_with_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COPBOT_TOKEN", raising=False)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "COPBOT_TOKEN is not set" in lines[0]


def test_invalid_configuration_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPBOT_TIMEZONE", "Nowhere/Land")
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 2
    assert "COPBOT_TIMEZONE" in result.output


def test_version_and_help() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("copbot ")
    result = runner.invoke(app, ["--help"])
    for command in ("run", "demo", "db"):
        assert command in result.output


def test_db_upgrade_creates_the_schema(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COPBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    runner = CliRunner()
    first = runner.invoke(app, ["db", "upgrade"])
    second = runner.invoke(app, ["db", "upgrade"])  # running twice is harmless
    assert first.exit_code == 0 and second.exit_code == 0
    assert f"database at revision {HEAD}" in second.output
