"""Chat etiquette and the smaller things a teacher trips over (issue 15): short lists in
the group, buttons where an answer is expected, and displays that say plainly what is
meant."""

from __future__ import annotations

from bot.sandbox import Sandbox
from tests.conftest import Cop, last, said


async def five(cop: Cop) -> Cop:
    await cop.setup()
    await cop.join(*cop.teachers[:4])  # Fenna + Anna, Bram, Chantal, Dirk = 5 members
    return cop


async def test_a_source_given_only_as_a_link_is_printed_once(cop: Cop, sandbox: Sandbox) -> None:
    await five(cop)
    await sandbox.send(cop.anna, cop.group, "/insight https://example.org/gedrag")
    await sandbox.send(
        cop.anna, cop.group, "Gedrag is communicatie", reply_to=last(sandbox, cop.group)
    )
    await sandbox.send(cop.anna, cop.group, "Eerst kijken", reply_to=last(sandbox, cop.group))
    await sandbox.send(cop.bram, cop.group, "/insight 10.1037/abc.123")
    await sandbox.send(cop.bram, cop.group, "Voorspelbaarheid", reply_to=last(sandbox, cop.group))
    await sandbox.send(cop.bram, cop.group, "Dagritme", reply_to=last(sandbox, cop.group))

    await sandbox.send(cop.teachers[2], cop.group, "/reading")
    listing = said(sandbox)
    assert listing.count("https://example.org/gedrag") == 1
    assert listing.count("10.1037/abc.123") == 1
    assert "https://doi.org/10.1037/abc.123" in listing  # a DOI alone reads as its link


async def test_code_shows_numbers_names_and_dates_not_database_ids(
    cop: Cop, sandbox: Sandbox
) -> None:
    await five(cop)
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    for teacher, text in zip(
        cop.teachers[:2], ["Parents do not help", "I lose my patience"], strict=True
    ):
        await sandbox.send(teacher, cop.group, text, reply_to=round_prompt)
    await sandbox.dm(cop.fenna, "/code")
    first, second = sandbox.last_replies[1:3]
    assert "#" not in first.content and "#" not in second.content
    assert first.content.startswith("1. practice issue \u00b7 Anna \u00b7 Monday 23 November 2026")
    assert second.content.startswith("2. practice issue \u00b7 Bram")
    await sandbox.press(cop.fenna, second, "shared / internal")
    assert second.content.startswith("2. practice issue \u00b7 Bram")  # the same number after
    assert "Code: shared / internal" in second.content
