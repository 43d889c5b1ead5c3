"""What the bot says around the collection document, sharing and the portfolio, and the
words of the document itself: `collection` and `portfolio` turn the plain values of
`bot.services.documents` into the render-ready model of `bot.render.documents`.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.i18n import N_, Translator
from bot.render.charts import grouped_bars_png, stacked_shares_png
from bot.render.documents import (
    Agreement,
    Chart,
    CollectionDocument,
    DevelopmentRow,
    IndividualIssue,
    IssueVersion,
    Labels,
    MeetingEntry,
    Person,
    Profile,
    QualityRow,
)
from bot.render.documents._common import present_sections
from bot.render.html import Markup, fmt, join_lines
from bot.services import development
from bot.services.attendance import COUNTED, PRESENT
from bot.services.development import PeriodShares
from bot.services.documents import (
    AgreementRow,
    Collection,
    IssueRow,
    MeetingRow,
    Portfolio,
    Review,
)
from bot.services.qualities import StatRow
from bot.services.shared_issue import Proposal
from bot.services.sharing import Overview
from bot.services.when import format_datetime_local
from bot.texts import development as development_texts
from bot.texts import meetings as meeting_texts
from bot.texts import rhythm as rhythm_texts
from bot.texts.common import plain
from bot.texts.membership import role_name

ERRORS = {
    "document_usage": N_(
        "Use /document for the Word file or /document team for the team version; add html "
        "for a web page or md for Markdown."
    ),
    "share_usage": N_("Use /share, /share name on or /share name off."),
    "contribution_not_yours": N_("That contribution is not there any more, or it is not yours."),
    "shared_by_rule": N_(
        "This is shared by the group's own rule: adopted agreements and "
        "the shared issue go to the team version unless someone objected."
    ),
}

LABELS = {
    "members": N_("Members"),
    "name": N_("Name"),
    "role": N_("Role"),
    "title": N_("Title"),
    "shared_issue": N_("Shared issue"),
    "version": N_("Version"),
    "status": N_("Status"),
    "date": N_("Date"),
    "agree": N_("Agree"),
    "not_yet": N_("Not yet"),
    "individual_issues": N_("Individual practice issues"),
    "author": N_("Author"),
    "meeting": N_("Meeting"),
    "reflection": N_("What I can change"),
    "code": N_("Code"),
    "development": N_("Development of the practice issue"),
    "total": N_("Total"),
    "qualities": N_("Qualities named and used"),
    "quality": N_("Quality"),
    "named": N_("Named"),
    "used": N_("Used"),
    "examples": N_("Examples"),
    "profiles": N_("Profiles"),
    "reading": N_("Reading list"),
    "source": N_("Source"),
    "authors": N_("Authors"),
    "year": N_("Year"),
    "link": N_("Link"),
    "shared_by": N_("Shared by"),
    "insight": N_("Insight"),
    "practice": N_("For practice"),
    "meetings": N_("Meeting log"),
    "attendance": N_("Attendance"),
    "agenda": N_("Agenda"),
    "discussed": N_("On the agenda"),
    "notes": N_("What was agreed"),
    "agreements": N_("Agreements and practices"),
    "owner": N_("Who"),
    "due": N_("Done by"),
    "follow_up": N_("How it went"),
    "still_to_come": N_("Not in this document yet"),
    "generated": N_("Made on"),
    "theme": N_("Theme"),
    "school": N_("School"),
    "period": N_("Period"),
    "version_of": N_("Version"),
    "contents": N_("Contents"),
    "page": N_("page {page} of {pages}"),
    "withheld": N_("Not in this version"),
    "legend": N_("How to read this table"),
    "new_practice": N_("New practice"),
    "agreement": N_("Agreement"),
    "anonymous": N_("a member"),
}

#: The development table's columns, in `development.ORDER`: the code book's two axes, in
#: words (the legend under the table says what they mean, once).
DEVELOPMENT_COLUMNS = {
    "ie": N_("Individual, external"),
    "ii": N_("Individual, internal"),
    "se": N_("Shared, external"),
    "si": N_("Shared, internal"),
}

DEVELOPMENT_LEGEND = (
    N_(
        "Individual: about the teacher's own class. Shared: about what the CoP can mean for "
        "the whole school."
    ),
    N_(
        "External: causes and solutions are sought outside the teacher and the school (the "
        "parents, the pupil, luck). Internal: within them, in what a teacher or the school "
        "can do."
    ),
    N_(
        "Each row shows how the contributions about the practice issue at one meeting were "
        "spread over these four kinds. The last column says how many there were. A shared, "
        "internal issue makes success more likely."
    ),
    N_(
        "In brackets: how many contributions. Shares are rounded, so a row may add up to "
        "99% or 101%."
    ),
)


STATUS = {"proposed": N_("proposed"), "adopted": N_("adopted"), "superseded": N_("replaced")}
DECISION_STATUS = {"proposed": N_("proposed"), "adopted": N_("adopted"), "done": N_("done")}
MISSING = {
    "meetings": N_("No meetings have been planned yet."),
    "shared_issue": N_("No shared issue has been adopted yet."),
    "development": N_("No contributions have been coded yet."),
    "qualities": N_("No qualities have been named yet."),
    "reading": N_("No literature insights yet."),
    "agreements": N_("No agreements yet."),
}


def _withheld(tr: Translator, kind: str, n: int) -> str:
    """One sentence of the team version's "Not in this version" list."""
    sentences = {
        "members": tr.ngettext(
            "{n} member is not named: their contributions appear as \u201ca member\u201d.",
            "{n} members are not named: their contributions appear as \u201ca member\u201d.",
            n,
        ),
        "issues": tr.ngettext(
            "{n} practice issue is not shared by its author.",
            "{n} practice issues are not shared by their authors.",
            n,
        ),
        "insights": tr.ngettext(
            "{n} literature insight is not shared by its author.",
            "{n} literature insights are not shared by their authors.",
            n,
        ),
        "qualities": tr.ngettext(
            "{n} quality belongs to a member who is not named.",
            "{n} qualities belong to members who are not named.",
            n,
        ),
        "agreements": tr.ngettext(
            "{n} agreement stays in the CoP (not adopted yet, or someone objected).",
            "{n} agreements stay in the CoP (not adopted yet, or someone objected).",
            n,
        ),
    }
    return sentences[kind].format(n=n)


