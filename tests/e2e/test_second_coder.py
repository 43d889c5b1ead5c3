"""A second coder's codes never change the development table (issue 16)."""

from __future__ import annotations

from bot.app.context import Services
from bot.sandbox import Sandbox, SandboxUser
from tests.conftest import Cop, last, said


async def _four_issues(cop: Cop, sandbox: Sandbox) -> None:
    await cop.setup()
    await cop.join(*cop.teachers[:4])
    await sandbox.send(cop.fenna, cop.group, "/issues nudge off")
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    for teacher, text in zip(
        cop.teachers[:4],
        ["Parents do not help", "I lose my patience", "What can we do as a school?", "Luck"],
        strict=True,
    ):
        await sandbox.send(teacher, cop.group, text, reply_to=round_prompt)


async def _code_all(sandbox: Sandbox, coder: SandboxUser, codes: list[str]) -> None:
    await sandbox.dm(coder, "/code")
    items = sandbox.last_replies[1:-1]
    assert len(items) == len(codes)
    for item, code in zip(items, codes, strict=True):
        await sandbox.press(coder, item, code)


async def test_a_co_facilitators_later_codes_leave_the_table_as_the_first_coder_made_it(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await _four_issues(cop, sandbox)
    await _code_all(
        sandbox,
        cop.fenna,
        [
            "individual / external",
            "individual / internal",
            "shared / internal",
            "shared / internal",
        ],
    )
    await sandbox.send(cop.anna, cop.group, "/development")
    before = sandbox.last_replies[0].content
    assert "50%" in before and "25%" in before

    await sandbox.send(cop.fenna, cop.group, "/facilitator @anna")
    assert said(sandbox) == "Anna is now a co-facilitator."
    await _code_all(
        sandbox,
        cop.anna,
        ["shared / external", "shared / external", "shared / external", "individual / internal"],
    )
    await sandbox.send(cop.bram, cop.group, "/development")
    assert sandbox.last_replies[0].content == before
