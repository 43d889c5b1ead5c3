"""`copbot demo` lives through a whole cycle of five meetings, offline, in either language.

The demo runs once per language for this module (it is the slowest scene in the suite);
each test reads what it left behind.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path
from zipfile import ZipFile

import docx
import pytest
from babel.messages.pofile import read_po

from bot.app.demo import _unpack_markdown, run_demo
from bot.app.demo_transcript import WIDTH, width

LOCALES = Path(__file__).resolve().parents[2] / "bot" / "locales" / "nl" / "LC_MESSAGES"


@dataclass(frozen=True)
class DemoRun:
    transcript: str
    output: Path


def _play(factory: pytest.TempPathFactory, language: str) -> DemoRun:
    output = factory.mktemp(f"demo-{language}") / "out"
    return DemoRun(asyncio.run(run_demo(output=output, language=language)), output)


@pytest.fixture(scope="module")
def dutch(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    return _play(tmp_path_factory, "nl")


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    return _play(tmp_path_factory, "en")


def test_the_demo_runs_offline_from_set_up_to_the_document(dutch: DemoRun) -> None:
    transcript = dutch.transcript
    assert transcript.startswith("==== maandag 7 september 2026 ====")
    assert "[groep] Fenna: /setup" in transcript
    assert "Welkom, Emre! Je bent nu lid van CoP Gedrag De Regenboog (6 leden)." in transcript
    assert "[privé Olaf] copbot:" in transcript
    written = sorted(path.name for path in dutch.output.iterdir())
    assert [n for n in written if n.endswith(".docx")]  # the group gets the Word file
    assert "Het verzameldocument staat in" in transcript and ".docx" in transcript


def test_five_meetings_held_over_ten_weeks_each_under_its_own_date(dutch: DemoRun) -> None:
    transcript = dutch.transcript
    for day, number in (
        ("woensdag 16 september 2026", 1),
        ("woensdag 30 september 2026", 2),
        ("woensdag 14 oktober 2026", 3),
        ("maandag 2 november 2026", 5),
        ("woensdag 11 november 2026", 6),
    ):
        assert f"\n==== {day} =" in transcript
        assert f"Bijeenkomst {number} van CoP Gedrag De Regenboog is afgelopen." in transcript
    assert "[groep] Fenna: /meeting cancel 4" in transcript
    assert "Bijeenkomst 4 op woensdag 28 oktober 2026, 15:00 is geannuleerd." in transcript
    assert "1 bijeenkomst gepland:\n                5. maandag 2 november 2026" in transcript


def test_the_cycle_s_steps_come_in_their_order(dutch: DemoRun) -> None:
    transcript = dutch.transcript

    def at(text: str) -> int:
        assert text in transcript, text
        return transcript.index(text)

    meeting_1 = at("\n==== woensdag 16 september 2026 =")
    assert (
        at("Vraagstukronde: jouw praktijkvraagstuk") < meeting_1
    )  # the issue round, the day before
    assert at("📌 Ons gezamenlijke vraagstuk (versie 1") > meeting_1  # adopted after it
    assert at("De kwaliteitenronde is gesloten.") < at(  # qualities named by meeting 2
        "Bijeenkomst 2 van CoP Gedrag De Regenboog is afgelopen."
    )
    assert (
        transcript.count("📚 Literatuur:") == 2 and transcript.count("🤝 Kwaliteiten benutten") == 2
    )
    assert at("Gebruik je die?") > at("Niemand heeft bezwaar gemaakt")  # the follow-up
    assert transcript.count("🌱 CoP Gedrag De Regenboog: wat heb je deze week") >= 4
    # A weekly answer in the group gets a 👍, not one more message.
    assert "[groep] copbot zet \U0001f44d bij het bericht van Emre" in transcript


def test_a_member_who_drifts_away_is_noticed(dutch: DemoRun) -> None:
    transcript = dutch.transcript
    # Fenna ticks presence after each meeting; Dewi missed meetings 2 and 3, so the rhythm
    # check the day after meeting 3 names her, and (check-in on) she gets a warm message.
    noticed = transcript.index("• Dewi was er de laatste twee bijeenkomsten niet bij.")
    assert transcript.rfind("Niet aanwezig: Dewi.", 0, noticed) > 0
    assert transcript.index("[privé Dewi] copbot: Hoi Dewi, we hebben je gemist") > noticed
    assert transcript.count("[privé Dewi] copbot: Hoi Dewi, we hebben je gemist") == 1
    assert transcript.index("/absent 5 Ouderavonden die week") > noticed


def test_the_transcript_fits_100_columns_and_marks_edits(dutch: DemoRun, english: DemoRun) -> None:
    for run in (dutch, english):
        long = [line for line in run.transcript.splitlines() if width(line) > WIDTH]
        assert long == []
    assert "[groep] copbot (bewerkt #" in dutch.transcript
    assert "[group] copbot (edited #" in english.transcript


def _table_3(transcript: str) -> list[list[str]]:
    lines = transcript.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"Tab(el|le) 3 \(", line))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if re.fullmatch(r"(Bijeenkomst|Meeting) \d+", cells[0]):  # not the header lines
            rows.append(cells)
    return rows


def test_table_3_has_a_row_for_each_of_the_five_meetings(dutch: DemoRun, english: DemoRun) -> None:
    for run in (dutch, english):
        rows = _table_3(run.transcript)
        numbers = [row[0].split()[-1] for row in rows]
        assert numbers == ["1", "2", "3", "5", "6"]  # meeting 4 was cancelled
        first, *_, last = rows
        assert int(first[4].split("%")[0]) < 50 and last[4].startswith("100% (")  # shared grew


def _counts(transcript: str) -> tuple[int, int]:
    found = re.search(r"(?:van copbot|by copbot) (\d+), (?:van mensen|by people) (\d+)", transcript)
    assert found is not None
    return int(found[1]), int(found[2])


def test_the_bot_says_no_more_in_the_group_than_the_people(
    dutch: DemoRun, english: DemoRun
) -> None:
    for run in (dutch, english):
        bot, people = _counts(run.transcript)
        assert 0 < bot <= people


def _fragments(text: str) -> list[str]:
    """The literal stretches of a template that are long enough to recognise it by."""
    parts = re.split(r"\{[^}]*\}|%\([^)]*\)s|<[^>]+>|\n", text)
    return [part.strip() for part in parts if len(part.strip().split()) >= 4]


def _templates() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(LOCALES.glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.string and isinstance(message.id, str):
                pairs.append((message.id, str(message.string)))
    return [(english, dutch) for english, dutch in pairs if english != dutch]


def test_each_language_speaks_only_its_own(dutch: DemoRun, english: DemoRun) -> None:
    templates = _templates()
    assert templates
    dutch_in_english = {f for _, nl in templates for f in _fragments(nl) if f in english.transcript}
    english_in_dutch = {f for en, _ in templates for f in _fragments(en) if f in dutch.transcript}
    assert dutch_in_english == set()
    assert english_in_dutch == set()
    assert "Messages in the group: by copbot" in english.transcript
    assert "Meeting 1 of CoP Behaviour Rainbow School has ended." in english.transcript


# --- the collection document the demo made ------------------------------------------------

#: Words of the other language that once leaked into a document (labels, shorthand).
ENGLISH_LEAKS = (
    "Deadline", "shared", "Shared", "issue", "meeting", "Meeting", "Follow-up", "Owner",
    "Members", "Agreement", "Contents", "page", "Made", "version", "Total", "Named", "Used",
    "Still", "missing", "I/E", "I/I", "S/E", "S/I",
)  # fmt: skip
DUTCH_LEAKS = (
    "Bijeenkomst", "bijeenkomst", "vraagstuk", "Verzameldocument", "verzameldocument",
    "Afspraak", "afspraken", "Leden", "pagina", "Inhoud", "gehouden", "geannuleerd",
    "aanwezig", "Teamversie", "vertrouwelijk", "Gemaakt", "Periode", "Thema", "Uiterlijk",
    "Genoemd", "Benut", "leerling",
)  # fmt: skip


def _word_file(run: DemoRun) -> docx.document.Document:
    [path] = sorted(run.output.glob("*.docx"))
    return docx.Document(str(path))


def _all_text(word: docx.document.Document) -> str:
    cells = (cell.text for table in word.tables for row in table.rows for cell in row.cells)
    footer = (p.text for p in word.sections[0].footer.paragraphs)
    return "\n".join([*(p.text for p in word.paragraphs), *cells, *footer])


def test_the_demo_document_is_one_a_school_board_can_take_as_it_is(
    dutch: DemoRun, english: DemoRun
) -> None:
    for run, language in ((dutch, "nl-NL"), (english, "en-GB")):
        word = _word_file(run)
        styles = word.styles.element
        assert styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == [language]
        for name in ("Normal", "Heading 1", "Heading 2", "Title", "List Bullet"):
            assert word.styles[name].element.xpath("./w:rPr/w:lang/@w:val") == [language]
        footer = word.sections[0].footer._element
        assert "PAGE" in [i.strip() for i in footer.xpath(".//w:fldSimple/@w:instr")]
        assert word.tables
        for table in word.tables:
            grid = [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
            assert all(grid) and len(set(grid)) > 1, grid
        # Each chart sits in the section it illustrates, after that section's table.
        section, seen_table, charts = "", False, []
        for block in word.iter_inner_content():
            if isinstance(block, docx.table.Table):
                seen_table = True
            elif block.style is not None and block.style.name == "Heading 1":
                section, seen_table = block.text, False
            elif block._p.xpath(".//pic:pic"):
                assert seen_table
                charts.append(section)
        assert len(charts) == 2 and charts[0] != charts[1]


def test_the_demo_document_speaks_one_language(dutch: DemoRun, english: DemoRun) -> None:
    for run, leaks in ((dutch, ENGLISH_LEAKS), (english, DUTCH_LEAKS)):
        text = _all_text(_word_file(run))
        found = {w for w in leaks if re.search(rf"(?<![\w/-]){re.escape(w)}(?![\w/-])", text)}
        assert found == set()
    assert "Bijeenkomst 1" in _all_text(_word_file(dutch))
    assert "Meeting 1" in _all_text(_word_file(english))


def test_the_demo_writes_files_not_a_folder_with_a_file_suffix(
    dutch: DemoRun, tmp_path: Path
) -> None:
    """Issue 19: a folder `....md` beside the `.md.zip` looked like a file to file managers."""
    assert [p for p in dutch.output.rglob("*") if p.is_dir() and p.suffix] == []
    bundle = tmp_path / "cop-gedrag.md.zip"
    with ZipFile(bundle, "w") as archive:
        archive.writestr("document.md", "# CoP Gedrag\n\n![Chart](charts/chart-1.png)\n")
        archive.writestr("charts/chart-1.png", b"png")
    written = _unpack_markdown(bundle, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "charts/chart-1.png",
        "cop-gedrag.md",
    ]
    assert (tmp_path / "cop-gedrag.md").is_file()  # a file, and its chart link still works
    assert [p for p in tmp_path.rglob("*") if p.is_dir() and p.suffix] == []
