"""The main flows with Dutch keywords only, and with English keywords only.

Typed words are read in both languages (`bot.texts.keywords`); each run types only one
language's words, so a keyword that one language lacks fails here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Community, Contribution, Meeting
from tests.conftest import Cop, last, rows, said


@dataclass(frozen=True)
class Words:
    language: str  # the setup button
    plan_first: str
    reminders: str
    reminders_off: str
    weekly: str
    weekly_off: str
    holidays: str
    checkin: str
    chair: str
    steps: str
    issues_close: str
    qualities_close: str
    qualities_stats: str
    shared_history: str
    decide: str
    document_team: str
    share: str
    code: str
    plan_next: str
    says: dict[str, str]  # what the replies say, in the CoP's language


DUTCH = Words(
    language="Nederlands",
    plan_first="do 15:00",
    reminders="/reminders 2d 1u",
    reminders_off="/reminders uit",
    weekly="/weekly vr 16:30",
    weekly_off="/weekly uit",
    holidays="/holidays midden",
    checkin="/checkin aan",
    chair="/chair rouleren",
    steps="/meeting stappen 2 kwaliteiten literatuur",
    issues_close="/issues sluiten",
    qualities_close="/qualities sluiten",
    qualities_stats="/qualities statistiek",
    shared_history="/shared geschiedenis",
    decide="/decide We turven het gedrag @anna uiterlijk 30 december",
    document_team="/document team",
    share="/share naam uit",
    code="/code alles",
    plan_next="/plan volgende",
    says={
        "steps": "Bijeenkomst 2",
        "round": "Vraagstukronde",
        "stats": "Er zijn nog geen kwaliteiten genoemd.",
        "closed": "De kwaliteitenronde is gesloten.",
        "quality_round": "Kwaliteitenronde:",
        "history": "Er is nog geen gezamenlijk vraagstuk voorgesteld.",
        "share": "Je naam blijft uit de teamversie.",
        "code": "Codeboek",
        "plan_next": "Controleer even:",
    },
)
ENGLISH = Words(
    language="English",
    plan_first="thu 15:00",
    reminders="/reminders 2d 1h",
    reminders_off="/reminders off",
    weekly="/weekly fri 16:30",
    weekly_off="/weekly off",
    holidays="/holidays middle",
    checkin="/checkin on",
    chair="/chair rotate",
    steps="/meeting steps 2 qualities literature",
    issues_close="/issues close",
    qualities_close="/qualities close",
    qualities_stats="/qualities stats",
    shared_history="/shared history",
    decide="/decide We tally the behaviour @anna by 30 December",
    document_team="/document team",
    share="/share name off",
    code="/code all",
    plan_next="/plan next",
    says={
        "steps": "Meeting 2",
        "round": "Issue round",
        "stats": "No qualities have been named yet.",
        "closed": "The quality round is closed.",
        "quality_round": "Quality round:",
        "history": "No shared issue has been proposed yet.",
        "share": "Your name stays out of the team version.",
        "code": "Code book",
        "plan_next": "Please check:",
    },
)


async def _community(services: Services) -> Community:
    async with services.sessions() as session:
        community = await session.scalar(select(Community))
        assert community is not None
        return community


@pytest.mark.parametrize("words", [DUTCH, ENGLISH], ids=["dutch", "english"])
async def test_the_main_flows_with_one_languages_keywords(
    cop: Cop, sandbox: Sandbox, services: Services, words: Words
) -> None:
    sb, fenna, group = sandbox, cop.fenna, cop.group
    await cop.setup(language=words.language)
    await cop.join(cop.anna, cop.bram)

    # plan: the dialogue, answered by typing a weekday and by the buttons
    await sb.send(fenna, group, "/plan")
    await sb.send(fenna, group, words.plan_first, reply_to=last(sb, group))
    for _step in range(5):  # how many, how often, how long, where; save: the first button
        await sb.press(fenna, last(sb, group), last(sb, group).button_texts[0])
    assert len(await rows(services, Meeting)) == 3
    await sb.send(fenna, group, words.steps)
    assert words.says["steps"] in said(sb)

    # the rhythm: reminders, the weekly question, holidays, check-ins, the chair
    await sb.send(fenna, group, words.reminders)
    assert (await _community(services)).settings["rhythm"]["leads_minutes"] == [2880, 60]
    await sb.send(fenna, group, words.reminders_off)
    assert (await _community(services)).settings["rhythm"]["leads_minutes"] == []
    await sb.send(fenna, group, words.weekly)
    rhythm = (await _community(services)).settings["rhythm"]
    assert (rhythm["weekly"], rhythm["weekly_weekday"], rhythm["weekly_time"]) == (True, 4, "16:30")
    await sb.send(fenna, group, words.weekly_off)
    assert not (await _community(services)).settings["rhythm"]["weekly"]
    await sb.send(fenna, group, words.holidays)
    assert (await _community(services)).region == "middle"
    await sb.send(fenna, group, words.checkin)
    assert (await _community(services)).settings["rhythm"]["checkin"]
    await sb.send(fenna, group, words.chair)
    assert (await _community(services)).settings["chair"] == {"rotating": True}

    # an issue round, opened and closed (a new one opens only when the last one closed)
    await sb.send(fenna, group, "/issues")
    await sb.send(cop.anna, group, "Hoe houd ik de kring rustig?", reply_to=last(sb, group))
    await sb.send(fenna, group, words.issues_close)
    await sb.send(fenna, group, "/issues")
    assert words.says["round"] in said(sb)
    await sb.send(fenna, group, words.issues_close)

    # the quality round: opened, its stats, closed, and a new one opens
    await sb.send(fenna, group, "/qualities")
    await sb.send(cop.anna, group, words.qualities_stats)
    assert said(sb) == words.says["stats"]
    await sb.send(fenna, group, words.qualities_close)
    assert said(sb).startswith(words.says["closed"])
    await sb.send(fenna, group, "/qualities")
    assert said(sb).startswith(words.says["quality_round"])

    # the shared issue's history, an agreement, sharing, the team document, coding
    await sb.send(cop.anna, group, words.shared_history)
    assert said(sb).startswith(words.says["history"])
    await sb.send(cop.anna, group, words.decide)
    [decision] = [c for c in await rows(services, Contribution) if c.kind == "decision"]
    assert (decision.data["due"], decision.data["owner"]) == ("2026-12-30", 2)
    await sb.send(cop.anna, group, words.share)
    assert said(sb) == words.says["share"]
    await sb.send(fenna, group, words.document_team)
    names = [m.document.file_name or "" for m in sb.last_replies if m.document]
    assert any("team" in name and name.endswith(".docx") for name in names), names
    await sb.dm(fenna, words.code)
    assert said(sb).startswith(words.says["code"])
    await sb.send(fenna, group, words.plan_next)
    assert said(sb).startswith(words.says["plan_next"])
