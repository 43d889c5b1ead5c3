"""Assembles the collection document (and a member's portfolio) from the CoP's data.

This is the one place that decides what goes into which version: the CoP's own
version has everything; the team version (the boundary object for the school
team) has only what is shareable: adopted agreements nobody objected to, the
adopted shared issue, aggregated development, and the contributions members
marked shareable themselves, with names only of members who agreed to be named.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.charts import grouped_bars_png, stacked_shares_png
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
)
from bot.services import (
    agenda,
    attendance,
    decisions,
    development,
    literature,
    meetings,
    membership,
    qualities,
    shared_issue,
    sharing,
)
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView
from bot.services.when import format_date_local, format_datetime_local
from bot.texts import common as texts
from bot.texts import issues as issue_texts
from bot.texts import rhythm as rhythm_texts
from storage.repositories.codings import CodingRepository
from storage.repositories.contributions import ContributionRepository

Who = Callable[[int | None], str | None]

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


def labels(tr: Translator) -> Labels:
    return Labels(**{key: tr.gettext(value) for key, value in LABELS.items()})


async def build(
    unit: Unit, community: CommunityView, tr: Translator, *, team: bool
) -> CollectionDocument:
    """The whole document model, for the CoP (team=False) or the school team (team=True)."""
    _ = tr.gettext
    tz = ZoneInfo(community.timezone)
    members = await membership.list_members(unit, community.id)
    named = await sharing.named_members(unit, community.id)

    def who(member_id: int | None) -> str | None:
        if member_id is None or (team and member_id not in named):
            return None
        return next((m.name for m in members if m.id == member_id), None)

    people = [m for m in members if not team or m.id in named]
    titles = {}
    for member in people:
        titles[member.id] = (await qualities.profile(unit, community.id, member, member.id)).title
    doc_members = [
        Person(name=m.name, role=texts.role_name(tr, m.role), title=titles.get(m.id))
        for m in people
    ]
    versions = [
        IssueVersion(
            version=p.version,
            text=p.text,
            status=_(_STATUS.get(p.status, p.status)),
            date=format_date_local(p.adopted_at or p.created_at, tz, tr.language),
            agree=p.counts.get("agree", 0),
            not_yet=p.counts.get("not_yet", 0),
        )
        for p in await shared_issue.history(unit, community.id)
        if not team or p.status == "adopted"
    ]
    issues = await _individual_issues(unit, community, tr, who, team=team)
    rows = await development.development(unit, community.id)
    dev_rows = [
        DevelopmentRow(
            meeting=str(r.meeting_number or "\u2013"),
            shares=[f"{r.percent[c]}%" for c in development.ORDER],
            total=r.total,
        )
        for r in rows
    ]
    stat_rows = [
        r
        for r in await qualities.stats(unit, community.id)
        if not team or r.member in {m.name for m in people}
    ]
    quality_rows = [
        QualityRow(
            member=r.member,
            quality=r.quality,
            named=r.named,
            used=r.used,
            examples=[] if team else r.examples[:5],
        )
        for r in stat_rows
    ]
    profiles = []
    for member in people:
        view = await qualities.profile(unit, community.id, member, member.id)
        visible = [(q.quality, q.count - q.hidden) for q in view.qualities if q.count > q.hidden]
        if visible or view.title:
            profiles.append(Profile(member=member.name, title=view.title, qualities=visible))
    reading = await _reading(unit, community, who, team=team)
    meeting_entries = await _meetings(unit, community, tr, tz, team=team)
    agreements = [
        Agreement(
            text=d.text,
            status=_(_DECISION_STATUS[_decision_state(d)]),
            owner=who(d.owner_id),
            due=format_date_local(d.due, tz, tr.language) if d.due else None,
            practice=d.practice,
            follow_up=[
                _("yes {yes} \u00b7 sometimes {sometimes} \u00b7 not yet {not_yet}").format(
                    yes=d.followup.get("yes", 0),
                    sometimes=d.followup.get("sometimes", 0),
                    not_yet=d.followup.get("not_yet", 0),
                )
            ]
            * bool(d.followup)
            + ([] if team else d.remarks),
        )
        for d in await decisions.listing(unit, community.id)
        if not team or d.shareable
    ]
    charts = _charts(tr, rows, stat_rows)
    missing = [
        _(text)
        for text, absent in (
            (N_("No meetings have been planned yet."), not meeting_entries),
            (
                N_("No shared issue has been adopted yet."),
                not any(v.status == _(_STATUS["adopted"]) for v in versions),
            ),
            (N_("No contributions have been coded yet."), not dev_rows),
            (N_("No qualities have been named yet."), not quality_rows),
            (N_("No literature insights yet."), not reading),
            (N_("No agreements yet."), not agreements),
        )
        if absent
    ]
    return CollectionDocument(
        title=_("Collection document: {cop}").format(cop=community.name),
        version_label=_("Team version: only what the members marked shareable")
        if team
        else _("CoP version: confidential, for the members only"),
        generated=format_datetime_local(unit.now, tz, tr.language),
        language=tr.language,
        cop_name=community.name,
        theme=community.theme,
        members=doc_members,
        shared_issue=versions,
        individual_issues=issues,
        development_header=["I/E", "I/I", "S/E", "S/I"],
        development=dev_rows,
        development_legend=_(
            "I = individual, S = shared issue; /E = external, /I = internal attribution."
        ),
        qualities=quality_rows,
        profiles=profiles,
        reading=reading,
        meetings=meeting_entries,
        agreements=agreements,
        charts=charts,
        missing=missing,
        labels=labels(tr),
    )


async def portfolio(
    unit: Unit, community: CommunityView, member: MemberView, tr: Translator
) -> CollectionDocument:
    """A member's own record for their professional-development file."""
    _ = tr.gettext
    tz = ZoneInfo(community.timezone)
    full = await build(unit, community, tr, team=False)
    attended = [
        entry
        for entry in full.meetings
        if await attendance.answered_yes(unit, community.id, entry.number, member.id)
    ]
    return CollectionDocument(
        title=_("Portfolio of {name} in {cop}").format(name=member.name, cop=community.name),
        version_label=_("Personal record: for your own professional-development file"),
        generated=format_datetime_local(unit.now, tz, tr.language),
        language=tr.language,
        cop_name=community.name,
        theme=community.theme,
        members=[p for p in full.members if p.name == member.name],
        shared_issue=[],
        individual_issues=[i for i in full.individual_issues if i.author == member.name],
        development_header=full.development_header,
        development=[],
        development_legend="",
        qualities=[q for q in full.qualities if q.member == member.name],
        profiles=[p for p in full.profiles if p.member == member.name],
        reading=[r for r in full.reading if any(i.author == member.name for i in r.insights)],
        meetings=[e.model_copy(update={"notes": []}) for e in attended],
        agreements=[a for a in full.agreements if a.owner == member.name],
        charts=[],
        missing=[],
        labels=full.labels,
    )


