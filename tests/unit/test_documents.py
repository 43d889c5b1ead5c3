"""The collection document: one model, three renderers (Word, Markdown, HTML).

Each format is parsed back (python-docx, stdlib HTMLParser, plain text for Markdown) so the
tests check structure and escaping rather than exact bytes.
"""

from __future__ import annotations

import base64
import json
import zipfile
from html.parser import HTMLParser
from io import BytesIO

import docx
import pytest
from PIL import Image
from pydantic import ValidationError

from bot.render.documents import (
    Agreement,
    Chart,
    CollectionDocument,
    DevelopmentRow,
    IndividualIssue,
    Insight,
    IssueVersion,
    Labels,
    MeetingEntry,
    Person,
    Profile,
    QualityRow,
    ReadingEntry,
    escape_markdown,
    render_docx,
    render_html,
    render_markdown,
    render_markdown_bundle,
    render_markdown_zip,
)

TRICKY = "<b>&amp; 🎉 שלום עולם"  # markup-like text, an emoji and right-to-left text
SCRIPT = "<script>alert(1)</script>"

LABELS = Labels(
    members="Leden",
    name="Naam",
    role="Rol",
    title="Titel",
    shared_issue="Gedeelde praktijkvraag",
    version="Versie",
    status="Status",
    date="Datum",
    agree="Eens",
    not_yet="Nog niet",
    individual_issues="Individuele praktijkvragen",
    author="Auteur",
    meeting="Bijeenkomst",
    reflection="Reflectie",
    code="Code",
    development="Ontwikkeling",
    total="Totaal",
    qualities="Kwaliteiten",
    quality="Kwaliteit",
    named="Genoemd",
    used="Ingezet",
    examples="Voorbeelden",
    profiles="Profielen",
    reading="Leeslijst",
    source="Bron",
    authors="Auteurs",
    year="Jaar",
    link="Link",
    shared_by="Gedeeld door",
    insight="Inzicht",
    practice="Praktijk",
    meetings="Bijeenkomsten",
    attendance="Aanwezig",
    agenda="Agenda",
    discussed="Op de agenda",
    notes="Afspraken",
    agreements="Afspraken en praktijken",
    agreement="Afspraak",
    owner="Wie",
    due="Uiterlijk klaar",
    follow_up="Hoe het ging",
    still_to_come="Nog niet in dit document",
    generated="Gemaakt op",
    theme="Thema",
    school="School",
    period="Periode",
    version_of="Versie",
    contents="Inhoud",
    page="pagina {page} van {pages}",
    withheld="Niet in deze versie",
    legend="Zo lees je deze tabel",
    new_practice="Nieuwe werkwijze",
    anonymous="Anoniem",
)

SECTION_HEADINGS = [
    "Leden",
    "Gedeelde praktijkvraag",
    "Individuele praktijkvragen",
    "Ontwikkeling",
    "Kwaliteiten",
    "Profielen",
    "Leeslijst",
    "Bijeenkomsten",
    "Afspraken en praktijken",
    "Nog niet in dit document",
]


def _png(colour: str) -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 24), colour).save(out, format="PNG")
    return out.getvalue()


