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

import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from io import BytesIO
from typing import IO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import nsmap, qn
from docx.shared import Cm
from lxml import etree

from bot.render.documents._common import (
    Cell,
    agreements_table,
    charts_of,
    clean,
    column_shares,
    drop_empty_columns,
    footer_name,
    present_sections,
    shared_issue_table,
    title_facts,
)
from bot.render.documents.model import CollectionDocument, Labels

__all__ = ["TABLE_STYLE", "render_docx"]

TABLE_STYLE = "Light Grid Accent 1"
CHART_WIDTH = Cm(15)
BODY_FONT = "Calibri"

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
_TEXT_WIDTH_TWIPS = 9638  # 17 cm: A4 less two 2 cm margins
_TABLE_SIZE = 20  # half-points: tables in 10 pt, body text 11 pt
_TABLE_LINE = 80  # characters of 10 pt text across the table (see `column_shares`)
_FOOTER_SIZE = 16  # 8 pt


def render_docx(doc: CollectionDocument) -> bytes:
    """Renders ``doc`` as a .docx file and returns its bytes."""
    word = Document()
    _page_setup(word)
    _metadata(word, doc)
    _proofing_language(word, doc.language)
    _footer(word, doc)
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
        return _render(_Body(word, spool), doc)


def _render(out: _Body, doc: CollectionDocument) -> bytes:
    """The title page with its contents, then every section present, each with its charts;
    the body streams into `out`."""
    labels = doc.labels
    sections = present_sections(doc)
    closing = labels.still_to_come if doc.missing else ""

    out.para([(clean(doc.title), "")], "Title")
    if doc.cop_name:
        out.para([(clean(doc.cop_name), "")], "Subtitle")
    for label, value in title_facts(doc):
        out.labelled(label, value)
    if doc.intro:
        out.para([(clean(doc.intro), "")])
    if doc.withheld:
        out.para([(clean(labels.withheld), "b")])
        for sentence in doc.withheld:
            out.para([(clean(sentence), "")], "List Bullet")
    headings = [getattr(labels, name) for name in sections] + ([closing] if closing else [])
    if headings:
        out.contents(labels.contents, headings)

    for number, section in enumerate(sections):
        if number == 0:
            out.page_break()  # the title page and its contents stand on their own
        _SECTIONS[section](out, doc, labels)
        for chart in charts_of(doc, section):  # the chart has its title in the image
            out.picture(chart.png, alt=chart.alt, title=chart.title)
        if section == "development" and doc.development_legend:
            out.para([(clean(labels.legend), "b")], keep_next=True)
            for line in doc.development_legend:
                out.para([(clean(line), "")], "List Bullet")
    if closing:
        if not sections:
            out.page_break()
        out.heading(closing)
        for item in doc.missing:
            out.para([(clean(item), "")], "List Bullet")
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
    out.table(*shared_issue_table(doc, labels), main=1)


def _individual_issues(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.individual_issues)
    for issue in doc.individual_issues:
        head: list[Run] = [
            (clean(issue.author or labels.anonymous), "b"),
            (f" \u00b7 {clean(labels.meeting)} {clean(issue.meeting)}", ""),
        ]
        if issue.code:
            head.append((f" \u00b7 {clean(issue.code)}", "i"))
        out.para(head, keep_next=True)
        out.para([(clean(issue.text), "")])
        if issue.reflection:
            out.para([(f"{clean(labels.reflection)}: ", "i"), (clean(issue.reflection), "i")])


def _development(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.development)
    out.table(
        [labels.meeting, *doc.development_header, labels.total],
        [[row.meeting, *row.shares, str(row.total)] for row in doc.development],
        main=None,
    )


