"""What the bot says around the collection document, sharing and the portfolio, and the
words of the document itself: `collection` and `portfolio` turn the plain values of
`bot.services.documents` into the render-ready model of `bot.render.documents`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

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
from bot.services.when import format_date_local, format_datetime_local
from bot.texts import coding as coding_texts
from bot.texts import development as development_texts
from bot.texts import meetings as meeting_texts
from bot.texts import rhythm as rhythm_texts
from bot.texts.common import plain
from bot.texts.membership import role_name

ERRORS = {
    "document_usage": N_("Use /document, /document team, or add docx, md or html for one format."),
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
    "named": N_("named"),
    "used": N_("used"),
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
    "notes": N_("What was agreed"),
    "agreements": N_("Agreements and practices"),
    "owner": N_("Owner"),
    "due": N_("Due"),
    "follow_up": N_("Follow-up"),
    "charts": N_("Charts"),
    "missing": N_("Still missing"),
    "generated": N_("Made on"),
    "theme": N_("Theme"),
    "new_practice": N_("new practice"),
    "anonymous": N_("a member"),
}

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


def ready(tr: Translator, team: bool) -> str:
    _ = tr.gettext
    return (
        _("The team version: only what members marked shareable, names only where people agreed.")
        if team
        else _(
            "The collection document of the CoP (confidential). Open the .docx in Word, the "
            ".html in any browser; the .zip holds the Markdown with its charts."
        )
    )


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
    return CollectionDocument(
        title=_("Collection document: {cop}").format(cop=community.name),
        version_label=_("Team version: only what the members marked shareable")
        if data.team
        else _("CoP version: confidential, for the members only"),
        generated=format_datetime_local(data.made_at, tz, tr.language),
        language=tr.language,
        cop_name=community.name,
        theme=community.theme,
        members=[
            Person(name=p.name, role=role_name(tr, p.role), title=p.title) for p in data.people
        ],
        shared_issue=[_version(tr, tz, p) for p in data.versions],
        individual_issues=[_issue(tr, i) for i in data.issues],
        development_header=["I/E", "I/I", "S/E", "S/I"],
        development=[_development(r) for r in data.development],
        development_legend=_(
            "I = individual, S = shared issue; /E = external, /I = internal attribution."
        ),
        qualities=[_quality(r) for r in data.stats],
        profiles=[
            Profile(member=p.member, title=p.title, qualities=p.qualities) for p in data.profiles
        ],
        reading=data.reading,
        meetings=[_meeting(tr, tz, m) for m in data.meetings],
        agreements=[_agreement(tr, tz, a) for a in data.agreements],
        charts=_charts(tr, data.development, data.stats),
        missing=[_(MISSING[key]) for key in _missing(data)],
        labels=labels(tr),
    )


def portfolio(tr: Translator, data: Portfolio) -> CollectionDocument:
    """A member's own record: the CoP version, narrowed to what is theirs."""
    _ = tr.gettext
    full = collection(tr, data.collection)
    name = data.member.name
    community = data.collection.community
    return full.model_copy(
        update={
            "title": _("Portfolio of {name} in {cop}").format(name=name, cop=community.name),
            "version_label": _("Personal record: for your own professional-development file"),
            "members": [p for p in full.members if p.name == name],
            "shared_issue": [],
            "individual_issues": [i for i in full.individual_issues if i.author == name],
            "development": [],
            "development_legend": "",
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
        }
    )


def _version(tr: Translator, tz: ZoneInfo, p: Proposal) -> IssueVersion:
    return IssueVersion(
        version=p.version,
        text=p.text,
        status=tr.gettext(STATUS.get(p.status, p.status)),
        date=format_date_local(p.adopted_at or p.created_at, tz, tr.language),
        agree=p.counts.get("agree", 0),
        not_yet=p.counts.get("not_yet", 0),
    )


def _issue(tr: Translator, row: IssueRow) -> IndividualIssue:
    return IndividualIssue(
        author=row.author,
        meeting=str(row.meeting if row.meeting is not None else "\u2013"),
        text=row.text,
        reflection=row.reflection,
        code=tr.gettext(coding_texts.CODES[row.code]) if row.code else None,
    )


def _development(row: PeriodShares) -> DevelopmentRow:
    return DevelopmentRow(
        meeting=str(row.meeting_number or "\u2013"),
        shares=[f"{row.percent[c]}%" for c in development.ORDER],
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
        due=format_date_local(row.due, tz, tr.language) if row.due else None,
        practice=row.practice,
        follow_up=follow_up + row.remarks,
    )


def _charts(tr: Translator, rows: list[PeriodShares], stat_rows: list[StatRow]) -> list[Chart]:
    charts = []
    if rows:
        chart_labels = development_texts.chart_labels(tr)
        charts.append(
            Chart(
                title=chart_labels["title"],
                alt=chart_labels["title"],
                png=stacked_shares_png(
                    title=chart_labels["title"],
                    categories=[str(r.meeting_number or "\u2013") for r in rows],
                    series=[
                        (chart_labels[c], [float(r.percent[c]) for r in rows])
                        for c in development.ORDER
                    ],
                ),
            )
        )
    if stat_rows:
        title = tr.gettext(LABELS["qualities"])
        charts.append(
            Chart(
                title=title,
                alt=title,
                png=grouped_bars_png(
                    title=title,
                    labels=[f"{r.member}: {r.quality}" for r in stat_rows[:60]],
                    series=[
                        (tr.gettext(LABELS["named"]), [r.named for r in stat_rows[:60]]),
                        (tr.gettext(LABELS["used"]), [r.used for r in stat_rows[:60]]),
                    ],
                ),
            )
        )
    return charts
