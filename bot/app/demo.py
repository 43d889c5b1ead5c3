"""`copbot demo`: a facilitator and five teachers live through a whole cycle offline.

It runs the real Application, database and migrations, only with Telegram replaced by
the sandbox and time by a ManualClock: five meetings over about ten weeks of an autumn,
as in the study (`shared/seeds`): the issue round at meeting 1, a shared issue adopted
after it, qualities named by meeting 2, literature and "using qualities" before meetings
3 and the last, one meeting cancelled and planned again, a member who drifts away and is
noticed, agreements and their follow-up, the weekly question, and the collection
document. Between the scenes the clock moves from one due reminder to the next and the
outbox sends it, as the minute timer would; nothing waits for real time.

Each meeting is one function (`_meeting_1` ... `_last_meeting`), so later steps of the
cycle (ticking presence, posting a recap) slot in where a meeting ends.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zipfile import ZipFile
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app.context import Services, build_services
from bot.app.demo_transcript import render
from bot.app.root import build_application
from bot.app.sender import TelegramSender
from bot.app.settings import Settings
from bot.clock import ManualClock
from bot.outbox import run_due
from bot.render.callbacks import Button
from bot.sandbox import Sandbox, SandboxChat, SandboxDriver, SandboxMessage, SandboxUser
from storage.migrate import upgrade
from storage.models import Prompt, Reminder

TZ = ZoneInfo("Europe/Amsterdam")
DEMO_START = datetime(2026, 9, 7, 9, 30, tzinfo=TZ).astimezone(UTC)
LANGUAGES = ("nl", "en")


async def run_demo(
    database: Path | None = None, output: Path | None = None, language: str = "nl"
) -> str:
    """Plays the cycle, writes the collection document, returns the transcript (with the
    group's message counts and the document's Table 3 at its end)."""
    if language not in LANGUAGES:
        raise ValueError(f"the demo speaks {' or '.join(LANGUAGES)}, not {language!r}")
    output = output or Path("copbot-demo-output")
    with tempfile.TemporaryDirectory(prefix="copbot-demo-") as folder:
        path = database or Path(folder) / "demo.db"
        clock = ManualClock(DEMO_START)
        sandbox = Sandbox(clock=clock)
        settings = Settings(  # an English installation says so (the group before /setup)
            _env_file=None,
            token=sandbox.token,
            database_url=f"sqlite+aiosqlite:///{path}",
            default_language=language,
        )
        services = build_services(settings, clock=clock)
        try:
            await upgrade(services.engine)
            application = build_application(
                services,
                request=sandbox.request(),
                get_updates_request=sandbox.request(),
                rate_limits=False,
                timers=False,
            )
            async with SandboxDriver(sandbox, application):
                play = Play(sandbox, clock, services, TelegramSender(application.bot), language)
                await play.cycle()
                written = _save_documents(sandbox, play.group, output)
        finally:
            await services.engine.dispose()
    return "\n".join(
        [
            render(sandbox.transcript, TZ, language),
            "",
            *play.counts(),
            "",
            *_table_3(written, language),
            "",
            play.t("Het verzameldocument staat in ", "The collection document is in ")
            + str(output)
            + (":" if written else play.t(" (er is er geen gemaakt)", " (none was made)")),
            *[f"  {path}" for path in written],
        ]
    )


def _save_documents(sandbox: Sandbox, group: SandboxChat, output: Path) -> list[Path]:
    """Writes the files the bot sent for /document to the demo's output folder."""
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for message in sandbox.bot_messages(group):
        document = message.document
        if document is not None and document.file_name and "collection" not in document.file_name:
            target = output / document.file_name
            target.write_bytes(document.data)
            written.append(target)
            if target.name.endswith(".md.zip"):
                written.extend(_unpack_markdown(target, output))
    return written


def _unpack_markdown(bundle: Path, output: Path) -> list[Path]:
    """The Markdown bundle's files beside it: `NAME.md` and its `charts/` (the links in it
    stay right). A folder named `NAME.md` would look like a file to a file manager."""
    written = []
    with ZipFile(bundle) as archive:
        for name in archive.namelist():
            if name.endswith("/"):
                continue
            target = output / (bundle.name.removesuffix(".zip") if name == "document.md" else name)
            if output.resolve() not in target.resolve().parents:
                continue  # a bundle only holds document.md and charts/*.png; nothing else
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))
            written.append(target)
    return written


