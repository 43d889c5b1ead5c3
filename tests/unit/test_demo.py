"""`copbot demo` plays a whole scene offline and ends well."""

from __future__ import annotations

from bot.demo import run_demo


async def test_demo_runs_offline_and_prints_a_readable_transcript() -> None:
    transcript = await run_demo()
    assert transcript.startswith("[Group CoP De Regenboog] * Fenna added copbot")
    assert "Fenna: /setup" in transcript
    assert "Welkom, Emre! Je bent nu lid van CoP Gedrag De Regenboog (6 leden)." in transcript
    assert "[private Olaf] copbot:" in transcript


async def test_demo_plans_a_cycle_and_shows_reminders() -> None:
    transcript = await run_demo()
    assert "Fenna: /plan" in transcript
    assert "--- two days before meeting 1: the reminder outbox runs ---" in transcript
    assert "woensdag 16 september 2026, 15:00" in transcript
    assert "(edited): " in transcript  # the attendance count updates in place