def building(tr: Translator, team: bool) -> str:
    _ = tr.gettext
    return (
        _("Building the team version of the collection document\u2026")
        if team
        else _("Building the collection document\u2026")
    )


def busy(tr: Translator) -> str:
    return tr.gettext(
        "A document for this CoP is being built right now; please try again in a minute."
    )


def ready(tr: Translator, team: bool, formats: tuple[str, ...] = ("docx",)) -> str:
    _ = tr.gettext
    if team:
        return _(
            "The team version: only what members marked shareable, names only where people "
            "agreed. You can forward the Word file to the school team as it is."
        )
    if formats == ("docx",):
        return _(
            "The collection document of the CoP (confidential). Open it in Word; for a PDF "
            "choose File, Save as, PDF. /document html gives a web page."
        )
    return _("The collection document of the CoP (confidential).")


def review_status(tr: Translator, review: Review) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(
                _("Reviewed what they share: {names}."),
                names=", ".join(review.reviewed) or "\u2013",
            ),
            fmt(
                _("Not yet reviewed: {names}. They can do so with /share."),
                names=", ".join(review.waiting) or "\u2013",
            ),
        ]
    )


def share_list(tr: Translator, overview: Overview) -> Markup:
    _ = tr.gettext
    items, shared, named = overview.items, overview.shared, overview.named
    lines: list[str] = [
        fmt(_("<b>What you share with the school team</b> (the team version of the document)")),
        fmt(
            _(
                "Your name in the team version: {state}. Change with /share name on or /share "
                "name off."
            ),
            state=_("yes") if named else _("no"),
        ),
    ]
    if not items:
        lines.append(fmt(_("You have no contributions that you could share.")))
    for index, item in enumerate(items, start=1):
        mark = "\U0001f7e2" if item.id in shared else "\U0001f512"
        lines.append(fmt("{mark} <b>{n}.</b> {text}", mark=mark, n=index, text=item.text[:200]))
    if items:
        lines.append(
            fmt(
                _(
                    "\U0001f7e2 shared with the team \u00b7 \U0001f512 stays in the CoP. "
                    "Press a number to change it."
                )
            )
        )
    return join_lines(lines)


def share_toggled(tr: Translator, shared: bool) -> str:
    _ = tr.gettext
    return _("Now shared with the team.") if shared else _("Now stays in the CoP.")


def name_set(tr: Translator, on: bool) -> str:
    _ = tr.gettext
    return (
        _("Your name may appear in the team version.")
        if on
        else _("Your name stays out of the team version.")
    )


def portfolio_ready(tr: Translator) -> str:
    return tr.gettext("Your personal record for your professional-development file.")


# The collection document's words ---------------------------------------------------------


def labels(tr: Translator) -> Labels:
    return Labels(**{key: tr.gettext(value) for key, value in LABELS.items()})


