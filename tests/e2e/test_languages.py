"""The bot speaks the group's language (Dutch or English), and menus exist in both."""

from __future__ import annotations

import json

from bot.app.context import Services
from bot.sandbox import Sandbox
from storage.models import Contribution
from tests.conftest import Cop, last, rows, said


async def test_a_dutch_cop_is_answered_in_dutch(cop: Cop, sandbox: Sandbox) -> None:
    await cop.setup(name="CoP Gedrag", language="Nederlands")
    assert said(sandbox).startswith("CoP Gedrag is ingesteld. Jij bent de facilitator.")
    await sandbox.send(cop.anna, cop.group, "/join")
    letter = last(sandbox, cop.group)
    assert letter.content.startswith("Informatiebrief: CoP Gedrag")
    assert letter.button_texts == ["Ik doe mee", "Nee, bedankt"]
    pressed = await sandbox.press(cop.anna, letter, "Ik doe mee")
    assert pressed.answer_text == "Welkom, Anna! Je bent nu lid van CoP Gedrag (2 leden)."
    assert letter.content.endswith("\U0001f44b Welkom, Anna! CoP Gedrag heeft nu 2 leden.")
    await sandbox.send(cop.anna, cop.group, "/help")
    assert "/leave \u2013 De CoP verlaten en je gegevens wissen" in said(sandbox)


async def test_setup_questions_follow_the_admins_telegram_language(
    cop: Cop, sandbox: Sandbox
) -> None:
    dutch_admin = sandbox.user("Joke", language_code="nl")
    group = sandbox.group("Team Noord", members=[dutch_admin], admins=[dutch_admin])
    await sandbox.add_bot(group, by=dutch_admin)
    assert last(sandbox, group).content.startswith("Hallo!")
    await sandbox.send(dutch_admin, group, "/setup")
    assert "stap 1 van 4" in said(sandbox)
    await sandbox.send(cop.fenna, cop.group, "/setup")
    assert "step 1 of 4" in said(sandbox)


async def test_command_menus_are_set_per_scope_and_language(cop: Cop, sandbox: Sandbox) -> None:
    menus = {
        (json.loads(scope)["type"], language): [c["command"] for c in commands]
        for (scope, language), commands in sandbox.command_lists.items()
    }
    assert "setup" in menus[("all_chat_administrators", "nl")]
    assert "setup" not in menus[("all_group_chats", "en")]
    assert "start" in menus[("all_private_chats", "")]
    descriptions = {
        language: commands
        for (scope, language), commands in sandbox.command_lists.items()
        if json.loads(scope)["type"] == "all_group_chats"
    }
    assert descriptions["nl"] != descriptions["en"]


def test_every_command_has_its_words_in_the_commands_texts() -> None:
    """The table holds routes and rights; each command's menu line lives in bot.texts."""
    from bot.commands import COMMANDS
    from bot.texts.commands import DESCRIPTIONS, USAGES

    names = [spec.name for spec in COMMANDS]
    assert sorted(DESCRIPTIONS) == sorted(names)
    assert set(USAGES) <= set(names)


async def test_a_member_with_a_dutch_phone_in_an_english_cop_reads_english_in_private(
    ready: Cop, sandbox: Sandbox
) -> None:
    hanna = sandbox.user("Hanna", username="hanna", language_code="nl")
    await sandbox.join(hanna, ready.group)
    await ready.join(hanna)
    await sandbox.dm(hanna, "/start")
    assert "I support teachers' Communities of Practice" in said(sandbox)
    await sandbox.dm(hanna, "/qualities")  # no round open: the refusal is English too
    assert said(sandbox).isascii()

    await sandbox.dm(hanna, "/taal nederlands")  # her own choice overrides the CoP's
    assert said(sandbox).startswith("Gelukt. In een privégesprek schrijf ik je in het Nederlands")
    await sandbox.dm(hanna, "/start")
    assert "Ik ondersteun" in said(sandbox)
    await sandbox.send(hanna, ready.group, "/members")  # the group keeps the CoP's language
    assert said(sandbox).startswith("CoP Gedrag: 4 members")

    await sandbox.dm(hanna, "/language auto")
    assert said(sandbox).startswith("Done. In private I write to you in the language of your CoP")
    await sandbox.dm(hanna, "/start")
    assert "I support teachers' Communities of Practice" in said(sandbox)