def _qualities(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.qualities)
    out.table(
        [labels.name, labels.quality, labels.named, labels.used, labels.examples],
        [[q.member, q.quality, str(q.named), str(q.used), q.examples] for q in doc.qualities],
        main=4,
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
        if byline:  # a source's lines stay with its first insight, not alone on a page
            out.para([(byline, "")], keep_next=True)
        if entry.link and entry.link != entry.source:
            out.labelled(labels.link, entry.link, keep_next=True)
        if entry.shared_by:
            out.labelled(labels.shared_by, entry.shared_by, keep_next=True)
        for insight in entry.insights:
            runs: list[Run] = [
                (clean(insight.author or labels.anonymous), "b"),
                (f": {clean(insight.insight)}", ""),
            ]
            if insight.practice:
                runs += [(f"\n{clean(labels.practice)}: ", "i"), (clean(insight.practice), "")]
            out.para(runs, "List Bullet")


def _meetings(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    """One short block per meeting: when, who came, what was discussed and agreed."""
    out.heading(labels.meetings)
    for meeting in doc.meetings:
        out.heading(f"{labels.meeting} {meeting.number} \u00b7 {meeting.date}", level=2)
        state = " \u00b7 ".join(part for part in (meeting.status, meeting.attendance) if part)
        if state:
            out.para([(clean(state), "i")], keep_next=True)
        for label, items in ((labels.discussed, meeting.agenda), (labels.notes, meeting.notes)):
            if items:
                out.para([(clean(label), "b")], keep_next=True)
                for item in items:
                    out.para([(clean(item), "")], "List Bullet")


def _agreements(out: _Body, doc: CollectionDocument, labels: Labels) -> None:
    out.heading(labels.agreements)
    out.table(
        *agreements_table(doc, labels),
    )


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
        self._bookmarks = 0  # level-1 headings so far: each is a contents entry's target

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

    def para(
        self, runs: Sequence[Run], style: str | None = None, *, keep_next: bool = False
    ) -> None:
        p = _paragraph(runs, self._style_ids[style] if style else None)
        if keep_next:
            _keep_with_next(p)
        self._append(p)

    def heading(self, text: str, level: int = 1) -> None:
        p = _paragraph([(clean(text), "")], self._style_ids[f"Heading {level}"])
        if level == 1:  # the target of its entry in the contents
            self._bookmarks += 1
            _bookmark(p, self._bookmarks)
        self._append(p)

    def page_break(self) -> None:
        p = etree.Element(_W_P, nsmap=_W_NSMAP)
        etree.SubElement(etree.SubElement(p, _W_R), _W_BR).set(_W_TYPE, "page")
        self._append(p)

    def labelled(self, label: str, value: str, *, keep_next: bool = False) -> None:
        """A "**label:** value" paragraph."""
        self.para([(f"{clean(label)}: ", "b"), (clean(value), "")], keep_next=keep_next)

    def contents(self, title: str, headings: Sequence[str]) -> None:
        """The table of contents: a Word TOC field whose shown result is our own list of
        the level-1 headings, each a link to its heading. So it is never empty, also where
        fields are not updated (LibreOffice, a phone, a PDF); Word adds page numbers when
        the field is updated (right-click, Update field)."""
        self.para([(clean(title), "b")], keep_next=True)
        for number, heading in enumerate(headings, start=1):
            p = etree.Element(_W_P, nsmap=_W_NSMAP)
            spacing = etree.SubElement(etree.SubElement(p, _W_PPR), qn("w:spacing"))
            spacing.set(qn("w:after"), "60")  # one list, not a paragraph per line
            if number == 1:
                _field_char(p, "begin")
                instr = etree.SubElement(etree.SubElement(p, _W_R), qn("w:instrText"))
                instr.text = ' TOC \\o "1-1" \\h \\z \\u '
                instr.set(_XML_SPACE, "preserve")
                _field_char(p, "separate")
            link = etree.SubElement(p, qn("w:hyperlink"))
            link.set(qn("w:anchor"), _bookmark_name(number))
            link.set(qn("w:history"), "1")
            _run(link, clean(heading), "")
            if number == len(headings):
                _field_char(p, "end")
            self._append(p)

    def table(
        self, headers: Sequence[str], rows: Sequence[Sequence[Cell]], main: int | None = 0
    ) -> None:
        """A styled table: columns sized to their content (`column_shares`), columns with
        no content left out, the bold header row repeated on each page, one paragraph per
        list item."""
        main_header = headers[main] if main is not None else None
        kept_headers, kept_rows = drop_empty_columns(headers, rows)
        main = kept_headers.index(main_header) if main_header in kept_headers else None
        headers = [clean(h) for h in kept_headers]
        cells = [
            [[clean(v)] if isinstance(v, str) else [clean(x) for x in v] for v in values]
            for values in kept_rows
        ]
        shares = column_shares(headers, cells, line=_TABLE_LINE, main=main)
        widths = [str(w) for w in _twips(shares)]

        table = self._word.add_table(rows=0, cols=len(headers))
        table.style = self._table_style
        tbl = table._tbl  # python-docx made tblPr/tblGrid; rows are built here (see module doc)
        # Out of the tree while it is small: lxml re-homes every node of a subtree it removes
        # (2.3 s for the agreements table at 4x), and the rows need no tree to be serialised.
        self._detach(tbl)
        _fixed_layout(tbl, widths)
        tbl.append(_row([[h] for h in headers], widths, header=True))
        # Row by row into the stream: a table of thousands of rows is never one tree.
        head = etree.tostring(tbl, encoding="UTF-8", xml_declaration=False)
        end = head.rindex(b"</w:tbl>")
        self._body.write(head[:end])
        for values in cells:
            row = _row(values, widths, header=False)
            self._body.write(etree.tostring(row, encoding="UTF-8", xml_declaration=False))
        self._body.write(head[end:])
        self._append(_paragraph([]))  # Word glues a table to what follows otherwise

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


def _paragraph(
    runs: Sequence[Run], style_id: str | None = None, *, size: int | None = None
) -> etree._Element:
    """``w:p`` with an optional paragraph style and the given runs (``size`` in half-points)."""
    p = etree.Element(_W_P, nsmap=_W_NSMAP)
    if style_id:
        p_pr = etree.SubElement(p, _W_PPR)
        etree.SubElement(p_pr, _W_PSTYLE).set(_W_VAL, style_id)
    for text, fmt in runs:
        if text:
            _run(p, text, fmt, size=size)
    return p


def _run(parent: etree._Element, text: str, fmt: str, *, size: int | None = None) -> None:
    """``w:r``; newlines become ``w:br`` and tabs ``w:tab`` (as python-docx's run.text does)."""
    r = etree.SubElement(parent, _W_R)
    if fmt or size:
        r_pr = etree.SubElement(r, _W_RPR)
        if fmt:
            etree.SubElement(r_pr, _FORMAT_TAGS[fmt])
        if size:
            etree.SubElement(r_pr, qn("w:sz")).set(_W_VAL, str(size))
            etree.SubElement(r_pr, qn("w:szCs")).set(_W_VAL, str(size))
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


def _field_char(p: etree._Element, kind: str) -> None:
    etree.SubElement(etree.SubElement(p, _W_R), qn("w:fldChar")).set(qn("w:fldCharType"), kind)


def _simple_field(p: etree._Element, instr: str, shown: str, size: int) -> None:
    """A field Word fills in itself (PAGE, NUMPAGES); ``shown`` until it does."""
    field = etree.SubElement(p, qn("w:fldSimple"))
    field.set(qn("w:instr"), f" {instr} ")
    _run(field, shown, "", size=size)


def _bookmark_name(number: int) -> str:
    return f"_Toc{number:06d}"


def _bookmark(p: etree._Element, number: int) -> None:
    """Wraps the heading's runs in a bookmark, the target of a contents link."""
    start = etree.Element(qn("w:bookmarkStart"))
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), _bookmark_name(number))
    p_pr = p.find(_W_PPR)
    p.insert(0 if p_pr is None else 1, start)
    etree.SubElement(p, qn("w:bookmarkEnd")).set(qn("w:id"), str(number))