def collection(tr: Translator, data: Collection) -> CollectionDocument:
    """The whole document model, in the reader's language and the CoP's time zone."""
    _ = tr.gettext
    community = data.community
    tz = ZoneInfo(community.timezone)
    withheld = [_withheld(tr, kind, n) for kind, n in data.withheld.items()]
    if data.team:
        withheld.append(
            _(
                "Meeting notes, examples of qualities in use and who added which agenda item "
                "stay in the CoP. Members choose what they share with /share."
            )
        )
    missing = [_(MISSING[key]) for key in _missing(data)] if not data.team else []
    document = CollectionDocument(
        title=_("Collection document"),
        version_label=_("Team version") if data.team else _("CoP version"),
        version_note=_("for the school team: only what the members chose to share")
        if data.team
        else _("confidential, for the members of the CoP"),
        generated=format_datetime_local(data.made_at, tz, tr.language),
        language=LANGUAGE_TAGS.get(tr.language, tr.language),
        cop_name=community.name,
        theme=community.theme,
        school=data.school,
        period=_period(tr, tz, data.meetings),
        withheld=withheld,
        members=[
            Person(name=p.name, role=role_name(tr, p.role), title=p.title) for p in data.people
        ],
        shared_issue=[_version(tr, tz, p) for p in data.versions],
        individual_issues=[_issue(tr, i) for i in data.issues],
        development_header=[_(DEVELOPMENT_COLUMNS[c]) for c in development.ORDER],
        development=[_development(tr, r) for r in data.development],
        development_legend=[_(line) for line in DEVELOPMENT_LEGEND] if data.development else [],
        qualities=[_quality(r) for r in data.stats],
        profiles=[
            Profile(member=p.member, title=p.title, qualities=p.qualities) for p in data.profiles
        ],
        reading=data.reading,
        meetings=[_meeting(tr, tz, m) for m in data.meetings],
        agreements=[_agreement(tr, tz, a) for a in data.agreements],
        charts=_charts(tr, data.development, data.stats),
        missing=missing,
        labels=labels(tr),
    )
    if not set(present_sections(document)) - {"members"}:  # no content yet, only people
        intro = (
            _(
                "Nothing has been shared with the school team yet. As members mark their "
                "contributions with /share, they appear here."
            )
            if data.team
            else _(
                "This CoP has just started. This document fills up by itself as the CoP "
                "meets: the practice issues, what the members learn from each other and "
                "what they agree."
            )
        )
        document = document.model_copy(update={"intro": intro})
    return document


#: The proofing language Word gets for each of the bot's languages.
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}


def _period(tr: Translator, tz: ZoneInfo, meetings: list[MeetingRow]) -> str:
    """ "September – November 2026": from the first meeting to the last."""
    held = [m.starts_at for m in meetings if m.state != "cancelled"]
    if not held:
        return ""
    first, last = min(held).astimezone(tz), max(held).astimezone(tz)
    locale = _LOCALES.get(tr.language, "en_GB")
    if (first.year, first.month) == (last.year, last.month):
        return format_date(first, "LLLL y", locale=locale)
    start = format_date(first, "LLLL" if first.year == last.year else "LLLL y", locale=locale)
    return f"{start} \u2013 {format_date(last, 'LLLL y', locale=locale)}"


def portfolio(tr: Translator, data: Portfolio) -> CollectionDocument:
    """A member's own record: the CoP version, narrowed to what is theirs."""
    _ = tr.gettext
    full = collection(tr, data.collection)
    name = data.member.name
    return full.model_copy(
        update={
            "title": _("Portfolio of {name}").format(name=name),  # the CoP is the subtitle
            "version_label": _("Personal record"),
            "version_note": _("for your own professional-development file"),
            "members": [p for p in full.members if p.name == name],
            "shared_issue": [],
            "individual_issues": [i for i in full.individual_issues if i.author == name],
            "development": [],
            "development_legend": [],
            "qualities": [q for q in full.qualities if q.member == name],
            "profiles": [p for p in full.profiles if p.member == name],
            "reading": [r for r in full.reading if any(i.author == name for i in r.insights)],
            "meetings": [
                e.model_copy(update={"notes": []})
                for e in full.meetings
                if e.number in data.attended
            ],
            "agreements": [a for a in full.agreements if a.owner == name],
            "charts": [],
            "missing": [],
            "withheld": [],
        }
    )


def _version(tr: Translator, tz: ZoneInfo, p: Proposal) -> IssueVersion:
    return IssueVersion(
        version=p.version,
        text=p.text,
        status=tr.gettext(STATUS.get(p.status, p.status)),
        date=_table_date(tr, tz, p.adopted_at or p.created_at),
        agree=p.counts.get("agree", 0),
        not_yet=p.counts.get("not_yet", 0),
    )


