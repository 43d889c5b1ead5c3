"""The one data model of the collection document ("verzameldocument").

A service elsewhere assembles a :class:`CollectionDocument` from the database; the renderers
(Word, Markdown, HTML) only lay it out. Keeping a single, render-ready model means:

* every string is final: already translated, dates already formatted for the reader's locale,
  percentages already written as ``"34%"``. Renderers never query, never translate and never
  format numbers, so the three formats cannot drift apart in content;
* privacy is decided once, by the caller: the private version and the *team version* (the
  boundary object for the school team) are the same model filled differently. Names the
  member did not agree to share are simply ``None`` here, and the renderers show
  ``labels.anonymous`` in their place;
* the model is plain data (frozen, ``extra="forbid"``) so a typo in the assembling service fails
  loudly at construction instead of silently dropping a section, and it can be dumped to JSON
  (chart PNGs as base64) for caching or tests.

Lists stay ``list`` for the caller's convenience; "frozen" protects the attributes, not the
contents, so renderers treat everything as read-only by convention.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = [
    "Agreement",
    "Chart",
    "CollectionDocument",
    "DevelopmentRow",
    "IndividualIssue",
    "Insight",
    "IssueVersion",
    "Labels",
    "MeetingEntry",
    "Person",
    "Profile",
    "QualityRow",
    "ReadingEntry",
]


class _Frozen(BaseModel):
    """Base: immutable and strict about unknown fields (typos in the assembler must fail)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Person(_Frozen):
    """A member of the CoP as listed on the members table."""

    name: str
    role: str
    title: str | None = None


class IssueVersion(_Frozen):
    """One version of the shared practice issue, with the vote it received."""

    version: int
    text: str
    status: str
    date: str
    agree: int
    not_yet: int


class IndividualIssue(_Frozen):
    """A member's own practice issue; ``author`` is None when the member stays anonymous."""

    author: str | None
    meeting: str
    text: str
    reflection: str | None = None
    code: str | None = None


class DevelopmentRow(_Frozen):
    """One meeting in the development table; ``shares`` align with ``development_header``."""

    meeting: str
    shares: list[str]
    total: int


class QualityRow(_Frozen):
    """How often a member's quality was named and used, with examples."""

    member: str
    quality: str
    named: int
    used: int
    examples: list[str] = []


class Profile(_Frozen):
    """A member's quality profile: ``qualities`` is ``[(quality, count), ...]`` in display order."""

    member: str
    title: str | None = None
    qualities: list[tuple[str, int]] = []


class Insight(_Frozen):
    """An insight drawn from a reading and what it means for practice."""

    author: str | None
    insight: str
    practice: str


class ReadingEntry(_Frozen):
    """One source on the reading list; ``link`` is only made clickable for http(s) URLs."""

    source: str
    authors: str
    year: str
    link: str | None = None
    shared_by: str | None = None
    insights: list[Insight] = []


class MeetingEntry(_Frozen):
    """One meeting in the meeting log."""

    number: int
    date: str
    status: str
    attendance: str
    agenda: list[str] = []
    notes: list[str] = []


class Agreement(_Frozen):
    """An agreement; ``practice`` marks a new practice the team tries out."""

    text: str
    status: str
    owner: str | None = None
    due: str | None = None
    practice: bool = False
    follow_up: list[str] = []


class Chart(_Frozen):
    """A chart as PNG bytes; ``alt`` describes it for screen readers (HTML alt, Word descr).

    ``section`` names the section (see ``_common.SECTION_ORDER``) the chart illustrates: it
    is placed right after that section's table, not on a page of its own at the end.
    """

    # PNG bytes are not UTF-8: without base64 the JSON dump of the model would fail.
    model_config = ConfigDict(
        frozen=True, extra="forbid", ser_json_bytes="base64", val_json_bytes="base64"
    )

    title: str
    png: bytes
    alt: str
    section: str


class Labels(_Frozen):
    """Every heading, column title and fixed word, already translated by the caller."""

    members: str
    name: str
    role: str
    title: str
    shared_issue: str
    version: str
    status: str
    date: str
    agree: str
    not_yet: str
    individual_issues: str
    author: str
    meeting: str
    reflection: str
    code: str
    development: str
    total: str
    qualities: str
    quality: str
    named: str
    used: str
    examples: str
    profiles: str
    reading: str
    source: str
    authors: str
    year: str
    link: str
    shared_by: str
    insight: str
    practice: str
    meetings: str
    attendance: str
    agenda: str
    notes: str
    agreements: str
    agreement: str
    owner: str
    due: str
    follow_up: str
    still_to_come: str
    generated: str
    theme: str
    school: str
    period: str
    version_of: str
    contents: str
    page: str
    withheld: str
    discussed: str
    legend: str
    new_practice: str
    anonymous: str


class CollectionDocument(_Frozen):
    """Everything the collection document shows, in render-ready form.

    Sections whose list is empty are left out by every renderer. ``missing`` (the CoP's own
    version only) says in a closing paragraph what the document does not hold yet, so an
    empty CoP still gets a short, friendly document; ``withheld`` (the team version) says
    what members kept in the CoP, so a reader never takes "not shared" for "not done".
    ``version_label`` (e.g. "Teamversie") and ``version_note`` (who it is for) are printed
    on the title page and, with ``cop_name``, in every page's footer.
    ``language`` is a BCP 47 tag ("nl-NL", "en-GB"): Word proofs the text in it.
    """

    title: str
    version_label: str
    generated: str
    language: str
    version_note: str = ""
    cop_name: str = ""
    theme: str = ""
    school: str = ""
    period: str = ""
    intro: str = ""
    withheld: list[str] = []
    members: list[Person] = []
    shared_issue: list[IssueVersion] = []
    individual_issues: list[IndividualIssue] = []
    development_header: list[str] = []
    development: list[DevelopmentRow] = []
    development_legend: list[str] = []
    qualities: list[QualityRow] = []
    profiles: list[Profile] = []
    reading: list[ReadingEntry] = []
    meetings: list[MeetingEntry] = []
    agreements: list[Agreement] = []
    charts: list[Chart] = []
    missing: list[str] = []
    labels: Labels

    @model_validator(mode="after")
    def _shares_match_header(self) -> CollectionDocument:
        """A row with more or fewer shares than columns would shift every later cell."""
        width = len(self.development_header)
        for row in self.development:
            if len(row.shares) != width:
                raise ValueError(
                    f"development row {row.meeting!r} has {len(row.shares)} shares, "
                    f"header has {width}"
                )
        return self