def _keep_with_next(p: etree._Element) -> None:
    p_pr = p.find(_W_PPR)
    if p_pr is None:
        p_pr = etree.Element(_W_PPR)
        p.insert(0, p_pr)
    keep = etree.Element(qn("w:keepNext"))
    style = p_pr.find(_W_PSTYLE)
    if style is not None:
        style.addnext(keep)  # pPr's children have a fixed order: pStyle, keepNext, ...
    else:
        p_pr.insert(0, keep)


def _twips(shares: Sequence[float]) -> list[int]:
    """Column widths in twips that add up to the text width exactly."""
    widths = [int(_TEXT_WIDTH_TWIPS * share) for share in shares]
    if widths:
        widths[-1] += _TEXT_WIDTH_TWIPS - sum(widths)
    return widths


def _fixed_layout(tbl: etree._Element, widths: Sequence[str]) -> None:
    """The table takes the text width in the given columns: Word and LibreOffice then use
    exactly these widths instead of sharing the page equally (``autofit`` would)."""
    tbl_pr = tbl.find(qn("w:tblPr"))
    assert tbl_pr is not None
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = etree.SubElement(tbl_pr, qn("w:tblW"))
    tbl_w.set(_W_W, str(_TEXT_WIDTH_TWIPS))
    tbl_w.set(_W_TYPE, "dxa")
    layout = etree.Element(qn("w:tblLayout"))
    layout.set(_W_TYPE, "fixed")
    tbl_w.addnext(layout)
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:  # the first column is not a header: no bold names
        look.set(qn("w:firstColumn"), "0")
        look.set(_W_VAL, "0420")  # the same as a bit mask, which LibreOffice reads
    grid = tbl.find(qn("w:tblGrid"))
    assert grid is not None
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(_W_W, width)


