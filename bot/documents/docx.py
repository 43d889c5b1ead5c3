"""Word (.docx) renderer for the collection document.

Why it looks like this:

* Real Word structure (Title, Heading 1/2, tables with a built-in table style, bullet lists)
  so that teachers can navigate, restyle and edit the document in Word, and so that the
  navigation pane and a table of contents work.
* Member text is only ever added as run text: python-docx escapes XML itself, so ``<b>&amp;``
  stays literal. Characters XML 1.0 cannot hold are stripped first (``clean``) because lxml
  would otherwise raise and the whole export would fail over one pasted control character.
* Page size is A4 with 2 cm margins (Dutch schools print on A4); charts are 15 cm wide so they
  fit the 17 cm text width. Their ``alt`` text goes into the picture's description
  (``wp:docPr/@descr``), which Word reads out to screen-reader users.
* Header rows repeat on every page (``w:tblHeader``): the meeting and agreement tables of a
  long-running CoP span several pages.
* Core properties carry title, language and the version label; the template's defaults
  ("python-docx", a 2013 date) would otherwise end up in the file's metadata.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Cm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.documents._common import clean, present_sections
from bot.documents.model import CollectionDocument, Labels

__all__ = ["TABLE_STYLE", "render_docx"]

TABLE_STYLE = "Light Grid Accent 1"
CHART_WIDTH = Cm(15)

Cell = str | Sequence[str]


def render_docx(doc: CollectionDocument) -> bytes:
    """Renders ``doc`` as a .docx file and returns its bytes."""
    word = Document()
    _page_setup(word)
    _metadata(word, doc)
    labels = doc.labels

    word.add_heading(clean(doc.title), level=0)
    if doc.cop_name:
        word.add_paragraph(clean(doc.cop_name), style="Subtitle")
    first = word.add_paragraph()
    first.add_run(clean(doc.version_label)).bold = True
    if doc.generated:
        first.add_run(f" · {clean(labels.generated)}: {clean(doc.generated)}")
    if doc.theme:
        _labelled(word.add_paragraph(), labels.theme, doc.theme)
    if doc.missing:
        word.add_paragraph().add_run(clean(labels.missing)).bold = True
        for item in doc.missing:
            word.add_paragraph(clean(item), style="List Bullet")

    for section in present_sections(doc):
        _SECTIONS[section](word, doc, labels)

    out = BytesIO()
    word.save(out)
    return out.getvalue()


# --- sections ------------------------------------------------------------------------------


def _members(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.members), level=1)
    _table(
        word,
        [labels.name, labels.role, labels.title],
        [[m.name, m.role, m.title or ""] for m in doc.members],
    )


def _shared_issue(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.shared_issue), level=1)
    _table(
        word,
        [
            labels.version,
            labels.date,
            labels.status,
            labels.agree,
            labels.not_yet,
            labels.shared_issue,
        ],
        [
            [str(v.version), v.date, v.status, str(v.agree), str(v.not_yet), v.text]
            for v in doc.shared_issue
        ],
    )


def _individual_issues(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.individual_issues), level=1)
    for issue in doc.individual_issues:
        head = word.add_paragraph()
        head.add_run(clean(issue.author or labels.anonymous)).bold = True
        head.add_run(f" · {clean(labels.meeting)}: {clean(issue.meeting)}")
        if issue.code:
            head.add_run(f" · {clean(labels.code)}: {clean(issue.code)}")
        word.add_paragraph(clean(issue.text))
        if issue.reflection:
            para = word.add_paragraph()
            para.add_run(f"{clean(labels.reflection)}: ").italic = True
            para.add_run(clean(issue.reflection)).italic = True


def _development(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.development), level=1)
    _table(
        word,
        [labels.meeting, *doc.development_header, labels.total],
        [[row.meeting, *row.shares, str(row.total)] for row in doc.development],
    )
    if doc.development_legend:
        word.add_paragraph(clean(doc.development_legend), style="Caption")


def _qualities(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.qualities), level=1)
    _table(
        word,
        [labels.name, labels.quality, labels.named, labels.used, labels.examples],
        [[q.member, q.quality, str(q.named), str(q.used), q.examples] for q in doc.qualities],
    )


def _profiles(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.profiles), level=1)
    for profile in doc.profiles:
        para = word.add_paragraph()
        para.add_run(clean(profile.member)).bold = True
        if profile.title:
            para.add_run(f" ({clean(profile.title)})")
        if profile.qualities:
            listed = ", ".join(f"{clean(q)} ({n})" for q, n in profile.qualities)
            para.add_run(f": {listed}")


def _reading(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.reading), level=1)
    for entry in doc.reading:
        word.add_heading(clean(entry.source), level=2)
        byline = ", ".join(part for part in (clean(entry.authors), clean(entry.year)) if part)
        if byline:
            word.add_paragraph(byline)
        if entry.link:
            _labelled(word.add_paragraph(), labels.link, entry.link)
        if entry.shared_by:
            _labelled(word.add_paragraph(), labels.shared_by, entry.shared_by)
        for insight in entry.insights:
            para = word.add_paragraph(style="List Bullet")
            para.add_run(clean(insight.author or labels.anonymous)).bold = True
            para.add_run(f": {clean(insight.insight)}")
            if insight.practice:
                para.add_run(f"\n{clean(labels.practice)}: ").italic = True
                para.add_run(clean(insight.practice))


def _meetings(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.meetings), level=1)
    _table(
        word,
        ["#", labels.date, labels.status, labels.attendance, labels.agenda, labels.notes],
        [[str(m.number), m.date, m.status, m.attendance, m.agenda, m.notes] for m in doc.meetings],
    )


def _agreements(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.agreements), level=1)
    _table(
        word,
        [
            labels.agreements,
            labels.status,
            labels.owner,
            labels.due,
            labels.new_practice,
            labels.follow_up,
        ],
        [
            [a.text, a.status, a.owner or "", a.due or "", "✓" if a.practice else "", a.follow_up]
            for a in doc.agreements
        ],
    )


def _charts(word: WordDocument, doc: CollectionDocument, labels: Labels) -> None:
    word.add_heading(clean(labels.charts), level=1)
    for chart in doc.charts:
        word.add_heading(clean(chart.title), level=2)
        shape = word.add_picture(BytesIO(chart.png), width=CHART_WIDTH)
        doc_pr = shape._inline.docPr  # no public API for the picture's description (alt text)
        doc_pr.set("descr", clean(chart.alt))
        doc_pr.set("title", clean(chart.title))


_SECTIONS = {
    "members": _members,
    "shared_issue": _shared_issue,
    "individual_issues": _individual_issues,
    "development": _development,
    "qualities": _qualities,
    "profiles": _profiles,
    "reading": _reading,
    "meetings": _meetings,
    "agreements": _agreements,
    "charts": _charts,
}


# --- helpers -------------------------------------------------------------------------------


def _page_setup(word: WordDocument) -> None:
    """A4 with 2 cm margins: the paper Dutch schools print on (the template is US Letter)."""
    for section in word.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)


def _metadata(word: WordDocument, doc: CollectionDocument) -> None:
    props = word.core_properties
    props.title = clean(doc.title)[:255]
    props.subject = clean(doc.version_label)[:255]
    props.language = clean(doc.language)[:64]
    props.author = props.last_modified_by = "copbot"
    props.comments = ""


def _labelled(para: Paragraph, label: str, value: str) -> None:
    """Writes "**label:** value" into ``para``."""
    para.add_run(f"{clean(label)}: ").bold = True
    para.add_run(clean(value))


def _table(word: WordDocument, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> Table:
    """Adds a styled table: bold, page-repeating header row, one paragraph per list item."""
    table = word.add_table(rows=1, cols=len(headers))
    table.style = word.styles[TABLE_STYLE]
    header = table.rows[0]
    _repeat_as_header(header._tr)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.paragraphs[0].add_run(clean(text)).bold = True
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _fill(cell, value)
    return table


def _fill(cell: _Cell, value: Cell) -> None:
    """Puts a string, or a list of strings (one paragraph each), into an empty cell."""
    if isinstance(value, str):
        if value:
            cell.paragraphs[0].add_run(clean(value))
        return
    for index, item in enumerate(value):
        para = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        para.add_run(clean(item))


def _repeat_as_header(tr: CT_Row) -> None:
    """Marks a row as header row so Word repeats it at the top of every page."""
    tr_pr = tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)
