"""A turn commits, then sends (issue 13): what the bot says matches what it kept.

- a reply whose sending fails after the commit loses nothing: the answer stays saved and
  nobody is told "nothing was saved";
- a turn whose transaction rolls back says nothing of what it would have said;
- a question sent but not recorded (its second, short transaction failed) says it no
  longer works, instead of waiting for an answer nobody listens to;
- no Bot API call is made inside a transaction (every chat test checks this through the
  `app` fixture; here the check itself is shown to catch one).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import SessionTransaction

from bot.app.context import CopApplication, Services
from bot.sandbox import Sandbox
from bot.sandbox.api import ApiError
from bot.services import flows
from storage.models import Contribution, Prompt
from tests.conftest import Cop, last, rows, said

ISSUE = "Pupil A walks out of class when he gets angry"
ANSWER = f"a) {ISSUE}\nb) How do we respond as a school?"


async def _round(ready: Cop) -> Any:
    await ready.sandbox.send(ready.fenna, ready.group, "/issues")
    prompt = last(ready.sandbox, ready.group)
    assert "Issue round: your practice issue" in prompt.content
    return prompt


async def test_an_answer_whose_confirmation_was_lost_stays_saved(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    prompt = await _round(ready)
    sandbox.fail_next("sendMessage", ApiError(502, "Bad Gateway"))
    await sandbox.send(ready.anna, ready.group, ANSWER, reply_to=prompt)
    assert sandbox.last_replies == []  # Telegram lost the confirmation ...
    answers = [c for c in await rows(services, Contribution) if c.kind == "issue"]
    assert [c.text for c in answers] == [ISSUE]  # ... but the answer is kept

    await sandbox.send(ready.anna, ready.group, ANSWER, reply_to=prompt)  # she tries again
    assert said(sandbox).startswith("You already answered in this round.")  # nothing lost


async def test_a_turn_that_rolled_back_says_nothing_it_would_have_said(
    ready: Cop, sandbox: Sandbox, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompt = await _round(ready)
    commit = SessionTransaction.commit
    armed = [True]

    def refused(self: SessionTransaction, _to_root: bool = False) -> Any:
        kept = self.session.identity_map.values()
        if armed[0] and any(isinstance(row, Contribution) for row in kept):
            armed[0] = False  # the turn that stores Anna's answer
            raise RuntimeError("the commit did not go through")
        return commit(self, _to_root)

    monkeypatch.setattr(SessionTransaction, "commit", refused)
    await sandbox.send(ready.anna, ready.group, ANSWER, reply_to=prompt)
    assert "saved" not in said(sandbox).replace("Nothing was saved", "")
    assert "Nothing was saved" in said(sandbox)  # the apology, which is true
    assert [c for c in await rows(services, Contribution) if c.kind == "issue"] == []

    await sandbox.send(ready.anna, ready.group, ANSWER, reply_to=prompt)
    assert "your practice issue and your possible shared issue are saved" in said(sandbox)


async def test_a_question_that_could_not_be_recorded_says_it_no_longer_works(
    ready: Cop, sandbox: Sandbox, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def database_gone(*_args: Any, **_kwargs: Any) -> None:
        raise ConnectionError("the database went away after the question was sent")

    monkeypatch.setattr(flows, "attach_prompt", database_gone)
    before = {p.id for p in await rows(services, Prompt)}
    await sandbox.send(ready.fenna, ready.group, "/plan")
    question = last(sandbox, ready.group)
    assert question.content == (
        "This question no longer works, because I could not save it. Please start again."
    )
    assert {p.id for p in await rows(services, Prompt)} == before

    monkeypatch.undo()
    await sandbox.send(ready.fenna, ready.group, "/plan")  # starting again works
    assert "When is the first meeting?" in last(sandbox, ready.group).content


async def test_a_bot_api_call_inside_a_transaction_is_counted(
    app: CopApplication, services: Services, sandbox: Sandbox
) -> None:
    def inside() -> float:
        return sum(
            sample.value
            for metric in services.metrics.calls_in_transaction.collect()
            for sample in metric.samples
            if sample.name.endswith("_total")
        )

    async with services.sessions.begin() as session:
        await session.get(Prompt, 1)  # the transaction has begun
        await app.bot.get_me()
        assert inside() == 1
    await app.bot.get_me()  # after the commit: not counted
    assert inside() == 1
    services.metrics.calls_in_transaction.clear()  # the fixture's own check stays for others


async def test_a_reply_telegram_asked_to_retry_later_arrives_late_not_never(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    prompt = await _round(ready)
    sandbox.fail_next("sendMessage", retry_after=1)  # the group is over its 20 a minute
    await sandbox.send(ready.anna, ready.group, ANSWER, reply_to=prompt)
    assert "your practice issue and your possible shared issue are saved" in said(sandbox)
    assert sandbox.errors["sendMessage"] == 1
