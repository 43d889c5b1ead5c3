"""Helpers shared by the three renderers: text cleaning, safe links and section order.

They live in one place so that the Word, Markdown and HTML versions of a document agree on
what is shown, in which order, and which member text is dropped as unrepresentable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.render.documents.model import Agreement, Chart, CollectionDocument, Labels

__all__ = [
    "SECTION_ORDER",
    "Cell",
    "agreement_cell",
    "agreements_table",
    "charts_of",
    "clean",
    "column_shares",
    "drop_empty_columns",
    "footer_name",
    "present_sections",
    "safe_link",
    "shared_issue_table",
    "title_facts",
]

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F).
# lxml (and so python-docx) raises ValueError on them; in HTML they are parse errors. Member
# text comes from Telegram and may contain them (pasted from elsewhere), so they are removed.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Only plain web links become clickable: a member-supplied "javascript:" or "data:" URL must
# never turn into an active link in a document the school team opens.
_WEB_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)

SECTION_ORDER: tuple[str, ...] = (
    "members",
    "shared_issue",
    "individual_issues",
    "development",
    "qualities",
    "profiles",
    "reading",
    "meetings",
    "agreements",
)


def clean(text: str | None) -> str:
    """Returns ``text`` without XML-invalid characters and with CRLF/CR turned into LF."""
    if not text:
        return ""
    return _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def safe_link(link: str | None) -> str | None:
    """Returns the link if it is a complete http(s) URL, else None (shown as plain text)."""
    if not link:
        return None
    candidate = clean(link).strip()
    return candidate if _WEB_LINK.fullmatch(candidate) else None


def present_sections(doc: CollectionDocument) -> list[str]:
    """Names of the sections that have data, in document order (empty ones are omitted)."""
    return [name for name in SECTION_ORDER if getattr(doc, name)]


def charts_of(doc: CollectionDocument, section: str) -> list[Chart]:
    """The charts that illustrate ``section``, shown right after it."""
    return [chart for chart in doc.charts if chart.section == section]


def footer_name(name: str, limit: int = 60) -> str:
    """The CoP's name as the one-line footer can hold it (a 4,096-character name would
    otherwise fill every page's footer)."""
    name = " ".join(clean(name).split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "\u2026"


Cell = str | Sequence[str]


def agreement_cell(agreement: Agreement, labels: Labels) -> tuple[str, ...]:
    """The agreement, and under it "✓ New practice" when it is one: a column of its own
    would hold a tick in a few rows and take a seventh of the page. A tuple: lines of one
    value (HTML breaks the line), where a list is a list of items (HTML bullets them)."""
    mark = (f"\u2713 {labels.new_practice}",) if agreement.practice else ()
    return (agreement.text, *mark)


def agreements_table(doc: CollectionDocument, labels: Labels) -> tuple[list[str], list[list[Cell]]]:
    """The agreements section's header and rows, the same in Word, HTML and Markdown."""
    header = [labels.agreement, labels.status, labels.owner, labels.due, labels.follow_up]
    rows: list[list[Cell]] = [
        [agreement_cell(a, labels), a.status, a.owner or "", a.due or "", a.follow_up]
        for a in doc.agreements
    ]
    return header, rows


def shared_issue_table(
    doc: CollectionDocument, labels: Labels
) -> tuple[list[str], list[list[Cell]]]:
    """The shared issue's versions: header and rows (the issue's column gets the width)."""
    header = [labels.version, labels.shared_issue, labels.status, labels.agree, labels.not_yet]
    rows: list[list[Cell]] = [
        [str(v.version), v.text, (v.status, v.date), str(v.agree), str(v.not_yet)]
        for v in doc.shared_issue
    ]
    return header, rows


def title_facts(doc: CollectionDocument) -> list[tuple[str, str]]:
    """The title page's labelled lines (school, theme, period, version, made on), those
    with a value only: an empty "School:" would look like a form left unfilled."""
    labels = doc.labels
    version = " \u2013 ".join(v for v in (doc.version_label, doc.version_note) if v)
    return [
        (label, value)
        for label, value in (
            (labels.school, doc.school),
            (labels.theme, doc.theme),
            (labels.period, doc.period),
            (labels.version_of, version),
            (labels.generated, doc.generated),
        )
        if value
    ]


def drop_empty_columns(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> tuple[list[str], list[list[Cell]]]:
    """Leaves out the columns no row has anything in (an empty "Follow-up" column tells a
    reader nothing); a table without rows keeps its headers."""
    keep = [c for c in range(len(headers)) if not rows or any(row[c] for row in rows)]
    return [headers[c] for c in keep], [[row[c] for c in keep] for row in rows]


# Column widths ------------------------------------------------------------------------------
# A table whose columns share the page equally breaks words mid-word ("Aanwezigh|eid") and
# squeezes the long text (the shared issue) into one sixth of the page. So each column gets
# at least its longest word (up to a cap: one 4,096-character "word" must not take the
# page) and the rest of the width in proportion to how much text it holds.

_LONGEST_WORD = 16  # characters; longer words may still break (rare, and unavoidable)
_SHORT = 18  # characters: a cell value this short ("28 oktober 2026") stays on one line
_MAIN_WEIGHT = 3.0
_PADDING = 3.5  # characters of cell padding per column
_WIDE = 1.15  # a word's letters are wider than the average character (m, n; bold headers)


def column_shares(
    headers: Sequence[str],
    rows: Sequence[Sequence[str | Sequence[str]]],
    line: int = 80,
    *,
    main: int | None = 0,
) -> list[float]:
    """Each column's share of the table width (they add up to 1), sized to its content.

    ``line`` is how many characters of body text fit across the table: about 90 on A4 with
    2 cm margins at 10 pt Calibri, 80 leaves room for a wider font where Calibri is missing
    (LibreOffice). Header words count too, so "Aanwezigheid" is never split, and a short
    value ("Bijeenkomst 1", "aangenomen") stays on one line. The ``main`` column (the
    agreement, the shared issue: the first column with text) gets the most of what is left.
    """
    count = len(headers)
    if count == 0:
        return []
    floor = [0.0] * count
    mass = [0.0] * count
    for column, header in enumerate(headers):
        floor[column] = _longest(header)
    for row in rows:
        for column, value in enumerate(row):
            texts = [value] if isinstance(value, str) else list(value)
            for text in texts:
                short = len(text) * _WIDE if len(text) <= _SHORT else 0.0
                floor[column] = max(floor[column], _longest(text), short)
                mass[column] += min(len(text), 600)
    floor = [f + _PADDING for f in floor]
    per_row = [m / max(len(rows), 1) for m in mass]
    spare = line - sum(floor)
    if spare <= 0:  # even the longest words do not fit: share in proportion to them
        total = sum(floor)
        return [f / total for f in floor]
    # What a column would like beyond its floor: its average text, as one line at most.
    wish = [max(0.0, min(p, line) - f) for p, f in zip(per_row, floor, strict=True)]
    if main is not None and main < count and wish[main] > 0:
        wish[main] *= _MAIN_WEIGHT
    total_wish = sum(wish)
    if total_wish == 0:
        extra = [spare * f / sum(floor) for f in floor]
    else:
        extra = [spare * w / total_wish for w in wish]
    widths = [f + e for f, e in zip(floor, extra, strict=True)]
    total = sum(widths)
    return [w / total for w in widths]


def _longest(text: str) -> float:
    return min(max(map(len, text.split()), default=1), _LONGEST_WORD) * _WIDE
