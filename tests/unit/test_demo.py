"""`copbot demo` plays a whole scene offline and ends well."""

from __future__ import annotations

from pathlib import Path

from bot.app.demo import run_demo


async def test_demo_runs_offline_and_prints_a_readable_transcript(tmp_path: Path) -> None:
    transcript = await run_demo(output=tmp_path)
    assert transcript.startswith("[Group CoP De Regenboog] * Fenna added copbot")
    assert "Fenna: /setup" in transcript
    assert "Welkom, Emre! Je bent nu lid van CoP Gedrag De Regenboog (6 leden)." in transcript
    assert "[private Olaf] copbot:" in transcript


async def test_demo_plans_a_cycle_and_shows_reminders(tmp_path: Path) -> None:
    transcript = await run_demo(output=tmp_path)
    assert "Fenna: /plan" in transcript
    assert "--- two days before meeting 1: the reminder outbox runs ---" in transcript
    assert "woensdag 16 september 2026, 15:00" in transcript
    assert "(edited): " in transcript  # the attendance count updates in place


async def test_demo_writes_the_collection_document(tmp_path: Path) -> None:
    transcript = await run_demo(output=tmp_path / "out")
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert any(name.endswith(".docx") for name in written)
    assert any(name.endswith(".html") for name in written)
    assert any(name.endswith(".md.zip") for name in written)
    assert "The collection document is in" in transcript and ".docx" in transcript
