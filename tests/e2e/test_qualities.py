"""Qualities and literature: a quality round, nominations, profiles, using qualities,
literature insights and the reading list."""

from __future__ import annotations

from datetime import timedelta

from bot.app.context import Services
from bot.clock import ManualClock
from bot.sandbox import Sandbox, SandboxChat, SandboxUser
from storage.models import Contribution
from tests.conftest import Cop, acked, last, rows, said


async def five(cop: Cop) -> Cop:
    await cop.setup()
    await cop.join(*cop.teachers[:4])  # Fenna, Anna, Bram, Chantal, Dirk
    return cop


def dm_chat(sandbox: Sandbox, user: SandboxUser) -> SandboxChat:
    return sandbox.private_chat(user)


async def test_a_quality_round_among_five_members(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    fenna, anna, bram, chantal, dirk = cop.fenna, *cop.teachers[:4]
    await sandbox.send(fenna, cop.group, "/qualities")
    assert "Quality round" in said(sandbox) and "send /qualities to me" in said(sandbox)
    await sandbox.send(fenna, cop.group, "/qualities")
    assert "already open" in said(sandbox)

    # Anna names a quality for everyone (the study's appendix F qualities).
    await sandbox.dm(anna, "/qualities")
    chat = dm_chat(sandbox, anna)
    assert "Which quality do you see in <b>Fenna de Vries</b>" in last(sandbox, chat).html
    answers = {
        "Fenna de Vries": (
            "Goed samenvatten: ze vatte onze vraagstukken samen aan het eind",
            "Zorgdrager",
        ),
        "Bram": ("Analyserend: hij ontleedde het gedrag van leerling B", "Manusje van alles"),
        "Chantal": (
            "Helicopterview: ze keek van de individuele vraagstukken naar het geheel",
            "Wegwijzer",
        ),
        "Dirk": ("Planmatig werken: hij zette de stappen op een rij", "Planbewaker"),
    }
    for name, (quality, title) in answers.items():
        assert name in last(sandbox, chat).content
        await sandbox.dm(anna, quality, reply_to=last(sandbox, chat))
        assert said(sandbox).startswith("Saved:")
        await sandbox.press(anna, last(sandbox, chat), "Title \u2192")
        await sandbox.dm(anna, title, reply_to=last(sandbox, chat))
    assert "That is everyone. Thank you!" in said(sandbox)

    # Bram: a suggestion button (so counting works), an example, then stops; resumes later.
    await sandbox.dm(bram, "/qualities")
    chat = dm_chat(sandbox, bram)
    await sandbox.press(bram, last(sandbox, chat), "Goed samenvatten")
    await sandbox.dm(bram, "Ze zette alles helder op een rij", reply_to=last(sandbox, chat))
    await sandbox.press(bram, last(sandbox, chat), "Stop for now")
    assert "Send /qualities to go on" in said(sandbox)
    await sandbox.dm(bram, "/qualities")
    assert "Which quality do you see in <b>Anna</b>" in last(sandbox, chat).html

    # Chantal names Fenna's summarising too, in other words: counted as one quality.
    await sandbox.dm(chantal, "/qualities")
    chat = dm_chat(sandbox, chantal)
    await sandbox.dm(
        chantal, "goed samenvatten!: ze hield het overzicht", reply_to=last(sandbox, chat)
    )

    # While the round runs, others' profiles are not shown; one's own is.
    await sandbox.send(dirk, cop.group, "/profile @fenna")
    assert "shown when the quality round is closed" in said(sandbox)
    await sandbox.dm(fenna, "/profile")
    own = said(sandbox)
    assert "Goed samenvatten</b> \u00d73" in last(sandbox, dm_chat(sandbox, fenna)).html
    assert "Title: Zorgdrager" in own

    await sandbox.send(fenna, cop.group, "/qualities close")
    summary = said(sandbox)
    assert "The quality round is closed." in summary
    assert "Fenna de Vries</b> \u2013 Zorgdrager" in last(sandbox, cop.group).html
    await sandbox.send(dirk, cop.group, "/profile @bram")
    assert "Analyserend" in said(sandbox) and "Manusje van alles" in said(sandbox)
    nominations = [c for c in await rows(services, Contribution) if c.kind == "nomination"]
    assert len(nominations) == 6


async def test_nominate_any_time_and_hide_from_the_group(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    anna, bram = cop.anna, cop.bram
    bram_message = await sandbox.send(bram, cop.group, "/reading")
    await sandbox.send(anna, cop.group, "/nominate", reply_to=bram_message)
    question = last(sandbox, cop.group)
    assert "Which quality of Bram?" in question.content
    await sandbox.send(cop.teachers[2], cop.group, "sneaky: not mine", reply_to=question)
    assert said(sandbox) == "This question was meant for someone else."
    await sandbox.send(anna, cop.group, "Hulpvaardig: hij deelde zijn schema", reply_to=question)
    assert said(sandbox) == "Saved: \u201cHulpvaardig\u201d for Bram."
    await sandbox.send(anna, cop.group, "/nominate", reply_to=bram_message)
    await sandbox.send(
        anna,
        cop.group,
        "hulpvaardig: en hij nam de literatuur mee",
        reply_to=last(sandbox, cop.group),
    )
    assert "already had \u201chulpvaardig\u201d from you; your example is added" in said(sandbox)

    await sandbox.dm(anna, "/nominate")
    await sandbox.press(anna, last(sandbox, dm_chat(sandbox, anna)), "Anna")
    await sandbox.dm(
        anna,
        "Geduldig: ik wacht tot leerlingen rustig zijn",
        reply_to=last(sandbox, dm_chat(sandbox, anna)),
    )
    assert "Noted as a self-assessment." in said(sandbox)

    await sandbox.dm(bram, "/profile")
    profile = last(sandbox, dm_chat(sandbox, bram))
    assert "Hulpvaardig</b> \u00d71" in profile.html  # counted once, two examples
    assert "hij deelde zijn schema" in profile.content and "literatuur" in profile.content
    await sandbox.press(bram, profile, "Hide 1")
    await sandbox.send(anna, cop.group, "/profile @bram")
    assert "Hulpvaardig" not in said(sandbox)


async def test_quality_bad_input(cop: Cop, sandbox: Sandbox) -> None:
    await five(cop)
    anna = cop.anna
    await sandbox.send(anna, cop.group, "/used @nobody luistert goed: echt")
    assert "not a member of this CoP" in said(sandbox)
    await sandbox.send(anna, cop.group, "/used :")
    assert "Please name the quality" in said(sandbox)
    await sandbox.send(anna, cop.group, "/used " + "x" * 500)
    assert "at most 80 characters" in said(sandbox)
    await sandbox.send(cop.teachers[4], cop.group, "/nominate")
    assert "not a member of this CoP (yet)" in said(sandbox)
    await sandbox.send(anna, cop.group, "/qualities close")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(cop.fenna, cop.group, "/qualities close")
    assert "There is no open quality round" in said(sandbox)


async def test_using_qualities_stats_and_merge(
    cop: Cop, sandbox: Sandbox, services: Services
) -> None:
    await five(cop)
    anna, bram = cop.anna, cop.bram
    sent = await sandbox.send(
        anna, cop.group, "/used @bram Veel kennis: zijn uitleg over externaliserend gedrag hielp me"
    )
    assert acked(sandbox, sent)  # a 👍 on the message, not one more message
    await sandbox.send(bram, cop.group, "/used")
    form = last(sandbox, cop.group)
    sent = await sandbox.send(
        bram, cop.group, "planmatig: ik maakte een plan van aanpak", reply_to=form
    )
    assert acked(sandbox, sent)  # a 👍 on the message, not one more message
    await sandbox.send(anna, cop.group, "/nominate", reply_to=form)
    await sandbox.dm(anna, "/nominate")
    await sandbox.press(anna, last(sandbox, dm_chat(sandbox, anna)), "Bram")
    await sandbox.dm(
        anna,
        "kennis van zaken: hij kent de literatuur",
        reply_to=last(sandbox, dm_chat(sandbox, anna)),
    )
    await sandbox.send(cop.fenna, cop.group, "/qualities merge kennis van zaken = Veel kennis")
    assert said(sandbox) == "1 item is now counted under the new name."
    await sandbox.send(anna, cop.group, "/qualities stats")
    table = sandbox.last_replies[0].content
    assert "Bram: Veel kennis \u2013 named 1\u00d7, used 1\u00d7" in table
    assert "Bram: planmatig \u2013 named 0\u00d7, used 1\u00d7" in table
    assert sandbox.last_replies[1].photo is not None


async def test_literature_insights_and_the_reading_list(
    cop: Cop, sandbox: Sandbox, services: Services, clock: ManualClock
) -> None:
    await five(cop)
    anna, bram, chantal = cop.teachers[:3]
    await sandbox.send(anna, cop.group, "/insight Gedrag in de klas; Jansen, P.; 2019")
    await sandbox.send(anna, cop.group, "Gedrag is communicatie", reply_to=last(sandbox, cop.group))
    sent = await sandbox.send(
        anna,
        cop.group,
        "Ik kijk eerst naar wat de leerling nodig heeft",
        reply_to=last(sandbox, cop.group),
    )
    assert acked(sandbox, sent)  # a 👍 on the message, not one more message

    clock.advance(timedelta(days=1))
    await sandbox.dm(bram, "/insight")
    chat = dm_chat(sandbox, bram)
    question = last(sandbox, chat)
    await sandbox.dm(bram, "www.example", reply_to=question)
    assert "does not look like a web address" in said(sandbox)
    await sandbox.dm(bram, "HTTPS://DOI.ORG/10.1037/ABC.123", reply_to=question)
    assert "What is your insight" in said(sandbox)
    await sandbox.dm(bram, "Voorspelbaarheid helpt", reply_to=last(sandbox, chat))
    await sandbox.dm(bram, "Dagritmekaarten in groep 5", reply_to=last(sandbox, chat))

    await sandbox.send(chantal, cop.group, "/reading")
    reading = last(sandbox, cop.group)
    assert reading.content.index("10.1037/abc.123") < reading.content.index("Gedrag in de klas")
    clock.advance(timedelta(days=1))
    await sandbox.press(chantal, reading, "+ insight 2")  # the older source, Anna's
    await sandbox.send(
        chantal, cop.group, "Ook ouders betrekken", reply_to=last(sandbox, cop.group)
    )
    await sandbox.send(
        chantal,
        cop.group,
        "Een schriftje voor leerkracht, leerling en ouders",
        reply_to=last(sandbox, cop.group),
    )
    await sandbox.send(anna, cop.group, "/reading")
    listing = said(sandbox)
    assert listing.index("Gedrag in de klas") < listing.index("10.1037/abc.123")  # newest first
    assert "Shared by Anna" in listing
    assert "Chantal: Ook ouders betrekken" in listing and "Anna: Gedrag is communicatie" in listing
    sources = [c for c in await rows(services, Contribution) if c.kind == "source"]
    insights = [c for c in await rows(services, Contribution) if c.kind == "insight"]
    assert (len(sources), len(insights)) == (2, 3)


async def test_a_round_closes_with_what_was_named_never_with_blanks(
    cop: Cop, sandbox: Sandbox
) -> None:
    await five(cop)
    anna = cop.anna
    await sandbox.send(cop.fenna, cop.group, "/qualities")
    await sandbox.dm(anna, "/nominate")
    await sandbox.press(anna, last(sandbox, dm_chat(sandbox, anna)), "Bram")
    await sandbox.dm(
        anna,
        "kennis van zaken: hij kent de literatuur",
        reply_to=last(sandbox, dm_chat(sandbox, anna)),
    )
    await sandbox.send(cop.fenna, cop.group, "/qualities close")
    summary = said(sandbox)
    assert "Bram: kennis van zaken" in summary
    assert "\u2013" not in summary and "Chantal" not in summary  # nobody listed with nothing
    assert "Not everyone has been named yet" in summary
