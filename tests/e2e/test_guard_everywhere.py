"""Every free text a person can send passes the pupil-name guard before it is stored.

The tables below name every command and every prompt kind, and say for each whether
what a member types there is stored as free text. A new command or prompt kind fails
`test_every_command_and_prompt_kind_is_classified` until it is put in one of them, and
one put among the free texts gets a recipe that sends a pupil's full name and BSN the
way a member would: the guard must warn, and nothing may be stored until the writer
chooses; then "Save as I wrote it" stores it through that field's own release.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.app.context import Services
from bot.commands import BY_NAME
from bot.sandbox import Sandbox, SandboxChat, SandboxMessage, SandboxUser
from bot.services.intake import Release
from bot.services.prompts import PromptKind
from handlers.base import ROUTES
from storage.models import Flow, Prompt, Reminder
from tests.conftest import Cop, Ticker, last, rows
from tests.support.stored import tables_containing

AMS = ZoneInfo("Europe/Amsterdam")
MARKER = "123456782"  # a valid BSN (the eleven-check holds)
PUPIL = f"Tim de Jong (BSN {MARKER}) weigert te werken"
MEETING = "/meeting add 2026-12-02 15:00"
START = datetime(2026, 12, 2, 15, 0, tzinfo=AMS).astimezone(UTC)


@dataclass
class World:
    cop: Cop
    sandbox: Sandbox
    services: Services
    tick: Ticker

    @property
    def group(self) -> SandboxChat:
        return self.cop.group

    async def say(
        self, user: SandboxUser, text: str, reply_to: SandboxMessage | None = None
    ) -> None:
        await self.sandbox.send(user, self.group, text, reply_to=reply_to)

    def dm_chat(self, user: SandboxUser) -> SandboxChat:
        return self.sandbox.private_chat(user)

    async def fire(self, reminder_kind: str, prompt_kind: PromptKind) -> SandboxMessage:
        """Runs the outbox until the first planned reminder of that kind is sent; its prompt."""
        planned = sorted(
            (
                r
                for r in await rows(self.services, Reminder)
                if r.kind == reminder_kind and r.status == "planned"
            ),
            key=lambda r: r.due_at,
        )
        assert planned, f"no {reminder_kind} reminder is planned"
        await self.tick.at(planned[0].due_at)
        prompt = [p for p in await rows(self.services, Prompt) if p.kind == prompt_kind][-1]
        chat = self.sandbox.chats[prompt.chat_id]
        return next(m for m in chat.messages if m.message_id == prompt.message_id)


Recipe = Callable[[World], Awaitable[None]]


@dataclass(frozen=True)
class Field:
    """A free text: how a member sends `PUPIL` there, and the release it waits for."""

    send: Recipe
    release: str  # a `Release` value (a string, so this table reads without the code)
    who: str = "anna"  # who writes it, whose chat the warning is in
    private: bool = False


# ------------------------------------------------------------------ the recipes


async def _absent(w: World) -> None:
    await w.say(w.cop.fenna, MEETING)
    await w.say(w.cop.anna, f"/absent 1 {PUPIL}")


async def _agenda_items(w: World) -> None:
    await w.say(w.cop.fenna, MEETING)
    await w.say(w.cop.fenna, f"/agenda 1\nWelkom\n{PUPIL}")


async def _decide(w: World) -> None:
    await w.say(w.cop.anna, f"/decide {PUPIL}")


async def _shared(w: World) -> None:
    await w.say(w.cop.fenna, f"/shared {PUPIL}")


async def _used(w: World) -> None:
    await w.say(w.cop.anna, f"/used @bram Geduld: {PUPIL}")


async def _agenda_reply(w: World) -> None:
    await w.say(w.cop.fenna, MEETING)
    await w.say(w.cop.anna, "/agenda")
    await w.say(w.cop.anna, PUPIL, reply_to=last(w.sandbox, w.group))


async def _weekly_reply(w: World) -> None:
    await w.say(w.cop.fenna, "/weekly thu 08:00")
    question = await w.fire("weekly", PromptKind.WEEKLY)
    await w.say(w.cop.anna, PUPIL, reply_to=question)


async def _meeting_log_reply(w: World) -> None:
    await w.say(w.cop.fenna, MEETING)
    question = await w.fire("after", PromptKind.MEETING_LOG)
    await w.say(w.cop.anna, PUPIL, reply_to=question)


async def _attendance_reply(w: World) -> None:
    await w.say(w.cop.fenna, MEETING)
    question = await w.fire("before", PromptKind.ATTENDANCE)
    await w.say(w.cop.anna, PUPIL, reply_to=question)


async def _round_reply(w: World) -> None:
    await w.say(w.cop.fenna, "/issues")
    await w.say(w.cop.anna, PUPIL, reply_to=last(w.sandbox, w.group))


async def _reflection_reply(w: World) -> None:
    await w.say(w.cop.fenna, "/issues")
    await w.say(w.cop.anna, "Een leerling loopt weg uit de klas", reply_to=last(w.sandbox, w.group))
    await w.say(w.cop.anna, PUPIL, reply_to=last(w.sandbox, w.group))


async def _edit_reply(w: World) -> None:
    await w.say(w.cop.fenna, "/issues nudge off")
    await w.say(w.cop.fenna, "/issues")
    await w.say(w.cop.anna, "Eerste versie", reply_to=last(w.sandbox, w.group))
    await w.sandbox.dm(w.cop.anna, "/mine")
    await w.sandbox.press(w.cop.anna, last(w.sandbox, w.dm_chat(w.cop.anna)), "Edit 1")
    await w.sandbox.dm(w.cop.anna, PUPIL, reply_to=last(w.sandbox, w.dm_chat(w.cop.anna)))


async def _shared_comment(w: World) -> None:
    await w.say(w.cop.fenna, "/shared Hoe houden we de rust in de klas?")
    await w.say(w.cop.anna, PUPIL, reply_to=last(w.sandbox, w.group))


async def _nominate_reply(w: World) -> None:
    hello = await w.sandbox.send(w.cop.bram, w.group, "Goedemorgen allemaal")
    await w.say(w.cop.anna, "/nominate", reply_to=hello)
    await w.say(w.cop.anna, f"Geduld: {PUPIL}", reply_to=last(w.sandbox, w.group))


async def _used_reply(w: World) -> None:
    await w.say(w.cop.anna, "/used")
    await w.say(w.cop.anna, f"@bram Geduld: {PUPIL}", reply_to=last(w.sandbox, w.group))


async def _using_reply(w: World) -> None:
    for day in ("2026-12-02", "2026-12-16", "2027-01-13"):
        await w.say(w.cop.fenna, f"/meeting add {day} 15:00")
    form = await w.fire("using", PromptKind.USING)
    await w.say(w.cop.anna, f"@bram Geduld: {PUPIL}", reply_to=form)


async def _followup_reply(w: World) -> None:
    await w.say(w.cop.fenna, MEETING)
    w.tick.clock.set(START + timedelta(minutes=30))
    await w.say(w.cop.anna, "/decide Een communicatieschrift voor thuis")
    await w.sandbox.press(w.cop.anna, last(w.sandbox, w.group), "New practice")
    await w.tick.at(START + timedelta(minutes=65))  # nobody objected: adopted
    question = await w.fire("followup", PromptKind.FOLLOWUP)
    await w.say(w.cop.anna, PUPIL, reply_to=question)


async def _recap_reply(w: World) -> None:
    await w.sandbox.dm(w.cop.fenna, "/start")
    await w.say(w.cop.fenna, MEETING)
    await w.fire("after", PromptKind.MEETING_LOG)  # the meeting took place
    await w.sandbox.dm(w.cop.fenna, "/recap")
    await w.sandbox.press(w.cop.fenna, last(w.sandbox, w.dm_chat(w.cop.fenna)), "Edit")
    await w.sandbox.dm(w.cop.fenna, PUPIL, reply_to=last(w.sandbox, w.dm_chat(w.cop.fenna)))


async def _round_reminder_reply(w: World) -> None:
    """A reply to the issue round's private reminder (issue 14) is an answer to the round."""
    await w.sandbox.dm(w.cop.anna, "/start")
    await w.say(w.cop.fenna, MEETING)
    await w.say(w.cop.fenna, "/issues")
    reminder = await w.fire("chase", PromptKind.ISSUE_REMINDER)
    await w.sandbox.dm(w.cop.anna, PUPIL, reply_to=reminder)


