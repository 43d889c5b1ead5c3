"""`copbot demo` plays a whole scene offline and ends well.

The demo runs once for this module (it is the slowest scene in the suite); each test
reads what it left behind.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app.demo import run_demo


@dataclass(frozen=True)
class DemoRun:
    transcript: str
    output: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    output = tmp_path_factory.mktemp("demo") / "out"
    return DemoRun(asyncio.run(run_demo(output=output)), output)


def test_demo_runs_offline_and_prints_a_readable_transcript(demo: DemoRun) -> None:
    transcript = demo.transcript
    assert transcript.startswith("[Group CoP De Regenboog] * Fenna added copbot")
    assert "Fenna: /setup" in transcript
    assert "Welkom, Emre! Je bent nu lid van CoP Gedrag De Regenboog (6 leden)." in transcript
    assert "[private Olaf] copbot:" in transcript


def test_demo_plans_a_cycle_and_shows_reminders(demo: DemoRun) -> None:
    transcript = demo.transcript
    assert "Fenna: /plan" in transcript
    assert "--- two days before meeting 1: the reminder outbox runs ---" in transcript
    assert "woensdag 16 september 2026, 15:00" in transcript
    assert "(edited): " in transcript  # the attendance count updates in place


def test_demo_writes_the_collection_document(demo: DemoRun) -> None:
    written = sorted(path.name for path in demo.output.iterdir())
    assert any(name.endswith(".docx") for name in written)
    assert any(name.endswith(".html") for name in written)
    assert any(name.endswith(".md.zip") for name in written)
    assert "The collection document is in" in demo.transcript and ".docx" in demo.transcript
