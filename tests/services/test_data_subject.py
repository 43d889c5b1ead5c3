"""Data-subject rights: `export-user` finds everything stored about a person and
`erase-user` (the same rules as /leave) removes it, in every state of a CoP until its
data is purged.

Through the use cases, a person writes into every feature and a colleague writes about
them; every text ends in a marker (`qzx...`). Every text and JSON column of every
table is classified in `COLUMNS`, and every column pointing at a member in `LINKS`: a
new table or column fails this test until it is classified, and so exported and
erased. Then the whole database is scanned: each marker must be in the export, and
after erasure only the group's outcomes (kept without their author) still hold one.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import JSON, BigInteger, String, select

from bot.app.subject import erase_user, export_user
from bot.i18n import Catalogs
from bot.services import (
    agenda,
    attendance,
    coding,
    communities,
    decisions,
    intake,
    issues,
    lifecycle,
    literature,
    meeting_args,
    membership,
    mine,
    prompts,
    qualities,
    rhythm,
    shared_issue,
    sharing,
)
from bot.services.holidays import HolidayCalendar
from bot.services.intake import Release
from bot.services.unit import Unit
from bot.services.values import ErasureReport, Person
from bot.texts import membership as membership_texts
from storage.models import Base, Community, Member
from tests.services.conftest import GROUP_CHAT, Cop

SUBJECT_ID = 7_700_007  # the person's Telegram id, and so their private chat's id
MARK = re.compile(r"qzx[a-z]+")

WRITTEN = "what a person wrote, or was written about them: exported, then erased"
CODE = "a value the bot sets: a kind, a status, a code, an id, a step"
GROUP = "the CoP's own: its name and theme, a meeting's place and agenda"
TRANSIT = "kept only in transit: an update until handled, a message until sent (erasure drops it)"

#: Every text and JSON column, and what it holds.
COLUMNS: dict[str, str] = {
    "deliveries.text": TRANSIT,  # the bot's own message, kept only until it is sent
    "deliveries.buttons": CODE,
    "deliveries.prompt_kind": CODE,
    "deliveries.prompt_data": CODE,
    "deliveries.status": CODE,
    "deliveries.note": CODE,
    "inbox_updates.payload": TRANSIT,
    "installation.id": CODE,  # a random id of the installation, for calendar UIDs
    "communities.chat_type": CODE,
    "communities.name": GROUP,
    "communities.theme": GROUP,
    "communities.language": CODE,
    "communities.timezone": CODE,
    "communities.region": CODE,
    "communities.status": CODE,
    "communities.settings": CODE,  # rhythm, switches; member ids for sharing choices
    "members.display_name": WRITTEN,
    "members.username": WRITTEN,
    "members.language": CODE,
    "members.role": CODE,
    "members.status": CODE,
    "consent_records.action": CODE,
    "consent_records.letter_version": CODE,
    "meetings.location": GROUP,
    "meetings.status": CODE,
    "meetings.steps": CODE,
    "meetings.agenda": GROUP,
    "prompts.kind": CODE,
    "prompts.data": CODE,  # ids and steps
    "flows.kind": CODE,
    "flows.step": CODE,
    "flows.data": WRITTEN,  # texts held behind a question, answers of a dialogue
    "contributions.kind": CODE,
    "contributions.text": WRITTEN,
    "contributions.data": WRITTEN,  # examples, situations, practices, sources
    "contributions.visibility": CODE,
    "reminders.kind": CODE,
    "reminders.key": CODE,
    "reminders.status": CODE,
    "reminders.note": CODE,
    "attendance.answer": CODE,
    "attendance.note": WRITTEN,  # the reason for an absence
    "codings.scope": CODE,
    "codings.attribution": CODE,
    "codings.code_book": CODE,
    "codings.role": CODE,
    "votes.choice": CODE,
}

#: Every column that points at a member: the export section that lists those rows, and
#: whether erasure keeps the row pointing at the (then emptied) member row.
LINKS: dict[str, tuple[str, bool]] = {
    "consent_records.member_id": ("consent_records", True),  # evidence, without identity
    "contributions.member_id": ("contributions", False),
    "contributions.about_member_id": ("about_you", False),
    "attendance.member_id": ("attendance", False),
    "codings.coder_member_id": ("codings", True),  # the code stays, its coder is nobody
    "votes.member_id": ("votes", False),
}

#: The group's outcomes: kept after erasure, without their author.
KEPT = {"qzxdecision", "qzxsharedissue", "qzxagenda", "qzxmeetingnote", "qzxsource"}
KEPT_DATA = {"qzxauthors"}  # in the kept source's reference


def _text_columns() -> set[str]:
    return {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | JSON)
    }


def _member_links() -> set[str]:
    return {
        f"{table.name}.{column.name}"
        for table in Base.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == "members"
    }


def test_every_column_is_classified() -> None:
    assert set(COLUMNS) == _text_columns(), "classify the new column in COLUMNS (and handle it)"
    assert set(LINKS) == _member_links(), "classify the new member link in LINKS (and handle it)"


async def _markers(unit: Unit) -> dict[str, set[str]]:
    """Every marker in the database, by the column it is in."""
    found: dict[str, set[str]] = {}
    for name in COLUMNS:
        table_name, column_name = name.split(".")
        column = Base.metadata.tables[table_name].c[column_name]
        for value in await unit.session.scalars(select(column)):
            text = json.dumps(value) if isinstance(value, dict | list) else str(value or "")
            for marker in MARK.findall(text.lower()):
                found.setdefault(name, set()).add(marker)
    return found


async def _holding(unit: Unit, value: int) -> set[str]:
    """The BigInteger columns (Telegram ids: users, chats) that hold `value`."""
    found = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, BigInteger) and await unit.session.scalar(
                select(column).where(column == value).limit(1)
            ):
                found.add(f"{table.name}.{column.name}")
    return found


async def _linked(unit: Unit, member_id: int) -> dict[str, set[int]]:
    """Ids of the rows that point at the member, by link column."""
    found = {}
    for name in LINKS:
        table_name, column_name = name.split(".")
        table = Base.metadata.tables[table_name]
        ids = set(
            await unit.session.scalars(select(table.c.id).where(table.c[column_name] == member_id))
        )
        if ids:
            found[name] = ids
    return found


async def _plant(unit: Unit, cop: Cop) -> int:
    """The subject uses every feature, and a colleague writes about them; their member id."""
    subject = await membership.join(
        unit,
        cop.id,
        Person(
            user_id=SUBJECT_ID,
            first_name="Qzxfirst",
            last_name="Qzxlast",
            username="qzxuser",
            language_code="nl",
        ),
    )
    subject = await membership.toggle_cofacilitator(unit, cop.id, user_id=SUBJECT_ID)
    colleague = cop.teachers[0]
    change = await meeting_args.change(
        unit, cop.community, HolidayCalendar(), ["add", "2026-12-02", "15:00"]
    )
    assert change.planned is not None
    meeting = change.planned.meetings[0]

    # A practice issue round: the issue, a possible shared one, a reflection, and a
    # second answer held until they choose.
    round_ = await issues.start_round(unit, cop.id, GROUP_CHAT, 100, None)
    answer = "a) qzxissue\nb) qzxsuggestion"
    saved = await issues.save_answer(unit, cop.id, round_, subject, answer, replace=False)
    await issues.save_reflection(unit, cop.id, subject, saved.contribution_id, "qzxreflection")
    ref = {"prompt_id": round_.prompt_id}
    second = await issues.answer(
        unit, cop.id, subject, "qzxduplicate", ref, user_id=SUBJECT_ID, chat_id=GROUP_CHAT
    )
    assert isinstance(second, issues.NeedsChoice)
    # A text behind the pupil-name warning, and one waiting for "which CoP?".
    held = await intake.screen(
        unit,
        cop.community,
        SUBJECT_ID,
        SUBJECT_ID,
        "Jan Jansen qzxguarded",
        Release.ISSUE_ANSWER,
        ref,
    )
    assert held is not None
    await membership.hold(unit, SUBJECT_ID, "qzxpending")

    # Qualities: by the subject, and about them.
    await qualities.nominate(unit, cop.id, subject, colleague.id, "qzxquality", "qzxexample")
    await qualities.nominate(unit, cop.id, colleague, subject.id, "qzxaboutq", "qzxaboutexample")
    await qualities.propose_title(unit, cop.id, subject, colleague.id, "qzxtitle")
    await qualities.propose_title(unit, cop.id, colleague, subject.id, "qzxabouttitle")
    await qualities.log_use(unit, cop.id, subject, subject.id, "qzxuse", "qzxsituation")
    await qualities.log_use(unit, cop.id, colleague, subject.id, "qzxaboutuse", "qzxaboutsit")

    # Literature, an agreement and its follow-up, a shared issue and its comment.
    source = literature.Source(title="qzxsource", authors="qzxauthors")
    await literature.save(unit, cop.id, subject, source, "qzxinsight", "qzxpractice")
    decision = await decisions.propose(
        unit, cop.id, subject, "qzxdecision", today=date(2026, 11, 23)
    )
    await decisions.vote(unit, cop.id, subject, decision.id, "agree")
    await decisions.answer_followup(unit, cop.id, subject, decision.id, "yes", "qzxfollowup")
    proposal = await shared_issue.propose(unit, cop.id, subject, "qzxsharedissue")
    await shared_issue.attach_message(unit, cop.id, proposal.id, GROUP_CHAT, 300)
    await shared_issue.vote(unit, cop.id, subject, proposal.id, "not_yet")
    prompt = await prompts.find(unit, GROUP_CHAT, 300)
    assert prompt is not None
    target = shared_issue.proposal_of(prompt)
    await shared_issue.comment(unit, cop.id, subject, target, "qzxcomment")

    # Meetings: an agenda point, an absence and its reason, the weekly question, the log.
    await agenda.add_point(unit, cop.id, subject.id, meeting.id, "qzxagenda")
    await attendance.record(unit, cop.id, subject, meeting.id, "n", "qzxabsence")
    await rhythm.share_weekly(unit, cop.id, subject.id, "qzxweekly")
    await rhythm.log_note(unit, cop.id, subject.id, meeting.id, "qzxmeetingnote")

    # Coding a colleague's issue; sharing choices; a question in their private chat.
    other = await issues.save_answer(unit, cop.id, round_, colleague, "Een vraag", replace=False)
    await coding.code(unit, cop.id, subject, other.contribution_id, "si")
    await sharing.set_named(unit, cop.id, subject, True)
    item = await mine.own_item(unit, cop.id, subject, saved.contribution_id)
    await mine.remember_edit(unit, cop.id, subject, item, SUBJECT_ID, 400)
    return subject.id


async def _end(unit: Unit, cop: Cop, state: str) -> None:
    if state == "archived":
        await lifecycle.archive(unit, cop.id)
    elif state == "removed":
        await communities.bot_removed(unit, GROUP_CHAT)


def _exported_ids(export: dict[str, Any], section: str) -> set[int]:
    return {row["id"] for cop in export["communities"] for row in cop[section]}


@pytest.mark.parametrize("state", ["active", "archived", "removed"])
async def test_export_finds_and_erasure_removes_everything_about_a_person(
    unit: Unit, cop: Cop, state: str
) -> None:
    member_id = await _plant(unit, cop)
    await _end(unit, cop, state)
    planted = await _markers(unit)
    written = {name for name, kind in COLUMNS.items() if kind == WRITTEN}
    assert set(planted) == written  # a marker in every column that holds what people wrote

    export = await export_user(unit, SUBJECT_ID)
    exported = json.dumps(export, ensure_ascii=False).lower()
    every = set().union(*planted.values())
    assert sorted(m for m in every if m not in exported) == []
    assert [c["community"]["status"] for c in export["communities"]] == [
        "active" if state == "active" else state
    ]
    for link, ids in (await _linked(unit, member_id)).items():
        section, _kept = LINKS[link]
        assert ids <= _exported_ids(export, section), link
    assert export["communities"][0]["sharing"] == {"name_in_team_version": True, "reviewed": True}

    reports = await erase_user(unit, SUBJECT_ID)
    assert len(reports) == 1
    left = set().union(*(await _markers(unit)).values())
    assert left == KEPT | KEPT_DATA
    kept_rows = await unit.session.scalars(
        select(Base.metadata.tables["contributions"].c.member_id).where(
            Base.metadata.tables["contributions"].c.text.in_(sorted(KEPT))
        )
    )
    assert set(kept_rows) == {None}
    assert await _holding(unit, SUBJECT_ID) == set()
    still = {link for link in await _linked(unit, member_id)}
    assert still <= {link for link, (_s, kept) in LINKS.items() if kept}
    row = await unit.session.get(Member, member_id)
    assert row is not None and (row.telegram_user_id, row.display_name, row.username) == (
        None,
        None,
        None,
    )
    community = await unit.session.get(Community, cop.id)
    assert community is not None
    assert member_id not in community.settings.get("share_names", [])
    assert member_id not in community.settings.get("share_reviewed", [])
    assert (await export_user(unit, SUBJECT_ID))["communities"] == []

    # What /leave says names every kind it erased or kept (no "item").
    report = ErasureReport.model_validate(reports[0])
    assert set(report.deleted) | set(report.anonymised) <= set(membership_texts.KIND_NAMES)
    said = membership_texts.left(Catalogs().get("en"), report)
    assert "item" not in said


async def test_erasing_someone_unknown_touches_nothing(unit: Unit, cop: Cop) -> None:
    before = await _markers(unit), await _linked(unit, cop.teachers[0].id)
    assert await erase_user(unit, 99) == []
    assert (await _markers(unit), await _linked(unit, cop.teachers[0].id)) == before