async def _qualities_round(w: World) -> None:
    await w.say(w.cop.fenna, "/qualities")
    await w.sandbox.dm(w.cop.anna, "/qualities")
    await w.sandbox.dm(
        w.cop.anna, f"Geduld: {PUPIL}", reply_to=last(w.sandbox, w.dm_chat(w.cop.anna))
    )


async def _insight_dialogue(w: World) -> None:
    await w.say(w.cop.anna, "/insight Gedrag in de klas; Jansen, P.; 2019")
    await w.say(w.cop.anna, PUPIL, reply_to=last(w.sandbox, w.group))
    await w.say(w.cop.anna, "Ik kijk eerst wat nodig is", reply_to=last(w.sandbox, w.group))


async def _private_text(w: World) -> None:
    await w.say(w.cop.fenna, "/issues")
    await w.sandbox.dm(w.cop.anna, PUPIL)


async def _reply_to_a_bot_message(w: World) -> None:
    await w.say(w.cop.fenna, "/issues")
    await w.say(w.cop.anna, "/members")
    await w.say(w.cop.anna, PUPIL, reply_to=last(w.sandbox, w.group))


# ------------------------------------------------------------------ the tables

#: Commands whose text (after the command) is stored.
COMMANDS_WITH_FREE_TEXT: dict[str, Field] = {
    "absent": Field(_absent, "absence"),
    "agenda": Field(_agenda_items, "agenda_items", who="fenna"),
    "decide": Field(_decide, "decision"),
    "shared": Field(_shared, "shared_proposal", who="fenna"),
    "used": Field(_used, "use"),
}
#: Commands whose words are no free text to store (what they take instead).
COMMANDS_WITHOUT_FREE_TEXT: dict[str, str] = {
    "start": "nothing",
    "help": "nothing",
    "privacy": "nothing",
    "join": "nothing: consent by button",
    "members": "nothing",
    "leave": "nothing: buttons",
    "cop": "nothing: a CoP by button",
    "cancel": "nothing",
    "language": "a language keyword (english, dutch, auto)",
    "taal": "a language keyword (engels, nederlands, automatisch)",
    "setup": "the SETUP dialogue: the CoP's name and theme (see the prompt kinds)",
    "facilitator": "an @username, or participate yes or no",
    "chair": "rotate, on or off",
    "meetings": "nothing",
    "calendar": "nothing",
    "plan": "the PLAN dialogue: dates, numbers and a room",
    "meeting": "a sub-command, a date and time, a duration and a room",
    "reminders": "lead times or off",
    "weekly": "a weekday and time, on or off",
    "holidays": "a region, on or off",
    "checkin": "on or off",
    "presence": "a meeting's number; presence by button",
    "recap": "a meeting's number; the recap's own text is the RECAP prompt",
    "issues": "sub-commands",
    "mine": "nothing: buttons, then the EDIT prompt",
    "code": "codes by button; all or second",
    "agreement": "nothing: resolved by button",
    "development": "nothing",
    "qualities": "sub-commands and quality names; the round's answers are the QUALITIES dialogue",
    "nominate": "a colleague (by reply or button); the example is the NOMINATE prompt",
    "profile": "an @username",
    "insight": "a source (title; author; year); the insight itself is the INSIGHT dialogue",
    "reading": "nothing",
    "decisions": "nothing",
    "document": "sub-commands",
    "share": "sub-commands",
    "portfolio": "nothing",
    "archive": "nothing: buttons",
    "pause": "nothing",
    "resume": "nothing",
}
#: Prompt kinds (dialogue steps included) whose replies are stored free text.
PROMPTS_WITH_FREE_TEXT: dict[PromptKind, Field] = {
    PromptKind.AGENDA: Field(_agenda_reply, "agenda_point"),
    PromptKind.WEEKLY: Field(_weekly_reply, "weekly"),
    PromptKind.MEETING_LOG: Field(_meeting_log_reply, "meeting_log"),
    PromptKind.ATTENDANCE: Field(_attendance_reply, "absence"),
    PromptKind.ISSUE_ROUND: Field(_round_reply, "issue_answer"),
    PromptKind.ISSUE_REFLECTION: Field(_reflection_reply, "reflection"),
    PromptKind.ISSUE_REMINDER: Field(_round_reminder_reply, "issue_answer", private=True),
    PromptKind.EDIT: Field(_edit_reply, "edit", private=True),
    PromptKind.SHARED_ISSUE: Field(_shared_comment, "shared_comment"),
    PromptKind.NOMINATE: Field(_nominate_reply, "nomination"),
    PromptKind.USED: Field(_used_reply, "use"),
    PromptKind.USING: Field(_using_reply, "use"),
    PromptKind.FOLLOWUP: Field(_followup_reply, "followup_remark"),
    PromptKind.RECAP: Field(_recap_reply, "recap", who="fenna", private=True),
    PromptKind.QUALITIES: Field(_qualities_round, "nomination", private=True),
    PromptKind.INSIGHT: Field(_insight_dialogue, "insight"),
}
PROMPTS_WITHOUT_FREE_TEXT: dict[PromptKind, str] = {
    PromptKind.SETUP: "the CoP's name and theme, typed by its facilitator",
    PromptKind.PLAN: "dates, numbers and a room",
    PromptKind.LITERATURE: "a source (title; author; year) that opens the INSIGHT dialogue",
    PromptKind.DECISION_FIX: "an @username and a date: only a member and a date are kept",
}
#: Free text that answers no prompt: it goes to the open issue round.
OTHER_FREE_TEXT: dict[str, Field] = {
    "private text": Field(_private_text, "issue_answer", private=True),
    "reply to a bot message that asks nothing": Field(_reply_to_a_bot_message, "issue_answer"),
}
FIELDS: dict[str, Field] = {
    **{f"/{name}": field for name, field in COMMANDS_WITH_FREE_TEXT.items()},
    **{f"reply to {kind.name}": field for kind, field in PROMPTS_WITH_FREE_TEXT.items()},
    **OTHER_FREE_TEXT,
}


