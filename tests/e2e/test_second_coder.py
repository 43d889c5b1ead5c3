"""A second coder's codes never change the development table (issue 16)."""

from __future__ import annotations

import krippendorff

from bot.app.context import Services
from bot.clock import ManualClock
from bot.sandbox import Sandbox, SandboxUser
from storage.models import Contribution, Meeting, Member
from tests.conftest import Cop, last, rows, said


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


CODES = ["individual / external", "individual / internal", "shared / external", "shared / internal"]


async def _ten_in_two_meetings(
    cop: Cop, sandbox: Sandbox, services: Services, clock: ManualClock
) -> dict[str, str]:
    """Ten contributions, five per meeting; returns each one's text with the code Fenna
    gives it through /code."""
    await cop.setup()
    await cop.join(*cop.teachers[:4])
    for day in (2, 9):
        await sandbox.send(cop.fenna, cop.group, f"/meeting add 2026-12-{day:02d} 15:00")
    members = await rows(services, Member)
    meetings = sorted(await rows(services, Meeting), key=lambda m: m.number)
    async with services.sessions.begin() as session:
        for n in range(10):
            session.add(
                Contribution(
                    community_id=meetings[0].community_id,
                    member_id=members[1].id,
                    kind="issue",
                    meeting_id=meetings[n // 5].id,
                    text=f"Situation {n + 1}",
                    created_at=clock(),
                    updated_at=clock(),
                )
            )
    await sandbox.dm(cop.fenna, "/code")
    items = sandbox.last_replies[1:-1]
    given = {}
    for n, item in enumerate(items):
        given[f"Situation {n + 1}"] = CODES[n % 4]
        await sandbox.press(cop.fenna, item, CODES[n % 4])
    return given


async def test_a_blind_second_coder_agreement_and_resolving(
    cop: Cop, sandbox: Sandbox, services: Services, clock: ManualClock
) -> None:
    given = await _ten_in_two_meetings(cop, sandbox, services, clock)
    await sandbox.send(cop.bram, cop.group, "/development")
    before = sandbox.last_replies[0].content

    await sandbox.dm(cop.fenna, "/code second")
    assert "You coded these contributions first" in said(sandbox)
    await sandbox.send(cop.fenna, cop.group, "/facilitator @anna")
    await sandbox.dm(cop.anna, "/code tweede")  # the Dutch keyword works too
    items = sandbox.last_replies[1:-1]
    assert "2 in all" in sandbox.last_replies[-1].content
    assert len(items) == 2  # 20% of each meeting's five
    texts = [next(t for t in given if t + "\n" in m.content + "\n") for m in items]
    assert {int(t.split()[1]) <= 5 for t in texts} == {True, False}  # one per meeting
    for item in items:
        assert "Code: not coded yet" in item.content  # blind: Fenna's code is not shown
    agreeing, differing = texts
    other = next(c for c in CODES if c != given[differing])
    await sandbox.press(cop.anna, items[0], given[agreeing])
    await sandbox.press(cop.anna, items[1], other)
    await sandbox.dm(cop.anna, "/code second")  # the same sample, now coded
    assert "Your sample of 2 contributions is coded." in said(sandbox)
    await sandbox.send(cop.bram, cop.group, "/development")
    assert sandbox.last_replies[0].content == before  # second codes never count

    await sandbox.dm(cop.anna, "/agreement")
    figures = sandbox.last_replies[0].content
    short = {"individual / external": 0, "individual / internal": 1}
    short |= {"shared / external": 2, "shared / internal": 3}
    alpha = krippendorff.alpha(
        reliability_data=[
            [short[given[agreeing]], short[given[differing]]],
            [short[given[agreeing]], short[other]],
        ],
        level_of_measurement="nominal",
    )
    shown = f"{alpha:.3f}".replace("0.", ".", 1)  # as the study writes it: .712
    assert (
        f"2 contributions double-coded, 1 the same: 50% agreement, Krippendorff's alpha {shown}."
        in figures
    )
    assert "1 disagreement to resolve." in figures
    (open_item,) = sandbox.last_replies[1:]
    assert differing in open_item.content
    assert f"First code: {given[differing]}; second code: {other}." in open_item.content

    await sandbox.press(cop.anna, open_item, f"Resolve as: {other}")
    assert "Resolved as" in open_item.content
    assert not open_item.buttons  # resolved once: nothing left to press twice
    await sandbox.dm(cop.anna, "/agreement")
    assert (
        f"Before discussion: 2 contributions double-coded, 1 the same: 50% agreement, "
        f"Krippendorff's alpha {shown}." in said(sandbox)
    )  # the history is kept
    if given[agreeing] != other:  # two categories left: full agreement
        assert (
            "After discussion: 2 contributions double-coded, 2 the same: 100% agreement, "
            "Krippendorff's alpha 1.000." in said(sandbox)
        )
    else:  # one category only: alpha says nothing
        assert "After discussion: 2 contributions double-coded: not enough data" in said(sandbox)
    assert "No disagreements left to resolve." in said(sandbox)
    assert len(sandbox.last_replies) == 1

    await sandbox.send(cop.bram, cop.group, "/development")
    after = sandbox.last_replies[0].content
    assert after != before
    # Exactly the resolved code moved: one fewer of Fenna's code, one more of Anna's, in
    # the meeting of the resolved contribution.
    meeting = 1 if int(differing.split()[1]) <= 5 else 2
    row_before = _row(before, meeting)
    row_after = _row(after, meeting)
    order = ["individual / external", "individual / internal", "shared / external"]
    order.append("shared / internal")
    moved = [a - b for a, b in zip(row_after, row_before, strict=True)]
    expected = [0, 0, 0, 0]
    expected[order.index(given[differing])] -= 20
    expected[order.index(other)] += 20
    assert moved == expected
    assert _row(after, 3 - meeting) == _row(before, 3 - meeting)


def _row(table: str, meeting: int) -> list[int]:
    """The percentages of one meeting's row of /development."""
    line = next(line for line in table.splitlines() if line.split()[:1] == [str(meeting)])
    return [int(cell.rstrip("%")) for cell in line.split()[1:] if cell.endswith("%")]


async def test_a_sample_needs_five_coded_contributions(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await _four_issues(cop, sandbox)
    await _code_all(sandbox, cop.fenna, CODES)
    await sandbox.send(cop.fenna, cop.group, "/facilitator @anna")
    await sandbox.dm(cop.anna, "/code second")
    assert said(sandbox) == (
        "A second coder needs at least 5 coded contributions to sample from; there are 4 now. "
        "Code more with /code first."
    )
    await sandbox.dm(cop.anna, "/agreement")
    assert "0 contributions double-coded: not enough data" in said(sandbox)