async def test_language_shows_the_choice_and_refuses_an_unknown_one(
    ready: Cop, sandbox: Sandbox
) -> None:
    await sandbox.dm(ready.anna, "/language")
    assert said(sandbox) == (
        "In private I write to you in the language of your CoP (English).\n"
        "In the group I always speak the CoP's language, so everyone can read along.\n"
        "Change it with /language dutch, /language english or /language auto (your CoP's)."
    )
    await sandbox.dm(ready.anna, "/language klingon")
    assert said(sandbox).startswith("Choose a language, for example: /language english")
    await sandbox.dm(ready.anna, "/help")
    assert "/language" in said(sandbox) and "/taal" not in said(sandbox)


async def test_before_setup_the_group_reads_the_default_language(
    cop: Cop, sandbox: Sandbox
) -> None:
    """A group message is read by everyone: before /setup it follows
    COPBOT_DEFAULT_LANGUAGE (nl here), not one sender's English phone."""
    await sandbox.send(cop.anna, cop.group, "/members")
    assert said(sandbox).startswith("Deze groep heeft nog geen CoP.")
    await sandbox.send(cop.fenna, cop.group, "/setup")  # the admin is asked in their language
    assert "step 1 of 4" in said(sandbox)


async def test_an_english_cop_is_offered_an_english_pseudonym(
    ready: Cop, sandbox: Sandbox, services: Services
) -> None:
    """The guard suggested (and stored) the Dutch "leerling A" in an English CoP."""
    await sandbox.send(ready.fenna, ready.group, "/issues")
    round_prompt = last(sandbox, ready.group)
    await sandbox.send(
        ready.anna, ready.group, "Jan Jansen hits other children", reply_to=round_prompt
    )
    warning = last(sandbox, ready.group)
    assert "pupil A hits other children" in warning.content
    await sandbox.press(ready.anna, warning, "Use the suggestion")
    [issue] = [c for c in await rows(services, Contribution) if c.kind == "issue"]
    assert issue.text == "pupil A hits other children"


async def test_the_quality_round_names_the_button_it_shows(ready: Cop, sandbox: Sandbox) -> None:
    """It said "press Next" under a button labelled "Title →"."""
    await sandbox.send(ready.fenna, ready.group, "/qualities")
    await sandbox.dm(ready.anna, "/qualities")
    chat = sandbox.private_chat(ready.anna)
    await sandbox.dm(ready.anna, "Calm: she kept the circle calm", reply_to=last(sandbox, chat))
    question = last(sandbox, chat)
    assert "Another quality of" in question.content
    label = "Title \u2192"
    assert f"\u201c{label}\u201d" in question.content and label in question.button_texts


async def test_dutch_help_shows_dutch_usages_and_taal(cop: Cop, sandbox: Sandbox) -> None:
    """/help showed `/absent [N] [reason]` and `/share [name on|off]` in a Dutch CoP."""
    await cop.setup(language="Nederlands")
    await sandbox.send(cop.fenna, cop.group, "/help")
    listing = last(sandbox, cop.group)
    pages = [listing.content]
    while listing.button_texts and listing.button_texts[-1].startswith("Meer"):
        await sandbox.press(cop.fenna, listing, listing.button_texts[-1])  # a page at a time
        pages.append(listing.content)
    shown = "\n".join(pages)
    assert "/absent [N] [reden] \u2013" in shown
    assert "/decide tekst [@naam] [uiterlijk datum] \u2013" in shown
    assert "/holidays noord|midden|zuid|uit \u2013" in shown
    assert "/issues [sluiten | vervolgvraag uit | waarschuwing uit] \u2013" in shown
    await sandbox.dm(cop.fenna, "/help")
    assert "/share [naam aan|uit] \u2013" in said(sandbox)
    assert "/taal [engels | nederlands | automatisch] \u2013" in said(sandbox)
    assert "/language" not in said(sandbox)