def test_every_command_and_prompt_kind_is_classified() -> None:
    commands = set(COMMANDS_WITH_FREE_TEXT) | set(COMMANDS_WITHOUT_FREE_TEXT)
    assert not set(COMMANDS_WITH_FREE_TEXT) & set(COMMANDS_WITHOUT_FREE_TEXT)
    assert commands == set(BY_NAME) == set(ROUTES.commands)
    kinds = set(PROMPTS_WITH_FREE_TEXT) | set(PROMPTS_WITHOUT_FREE_TEXT)
    assert not set(PROMPTS_WITH_FREE_TEXT) & set(PROMPTS_WITHOUT_FREE_TEXT)
    assert kinds == set(PromptKind)
    assert {str(k) for k in ROUTES.prompts} | {str(k) for k in ROUTES.flows} <= {
        str(k) for k in kinds
    }
    # Every release is reached by a recipe, so each `@released` callback is exercised.
    assert {field.release for field in FIELDS.values()} == {r.value for r in Release}
    assert set(ROUTES.releases) == set(Release)


@pytest.mark.parametrize("name", list(FIELDS))
async def test_a_pupil_named_in_any_free_text_waits_behind_the_guard(
    name: str, ready: Cop, sandbox: Sandbox, services: Services, tick: Ticker
) -> None:
    field = FIELDS[name]
    world = World(ready, sandbox, services, tick)
    writer = getattr(ready, field.who)
    await field.send(world)

    chat = world.dm_chat(writer) if field.private else ready.group
    warning = last(sandbox, chat)
    assert "This may name a pupil" in warning.content, f"{name}: no guard warning"
    assert "Tim de Jong" in warning.content and MARKER in warning.content
    assert await tables_containing(services, MARKER) == {"flows"}, "stored before the choice"
    held = [f for f in await rows(services, Flow) if f.kind == "intake"]
    assert [f.data["action"] for f in held] == [field.release]

    await sandbox.press(writer, warning, "Save as I wrote it")
    assert "This may name a pupil" not in "\n".join(m.content for m in sandbox.last_replies)
    stored = await tables_containing(services, MARKER) - {"flows"}
    assert stored, f"{name}: the writer chose to save, but nothing was stored"
