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
    notes="Afspraken",
    agreements="Afspraken en praktijken",
    owner="Eigenaar",
    due="Deadline",
    follow_up="Opvolging",
    charts="Grafieken",
    missing="Nog niet beschikbaar",
    generated="Gemaakt op",
    theme="Thema",
    new_practice="Nieuwe praktijk",
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
    "Grafieken",
]


def _png(colour: str) -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 24), colour).save(out, format="PNG")
    return out.getvalue()


def _full(version_label: str = "Privéversie van de CoP") -> CollectionDocument:
    return CollectionDocument(
        title="Verzameldocument CoP Rekenen",
        version_label=version_label,
        generated="23 november 2026",
        language="nl",
        cop_name="CoP Rekenen",
        theme="Rekenen | begrijpend lezen",
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
        development_legend="I = individueel, S = gedeeld; E = extern, I = intern",
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
            Chart(title="Ontwikkeling", png=_png("orange"), alt="Staafdiagram ontwikkeling"),
            Chart(title="Kwaliteiten", png=_png("blue"), alt="Kwaliteiten per lid"),
        ],
        missing=["Nog geen leesinzichten van iedereen"],
        labels=LABELS,
    )


def _empty() -> CollectionDocument:
    return CollectionDocument(
        title="Verzameldocument",
        version_label="Teamversie",
        generated="",
        language="nl",
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
    assert styles[0] == ("Title", "Verzameldocument CoP Rekenen")
    headings = [text for style, text in styles if style.startswith("Heading 1")]
    assert headings == SECTION_HEADINGS
    # members, shared issue, development, qualities, meetings, agreements
    assert len(word.tables) == 6
    assert word.tables[0].style.name == "Light Grid Accent 1"
    assert word.tables[0].cell(0, 0).text == "Naam"
    assert word.tables[0].cell(1, 2).text == "De verbinder"
    assert word.tables[2].cell(2, 4).text == "40%"
    assert word.tables[4].cell(1, 4).text == "Opening\nVraag | kiezen"
    assert len(word.inline_shapes) == 2
    header_flags = word.tables[5].rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert len(header_flags) == 1  # long tables repeat their header row on every page
    assert word.tables[5].rows[1]._tr.xpath("./w:trPr/w:tblHeader") == []
    assert word.tables[5].cell(0, 0).paragraphs[0].runs[0].bold
    assert word.core_properties.title == "Verzameldocument CoP Rekenen"
    assert word.core_properties.language == "nl"


def test_docx_version_label_on_first_page() -> None:
    for label in ("Privéversie van de CoP", "Teamversie"):
        word = _open_docx(render_docx(_full(label)))
        first_page = [p.text for p in word.paragraphs[:4]]
        assert any(label in text and "23 november 2026" in text for text in first_page)


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
    assert parsed.named("html") == [{"lang": "nl"}]
    assert parsed.headings[0] == ("h1", "Verzameldocument CoP Rekenen")
    assert [text for tag, text in parsed.headings if tag == "h2"] == SECTION_HEADINGS
    assert len(parsed.named("table")) == 6
    assert len(parsed.named("th")) == 3 + 6 + 6 + 5 + 6 + 6
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
    hrefs = [a["href"] for a in parsed.named("a")]
    assert hrefs == ["https://example.org/a?b=1&c=2"]
    assert "javascript:alert(1)" in "".join(parsed.text)


def test_html_version_label() -> None:
    for label in ("Privéversie van de CoP", "Teamversie"):
        assert label in "".join(_parse(render_html(_full(label))).text)


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_structure() -> None:
    text = render_markdown(_full())
    lines = text.splitlines()
    assert lines[0] == "# Verzameldocument CoP Rekenen"
    assert [line[3:] for line in lines if line.startswith("## ")] == SECTION_HEADINGS
    assert "| Naam | Rol | Titel |" in lines
    assert "| 2 | 8 okt | vastgesteld | 5 | 0 | Hoe differentieer ik \\| binnen één les? |" in lines
    assert "| 1 | 1 okt | gehouden | 5/6 | Opening; Vraag \\| kiezen | Afspraak A |" in lines
    assert "![Staafdiagram ontwikkeling](charts/chart-1.png)" in lines
    assert "**Link:** <https://example.org/a?b=1&c=2>" in lines
    assert "**Link:** javascript:alert\\(1\\)" in lines
    assert "- **Anna** (De verbinder): Geduld (3)" in lines
    # The issue's header line and its text are separate paragraphs.
    assert "**Anna** · Bijeenkomst: 1 · Code: I/E\n\nRegel één\\\nRegel twee" in text


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
    assert escape_markdown("[x](javascript:y)") == "\\[x\\]\\(javascript:y\\)"


def test_markdown_version_label() -> None:
    for label in ("Privéversie van de CoP", "Teamversie"):
        assert f"**{label}** · Gemaakt op: 23 november 2026" in render_markdown(_full(label))


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
    assert "Teamversie" in texts[1]
    assert {"Leden", "Gedeelde praktijkvraag", "Bijeenkomsten"} <= set(texts)
    assert not word.tables and not word.inline_shapes
    assert not [p for p in word.paragraphs if p.style.name.startswith("Heading")]

    parsed = _parse(render_html(doc))
    assert parsed.headings == [("h1", "Verzameldocument")]
    assert "Nog niet beschikbaar" in "".join(parsed.text)
    assert len(parsed.named("li")) == 3
    assert not parsed.named("table") and not parsed.named("img")

    text = render_markdown(doc)
    assert text.startswith("# Verzameldocument\n")
    assert "## " not in text
    assert "- Bijeenkomsten" in text and "Teamversie" in text
    assert "\n\n\n" not in text
    assert render_markdown_bundle(doc).keys() == {"document.md"}


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
