"""`--output` on every command that writes a file (issue 19); `copbot export --out`, the old
name, still works so scripts written for it keep running."""

from __future__ import annotations

import asyncio
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from bot.app.cli import app as cli
from bot.app.context import Services
from tests.conftest import Cop


async def test_export_writes_where_output_says_and_out_still_works(
    ready: Cop, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COPBOT_DATABASE_URL", services.settings.database_url)
    runner = CliRunner()  # the command runs its own event loop: give it a thread
    for option, name in (("--output", "new.html"), ("--out", "old.html")):
        target = tmp_path / name
        result = await asyncio.to_thread(
            runner.invoke,
            cli,
            ["export", "--community", "CoP Gedrag", "--format", "html", option, str(target)],
        )
        assert result.exit_code == 0, result.output
        assert result.output.strip() == f"wrote {target}"
        assert "CoP Gedrag" in target.read_text(encoding="utf-8")
    word = tmp_path / "doc.docx"
    result = await asyncio.to_thread(
        runner.invoke, cli, ["export", "--community", "CoP Gedrag", "--output", str(word)]
    )
    assert result.exit_code == 0 and docx.Document(str(word)).paragraphs
