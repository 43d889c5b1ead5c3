"""The collection document (Word for the group, HTML and Markdown on request), the team
version, and the portfolio."""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile
from zoneinfo import ZoneInfo

import docx
import pytest
from typer.testing import CliRunner

from bot.app.cli import app as cli
from bot.app.context import Services
from bot.sandbox import Sandbox, SandboxMessage
from storage.models import Flow
from tests.conftest import Cop, last, said


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def files(messages: list[SandboxMessage]) -> dict[str, bytes]:
    return {m.document.file_name or "": m.document.data for m in messages if m.document}


def by_suffix(found: dict[str, bytes], suffix: str) -> bytes:
    return next(data for name, data in found.items() if name.endswith(suffix))


async def _rich(cop: Cop, sandbox: Sandbox) -> None:
    await cop.setup()
    await cop.join(*cop.teachers[:4])
    anna, bram = cop.anna, cop.bram
    await sandbox.send(cop.fenna, cop.group, "/meeting add 2026-12-02 15:00 60 Lokaal 4")
    await sandbox.send(cop.fenna, cop.group, "/issues nudge off")
    await sandbox.send(cop.fenna, cop.group, "/issues")
    round_prompt = last(sandbox, cop.group)
    await sandbox.send(anna, cop.group, "Anna's private issue about pupil A", reply_to=round_prompt)
    await sandbox.send(
        bram, cop.group, "Bram's shareable issue about pupil B", reply_to=round_prompt
    )
    await sandbox.send(cop.fenna, cop.group, "/shared How do we keep angry pupils in class?")
    proposal = last(sandbox, cop.group)
    for teacher in cop.teachers[:3]:
        await sandbox.press(teacher, proposal, "Agree")
    await sandbox.send(anna, cop.group, "/decide We use a tally sheet")
    decision = last(sandbox, cop.group)
    for teacher in cop.teachers[:3]:
        await sandbox.press(teacher, decision, "Agree")
    await sandbox.send(anna, cop.group, "/used @bram Veel kennis: hij legde het goed uit")
    await sandbox.send(bram, cop.group, "/insight Gedrag in de klas; Jansen; 2019")
    await sandbox.send(bram, cop.group, "Gedrag is communicatie", reply_to=last(sandbox, cop.group))
    await sandbox.send(bram, cop.group, "Eerst kijken", reply_to=last(sandbox, cop.group))
    # Bram shares his issue and his name; Anna shares nothing.
    await sandbox.dm(bram, "/share name on")
    await sandbox.dm(bram, "/share")
    listing = last(sandbox, sandbox.private_chat(bram))
    await sandbox.press(bram, listing, "1")


async def test_the_group_gets_the_word_file_and_the_rest_on_request(
    cop: Cop, sandbox: Sandbox
) -> None:
    await _rich(cop, sandbox)
    await sandbox.send(cop.anna, cop.group, "/document")
    assert "Building the collection document" in sandbox.last_replies[0].content
    [(name, data)] = files(sandbox.last_replies).items()
    local = sandbox.now().astimezone(ZoneInfo("Europe/Amsterdam"))
    assert name == f"cop-gedrag-{local:%Y%m%d-%H%M}.docx"  # the CoP's time, as inside
    caption = next(m.content for m in sandbox.last_replies if m.document)
    assert "Open it in Word" in caption and "PDF" in caption and "/document html" in caption
    await sandbox.send(cop.anna, cop.group, "/document html md")
    found = {name: data, **files(sandbox.last_replies)}
    assert sorted(n.split(".", 1)[1] for n in found) == ["docx", "html", "md.zip"]

    word = docx.Document(BytesIO(by_suffix(found, ".docx")))
    headings = [
        p.text
        for p in word.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    for heading in (
        "Members",
        "Shared issue",
        "Individual practice issues",
        "Meeting log",
        "Agreements and practices",
    ):
        assert heading in headings
    body = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for r in t.rows for c in r.cells
    )
    assert "Version: CoP version \u2013 confidential, for the members of the CoP" in body
    assert "Anna's private issue about pupil A" in body
    assert "We use a tally sheet" in body
    assert len(word.tables) >= 4

    page = Collect()
    page.feed(by_suffix(found, ".html").decode("utf-8"))
    assert "table" in page.tags and "h2" in page.tags and "script" not in page.tags
    with ZipFile(BytesIO(by_suffix(found, ".md.zip"))) as archive:
        markdown = archive.read("document.md").decode("utf-8")
    assert markdown.startswith("# ") and "How do we keep angry pupils in class?" in markdown