def _row(cells: Sequence[Sequence[str]], widths: Sequence[str], *, header: bool) -> etree._Element:
    """``w:tr`` whose cells hold one paragraph per string (bold in the header row)."""
    tr = etree.Element(_W_TR, nsmap=_W_NSMAP)
    tr_pr = etree.SubElement(tr, _W_TRPR)
    etree.SubElement(tr_pr, qn("w:cantSplit"))  # a short row is not torn over two pages
    if header:  # repeat this row at the top of every page the table spans
        etree.SubElement(tr_pr, qn("w:tblHeader")).set(_W_VAL, "true")
    for paragraphs, width in zip(cells, widths, strict=True):
        tc = etree.SubElement(tr, _W_TC)
        tc_w = etree.SubElement(etree.SubElement(tc, _W_TCPR), _W_TCW)
        tc_w.set(_W_W, width)
        tc_w.set(_W_TYPE, "dxa")
        for text in paragraphs or [""]:  # a cell must contain at least one paragraph
            tc.append(_paragraph([(text, "b" if header else "")], size=_TABLE_SIZE))
    return tr


def _page_setup(word: WordDocument) -> None:
    """A4 with 2 cm margins: the paper Dutch schools print on (the template is US Letter)."""
    for section in word.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
        section.footer_distance = Cm(1)


def _footer(word: WordDocument, doc: CollectionDocument) -> None:
    """Every page: the CoP, the version and who it is for on the left, "page 2 of 7" on
    the right (PAGE and NUMPAGES fields), small and grey."""
    footer = word.sections[0].footer
    p = footer.paragraphs[0]._p
    for old in p.findall(_W_PPR):  # the template's own footer paragraph has one already
        p.remove(old)
    p_pr = etree.Element(_W_PPR)
    p.insert(0, p_pr)
    etree.SubElement(p_pr, _W_PSTYLE).set(_W_VAL, word.styles["Footer"].style_id)
    tabs = etree.SubElement(p_pr, qn("w:tabs"))
    for kind, position in (("clear", 4680), ("clear", 9360), ("right", _TEXT_WIDTH_TWIPS)):
        tab = etree.SubElement(tabs, qn("w:tab"))
        tab.set(_W_VAL, kind)
        tab.set(qn("w:pos"), str(position))
    left = " \u00b7 ".join(
        part for part in (footer_name(doc.cop_name), doc.version_label, doc.version_note) if part
    )
    _run(p, clean(left) + "\t", "", size=_FOOTER_SIZE)
    for part in re.split(r"(\{page\}|\{pages\})", doc.labels.page):
        if part == "{page}":
            _simple_field(p, "PAGE", "1", _FOOTER_SIZE)
        elif part == "{pages}":
            _simple_field(p, "NUMPAGES", "1", _FOOTER_SIZE)
        elif part:
            _run(p, clean(part), "", size=_FOOTER_SIZE)


def _proofing_language(word: WordDocument, language: str) -> None:
    """Word proofs the text in the CoP's language, not the template's en-US: the default
    run properties and every paragraph and character style say so, and the template's
    "already proofed" mark goes, so Word checks the spelling afresh."""
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = etree.SubElement(defaults, qn("w:rPrDefault"))
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(_W_RPR)
    if r_pr is None:
        r_pr = etree.SubElement(r_pr_default, _W_RPR)
    _set_lang(r_pr, language)
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is not None:  # Calibri, as Word's own default (the template's theme: Cambria)
        for attribute in ("asciiTheme", "hAnsiTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        for attribute in ("ascii", "hAnsi", "cs"):
            fonts.set(qn(f"w:{attribute}"), BODY_FONT)
    for style in word.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            _set_lang(style.element.get_or_add_rPr(), language)
    settings = word.settings.element
    for proofed in settings.findall(qn("w:proofState")):
        settings.remove(proofed)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = etree.Element(qn("w:themeFontLang"))
        compat = settings.find(qn("w:compat"))
        if compat is not None:
            compat.addprevious(theme_lang)
        else:
            settings.append(theme_lang)
    theme_lang.set(_W_VAL, language)


# Children of w:rPr that come after w:lang (the schema fixes their order).
_AFTER_LANG = (qn("w:eastAsianLayout"), qn("w:specVanish"), qn("w:oMath"))


def _set_lang(r_pr: etree._Element, language: str) -> None:
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = etree.Element(qn("w:lang"))
        later = next((child for child in r_pr if child.tag in _AFTER_LANG), None)
        if later is not None:
            later.addprevious(lang)
        else:
            r_pr.append(lang)
    lang.set(_W_VAL, language)


def _metadata(word: WordDocument, doc: CollectionDocument) -> None:
    props = word.core_properties
    title = f"{doc.title}: {doc.cop_name}" if doc.cop_name else doc.title
    props.title = clean(title)[:255]
    props.subject = clean(doc.version_label)[:255]
    props.language = clean(doc.language)[:64]
    props.author = props.last_modified_by = "copbot"
    props.comments = ""