def _full(version_label: str = "Privéversie van de CoP") -> CollectionDocument:
    return CollectionDocument(
        title="Verzameldocument",
        version_label=version_label,
        version_note="vertrouwelijk",
        generated="23 november 2026",
        language="nl-NL",
        cop_name="CoP Rekenen",
        theme="Rekenen | begrijpend lezen",
        school="De Regenboog",
        period="september \u2013 november 2026",
        members=[
            Person(name="Anna", role="Facilitator", title="De verbinder"),
            Person(name=TRICKY, role="Lid"),
        ],
        shared_issue=[
            IssueVersion(
                version=1,
                text="Hoe differentieer ik?",
                status="concept",
                date="1 okt",
                agree=3,
                not_yet=1,
            ),
            IssueVersion(
                version=2,
                text="Hoe differentieer ik | binnen één les?",
                status="vastgesteld",
                date="8 okt",
                agree=5,
                not_yet=0,
            ),
        ],
        individual_issues=[
            IndividualIssue(
                author="Anna",
                meeting="1",
                text=f"Regel één\nRegel twee {TRICKY}",
                reflection="*not bold*",
                code="I/E",
            ),
            IndividualIssue(author=None, meeting="2", text=f"Bel\x07 {SCRIPT}"),
        ],
        development_header=["I/E", "I/I", "S/E", "S/I"],
        development=[
            DevelopmentRow(meeting="1", shares=["50%", "25%", "25%", "0%"], total=4),
            DevelopmentRow(meeting="2", shares=["10%", "20%", "30%", "40%"], total=10),
        ],
        development_legend=["Individueel: over de eigen klas.", "Extern: buiten de school."],
        qualities=[
            QualityRow(
                member="Anna", quality="Geduld", named=3, used=2, examples=["les 1", "les 2"]
            ),
        ],
        profiles=[Profile(member="Anna", title="De verbinder", qualities=[("Geduld", 3)])],
        reading=[
            ReadingEntry(
                source="Leren in netwerken",
                authors="Wenger",
                year="1998",
                link="javascript:alert(1)",
                shared_by="Anna",
                insights=[Insight(author=None, insight="Samen leren", practice="Elke week")],
            ),
            ReadingEntry(
                source="Artikel",
                authors="Jansen",
                year="2020",
                link="https://example.org/a?b=1&c=2",
                shared_by=None,
            ),
        ],
        meetings=[
            MeetingEntry(
                number=1,
                date="1 okt",
                status="gehouden",
                attendance="5/6",
                agenda=["Opening", "Vraag | kiezen"],
                notes=["Afspraak A"],
            ),
        ],
        agreements=[
            Agreement(
                text="Wekelijks observeren",
                status="loopt",
                owner="Anna",
                due="1 dec",
                practice=True,
                follow_up=["Besproken in bijeenkomst 2"],
            ),
        ],
        charts=[
            Chart(
                title="Ontwikkeling",
                png=_png("orange"),
                alt="Staafdiagram ontwikkeling",
                section="development",
            ),
            Chart(
                title="Kwaliteiten",
                png=_png("blue"),
                alt="Kwaliteiten per lid",
                section="qualities",
            ),
        ],
        missing=["Nog geen leesinzichten van iedereen"],
        labels=LABELS,
    )


def _empty() -> CollectionDocument:
    return CollectionDocument(
        title="Verzameldocument",
        version_label="Teamversie",
        generated="",
        language="nl-NL",
        intro="Deze CoP is net begonnen.",
        missing=["Leden", "Gedeelde praktijkvraag", "Bijeenkomsten"],
        labels=LABELS,
    )


# --- model ---------------------------------------------------------------------------------


def test_model_is_frozen_and_strict() -> None:
    doc = _full()
    with pytest.raises(ValidationError):
        doc.title = "x"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Person(name="a", role="b", nickname="c")  # type: ignore[call-arg]


def test_development_rows_must_match_header() -> None:
    with pytest.raises(ValidationError, match="shares"):
        CollectionDocument(
            title="t",
            version_label="v",
            generated="",
            language="nl",
            development_header=["A", "B"],
            development=[DevelopmentRow(meeting="1", shares=["1%"], total=1)],
            labels=LABELS,
        )


def test_model_round_trips_through_json_with_png_bytes() -> None:
    doc = _full()
    dumped = json.dumps(doc.model_dump(mode="json"))
    assert CollectionDocument.model_validate_json(dumped) == doc


# --- Word ----------------------------------------------------------------------------------


def _open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(BytesIO(data))