def _table_3(written: list[Path], language: str) -> list[str]:
    """The document's development table (the study's Table 3), read back from the Word
    file, so what is printed is what the document says. A header "Individual, internal"
    takes two lines, so the table fits the transcript's width."""
    word_file = next((p for p in written if p.name.endswith(".docx")), None)
    if word_file is None:
        return []
    import docx  # python-docx: only the demo's last step needs it

    document = docx.Document(str(word_file))
    heading, found = "", None
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            if sum("%" in cell.text for cell in block._cells) >= 4:  # "33% (1)"
                found = block
                break
        elif block.style is not None and block.style.name == "Heading 1":
            heading = block.text
    if found is None:
        return []
    rows = [[cell.text for cell in row.cells] for row in found.rows]
    head = [cell.split(", ", 1) for cell in rows[0]]
    lines = [[parts[0] for parts in head], [parts[1] if len(parts) > 1 else "" for parts in head]]
    table = [*lines, *rows[1:]]
    widths = [max(len(row[c]) for row in table) for c in range(len(rows[0]))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    title = "Tabel 3" if language == "nl" else "Table 3"
    return [
        f"{title} ({heading}, {word_file.name}):",
        *(line(r) for r in lines),
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
        *(line(r) for r in rows[1:]),
    ]


@dataclass
class Play:
    """The cycle, scene by scene, in one language; the people and their lines."""

    sb: Sandbox
    clock: ManualClock
    services: Services
    sender: TelegramSender
    language: str
    people: dict[str, SandboxUser] = field(default_factory=dict)
    #: Distinctive words of each contribution the facilitator will code, and its code.
    codes: list[tuple[str, str]] = field(default_factory=list)
    chat: SandboxChat | None = None  # the CoP's group, once it exists
    proposal: SandboxMessage | None = None  # the shared issue's version under discussion

    def t(self, nl: str, en: str) -> str:
        return nl if self.language == "nl" else en

    # ---------------------------------------------------------------- the whole cycle

    async def cycle(self) -> None:
        await self._setting_up()
        await self._before_meeting_1()
        await self._meeting_1()
        await self._between_1_and_2()
        await self._meeting_2()
        await self._between_2_and_3()
        await self._meeting_3()
        await self._cancel_and_replan()
        await self._between_3_and_5()
        await self._meeting_5()
        await self._between_5_and_last()
        await self._last_meeting()
        await self._collection_document()

    # ------------------------------------------------------------------- helpers

    @property
    def everyone(self) -> tuple[SandboxUser, ...]:
        """The five teachers (Fenna facilitates without taking part)."""
        return (self.anouk, self.bas, self.chantal, self.dewi, self.emre)

    @property
    def everyone_but_dewi(self) -> tuple[SandboxUser, ...]:
        return (self.anouk, self.bas, self.chantal, self.emre)

    def __getattr__(self, name: str) -> SandboxUser:
        """`self.anouk`: the people by their lower-case first name."""
        people = self.__dict__.get("people", {})
        if name in people:
            return people[name]  # type: ignore[no-any-return]
        raise AttributeError(name)

    @property
    def group(self) -> SandboxChat:
        if self.chat is None:
            raise RuntimeError("the group is made in the first scene")
        return self.chat

    @property
    def shared(self) -> SandboxMessage:
        if self.proposal is None:
            raise RuntimeError("no shared issue was proposed yet")
        return self.proposal

    def note(self, nl: str, en: str) -> None:
        self.sb.note(self.t(nl, en))

    async def until(self, when: str, nl: str = "", en: str = "") -> None:
        """Moves the clock to `when` (local "YYYY-MM-DD HH:MM"), stopping at each reminder
        due on the way so the outbox sends it at its time; then narrates."""
        target = datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=TZ).astimezone(UTC)
        while (due := await self._next_due()) is not None and due <= target:
            self.clock.set(max(due, self.clock()))
            await run_due(self.services, self.sender)
        self.clock.set(target)
        if nl or en:
            self.note(nl, en)

    async def _next_due(self) -> datetime | None:
        async with self.services.sessions() as session:
            due = await session.scalar(
                select(Reminder.due_at)
                .where(Reminder.status == "planned")
                .order_by(Reminder.due_at)
                .limit(1)
            )
        return due.replace(tzinfo=UTC) if due is not None and due.tzinfo is None else due

    async def prompt(self, kind: str) -> SandboxMessage:
        """The group's latest bot message that asks for answers of this prompt kind."""
        async with self.services.sessions() as session:
            message_id = await session.scalar(
                select(Prompt.message_id)
                .where(Prompt.chat_id == self.group.id, Prompt.kind == kind)
                .order_by(Prompt.id.desc())
                .limit(1)
            )
        for message in self.sb.bot_messages(self.group):
            if message.message_id == message_id:
                return message
        raise RuntimeError(f"no {kind} prompt in the group")

    def last(self, chat: SandboxChat | None = None) -> SandboxMessage:
        message = self.sb.last_bot_message(chat or self.group)
        if message is None:
            raise RuntimeError("the bot said nothing there")
        return message

    def with_buttons(self, prefix: Button, chat: SandboxChat | None = None) -> SandboxMessage:
        """The latest bot message carrying buttons of this family."""
        for message in reversed(self.sb.bot_messages(chat or self.group)):
            if any(
                (data or "").startswith(prefix.value + ":")
                for row in message.buttons
                for _, data in row
            ):
                return message
        raise RuntimeError(f"no message with {prefix} buttons")

    async def tap(self, user: SandboxUser, message: SandboxMessage, value: str) -> None:
        """Presses the button whose callback data ends in `value` (the same in every
        language, unlike its label)."""
        for row in message.buttons:
            for _label, data in row:
                if data and data.endswith(":" + value):
                    await self.sb.press(user, message, data)
                    return
        raise RuntimeError(f"no button ending in {value!r} on {message!r}")

    async def say(
        self, user: SandboxUser, nl: str, en: str, *, to: SandboxMessage | None = None
    ) -> None:
        await self.sb.send(user, self.group, self.t(nl, en), reply_to=to)

    async def dm(
        self, user: SandboxUser, nl: str, en: str, *, to: SandboxMessage | None = None
    ) -> None:
        await self.sb.dm(user, self.t(nl, en), reply_to=to)

    def coded(self, code: str, nl: str, en: str) -> None:
        """The facilitator will code the contribution with these words as `code`."""
        self.codes.append((self.t(nl, en), code))

    async def close_meeting(self, present: Sequence[SandboxUser], nl: str, en: str) -> None:
        """Fenna, privately, after a meeting: what was agreed (a reply to the presence
        message), who was there (she ticks to match), Done, and the recap for the group."""
        chat = self.sb.private_chat(self.fenna)
        sheet = self.with_buttons(Button.PRESENCE, chat)
        await self.dm(self.fenna, nl, en, to=sheet)
        names = {person.first_name for person in present}
        for row in list(sheet.buttons):
            for label, data in row:
                ticked, _, name = label.partition(" ")
                member = (data or "").rsplit(":", 1)[-1]
                if member.isdigit() and (ticked == "\u2705") != (name in names):
                    await self.sb.press(self.fenna, sheet, data or label)
        await self.tap(self.fenna, sheet, "done")
        await self.tap(self.fenna, sheet, "show")
        await self.tap(self.fenna, self.with_buttons(Button.RECAP, chat), "post")

    async def code_all(self) -> None:
        """The facilitator codes, privately, every contribution not yet coded."""
        fenna = self.fenna
        await self.sb.dm(fenna, "/code")
        for item in self.sb.last_replies:
            if not any(
                (d or "").startswith(Button.CODE.value + ":") for r in item.buttons for _, d in r
            ):
                continue
            code = next((c for words, c in self.codes if words in item.content), None)
            if code is None:
                raise RuntimeError(f"the demo has no code for {item.content!r}")
            await self.tap(fenna, item, code)

    # ----------------------------------------------------------------------- scenes

    async def _setting_up(self) -> None:
        sb, lang = self.sb, self.language
        fenna = sb.user("Fenna", last_name="de Vries", username="fenna_ib", language_code=lang)
        names = ("Anouk", "Bas", "Chantal", "Dewi", "Emre")
        teachers = [sb.user(n, username=n.lower(), language_code=lang) for n in names]
        self.people = {
            "fenna": fenna,
            **{n.lower(): u for n, u in zip(names, teachers, strict=True)},
        }
        self.chat = sb.group(
            self.t("CoP De Regenboog", "CoP Rainbow School"),
            members=[fenna, *teachers],
            admins=[fenna],
        )
        group = self.group
        self.note(
            "maandag, begin van het schooljaar: Fenna (intern begeleider) zet de CoP op",
            "Monday, start of the school year: Fenna (care coordinator) sets up the CoP",
        )
        await sb.add_bot(group, by=fenna)
        await sb.send(fenna, group, "/setup")
        await self.say(
            fenna, "CoP Gedrag De Regenboog", "CoP Behaviour Rainbow School", to=self.last()
        )
        await self.say(
            fenna,
            "Externaliserend gedrag in de klas",
            "Externalising behaviour in class",
            to=self.last(),
        )
        await sb.press(fenna, self.last(), "Nederlands" if lang == "nl" else "English")
        await sb.press(fenna, self.last(), self.last().button_texts[0])  # the time zone
        await sb.press(fenna, self.last(), self.last().button_texts[0])  # agree and save
        await sb.send(self.anouk, group, "/join")
        letter = self.last()
        for teacher in teachers:  # one letter in the group; each press counts for the presser
            await sb.press(teacher, letter, letter.button_texts[0])
        await sb.send(fenna, group, "/facilitator @anouk")  # the chair, a teacher herself
        # Fenna facilitates without taking part as a teacher: not asked whether she comes,
        # not counted in rounds and votes (the study's facilitator was a researcher).
        participate = self.t("/facilitator meedoen nee", "/facilitator participate no")
        await sb.send(fenna, group, participate)
        await sb.send(fenna, group, "/checkin on")  # a member who misses two meetings hears
        await self.say(
            self.bas, "Leuk dat we dit samen gaan doen!", "Great that we are doing this together!"
        )
        await self.say(self.dewi, "Ja, ik heb er zin in.", "Yes, I'm looking forward to it.")
        for person in (fenna, self.anouk, self.bas, self.chantal, self.dewi):
            await sb.dm(person, "/start")
        await sb.dm(
            sb.user("Olaf", language_code=lang), self.t("Hallo, wie ben jij?", "Hi, who are you?")
        )

        await sb.send(fenna, group, self.t("/holidays midden", "/holidays middle"))
        await sb.send(fenna, group, "/plan")
        await self.say(fenna, "16 september 15:00", "16 September 15:00", to=self.last())
        await sb.press(fenna, self.last(), "5")
        await self.tap(fenna, self.last(), "2")  # every two weeks
        await self.tap(fenna, self.last(), "60")
        await self.say(fenna, "Lokaal 12", "Room 12", to=self.last())
        await self.tap(fenna, self.last(), "save")
        await self.say(self.chantal, "Staat in mijn agenda!", "It's in my diary!")
        await self.say(
            self.emre,
            "Is Lokaal 12 dat lokaal naast de teamkamer?",
            "Is Room 12 the one next to the staff room?",
        )
        await self.say(
            self.anouk, "Ja, die met de grote tafel.", "Yes, the one with the big table."
        )
        await sb.send(self.bas, group, "/agenda")
        await self.say(
            self.bas,
            "Casus leerling B: time-out of niet?",
            "Case pupil B: time-out or not?",
            to=self.last(),
        )

    async def _before_meeting_1(self) -> None:
        await self.until(
            "2026-09-14 15:30",
            "twee dagen voor bijeenkomst 1: wie komt er?",
            "two days before meeting 1: who is coming?",
        )
        asked = self.with_buttons(Button.ATTENDANCE)
        for person, answer in (
            (self.anouk, "y"),
            (self.bas, "y"),
            (self.chantal, "y"),
            (self.dewi, "y"),
            (self.emre, "m"),
        ):
            await self.tap(person, asked, answer)
        await self.say(
            self.emre,
            "Ik weet nog niet of ik om drie uur al uit mijn klas weg kan. Ik doe mijn best.",
            "Not sure I can leave my class by three yet. I'll do my best.",
        )
        await self.say(self.anouk, "Ik neem koffie en koek mee.", "I'll bring coffee and biscuits.")
        await self.say(self.dewi, "Lekker! Tot woensdag.", "Lovely! See you Wednesday.")
        await self.until(
            "2026-09-15 19:30",
            "de avond voor bijeenkomst 1: de vraagstukkenronde staat open",
            "the evening before meeting 1: the issue round is open",
        )
        round_ = await self.prompt("issue_round")
        self.coded("ii", "eerder zien wat eraan voorafgaat", "notice sooner what comes before")
        self.coded("si", "Hoe voorkomen we als school", "How can we as a school prevent")
        await self.say(
            self.anouk,
            "a) Leerling A loopt de klas uit als hij boos wordt. Ik wil eerder zien wat eraan "
            "voorafgaat.\nb) Hoe voorkomen we als school dat boze leerlingen de klas uit lopen?",
            "a) Pupil A walks out of the classroom when he gets angry. I want to notice sooner "
            "what "
            "comes before it.\nb) How can we as a school prevent angry pupils from walking out?",
            to=round_,
        )
        self.coded("si", "één vaste rustplek", "one quiet corner")
        await self.dm(  # she opened the private chat: the follow-up question came there
            self.anouk,
            "Als school kunnen we één vaste rustplek afspreken, met dezelfde afspraken in elke "
            "klas.",
            "As a school we can agree on one quiet corner, with the same rules in every class.",
            to=self.last(self.sb.private_chat(self.anouk)),
        )
        self.coded("ii", "weigert te werken", "refuses to work")
        await self.say(
            self.bas,
            "Mijn leerling Tim de Boer weigert te werken zodra hij iets moeilijk vindt.",
            "My pupil Tim de Boer refuses to work as soon as he finds something hard.",
            to=round_,
        )
        await self.tap(self.bas, self.with_buttons(Button.GUARD), "use")  # the pseudonym
        self.coded("ii", "fel op elkaar", "snap at each other")
        self.coded("si", "Wat kunnen wij als team doen", "What can we as a team do")
        await self.dm(
            self.chantal,
            "a) In groep 5 reageren leerlingen fel op elkaar en geven ze elkaar de schuld. Hoe "
            "leer "
            "ik ze op zichzelf te letten?\nb) Wat kunnen wij als team doen zodat leerlingen leren "
            "op zichzelf te letten?",
            "a) In year 3 pupils snap at each other and blame each other. How do I teach them to "
            "look at themselves?\nb) What can we as a team do so that pupils learn to look at "
            "themselves?",
        )
        self.coded("ii", "zelf onrustig", "restless myself")
        await self.dm(
            self.dewi,
            "Ik merk dat ik zelf onrustig word van leerling C en dan te snel boos reageer.",
            "I notice that pupil C makes me restless myself, and then I react angrily too fast.",
        )
        await self.until("2026-09-16 07:50")
        self.coded("ie", "gaat er soms een knop om", "something just snaps")
        self.coded("se", "ouders niet meer verantwoordelijk", "hold parents more responsible")
        await self.say(
            self.emre,
            "a) Bij leerling D gaat er soms een knop om en verziekt hij alles; de volgende dag "
            "doet hij keihard zijn best.\nb) Kunnen we ouders niet meer verantwoordelijk maken "
            "voor het gedrag van hun kind?",
            "a) With pupil D something just snaps and he spoils everything; the next day he works "
            "really hard.\nb) Can't we hold parents more responsible for their child's behaviour?",
            to=round_,
        )

    async def _meeting_1(self) -> None:
        await self.until("2026-09-16 12:40")
        await self.say(
            self.bas,
            "Ik kom iets later, ik heb tot kwart over drie een oudergesprek.",
            "I'll be a bit late, I have a parent meeting until a quarter past three.",
        )
        await self.say(
            self.fenna,
            "Geen probleem, dan beginnen we met de koffie.",
            "No problem, we'll start with the coffee.",
        )
        await self.say(
            self.emre,
            "Het lukt me toch, ik ben er om drie uur.",
            "I can make it after all, I'll be there at three.",
        )
        await self.until(
            "2026-09-16 15:00",
            "bijeenkomst 1: ieder vertelt over het eigen vraagstuk",
            "meeting 1: everyone talks about their own issue",
        )
        await self.until("2026-09-16 16:20", "na bijeenkomst 1", "after meeting 1")
        await self.close_meeting(
            self.everyone,
            "We kiezen samen één gezamenlijk vraagstuk. Iedereen let deze twee weken op wat er "
            "vlak voor een boze bui gebeurt.",
            "We choose one shared issue together. For the next two weeks everyone watches what "
            "happens just before an outburst.",
        )
        await self.say(
            self.chantal, "Fijne eerste keer, dank jullie!", "Good first session, thanks all!"
        )
        await self.say(
            self.emre,
            "Ja, fijn om te horen dat ik niet de enige ben.",
            "Yes, good to hear I'm not the only one.",
        )
        await self.say(
            self.bas,
            "Zeker. Ik dacht echt dat het aan mij lag.",
            "Absolutely. I really thought it was just me.",
        )

    async def _between_1_and_2(self) -> None:
        await self.until(
            "2026-09-17 10:00",
            "de dag erna: Fenna codeert de bijdragen, privé",
            "the day after: Fenna codes the contributions, privately",
        )
        await self.code_all()
        await self.until(
            "2026-09-18 09:00",
            "Fenna legt het gezamenlijke vraagstuk voor",
            "Fenna puts the shared issue to the group",
        )
        await self.sb.send(self.fenna, self.group, "/shared")
        await self.sb.press(self.fenna, self.last(), "1")
        proposal = self.last()
        self.proposal = proposal
        await self.tap(self.anouk, proposal, "agree")
        await self.tap(self.chantal, proposal, "agree")
        await self.tap(self.emre, proposal, "not_yet")
        self.coded("se", "Ik mis de ouders", "I miss the parents")
        await self.say(
            self.emre,
            "Ik mis de ouders erin: die hebben ook een rol.",
            "I miss the parents in this: they have a part too.",
            to=proposal,
        )
        await self.say(
            self.anouk, "Ik vind het een goede eerste versie.", "I think it's a good first version."
        )
        await self.say(
            self.emre, "Ik denk er nog even over na.", "I'll think about it a bit longer."
        )
        await self.until(
            "2026-09-21 08:30",
            "Fenna start de kwaliteitenronde: vroeg, zoals het onderzoek aanbeveelt",
            "Fenna starts the quality round: early, as the study recommends",
        )
        await self.sb.send(self.fenna, self.group, "/qualities")
        await self._quality_round(
            self.bas,
            {
                "Anouk": (
                    self.t(
                        "Vat goed samen: aan het eind zette ze onze vraagstukken op een rij",
                        "Summarises well: at the end she lined up all our issues",
                    ),
                    self.t("Zorgdrager", "Caretaker"),
                ),
                "Chantal": (
                    self.t(
                        "Veel kennis: ze legde het verschil uit tussen internaliserend en "
                        "externaliserend gedrag",
                        "Lots of knowledge: she explained internalising versus externalising "
                        "behaviour",
                    ),
                    None,
                ),
            },
        )
        await self._quality_round(
            self.chantal,
            {
                "Anouk": (
                    self.t(
                        "Oprechte belangstelling: ze vroeg door over mijn groep",
                        "Genuine interest: she asked on about my class",
                    ),
                    None,
                ),
                "Bas": (
                    self.t(
                        "Legt koppelingen: hij verbond mijn casus met die van Emre",
                        "Makes links: he connected my case with Emre's",
                    ),
                    self.t("Wegwijzer", "Signpost"),
                ),
            },
        )
        await self._quality_round(
            self.emre,
            {
                "Chantal": (
                    self.t(
                        "Hulpvaardig: ze deelde meteen het artikel dat ze had",
                        "Helpful: she shared the article she had straight away",
                    ),
                    self.t("Manusje van alles", "Jack of all trades"),
                ),
            },
        )
        await self._quality_round(
            self.anouk,
            {
                "Bas": (
                    self.t(
                        "Denkt vooruit: hij vroeg wat het gevolg van een actie is",
                        "Thinks ahead: he asked what an action leads to",
                    ),
                    None,
                ),
                "Emre": (
                    self.t(
                        "Denkt in kansen: hij zag bij leerling D vooral wat wél lukt",
                        "Sees chances: with pupil D he saw what does work",
                    ),
                    self.t("Werk in uitvoering", "Work in progress"),
                ),
            },
        )
        await self.say(
            self.chantal,
            "Leuk om te doen, die kwaliteitenronde!",
            "That quality round was fun to do!",
        )
        await self.say(
            self.bas,
            "Ja! Ik ben benieuwd wat jullie over mij schrijven.",
            "Yes! I'm curious what you all write about me.",
        )
        await self.until(
            "2026-09-24 16:20",
            "de wekelijkse vraag",
            "the weekly question",
        )
        weekly = await self.prompt("weekly")
        self.coded("ii", "vaste rustplek gegeven", "gave pupil A a fixed quiet spot")
        await self.say(
            self.anouk,
            "Ik heb leerling A een vaste rustplek gegeven bij het raam. Hij gebruikte hem twee "
            "keer "
            "en kwam zelf terug.",
            "I gave pupil A a fixed quiet spot by the window. He used it twice and came back by "
            "himself.",
            to=weekly,
        )
        self.coded("si", "duocollega", "job-share colleague")
        await self.say(
            self.bas,
            "Ik heb met mijn duocollega afgesproken dat we dezelfde rustplekregels gebruiken.",
            "My job-share colleague and I agreed to use the same quiet-spot rules.",
            to=weekly,
        )
        await self.say(
            self.emre,
            "Ik heb deze week weinig kunnen proberen, de juf van groep 6 was ziek.",
            "I couldn't try much this week, the year 4 teacher was ill.",
        )

    async def _quality_round(
        self, member: SandboxUser, wishes: dict[str, tuple[str, str | None]]
    ) -> None:
        """A member's private part of the quality round: a quality (and maybe a title) for
        the colleagues in `wishes`, the others passed by, then stop for now."""
        chat = self.sb.private_chat(member)
        await self.sb.dm(member, "/qualities")
        left = dict(wishes)
        while left:
            question = self.last(chat)
            whom = next(
                (name for name in self.people_names() if name in question.content.split("\n")[0]),
                None,
            )
            if whom in left:
                quality, title = left.pop(whom)
                await self.sb.dm(member, quality, reply_to=question)
                await self.sb.press(
                    member, self.last(chat), self.last(chat).button_texts[-2]
                )  # title
                if title:
                    await self.sb.dm(member, title, reply_to=self.last(chat))
                    continue
            else:
                await self.sb.press(member, question, question.button_texts[-2])  # on to the title
            await self.sb.press(member, self.last(chat), self.last(chat).button_texts[0])  # skip it
        last = self.last(chat)
        if last.buttons:
            await self.sb.press(member, last, last.button_texts[-1])  # stop for now

    def people_names(self) -> list[str]:
        return ["Fenna de Vries", "Anouk", "Bas", "Chantal", "Dewi", "Emre"]

    async def _meeting_2(self) -> None:
        await self.until(
            "2026-09-28 15:30",
            "twee dagen voor bijeenkomst 2",
            "two days before meeting 2",
        )
        asked = self.with_buttons(Button.ATTENDANCE)
        for person in (self.anouk, self.bas, self.chantal, self.emre):  # not Dewi
            await self.tap(person, asked, "y")
        await self.say(
            self.chantal,
            "Ik neem de turflijst van vorig jaar mee, misschien hebben we er iets aan.",
            "I'll bring last year's tally sheet, it might help.",
        )
        await self.say(self.emre, "Goed plan, neem maar mee.", "Good plan, do bring it.")
        await self.until("2026-09-30 14:50")
        await self.say(
            self.anouk,
            "Ik loop vijf minuten uit, begin maar vast.",
            "I'm five minutes late, start without me.",
        )
        await self.until(
            "2026-09-30 15:20",
            "bijeenkomst 2: het gezamenlijke vraagstuk en de kwaliteiten",
            "meeting 2: the shared issue and the qualities",
        )
        proposal = self.shared
        await self.tap(self.bas, proposal, "agree")
        self.coded("si", "laten we dan ook afspreken", "let us also agree")
        await self.say(
            self.chantal,
            "Eens, en laten we dan ook afspreken wat wij als team doen vlak voordat het escaleert.",
            "Agreed, and let us also agree what we as a team do just before it escalates.",
            to=proposal,
        )
        self.coded("si", "van elkaar leren wat werkt", "learn from each other what works")
        await self.say(
            self.bas,
            "Als we het samen doen, kunnen we van elkaar leren wat werkt.",
            "If we do it together, we can learn from each other what works.",
            to=proposal,
        )
        self.coded("si", "wat wij zelf kunnen doen", "what we can do ourselves")
        await self.say(
            self.emre,
            "Goed, ik neem terug wat ik zei over de ouders: het gaat om wat wij zelf kunnen doen.",
            "Fine, I take back what I said about the parents: it is about what we can do "
            "ourselves.",
            to=proposal,
        )
        await self.sb.send(
            self.anouk,
            self.group,
            self.t(
                "/decide We houden twee weken een turflijst bij van boze momenten: wat ging eraan "
                "vooraf? @bas uiterlijk 14 oktober",
                "/decide For two weeks we keep a tally sheet of angry moments: what came before? "
                "@bas by 14 October",
            ),
        )
        decision = self.with_buttons(Button.REACT)
        for person in (self.anouk, self.bas, self.chantal):  # three of five: adopted
            await self.tap(person, decision, "agree")
        await self.until("2026-09-30 15:45")
        await self.sb.send(self.fenna, self.group, "/qualities close")
        await self.until("2026-09-30 16:20", "na bijeenkomst 2", "after meeting 2")
        await self.close_meeting(
            self.everyone_but_dewi,
            "Gezamenlijk vraagstuk aangenomen. Bas maakt de turflijst; iedereen gebruikt hem tot "
            "14 "
            "oktober.",
            "Shared issue adopted. Bas makes the tally sheet; everyone uses it until 14 October.",
        )
        await self.say(
            self.bas,
            "Ik maak de turflijst vanavond en zet hem morgen hier in de groep.",
            "I'll make the tally sheet tonight and post it here tomorrow.",
        )

    async def _between_2_and_3(self) -> None:
        await self.until("2026-10-01 07:45")
        await self.say(
            self.bas,
            "Hier is de turflijst. Print hem maar uit!",
            "Here's the tally sheet. Print it out!",
        )
        await self.say(self.emre, "Dank je, Bas!", "Thanks, Bas!")
        await self.say(self.anouk, "Super, ik begin vandaag.", "Great, I'll start today.")
        await self.say(self.chantal, "Handig, dank je!", "Handy, thanks!")
        await self.until("2026-10-01 10:00", "Fenna codeert", "Fenna codes")
        await self.code_all()
        await self.until(
            "2026-10-07 19:00",
            "een week voor bijeenkomst 3: literatuur en kwaliteiten benutten",
            "a week before meeting 3: literature and using qualities",
        )
        literature = await self.prompt("literature")
        await self.say(
            self.chantal,
            "Gedrag is communicatie (Jansen, 2019)",
            "Behaviour is communication (Jansen, 2019)",
            to=literature,
        )
        await self.say(
            self.chantal,
            "Boos gedrag vertelt iets over wat een leerling nodig heeft.",
            "Angry behaviour tells you something about what a pupil needs.",
            to=self.last(),
        )
        await self.say(
            self.chantal,
            "Ik vraag eerst wat er aan de hand is, voordat ik een consequentie geef.",
            "I first ask what is going on, before I give a consequence.",
            to=self.last(),
        )
        await self.say(
            self.chantal,
            "Het artikel ligt in de teamkamer, als iemand het wil lezen.",
            "The article is in the staff room, if anyone wants to read it.",
        )
        await self.say(self.emre, "Ik pak het morgen even.", "I'll pick it up tomorrow.")
        using = await self.prompt("using")
        await self.say(
            self.emre,
            "@anouk vat goed samen: haar samenvatting hielp me kiezen waar ik begin",
            "@anouk summarises well: her summary helped me choose where to start",
            to=using,
        )
        await self.say(
            self.chantal,
            "@bas legt koppelingen: hij liet zien dat mijn casus lijkt op die van Emre",
            "@bas makes links: he showed that my case is like Emre's",
            to=using,
        )
        await self.until("2026-10-08 16:30", "de wekelijkse vraag", "the weekly question")
        weekly = await self.prompt("weekly")
        self.coded("si", "vooral na de pauze", "mostly after break")
        await self.say(
            self.emre,
            "Met de turflijst zag ik dat het bij leerling D vooral na de pauze misgaat. Bij Bas en "
            "Anouk ook!",
            "The tally sheet showed me that with pupil D it goes wrong mostly after break. Same "
            "for "
            "Bas and Anouk!",
            to=weekly,
        )
        self.coded("si", "in de bouw afgesproken", "agreed in our year group")
        await self.say(
            self.chantal,
            "We hebben in de bouw afgesproken dat we de turflijst allemaal gebruiken.",
            "We agreed in our year group that we all use the tally sheet.",
            to=weekly,
        )
        self.coded("si", "met mijn duo besproken", "discussed the tally sheet with my")
        await self.say(
            self.anouk,
            "Ik heb de turflijst met mijn duo besproken; we doen hetzelfde na de pauze.",
            "I discussed the tally sheet with my job-share; we do the same after break.",
            to=weekly,
        )
        await self.until(
            "2026-10-12 15:30",
            "twee dagen voor bijeenkomst 3",
            "two days before meeting 3",
        )
        asked = self.with_buttons(Button.ATTENDANCE)
        for person, answer in (
            (self.anouk, "y"),
            (self.bas, "y"),
            (self.chantal, "y"),
            (self.emre, "m"),
        ):
            await self.tap(person, asked, answer)
        await self.say(
            self.emre,
            "Ik weet nog niet of ik kan, we hebben die middag rapportvergadering.",
            "Not sure I can make it, we have the report meeting that afternoon.",
        )
        await self.say(
            self.anouk, "Kom anders het laatste halfuur.", "Come for the last half hour, then."
        )
        await self.say(self.emre, "Goed idee, dat doe ik.", "Good idea, I will.")
        await self.until(
            "2026-10-14 09:30", "Bas' afspraak is vandaag klaar", "Bas's agreement is due today"
        )
        await self.tap(
            self.bas, self.with_buttons(Button.DONE, self.sb.private_chat(self.bas)), "y"
        )

    async def _meeting_3(self) -> None:
        await self.until(
            "2026-10-14 15:30",
            "bijeenkomst 3: de turflijsten, en een nieuwe werkwijze",
            "meeting 3: the tally sheets, and a new practice",
        )
        proposal = self.shared
        self.coded("si", "bij overgangen", "at transitions")
        await self.say(
            self.anouk,
            "Uit de turflijsten blijkt: het gaat vaak mis bij overgangen. Daar kunnen wij als "
            "school "
            "op sturen.",
            "The tally sheets show it often goes wrong at transitions. That is something we as a "
            "school can steer.",
            to=proposal,
        )
        self.coded("ii", "zelf te laat ingreep", "stepped in too late myself")
        await self.say(
            self.bas,
            "Bij mij speelde vooral dat ik zelf te laat ingreep.",
            "For me it was mainly that I stepped in too late myself.",
            to=proposal,
        )
        self.coded("si", "overgang na de pauze rustiger", "change-over after break calmer")
        await self.say(
            self.chantal,
            "Als team kunnen we de overgang na de pauze rustiger maken.",
            "As a team we can make the change-over after break calmer.",
            to=proposal,
        )
        await self.sb.send(
            self.fenna,
            self.group,
            self.t(
                "/decide Bij boos gedrag volgen we een vast stappenplan: signaleren, benoemen, "
                "rustplek aanbieden @anouk uiterlijk 28 oktober",
                "/decide When a pupil gets angry we follow one step plan: notice, name it, offer "
                "the quiet spot @anouk by 28 October",
            ),
        )
        decision = self.with_buttons(Button.REACT)
        await self.tap(self.bas, decision, "agree")
        await self.tap(self.chantal, decision, "agree")
        await self.tap(self.fenna, decision, "practice")
        await self.until("2026-10-14 16:20", "na bijeenkomst 3", "after meeting 3")
        await self.close_meeting(
            self.everyone_but_dewi,
            "Stappenplan afgesproken. Op 28 oktober is er een studiedag, dus Fenna plant "
            "bijeenkomst "
            "4 opnieuw.",
            "Step plan agreed. 28 October is a staff training day, so Fenna re-plans meeting 4.",
        )
        await self.say(
            self.chantal,
            "Goed dat we nu een stappenplan hebben.",
            "Good that we have a step plan now.",
        )
        await self.say(
            self.bas, "Ik hang het morgen in mijn klas op.", "I'll put it up in my class tomorrow."
        )

    async def _cancel_and_replan(self) -> None:
        await self.until(
            "2026-10-15 09:00",
            "Fenna zegt bijeenkomst 4 af en plant een nieuwe",
            "Fenna cancels meeting 4 and plans a new one",
        )
        await self.sb.send(self.fenna, self.group, "/meeting cancel 4")
        await self.sb.send(
            self.fenna,
            self.group,
            self.t(
                "/meeting add 2 november 15:00 60 Lokaal 12",
                "/meeting add 2 November 15:00 60 Room 12",
            ),
        )
        await self.say(
            self.bas, "Maandag 2 november kan ik ook.", "Monday 2 November works for me too."
        )
        await self.say(self.emre, "Bij mij ook goed.", "Fine for me too.")
        await self.say(self.chantal, "Ik zet het in mijn agenda.", "I'll put it in my diary.")
        await self.code_all()

    async def _between_3_and_5(self) -> None:
        await self.until(
            "2026-10-15 16:30",
            "de ritmecheck na bijeenkomst 3 (alleen de facilitators zien hem)",
            "the rhythm check after meeting 3 (only the facilitators see it)",
        )
        self.note(
            "Fenna belt Dewi even; die stuurt daarna zelf een afmelding",
            "Fenna gives Dewi a call; afterwards Dewi sends her apologies herself",
        )
        await self.until("2026-10-16 12:15")
        await self.sb.send(
            self.dewi,
            self.group,
            self.t(
                "/absent 5 Ouderavonden die week, sorry! Ik lees wel mee.",
                "/absent 5 Parents' evenings that week, sorry! I'll keep reading along.",
            ),
        )
        await self.say(
            self.anouk,
            "Sterkte met de ouderavonden, Dewi!",
            "Good luck with the parents' evenings, Dewi!",
        )
        await self.until("2026-10-16 15:10")
        await self.say(
            self.anouk, "Fijne herfstvakantie allemaal!", "Happy autumn holiday, everyone!"
        )
        await self.say(self.chantal, "Jij ook!", "You too!")
        await self.until(
            "2026-10-29 16:30",
            "na de herfstvakantie: de wekelijkse vraag",
            "after the autumn holiday: the weekly question",
        )
        weekly = await self.prompt("weekly")
        self.coded("ii", "De tweede keer ging het al beter", "The second time it went better")
        await self.say(
            self.bas,
            "Ik heb het stappenplan twee keer gebruikt. De tweede keer ging het al beter, omdat ik "
            "eerder benoemde wat ik zag.",
            "I used the step plan twice. The second time it went better, because I named what I "
            "saw "
            "sooner.",
            to=weekly,
        )
        self.coded("si", "hangt nu in alle klassen", "now hangs in every class")
        await self.say(
            self.anouk,
            "Het stappenplan hangt nu in alle klassen van de middenbouw.",
            "The step plan now hangs in every class of the middle years.",
            to=weekly,
        )
        await self.say(
            self.chantal,
            "Bij mij hangt hij ook. De kinderen wezen er vandaag zelf naar!",
            "It's up in my class too. Today the children pointed at it themselves!",
        )
        await self.say(self.emre, "Wat mooi, Chantal!", "How lovely, Chantal!")
        await self.until(
            "2026-10-30 15:30",
            "de vrijdag voor bijeenkomst 5 (maandag): wie komt er?",
            "the Friday before meeting 5 (a Monday): who is coming?",
        )
        asked = self.with_buttons(Button.ATTENDANCE)
        for person in (self.anouk, self.bas, self.chantal, self.emre):
            await self.tap(person, asked, "y")
        await self.say(
            self.bas,
            "Maandag ben ik er, met de ingevulde turflijsten.",
            "I'll be there Monday, with the filled-in tally sheets.",
        )

    async def _meeting_5(self) -> None:
        await self.until(
            "2026-11-02 15:20",
            "bijeenkomst 5 (de nieuwe): het vraagstuk, scherper",
            "meeting 5 (the new one): the issue, sharper",
        )
        self.coded("si", "herkennen wij als team vroeg", "we as a team recognise")
        await self.sb.send(
            self.fenna,
            self.group,
            self.t(
                "/shared Hoe herkennen wij als team vroeg de signalen van boos gedrag, en wat doen "
                "wij dan, stap voor stap?",
                "/shared How do we as a team recognise the early signs of angry behaviour, and "
                "what "
                "do we do then, step by step?",
            ),
        )
        proposal = self.with_buttons(Button.VOTE)
        self.proposal = proposal
        self.coded("si", "zo is het echt van ons samen", "now it is really ours")
        await self.say(
            self.chantal,
            "Ja, zo is het echt van ons samen.",
            "Yes, now it is really ours.",
            to=proposal,
        )
        for person in (self.anouk, self.bas, self.chantal):  # three of five: adopted
            await self.tap(person, proposal, "agree")
        await self.until("2026-11-02 16:20", "na bijeenkomst 5", "after meeting 5")
        await self.close_meeting(
            self.everyone_but_dewi,
            "Versie 2 van ons vraagstuk aangenomen. Volgende keer: wat gaat er in het "
            "verzameldocument?",
            "Version 2 of our issue adopted. Next time: what goes into the collection document?",
        )
        await self.say(self.bas, "Versie 2 vind ik veel beter.", "I like version 2 much better.")
        await self.say(
            self.chantal,
            "Ik ook, hier kunnen we echt mee verder.",
            "Me too, this is something we can work with.",
        )

    async def _between_5_and_last(self) -> None:
        await self.until("2026-11-03 10:00", "Fenna codeert", "Fenna codes")
        await self.code_all()
        await self.until(
            "2026-11-04 10:30",
            "drie weken na het stappenplan: gebruiken we het?",
            "three weeks after the step plan: do we use it?",
        )
        asked = self.with_buttons(Button.FOLLOW_UP)
        await self.tap(self.anouk, asked, "yes")
        await self.tap(self.bas, asked, "yes")
        await self.tap(self.emre, asked, "sometimes")
        await self.say(
            self.chantal,
            "Nog niet, ik wil eerst de rustplek in mijn klas inrichten.",
            "Not yet, I want to set up the quiet spot in my class first.",
            to=asked,
        )
        await self.tap(self.chantal, self.with_buttons(Button.FOLLOW_UP), "not_yet")
        await self.until(
            "2026-11-04 19:00",
            "een week voor de laatste bijeenkomst: literatuur en kwaliteiten benutten",
            "a week before the last meeting: literature and using qualities",
        )
        await self.say(
            self.anouk,
            "Grip op de groep (Boer, 2018)",
            "A grip on the group (Boer, 2018)",
            to=await self.prompt("literature"),
        )
        await self.say(
            self.anouk,
            "Een vaste volgorde bij overgangen voorkomt veel onrust.",
            "A fixed routine at transitions prevents a lot of unrest.",
            to=self.last(),
        )
        await self.say(
            self.anouk,
            "Ik zet na de pauze eerst tien minuten rustig lezen.",
            "After break I start with ten minutes of quiet reading.",
            to=self.last(),
        )
        await self.say(
            self.chantal,
            "Mooi artikel, Anouk. Mag ik het lenen?",
            "Nice article, Anouk. Can I borrow it?",
        )
        await self.say(
            self.anouk, "Natuurlijk, het ligt in mijn postvak.", "Of course, it's in my pigeonhole."
        )
        using = await self.prompt("using")
        await self.say(
            self.bas,
            "@chantal veel kennis: ze legde uit waarom leerling B zich terugtrekt",
            "@chantal lots of knowledge: she explained why pupil B withdraws",
            to=using,
        )
        await self.say(
            self.anouk,
            "zorgzaam: ik belde de moeder van leerling A na een moeilijke dag",
            "caring: I called pupil A's mother after a hard day",
            to=using,
        )
        await self.say(
            self.bas,
            "Die over overgangen wil ik ook lezen.",
            "I'd like to read the one about transitions too.",
        )
        await self.until("2026-11-05 16:30", "de wekelijkse vraag", "the weekly question")
        weekly = await self.prompt("weekly")
        self.coded("si", "vroeg zelf om de rustplek", "asked for the quiet spot himself")
        await self.say(
            self.emre,
            "Leerling D vroeg zelf om de rustplek. Ons stappenplan werkt ook bij hem.",
            "Pupil D asked for the quiet spot himself. Our step plan works for him too.",
            to=weekly,
        )
        self.coded("si", "bouwvergadering", "year-group meeting")
        await self.say(
            self.chantal,
            "In de bouwvergadering hebben we het stappenplan aan de anderen uitgelegd.",
            "At the year-group meeting we explained the step plan to the others.",
            to=weekly,
        )
        await self.say(
            self.anouk,
            "Wat goed dat het al verder gaat dan wij.",
            "Great that it already goes beyond the six of us.",
        )
        await self.until(
            "2026-11-09 15:30",
            "twee dagen voor de laatste bijeenkomst",
            "two days before the last meeting",
        )
        asked = self.with_buttons(Button.ATTENDANCE)
        for person in (self.anouk, self.bas, self.chantal, self.emre):
            await self.tap(person, asked, "y")
        await self.tap(self.dewi, asked, "n")
        await self.say(
            self.dewi,
            "Ik heb die middag een zorgoverleg, sorry.",
            "I have a care meeting that afternoon, sorry.",
            to=asked,
        )

    async def _last_meeting(self) -> None:
        await self.until("2026-11-10 20:00")
        await self.say(
            self.bas, "Morgen alweer de laatste keer!", "The last session already tomorrow!"
        )
        await self.say(self.emre, "Gaat snel, hè.", "Time flies.")
        await self.say(
            self.dewi,
            "Sorry dat ik er de laatste keren niet bij was. Ik lees alles terug.",
            "Sorry I missed the last sessions. I'm reading everything back.",
        )
        await self.say(
            self.fenna, "Fijn dat je meeleest, Dewi.", "Glad you're reading along, Dewi."
        )
        await self.say(
            self.anouk,
            "We missen je, Dewi. Volgend jaar weer?",
            "We miss you, Dewi. Next year again?",
        )
        await self.say(
            self.dewi, "Zeker, dan heb ik meer ruimte.", "Definitely, I'll have more room then."
        )
        await self.until(
            "2026-11-11 15:30",
            "de laatste bijeenkomst: wat nemen we mee?",
            "the last meeting: what do we take with us?",
        )
        proposal = self.shared
        self.coded("si", "nemen we mee naar het hele team", "this issue to the whole team")
        await self.say(
            self.bas,
            "Dit vraagstuk nemen we mee naar het hele team.",
            "We take this issue to the whole team.",
            to=proposal,
        )
        self.coded("si", "iedereen in de school", "everyone in the school")
        await self.say(
            self.emre,
            "Dan weet iedereen in de school wat we doen als een leerling boos wordt.",
            "Then everyone in the school knows what we do when a pupil gets angry.",
            to=proposal,
        )
        await self.sb.send(
            self.anouk,
            self.group,
            self.t(
                "/decide Het stappenplan en de turflijst gaan naar het hele team @anouk "
                "uiterlijk 25 "
                "november",
                "/decide The step plan and the tally sheet go to the whole team @anouk by 25 "
                "November",
            ),
        )
        decision = self.with_buttons(Button.REACT)
        for person in (self.anouk, self.bas, self.chantal):  # three of five: adopted
            await self.tap(person, decision, "agree")
        await self.until("2026-11-11 16:20", "na de laatste bijeenkomst", "after the last meeting")
        await self.close_meeting(
            self.everyone_but_dewi,
            "Laatste keer. Stappenplan en turflijst gaan naar het team; het verzameldocument "
            "volgt.",
            "Last session. Step plan and tally sheet go to the team; the collection document "
            "follows.",
        )
        await self.say(
            self.chantal,
            "Wat een mooi traject. Dank je wel, Fenna!",
            "What a good journey. Thank you, Fenna!",
        )
        await self.say(self.emre, "Dank jullie wel, Fenna en Anouk!", "Thank you, Fenna and Anouk!")
        await self.say(self.bas, "Op naar het hele team!", "On to the whole team!")
        await self.say(
            self.fenna,
            "Dank jullie wel voor jullie inzet. Morgen maak ik het verzameldocument.",
            "Thank you all for your work. Tomorrow I'll make the collection document.",
        )

    async def _collection_document(self) -> None:
        await self.until(
            "2026-11-12 16:30",
            "de dag erna: Fenna codeert de laatste bijdragen en maakt het verzameldocument",
            "the day after: Fenna codes the last contributions and makes the collection document",
        )
        await self.code_all()
        await self.sb.send(self.fenna, self.group, "/document")

    # ----------------------------------------------------------------------- counts

    def counts(self) -> list[str]:
        """The group's messages: the bot's and the people's (the bot should not outtalk them)."""
        messages = [m for m in self.sb.messages(self.group) if not m.service]
        bot = sum(1 for m in messages if m.is_from_bot)
        people = [m for m in messages if not m.is_from_bot]
        to_bot = sum(1 for m in people if m.delivered)
        return [
            self.t(
                f"Berichten in de groep: van copbot {bot}, van mensen {len(people)} "
                f"(waarvan {to_bot} aan copbot gericht).",
                f"Messages in the group: by copbot {bot}, by people {len(people)} "
                f"({to_bot} of them to copbot).",
            )
        ]
