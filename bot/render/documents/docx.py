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
* Speed: python-docx's convenience API is quadratic for long documents (every
  ``add_paragraph`` searches the whole body for ``w:sectPr``; every styled paragraph scans all
  styles for the default one). A CoP with 3,000 contributions took over 2 s. So python-docx
  builds the skeleton (page, styles, tables, pictures) and the many paragraphs, runs and table
  rows are created here directly as WordprocessingML elements (``_Body``): the same XML
  python-docx would write, built in linear time.
* Memory: a CoP's whole cycle can be tens of thousands of paragraphs, and an lxml tree holds
  each in several kilobytes (525 MB at 16x the benchmark CoP). So the body is streamed:
  each finished paragraph, table or picture is serialised at once into a spooled file (on
  disk beyond a few MB) and leaves the tree; python-docx saves the package with an empty
  body, and the saved ``word/document.xml`` gets the streamed body spliced in before its
  final ``w:sectPr``. Only one element at a time is ever a tree.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from io import BytesIO
from typing import IO

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import nsmap, qn
from docx.shared import Cm
from lxml import etree

from bot.render.documents._common import clean, present_sections
from bot.render.documents.model import CollectionDocument, Labels

__all__ = ["TABLE_STYLE", "render_docx"]

TABLE_STYLE = "Light Grid Accent 1"
CHART_WIDTH = Cm(15)

Cell = str | Sequence[str]
Run = tuple[str, str]  # (text, format): format is "" (plain), "b" (bold) or "i" (italic)

_W_P, _W_R, _W_T, _W_BR, _W_TAB = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:br"), qn("w:tab")
_W_PPR, _W_PSTYLE, _W_RPR, _W_VAL = qn("w:pPr"), qn("w:pStyle"), qn("w:rPr"), qn("w:val")
_W_TR, _W_TRPR, _W_TC, _W_TCPR, _W_TCW = (
    qn("w:tr"),
    qn("w:trPr"),
    qn("w:tc"),
    qn("w:tcPr"),
    qn("w:tcW"),
)
_W_TYPE, _W_W = qn("w:type"), qn("w:w")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_FORMAT_TAGS = {"b": qn("w:b"), "i": qn("w:i")}
_STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "Caption")
_W_NSMAP = {"w": nsmap["w"]}
_DOCUMENT_PART = "word/document.xml"
_SPOOL_BYTES = 4 * 1024 * 1024  # the streamed body stays in memory up to this, then disk


def render_docx(doc: CollectionDocument) -> bytes:
    """Renders ``doc`` as a .docx file and returns its bytes."""
    word = Document()
    _page_setup(word)
    _metadata(word, doc)
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
        return _render(_Body(word, spool), doc)


def _render(out: _Body, doc: CollectionDocument) -> bytes:
    """The title block, then every section present; the body streams into `out`."""
    labels = doc.labels

    out.para([(clean(doc.title), "")], "Title")
    if doc.cop_name:
        out.para([(clean(doc.cop_name), "")], "Subtitle")
    first: list[Run] = [(clean(doc.version_label), "b")]
    if doc.generated:
        first.append((f" · {clean(labels.generated)}: {clean(doc.generated)}", ""))
    out.para(first)
    if doc.theme:
        out.labelled(labels.theme, doc.theme)
    if doc.missing:
        out.para([(clean(labels.missing), "b")])
        for item in doc.missing:
            out.para([(clean(item), "")], "List Bullet")

    for section in present_sections(doc):
        _SECTIONS[section](out, doc, labels)
    return out.save()


# --- sections ------------------------------------------------------------------------------


def _members(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.members)
    out.table(
        [labels.name, labels.role, labels.title],
        [[m.name, m.role, m.title or ""] for m in doc.members],
    )