def test_docx_structure() -> None:
    word = _open_docx(render_docx(_full()))
    styles = [(p.style.name, p.text) for p in word.paragraphs]
    assert styles[:2] == [("Title", "Verzameldocument"), ("Subtitle", "CoP Rekenen")]
    headings = [text for style, text in styles if style.startswith("Heading 1")]
    assert headings == SECTION_HEADINGS
    # members, shared issue, development, qualities, agreements (the meeting log is text)
    assert len(word.tables) == 5
    assert word.tables[0].style.name == "Light Grid Accent 1"
    assert word.tables[0].cell(0, 0).text == "Naam"
    assert word.tables[0].cell(1, 2).text == "De verbinder"
    assert word.tables[2].cell(2, 4).text == "40%"
    assert len(word.inline_shapes) == 2
    header_flags = word.tables[4].rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert len(header_flags) == 1  # long tables repeat their header row on every page
    assert word.tables[4].rows[1]._tr.xpath("./w:trPr/w:tblHeader") == []
    assert word.tables[4].cell(0, 0).paragraphs[0].runs[0].bold
    assert word.tables[4].cell(1, 0).text == "Wekelijks observeren\n\u2713 Nieuwe werkwijze"
    assert word.core_properties.title == "Verzameldocument: CoP Rekenen"
    assert word.core_properties.language == "nl-NL"


def test_docx_title_page_has_the_facts_and_the_contents() -> None:
    word = _open_docx(render_docx(_full()))
    texts = [p.text for p in word.paragraphs]
    first_heading = next(i for i, p in enumerate(word.paragraphs) if p.style.name == "Heading 1")
    title_page = texts[:first_heading]
    for fact in (
        "School: De Regenboog",
        "Thema: Rekenen | begrijpend lezen",
        "Periode: september \u2013 november 2026",
        "Versie: Privéversie van de CoP \u2013 vertrouwelijk",
        "Gemaakt op: 23 november 2026",
    ):
        assert fact in title_page
    contents = title_page[title_page.index("Inhoud") + 1 :]
    assert [t for t in contents if t] == SECTION_HEADINGS  # never empty before Word updates it
    body = word.element.body
    assert "TOC" in "".join(body.xpath(".//w:instrText/text()"))
    anchors = body.xpath(".//w:hyperlink/@w:anchor")
    assert set(anchors) == set(body.xpath(".//w:bookmarkStart/@w:name")) and len(anchors) == 10


def test_docx_footer_names_the_cop_the_version_and_the_page() -> None:
    word = _open_docx(render_docx(_full()))
    footer = word.sections[0].footer
    assert footer.paragraphs[0].text.startswith("CoP Rekenen \u00b7 Privéversie van de CoP \u00b7 ")
    instructions = [i.strip() for i in footer._element.xpath(".//w:fldSimple/@w:instr")]
    assert instructions == ["PAGE", "NUMPAGES"]
    # One paragraph with one set of properties: Word refuses a second w:pPr.
    assert [len(p._p.xpath("./w:pPr")) for p in footer.paragraphs] == [1]


def test_docx_proofing_language_is_set_on_the_styles() -> None:
    word = _open_docx(render_docx(_full()))
    styles = word.styles.element
    default = styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert default == ["nl-NL"]
    for name in ("Normal", "Heading 1", "Title", "List Bullet"):
        assert word.styles[name].element.xpath("./w:rPr/w:lang/@w:val") == ["nl-NL"]
    assert not word.settings.element.xpath("./w:proofState")  # Word proofs afresh