_STATUS = {"proposed": N_("proposed"), "adopted": N_("adopted"), "superseded": N_("replaced")}
_DECISION_STATUS = {"proposed": N_("proposed"), "adopted": N_("adopted"), "done": N_("done")}


def _decision_state(item: decisions.DecisionView) -> str:
    if item.done:
        return "done"
    return "adopted" if item.status == "adopted" else "proposed"


async def _individual_issues(
    unit: Unit, community: CommunityView, tr: Translator, who: Who, *, team: bool
) -> list[IndividualIssue]:
    contributions = ContributionRepository(unit.session, community.id)
    rows = await contributions.of_kinds(["issue", "issue_reflection"])
    codes = {
        c.id: k
        for c, k in [
            (contribution, development.CODE_OF.get((coding.scope, coding.attribution)))
            for contribution, coding in await CodingRepository(
                unit.session, community.id
            ).latest_per_contribution()
        ]
    }
    numbers = {m.id: m.number for m in await meetings.schedule(unit, community.id)}
    reflections = {
        r.parent_id: r.text
        for r in rows
        if r.kind == "issue_reflection" and (not team or r.visibility == "team")
    }
    result = []
    for row in rows:
        if row.kind != "issue" or (team and row.visibility != "team"):
            continue
        code = codes.get(row.id)
        result.append(
            IndividualIssue(
                author=who(row.member_id),
                meeting=str(numbers.get(row.meeting_id, "\u2013")),
                text=row.text,
                reflection=reflections.get(row.id),
                code=tr.gettext(issue_texts.CODES[code]) if code else None,
            )
        )
    return result


async def _reading(
    unit: Unit, community: CommunityView, who: Who, *, team: bool
) -> list[ReadingEntry]:
    shareable = await sharing.shareable_ids(unit, community.id) if team else None
    entries = []
    for item in await literature.reading_list(unit, community.id):
        insights = [
            Insight(author=who(_author_id(i)), insight=i.insight, practice=i.practice)
            for i in item.insights
            if shareable is None or i.id in shareable
        ]
        if team and not insights:
            continue
        entries.append(
            ReadingEntry(
                source=item.source.title,
                authors=item.source.authors,
                year=item.source.year,
                link=item.source.link
                or (f"https://doi.org/{item.source.doi}" if item.source.doi else None),
                shared_by=item.shared_by if not team else None,
                insights=insights,
            )
        )
    return entries


def _author_id(insight: literature.InsightView) -> int | None:
    return insight.author_id


async def _meetings(
    unit: Unit, community: CommunityView, tr: Translator, tz: ZoneInfo, *, team: bool
) -> list[MeetingEntry]:
    entries = []
    contributions = ContributionRepository(unit.session, community.id)
    for meeting in await meetings.schedule(unit, community.id):
        counts = await attendance.counts(unit, community.id, meeting.id)
        items = await agenda.build(unit, meeting)
        notes = (
            []
            if team
            else [r.text for r in await contributions.of_meeting(meeting.id, "meeting_note")]
        )
        entries.append(
            MeetingEntry(
                number=meeting.number,
                date=format_datetime_local(meeting.starts_at, tz, tr.language),
                status=tr.gettext(rhythm_texts.STATES[meeting.state(unit.now)]),
                attendance=texts.plain(rhythm_texts.attendance_counts(tr, counts))
                if counts
                else "",
                agenda=[
                    texts.plain(line.removeprefix("\u2022 "))
                    for line in rhythm_texts.agenda_lines(
                        tr, [i for i in items if not (team and (i.by or i.label))]
                    )
                ],
                notes=notes,
            )
        )
    return entries


def _charts(
    tr: Translator,
    rows: list[development.PeriodShares],
    stat_rows: list[qualities.StatRow],
) -> list[Chart]:
    charts = []
    if rows:
        chart_labels = issue_texts.chart_labels(tr)
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
        title = tr.gettext("Qualities named and used")
        charts.append(
            Chart(
                title=title,
                alt=title,
                png=grouped_bars_png(
                    title=title,
                    labels=[f"{r.member}: {r.quality}" for r in stat_rows[:60]],
                    series=[
                        (tr.gettext("named"), [r.named for r in stat_rows[:60]]),
                        (tr.gettext("used"), [r.used for r in stat_rows[:60]]),
                    ],
                ),
            )
        )
    return charts


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M")