def _shared_issue(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.shared_issue)
    out.table(
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


def _individual_issues(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.individual_issues)
    for issue in doc.individual_issues:
        head: list[Run] = [
            (clean(issue.author or labels.anonymous), "b"),
            (f" · {clean(labels.meeting)}: {clean(issue.meeting)}", ""),
        ]
        if issue.code:
            head.append((f" · {clean(labels.code)}: {clean(issue.code)}", ""))
        out.para(head)
        out.para([(clean(issue.text), "")])
        if issue.reflection:
            out.para([(f"{clean(labels.reflection)}: ", "i"), (clean(issue.reflection), "i")])


def _development(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.development)
    out.table(
        [labels.meeting, *doc.development_header, labels.total],
        [[row.meeting, *row.shares, str(row.total)] for row in doc.development],
    )
    if doc.development_legend:
        out.para([(clean(doc.development_legend), "")], "Caption")


def _qualities(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.qualities)
    out.table(
        [labels.name, labels.quality, labels.named, labels.used, labels.examples],
        [[q.member, q.quality, str(q.named), str(q.used), q.examples] for q in doc.qualities],
    )


def _profiles(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.profiles)
    for profile in doc.profiles:
        runs: list[Run] = [(clean(profile.member), "b")]
        if profile.title:
            runs.append((f" ({clean(profile.title)})", ""))
        if profile.qualities:
            listed = ", ".join(f"{clean(q)} ({n})" for q, n in profile.qualities)
            runs.append((f": {listed}", ""))
        out.para(runs)


def _reading(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.reading)
    for entry in doc.reading:
        out.heading(entry.source, level=2)
        byline = ", ".join(part for part in (clean(entry.authors), clean(entry.year)) if part)
        if byline:
            out.para([(byline, "")])
        if entry.link:
            out.labelled(labels.link, entry.link)
        if entry.shared_by:
            out.labelled(labels.shared_by, entry.shared_by)
        for insight in entry.insights:
            runs: list[Run] = [
                (clean(insight.author or labels.anonymous), "b"),
                (f": {clean(insight.insight)}", ""),
            ]
            if insight.practice:
                runs += [(f"\n{clean(labels.practice)}: ", "i"), (clean(insight.practice), "")]
            out.para(runs, "List Bullet")


def _meetings(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.meetings)
    out.table(
        ["#", labels.date, labels.status, labels.attendance, labels.agenda, labels.notes],
        [[str(m.number), m.date, m.status, m.attendance, m.agenda, m.notes] for m in doc.meetings],
    )


def _agreements(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.agreements)
    out.table(
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


def _charts(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.charts)
    for chart in doc.charts:
        out.heading(chart.title, level=2)
        out.picture(chart.png, alt=chart.alt, title=chart.title)


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


class _Body:
    """Appends paragraphs, tables and pictures to the document body in linear time.

    Every element is inserted just before the body's final ``w:sectPr`` (kept as a reference,
    instead of searched for each time). Callers pass already ``clean``-ed run text.
    """

    def __init__(self, word: WordDocument, spool: IO[bytes]) -> None:
        self._word = word
        self._style_ids = {name: word.styles[name].style_id for name in _STYLES}
        self._table_style = word.styles[TABLE_STYLE]
        self._body = spool  # the serialised body, in order

    @staticmethod
    def _detach(element: etree._Element) -> None:
        parent = element.getparent()
        if parent is not None:  # made by python-docx inside the body: take it out again
            parent.remove(element)

    def _append(self, element: etree._Element) -> None:
        """Serialises a finished body element and lets it go (see the module's "Memory")."""
        self._detach(element)
        self._body.write(etree.tostring(element, encoding="UTF-8", xml_declaration=False))

    def save(self) -> bytes:
        """The package python-docx saves (with an empty body), the streamed body spliced in."""
        package = BytesIO()
        self._word.save(package)
        out = BytesIO()
        with (
            zipfile.ZipFile(package) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                data = source.read(info)
                if info.filename != _DOCUMENT_PART:
                    target.writestr(info, data)
                    continue
                cut = data.rindex(b"<w:sectPr")  # the body's own section properties
                with target.open(_DOCUMENT_PART, "w") as part:
                    part.write(data[:cut])
                    self._body.seek(0)
                    shutil.copyfileobj(self._body, part)
                    part.write(data[cut:])
        return out.getvalue()

    def para(self, runs: Sequence[Run], style: str | None = None) -> None:
        self._append(_paragraph(runs, self._style_ids[style] if style else None))

    def heading(self, text: str, level: int = 1) -> None:
        self.para([(clean(text), "")], f"Heading {level}")

    def labelled(self, label: str, value: str) -> None:
        """A "**label:** value" paragraph."""
        self.para([(f"{clean(label)}: ", "b"), (clean(value), "")])

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
        """A styled table: bold header row repeated on each page, one paragraph per list item."""
        table = self._word.add_table(rows=0, cols=len(headers))
        table.style = self._table_style
        tbl = table._tbl  # python-docx made tblPr/tblGrid; rows are built here (see module doc)
        # Out of the tree while it is small: lxml re-homes every node of a subtree it removes
        # (2.3 s for the agreements table at 4x), and the rows need no tree to be serialised.
        self._detach(tbl)
        widths = [
            str(col.w.twips) if col.w is not None else None for col in tbl.tblGrid.gridCol_lst
        ]
        tbl.append(_row([[clean(h)] for h in headers], widths, header=True))
        # Row by row into the stream: a table of thousands of rows is never one tree.
        head = etree.tostring(tbl, encoding="UTF-8", xml_declaration=False)
        end = head.rindex(b"</w:tbl>")
        self._body.write(head[:end])
        for values in rows:
            cells = [[clean(v)] if isinstance(v, str) else [clean(x) for x in v] for v in values]
            row = _row(cells, widths, header=False)
            self._body.write(etree.tostring(row, encoding="UTF-8", xml_declaration=False))
        self._body.write(head[end:])

    def picture(self, png: bytes, *, alt: str, title: str) -> None:
        shape = self._word.add_picture(BytesIO(png), width=CHART_WIDTH)
        doc_pr = shape._inline.docPr  # no public API for the picture's description (alt text)
        doc_pr.set("descr", clean(alt))
        doc_pr.set("title", clean(title))
        paragraph = shape._inline.getparent()  # w:drawing, in a w:r, in the body's new w:p
        while paragraph is not None and paragraph.tag != _W_P:
            paragraph = paragraph.getparent()
        assert paragraph is not None
        self._append(paragraph)


def _paragraph(runs: Sequence[Run], style_id: str | None = None) -> etree._Element:
    """``w:p`` with an optional paragraph style and the given runs."""
    p = etree.Element(_W_P, nsmap=_W_NSMAP)
    if style_id:
        p_pr = etree.SubElement(p, _W_PPR)
        etree.SubElement(p_pr, _W_PSTYLE).set(_W_VAL, style_id)
    for text, fmt in runs:
        if text:
            _run(p, text, fmt)
    return p


def _run(parent: etree._Element, text: str, fmt: str) -> None:
    """``w:r``; newlines become ``w:br`` and tabs ``w:tab`` (as python-docx's run.text does)."""
    r = etree.SubElement(parent, _W_R)
    if fmt:
        etree.SubElement(etree.SubElement(r, _W_RPR), _FORMAT_TAGS[fmt])
    for line_no, line in enumerate(text.split("\n")):
        if line_no:
            etree.SubElement(r, _W_BR)
        for part_no, part in enumerate(line.split("\t")):
            if part_no:
                etree.SubElement(r, _W_TAB)
            if part:
                t = etree.SubElement(r, _W_T)
                t.text = part
                t.set(_XML_SPACE, "preserve")


def _row(
    cells: Sequence[Sequence[str]], widths: Sequence[str | None], *, header: bool
) -> etree._Element:
    """``w:tr`` whose cells hold one paragraph per string (bold in the header row)."""
    tr = etree.Element(_W_TR, nsmap=_W_NSMAP)
    if header:  # repeat this row at the top of every page the table spans
        etree.SubElement(etree.SubElement(tr, _W_TRPR), qn("w:tblHeader")).set(_W_VAL, "true")
    for paragraphs, width in zip(cells, widths, strict=True):
        tc = etree.SubElement(tr, _W_TC)
        if width is not None:
            tc_w = etree.SubElement(etree.SubElement(tc, _W_TCPR), _W_TCW)
            tc_w.set(_W_W, width)
            tc_w.set(_W_TYPE, "dxa")
        for text in paragraphs or [""]:  # a cell must contain at least one paragraph
            tc.append(_paragraph([(text, "b" if header else "")]))
    return tr


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
