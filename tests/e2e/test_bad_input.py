"""Bad input gets a clear, friendly answer and loses nothing."""

from __future__ import annotations

import logging

import pytest

from bot.app.context import Services
from bot.sandbox import Sandbox
from bot.services import membership
from storage.models import Member
from tests.conftest import Cop, last, rows, said


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
    assert "Welcome, <b>Mal</b> &amp; \u05e9\u05dc\u05d5\u05dd \U0001f600!" in said(sandbox)
    await sandbox.send(mallory, cop.group, "/members")
    assert "<script>alert(1)</script> & co: 2 members" in said(sandbox)
    assert "\u2022 <b>Mal</b> &amp; \u05e9\u05dc\u05d5\u05dd \U0001f600" in said(sandbox)


async def test_forged_and_unknown_buttons_change_nothing(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    letter_owner = ready.teachers[3]
    await sandbox.send(letter_owner, ready.group, "/join")
    letter = last(sandbox, ready.group)
    before = [(m.id, m.status, m.role) for m in await rows(services, Member)]
    for data in (
        "cj:999:y",
        "cj:1:maybe",
        "cj",
        "su:abc:name:keep",
        "su:999:name:keep",
        "lv:1:notanumber:y",
        "pc:",
        "zz:1",
        "x" * 64,
    ):
        query = await sandbox.press_data(letter_owner, letter, data)
        assert query.answered and query.answer_text, data
    assert [(m.id, m.status, m.role) for m in await rows(services, Member)] == before


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