async def test_team_version_has_only_what_was_marked_shareable(cop: Cop, sandbox: Sandbox) -> None:
    await _rich(cop, sandbox)
    await sandbox.send(cop.anna, cop.group, "/document team")
    assert said(sandbox) == "Only the CoP's facilitators can do this."
    await sandbox.send(cop.fenna, cop.group, "/document team html")
    found = files(sandbox.last_replies)
    assert list(found) and all(name.endswith(".html") for name in found)
    page = Collect()
    page.feed(by_suffix(found, ".html").decode("utf-8"))
    text = " ".join(page.text)
    assert "Team version" in text
    assert "Not in this version" in text
    assert "1 practice issue is not shared by its author." in text
    assert "4 members are not named" in text  # only Bram agreed
    assert "Still missing" not in text and "Not in this document yet" not in text
    assert "Bram's shareable issue about pupil B" in text
    assert "Anna's private issue" not in text
    assert "We use a tally sheet" in text  # adopted, nobody objected
    assert "How do we keep angry pupils in class?" in text
    assert "Anna" not in text  # Anna did not agree to be named
    assert "Bram" in text
    review = sandbox.last_replies[-1].content
    assert "Reviewed what they share: Bram." in review and "Not yet reviewed:" in review


async def test_an_empty_cop_gets_a_short_valid_document(cop: Cop, sandbox: Sandbox) -> None:
    await cop.setup()
    await sandbox.send(cop.fenna, cop.group, "/document docx")
    [(_name, data)] = files(sandbox.last_replies).items()
    word = docx.Document(BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "This CoP has just started." in text  # a short, friendly document
    assert "No meetings have been planned yet." in text
    assert "No agreements yet." in text
    assert len(word.tables) == 1  # who is in it: the facilitator


async def test_one_document_at_a_time(cop: Cop, sandbox: Sandbox, services: Services) -> None:
    await cop.setup()
    async with services.sessions.begin() as session:  # another build is running
        session.add(
            Flow(
                chat_id=cop.group.id,
                user_id=0,
                kind="document",
                step="busy",
                data={},
                updated_at=sandbox.now(),
            )
        )
    await sandbox.send(cop.fenna, cop.group, "/document")
    assert "being built right now" in said(sandbox)
    await sandbox.send(cop.fenna, cop.group, "/document pdf")
    assert "Use /document" in said(sandbox)


async def test_portfolio_and_export(
    cop: Cop,
    sandbox: Sandbox,
    services: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _rich(cop, sandbox)
    await sandbox.dm(cop.bram, "/portfolio")
    [(_name, data)] = files(sandbox.last_replies).items()
    word = docx.Document(BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for r in t.rows for c in r.cells
    )
    assert "Portfolio of Bram" in text and "Bram's shareable issue" in text
    assert [p.text for p in word.paragraphs[:2]] == ["Portfolio of Bram", "CoP Gedrag"]
    assert "Anna's private issue" not in text

    monkeypatch.setenv("COPBOT_DATABASE_URL", services.settings.database_url)
    out = tmp_path / "export.docx"
    runner = CliRunner()  # the command runs its own event loop: give it a thread
    result = await asyncio.to_thread(
        runner.invoke,
        cli,
        ["export", "--community", "CoP Gedrag", "--format", "docx", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert docx.Document(str(out)).paragraphs[0].text.startswith("Collection document")
    missing = await asyncio.to_thread(runner.invoke, cli, ["export", "--community", "Nope"])
    assert missing.exit_code == 1 and "no CoP 'Nope'" in missing.output
