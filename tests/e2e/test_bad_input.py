"""Bad input gets a clear, friendly answer and loses nothing."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.app.context import Services
from bot.render.callbacks import Button
from bot.sandbox import Sandbox
from bot.services import membership
from storage.models import Base
from tests.conftest import Cop, last, said


async def test_unknown_commands(ready: Cop, sandbox: Sandbox) -> None:
    await sandbox.dm(ready.anna, "/frobnicate now")
    assert said(sandbox) == "I do not know the command /frobnicate. See /help."
    await sandbox.send(ready.anna, ready.group, "/frobnicate")  # may be another bot's
    assert sandbox.last_replies == []
    await sandbox.send(ready.anna, ready.group, "/frobnicate@copbot_sandbox_bot")
    assert said(sandbox) == "I do not know the command /frobnicate. See /help."


async def test_html_like_names_and_text_are_shown_literally(cop: Cop, sandbox: Sandbox) -> None:
    await cop.setup(name="<script>alert(1)</script> & co")
    mallory = sandbox.user("<b>Mal</b>", last_name="&amp; \u05e9\u05dc\u05d5\u05dd \U0001f600")
    await sandbox.join(mallory, cop.group)
    await cop.join(mallory)
    letter = last(sandbox, cop.group)
    assert "Welcome, <b>Mal</b> &amp; \u05e9\u05dc\u05d5\u05dd \U0001f600!" in letter.content
    await sandbox.send(mallory, cop.group, "/members")
    assert "<script>alert(1)</script> & co: 2 members" in said(sandbox)
    assert "\u2022 <b>Mal</b> &amp; \u05e9\u05dc\u05d5\u05dd \U0001f600" in said(sandbox)


FORGED_TAILS = (
    "",
    ":",
    ":999999",
    ":999999:y",
    ":999999:e",
    ":abc",
    ":abc:def",
    ":-1:y",
    ":999999:999999:999999",
    ":1e9:y",
    ":\u0669\u0669\u0669\u0669\u0669\u0669:y",  # Arabic-Indic digits: int() reads 999999
    ":999999:" + "x" * 40,
)


async def _snapshot(services: Services) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the update bookkeeping, to see that nothing changed."""
    skip = {"processed_updates", "inbox_updates", "health_checks"}
    async with services.sessions() as session:
        return {
            table.name: sorted(
                (tuple(row) for row in await session.execute(select(table))), key=repr
            )
            for table in Base.metadata.sorted_tables
            if table.name not in skip
        }


async def test_forged_and_unknown_buttons_change_nothing(
    ready: Cop, sandbox: Sandbox, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """Every button family, with data no button of ours ever carried: each press gets an
    answer the presser sees, nothing in the database changes, and nothing reaches the
    error handler."""
    member = ready.teachers[3]
    await sandbox.send(member, ready.group, "/join")
    letter = last(sandbox, ready.group)
    await sandbox.dm(ready.anna, "/mine")
    private = last(sandbox, sandbox.private_chat(ready.anna))
    before = await _snapshot(services)
    payloads = [f"{prefix.value}{tail}" for prefix in Button for tail in FORGED_TAILS]
    payloads += ["zz:1", "x" * 64, ":", "::::"]
    with caplog.at_level(logging.ERROR):
        for data in payloads:
            for presser, message in ((member, letter), (ready.anna, private)):
                query = await sandbox.press_data(presser, message, data[:64])
                told = query.answer_text or [m.content for m in sandbox.last_replies]
                assert query.answered and told, data  # an alert, or a word in the chat
    assert await _snapshot(services) == before
    assert "handling update_id" not in caplog.text  # no press reached the error handler


async def test_an_edited_command_is_not_run_again(ready: Cop, sandbox: Sandbox) -> None:
    message = await sandbox.send(ready.anna, ready.group, "/members")
    await sandbox.edit(ready.anna, message, "/leave")
    assert sandbox.last_replies == []


async def test_an_unexpected_error_gets_an_apology_and_no_member_text_is_logged(
    ready: Cop, sandbox: Sandbox, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(membership, "list_members", broken)
    with caplog.at_level(logging.ERROR):
        await sandbox.send(ready.anna, ready.group, "/members secret pupil name Jan Jansen")
    assert said(sandbox) == (
        "Sorry, something went wrong on my side. Nothing was saved; please try again."
    )
    assert "RuntimeError" in caplog.text and "kind=message" in caplog.text
    assert "Jan Jansen" not in caplog.text


async def test_a_blank_answer_to_a_question_is_asked_again(cop: Cop, sandbox: Sandbox) -> None:
    await sandbox.send(cop.fenna, cop.group, "/setup")
    question = last(sandbox, cop.group)
    await sandbox.send(cop.fenna, cop.group, "\n\n", reply_to=question)
    assert said(sandbox) == "The name cannot be empty. Please reply with a name."