def test_docx_table_columns_are_sized_to_their_content() -> None:
    word = _open_docx(render_docx(_full()))
    for table in word.tables:
        grid = [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
        assert len(set(grid)) > 1, grid  # not all equal
        assert sum(grid) == 9638  # the text width of A4 with 2 cm margins
        assert table._tbl.xpath("./w:tblPr/w:tblLayout/@w:type") == ["fixed"]
        for row in table.rows:
            widths = [int(w) for w in row._tr.xpath("./w:tc/w:tcPr/w:tcW/@w:w")]
            assert widths == grid
    shared = [int(w) for w in word.tables[1]._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
    assert max(shared) == shared[1]  # the shared issue gets the width


def test_docx_leaves_empty_columns_out() -> None:
    doc = _full().model_copy(
        update={"agreements": [Agreement(text="Samen plannen", status="loopt")]}
    )
    word = _open_docx(render_docx(doc))
    assert [c.text for c in word.tables[4].rows[0].cells] == ["Afspraak", "Status"]


def test_docx_charts_sit_in_their_sections() -> None:
    word = _open_docx(render_docx(_full()))
    order: list[str] = []
    for block in word.iter_inner_content():
        if isinstance(block, docx.table.Table):
            order.append("table")
        elif block.style is not None and block.style.name == "Heading 1":
            order.append(block.text)
        elif block._p.xpath(".//pic:pic"):
            order.append("chart")
    development = order.index("Ontwikkeling")
    qualities = order.index("Kwaliteiten")
    assert order[development : development + 3] == ["Ontwikkeling", "table", "chart"]
    assert order[qualities : qualities + 3] == ["Kwaliteiten", "table", "chart"]


def test_docx_meeting_log_is_text_not_a_table() -> None:
    word = _open_docx(render_docx(_full()))
    texts = [(p.style.name, p.text) for p in word.paragraphs]
    assert ("Heading 2", "Bijeenkomst 1 \u00b7 1 okt") in texts
    assert ("List Bullet", "Vraag | kiezen") in texts
    assert ("List Bullet", "Afspraak A") in texts


def test_docx_version_label_on_first_page() -> None:
    for label in ("Privéversie van de CoP", "Teamversie"):
        word = _open_docx(render_docx(_full(label)))
        first_page = [p.text for p in word.paragraphs[:8]]
        assert any(label in text for text in first_page)


def test_docx_member_text_round_trips() -> None:
    word = _open_docx(render_docx(_full()))
    assert word.tables[0].cell(2, 0).text == TRICKY
    texts = [p.text for p in word.paragraphs]
    assert f"Regel één\nRegel twee {TRICKY}" in texts
    # The bell character is dropped instead of crashing the export.
    assert f"Bel {SCRIPT}" in texts


def test_docx_chart_alt_text() -> None:
    word = _open_docx(render_docx(_full()))
    descriptions = [shape._inline.docPr.get("descr") for shape in word.inline_shapes]
    assert descriptions == ["Staafdiagram ontwikkeling", "Kwaliteiten per lid"]


def test_docx_strips_every_xml_invalid_character() -> None:
    nasty = "".join(chr(c) for c in range(32)) + "\ufffe\uffff" + "ok"
    doc = _full().model_copy(update={"title": nasty, "members": [Person(name=nasty, role="x")]})
    word = _open_docx(render_docx(doc))
    assert word.paragraphs[0].text == "\t\n\nok"  # tab, LF and CR (as LF) are kept
    assert word.tables[0].cell(1, 0).text == "\t\n\nok"


# --- HTML ----------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str]] = []
        self.text: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in {"h1", "h2"}:
            self._open = tag
            self.headings.append((tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)

    def named(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag == name]


def _parse(page: str) -> _Collector:
    parser = _Collector()
    parser.feed(page)
    parser.close()
    return parser


def test_html_structure() -> None:
    page = render_html(_full())
    assert page.startswith("<!DOCTYPE html>")
    parsed = _parse(page)
    assert parsed.named("html") == [{"lang": "nl-NL"}]
    assert parsed.headings[0] == ("h1", "Verzameldocument")
    assert [text for tag, text in parsed.headings if tag == "h2"] == SECTION_HEADINGS
    assert len(parsed.named("table")) == 5
    assert len(parsed.named("th")) == 3 + 5 + 6 + 5 + 5
    widths = [c["style"] for c in parsed.named("col")]
    assert len(widths) == 3 + 5 + 6 + 5 + 5 and len(set(widths)) > 5
    contents = [a["href"] for a in parsed.named("a")][:3]
    assert contents == ["#members", "#shared_issue", "#individual_issues"]
    images = parsed.named("img")
    assert len(images) == 2
    assert all((img["src"] or "").startswith("data:image/png;base64,") for img in images)
    assert images[0]["alt"] == "Staafdiagram ontwikkeling"
    png = base64.b64decode((images[0]["src"] or "").split(",", 1)[1])
    assert png == _full().charts[0].png
    assert not parsed.named("link") and not any(a.get("src") for a in parsed.named("script"))


def test_html_escapes_member_text() -> None:
    page = render_html(_full())
    parsed = _parse(page)
    assert parsed.named("script") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = "".join(parsed.text)
    assert TRICKY in text  # "<b>&amp;" comes back as literal text
    assert f"Bel {SCRIPT}" in text
    assert "\x07" not in page
    assert "b" not in {tag for tag, _ in parsed.tags}


def test_html_links_only_for_web_urls() -> None:
    parsed = _parse(render_html(_full()))
    hrefs = [a["href"] for a in parsed.named("a") if not (a["href"] or "").startswith("#")]
    assert hrefs == ["https://example.org/a?b=1&c=2"]
    assert "javascript:alert(1)" in "".join(parsed.text)


def test_html_version_label() -> None:
    for label in ("Privéversie van de CoP", "Teamversie"):
        assert label in "".join(_parse(render_html(_full(label))).text)


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_structure() -> None:
    text = render_markdown(_full())
    lines = text.splitlines()
    assert lines[0] == "# Verzameldocument"
    assert [line[3:] for line in lines if line.startswith("## ")] == SECTION_HEADINGS
    assert "| Naam | Rol | Titel |" in lines
    assert "| 2 | Hoe differentieer ik \\| binnen één les? | vastgesteld; 8 okt | 5 | 0 |" in lines
    assert "### Bijeenkomst 1 · 1 okt" in lines
    assert "- Vraag \\| kiezen" in lines
    assert "![Staafdiagram ontwikkeling](charts/chart-1.png)" in lines
    assert "**Link:** <https://example.org/a?b=1&c=2>" in lines
    assert "**Link:** javascript:alert(1)" in lines
    assert "- **Anna** (De verbinder): Geduld (3)" in lines
    # The issue's header line and its text are separate paragraphs.
    assert "**Anna** · Bijeenkomst 1 · *I/E*\n\nRegel één\\\nRegel twee" in text
    # Charts sit under their tables, not in a section of their own at the end.
    assert (
        lines.index("## Ontwikkeling")
        < lines.index("![Staafdiagram ontwikkeling](charts/chart-1.png)")
        < lines.index("## Kwaliteiten")
    )


def test_markdown_escapes_member_text() -> None:
    text = render_markdown(_full())
    assert "\\*not bold\\*" in text
    assert "*not bold*" not in text.replace("\\*not bold\\*", "")
    assert "\\<b\\>\\&amp; 🎉 שלום עולם" in text
    assert "Regel één\\\nRegel twee" in text  # a hard line break, not a new paragraph
    assert "\x07" not in text


def test_escape_markdown_neutralises_block_syntax() -> None:
    assert escape_markdown("# kop") == "\\# kop"
    assert escape_markdown("1. lijst") == "1\\. lijst"
    assert escape_markdown("- punt\n\n    code") == "\\- punt code"
    assert escape_markdown("[x](javascript:y)") == "\\[x\\](javascript:y)"


def test_escape_markdown_leaves_plain_punctuation_alone() -> None:
    assert escape_markdown("Stap 1 (zie boven) - dan: 2+2=4!") == "Stap 1 (zie boven) - dan: 2+2=4!"


def test_markdown_version_label() -> None:
    for label in ("Privéversie van de CoP", "Teamversie"):
        assert f"**Versie:** {label} \u2013 vertrouwelijk" in render_markdown(_full(label))


def test_markdown_bundle_and_zip() -> None:
    doc = _full()
    bundle = render_markdown_bundle(doc)
    assert sorted(bundle) == ["charts/chart-1.png", "charts/chart-2.png", "document.md"]
    assert bundle["charts/chart-2.png"] == doc.charts[1].png
    data = render_markdown_zip(doc)
    assert data == render_markdown_zip(doc)  # deterministic
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert archive.read("document.md") == bundle["document.md"]


# --- empty document ------------------------------------------------------------------------


def test_empty_document_renders_in_every_format() -> None:
    doc = _empty()
    word = _open_docx(render_docx(doc))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "Verzameldocument"
    assert "Versie: Teamversie" in texts
    assert "Deze CoP is net begonnen." in texts
    assert {"Leden", "Gedeelde praktijkvraag", "Bijeenkomsten"} <= set(texts)
    assert not word.tables and not word.inline_shapes
    assert [p.text for p in word.paragraphs if p.style.name.startswith("Heading")] == [
        "Nog niet in dit document"
    ]

    parsed = _parse(render_html(doc))
    assert parsed.headings == [("h1", "Verzameldocument"), ("h2", "Nog niet in dit document")]
    assert "Deze CoP is net begonnen." in "".join(parsed.text)
    assert len(parsed.named("li")) == 3 + 1  # the three, and the contents' one entry
    assert not parsed.named("table") and not parsed.named("img")

    text = render_markdown(doc)
    assert text.startswith("# Verzameldocument\n")
    assert "- Bijeenkomsten" in text and "Teamversie" in text
    assert "\n\n\n" not in text
    assert render_markdown_bundle(doc).keys() == {"document.md"}


def test_team_version_says_what_is_withheld() -> None:
    withheld = ["3 kwaliteiten horen bij leden die niet bij naam genoemd worden."]
    doc = _full("Teamversie").model_copy(update={"withheld": withheld, "missing": []})
    texts = [p.text for p in _open_docx(render_docx(doc)).paragraphs]
    assert "Niet in deze versie" in texts and withheld[0] in texts
    assert "Nog niet in dit document" not in texts
    assert withheld[0] in "".join(_parse(render_html(doc)).text)
    assert withheld[0] in render_markdown(doc)


LONG = ("<&" + "🎉" + "שלום " + "x" * 60 + " ") * 60  # 4,096 characters and more


def test_a_4096_character_name_stays_escaped_and_inside_the_page() -> None:
    long = LONG[:4096]
    doc = _full().model_copy(
        update={
            "cop_name": long,
            "members": [Person(name=long, role="Lid")],
            "shared_issue": [
                IssueVersion(version=1, text=long, status="x", date="1 okt", agree=1, not_yet=0)
            ],
            "qualities": [QualityRow(member=long, quality=long, named=1, used=0)],
        }
    )
    word = _open_docx(render_docx(doc))
    assert word.paragraphs[1].text == long
    assert word.tables[0].cell(1, 0).text == long
    footer = word.sections[0].footer.paragraphs[0].text
    assert len(footer) < 200 and footer.startswith(long.split()[0][:10])  # cut, with "…"
    for table in word.tables:  # a long word cannot take the whole table
        grid = [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]
        assert sum(grid) == 9638 and min(grid) > 500
    page = render_html(doc)
    assert "<&" not in page and "&lt;&amp;" in page
    assert "overflow-wrap: anywhere" in page
    assert long in "".join(_parse(page).text)


def test_package_is_pure_rendering() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bot.render.documents; "
        "bad = [m for m in sys.modules if m.split('.')[0] in {'telegram', 'handlers', 'storage'}"
        " or m.startswith('bot.services')]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_html_lines_of_one_value_are_escaped_and_broken_not_bulleted() -> None:
    version = IssueVersion(version=1, text="x", status="<b>&", date="1 okt", agree=1, not_yet=0)
    page = render_html(_full().model_copy(update={"shared_issue": [version]}))
    assert '<td dir="auto">&lt;b&gt;&amp;<br>1 okt</td>' in page
    assert "Wekelijks observeren<br>\u2713 Nieuwe werkwijze" in page


def test_column_shares_give_every_word_room_and_the_main_column_the_rest() -> None:
    from bot.render.documents._common import column_shares

    headers = ["Versie", "Gezamenlijk vraagstuk", "Status", "Eens", "Nog niet"]
    rows = [["2", "Hoe herkennen wij als team vroeg de signalen van boos gedrag?", "aangenomen",
             "3", "0"]]  # fmt: skip
    shares = column_shares(headers, rows, line=80, main=1)
    assert abs(sum(shares) - 1) < 1e-9
    chars = [share * 80 for share in shares]
    for column, word in ((0, "Versie"), (2, "aangenomen"), (3, "Eens"), (4, "niet")):
        assert chars[column] >= len(word) + 2, (word, chars)  # never "aangenome|n"
    assert max(chars) == chars[1]
    # A 4,096-character "word" does not take the room of the other column's words.
    huge = column_shares(["A", "B"], [["x" * 4096, "kort"]], line=80)
    assert huge[1] * 80 >= len("kort") + 2