def _table_date(tr: Translator, tz: ZoneInfo, moment: datetime | date) -> str:
    """ "14 oktober 2026": a table cell has no room for the weekday."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(tz).date()
    return format_date(moment, "d MMMM y", locale=_LOCALES.get(tr.language, "en_GB"))


_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _issue(tr: Translator, row: IssueRow) -> IndividualIssue:
    return IndividualIssue(
        author=row.author,
        meeting=str(row.meeting) if row.meeting is not None else "\u2013",
        text=row.text,
        reflection=row.reflection,
        code=tr.gettext(DEVELOPMENT_COLUMNS[row.code]) if row.code in DEVELOPMENT_COLUMNS else None,
    )


def _development(tr: Translator, row: PeriodShares) -> DevelopmentRow:
    return DevelopmentRow(
        meeting=_meeting_name(tr, row.meeting_number),
        shares=[f"{row.percent[c]}% ({row.counts[c]})" for c in development.ORDER],
        total=row.total,
    )


def _quality(row: StatRow) -> QualityRow:
    return QualityRow(
        member=row.member,
        quality=row.quality,
        named=row.named,
        used=row.used,
        examples=row.examples[:5],
    )


def _missing(data: Collection) -> list[str]:
    empty = {
        "meetings": not data.meetings,
        "shared_issue": not any(v.status == "adopted" for v in data.versions),
        "development": not data.development,
        "qualities": not data.stats,
        "reading": not data.reading,
        "agreements": not data.agreements,
    }
    return [key for key in MISSING if empty[key]]


def _attendance(tr: Translator, counts: dict[str, int]) -> str:
    """The log's attendance: who was there once ticked ("present 5 of 6"), else the answers."""
    if PRESENT in counts:
        return plain(meeting_texts.present_count(tr, counts[PRESENT], counts[COUNTED]))
    return plain(rhythm_texts.attendance_counts(tr, counts)) if counts else ""


def _meeting_name(tr: Translator, number: int | None) -> str:
    """ "Meeting 3" (the charts' axis and the table's first column); "-" before any."""
    if number is None:
        return "\u2013"
    return tr.gettext("Meeting {number}").format(number=number)


def _meeting(tr: Translator, tz: ZoneInfo, row: MeetingRow) -> MeetingEntry:
    return MeetingEntry(
        number=row.number,
        date=format_datetime_local(row.starts_at, tz, tr.language),
        status=tr.gettext(rhythm_texts.STATES[row.state]),
        attendance=_attendance(tr, row.counts),
        agenda=[
            plain(line.removeprefix("\u2022 "))
            for line in rhythm_texts.agenda_lines(tr, row.agenda)
        ],
        notes=row.notes,
    )


def _agreement(tr: Translator, tz: ZoneInfo, row: AgreementRow) -> Agreement:
    _ = tr.gettext
    follow_up = [
        _("yes {yes} \u00b7 sometimes {sometimes} \u00b7 not yet {not_yet}").format(
            yes=row.followup.get("yes", 0),
            sometimes=row.followup.get("sometimes", 0),
            not_yet=row.followup.get("not_yet", 0),
        )
    ] * bool(row.followup)
    return Agreement(
        text=row.text,
        status=_(DECISION_STATUS[row.state]),
        owner=row.owner,
        due=_table_date(tr, tz, row.due) if row.due else None,
        practice=row.practice,
        follow_up=follow_up + row.remarks,
    )


def _charts(tr: Translator, rows: list[PeriodShares], stat_rows: list[StatRow]) -> list[Chart]:
    """The development chart under its table, the qualities chart under theirs."""
    _ = tr.gettext
    charts = []
    if rows:
        chart_labels = development_texts.chart_labels(tr)
        title = chart_labels["title"]
        charts.append(
            Chart(
                title=title,
                alt=_("Stacked bars per meeting: the share of each kind of contribution."),
                section="development",
                png=stacked_shares_png(
                    title=title,
                    categories=[_meeting_name(tr, r.meeting_number) for r in rows],
                    series=[
                        (_(DEVELOPMENT_COLUMNS[c]), [float(r.percent[c]) for r in rows])
                        for c in development.ORDER
                    ],
                    y_label=_("Share of the contributions (%)"),
                ),
            )
        )
    if stat_rows:
        title = _(LABELS["qualities"])
        shown = stat_rows[:60]
        charts.append(
            Chart(
                title=title,
                alt=_("Bars per member and quality: how often it was named and used."),
                section="qualities",
                png=grouped_bars_png(
                    title=title,
                    labels=[f"{r.member}: {r.quality}" for r in shown],
                    series=[
                        (_(LABELS["named"]), [r.named for r in shown]),
                        (_(LABELS["used"]), [r.used for r in shown]),
                    ],
                    x_label=_("Number of times"),
                ),
            )
        )
    return charts
