"""What the bot says about practice issues, coding, development and the shared issue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.coding import CodingItem
from bot.services.development import ORDER, PeriodShares
from bot.services.intake import Finding
from bot.services.issues import Progress
from bot.services.mine import OwnItem
from bot.services.shared_issue import Proposal
from bot.texts.rhythm import when

KINDS = {
    "issue": N_("practice issue"),
    "shared_suggestion": N_("possible shared issue"),
    "issue_reflection": N_("what you can change"),
    "shared_issue": N_("shared issue"),
    "shared_comment": N_("comment on the shared issue"),
    "weekly_share": N_("weekly experience"),
    "agenda_point": N_("agenda point"),
    "meeting_note": N_("meeting log"),
}
CODES = {
    "ie": N_("individual / external"),
    "ii": N_("individual / internal"),
    "se": N_("shared / external"),
    "si": N_("shared / internal"),
    "x": N_("not about an issue"),
}


def kind_name(tr: Translator, kind: str) -> str:
    return tr.gettext(KINDS[kind]) if kind in KINDS else kind


def round_prompt(tr: Translator, closes_at: datetime | None, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(_("<b>Practice issue in view</b>")),
        fmt(_("Everyone: reply to this message, or write to me privately, with")),
        fmt(_("a) your own practice issue: what do you run into in your class?")),
        fmt(
            _(
                "b) if you see one, a possible shared issue for the CoP "
                "(start it with \u201cb)\u201d)."
            )
        ),
        fmt(_("Use pseudonyms (\u201cpupil A\u201d), never names. Several lines are fine.")),
    ]
    if closes_at is not None:
        lines.append(fmt(_("Answers are welcome until {when}."), when=when(tr, closes_at, tz)))
    return join_lines(lines)


def progress(tr: Translator, state: Progress) -> Markup:
    _ = tr.gettext
    lines: list[str] = [fmt(_("Answered: {names}."), names=", ".join(state.answered) or "\u2013")]
    if state.waiting:
        lines.append(fmt(_("Not yet: {names}."), names=", ".join(state.waiting)))
    return join_lines(lines)


def answer_saved(
    tr: Translator, name: str, state: Progress, *, replaced: bool, has_shared: bool
) -> Markup:
    _ = tr.gettext
    if replaced:
        head = fmt(_("Thanks, {name}: your earlier answer is replaced."), name=name)
    elif has_shared:
        head = fmt(
            _("Thanks, {name}: your practice issue and your possible shared issue are saved."),
            name=name,
        )
    else:
        head = fmt(_("Thanks, {name}: your practice issue is saved."), name=name)
    return join_lines([head, progress(tr, state), fmt(_("See or change it with /mine."))])


def reflection_question(tr: Translator, name: str) -> Markup:
    return fmt(
        tr.gettext(
            "{name}, one more question: what part of this can you or the school change? "
            "Reply to this message (or leave it)."
        ),
        name=name,
    )


def reflection_saved(tr: Translator) -> str:
    return tr.gettext("Thank you; saved with your practice issue.")


def duplicate_question(tr: Translator) -> str:
    return tr.gettext(
        "You already answered in this round. Replace your earlier answer, or add this one?"
    )


def duplicate_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"r": _("Replace"), "a": _("Add"), "c": _("Cancel")}


def guard_warning(tr: Translator, findings: Sequence[Finding], suggestion: str) -> Markup:
    _ = tr.gettext
    found = ", ".join(f"\u201c{f.excerpt}\u201d" for f in findings)
    return join_lines(
        [
            fmt(
                _(
                    "\u26a0\ufe0f This may name a pupil or personal details: {found}. "
                    "Practice issues "
                    "stay anonymous: please use a pseudonym such as \u201cpupil A\u201d."
                ),
                found=found,
            ),
            "",
            fmt(_("Suggested version:")),
            fmt("<i>{text}</i>", text=suggestion),
            "",
            fmt(_("Nothing is saved until you choose.")),
        ]
    )


def guard_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {
        "use": _("Use the suggestion"),
        "keep": _("Save as I wrote it"),
        "drop": _("Cancel, I'll rewrite"),
    }


def guard_dropped(tr: Translator) -> str:
    return tr.gettext("Not saved. Send your rewritten text when you are ready.")


def round_closed(tr: Translator, state: Progress) -> Markup:
    return join_lines([fmt(tr.gettext("The issue round is closed.")), progress(tr, state)])


def switch_set(tr: Translator, name: str, on: bool) -> Markup:
    _ = tr.gettext
    names = {
        "nudge": _("The follow-up question about what you can change"),
        "guard": _("The warning when a text may name a pupil"),
    }
    return fmt(_("{what} is on.") if on else _("{what} is off."), what=names[name])


def mine(tr: Translator, name: str, items: Sequence[OwnItem], tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    if not items:
        return fmt(_("You have no contributions in {cop} (yet)."), cop=name)
    lines: list[str] = [fmt(_("<b>Your contributions in {cop}</b>"), cop=name)]
    for index, item in enumerate(items, start=1):
        text = item.text if len(item.text) <= 300 else item.text[:300] + "\u2026"
        lines.append(
            fmt("<b>{n}.</b> [{kind}] {text}", n=index, kind=kind_name(tr, item.kind), text=text)
        )
    lines.append(fmt(_("Change or delete one with the buttons.")))
    return join_lines(lines)


def mine_labels(tr: Translator, n: int) -> tuple[str, str]:
    _ = tr.gettext
    return _("Edit {n}").format(n=n), _("Delete {n}").format(n=n)


def edit_question(tr: Translator, item: OwnItem) -> Markup:
    return join_lines(
        [
            fmt(tr.gettext("Reply to this message with the new text for:")),
            fmt("<i>{text}</i>", text=item.text[:500]),
        ]
    )


def edited(tr: Translator) -> str:
    return tr.gettext("Changed.")


def delete_question(tr: Translator, item: OwnItem) -> Markup:
    return join_lines(
        [fmt(tr.gettext("Delete this for good?")), fmt("<i>{text}</i>", text=item.text[:500])]
    )


def delete_labels(tr: Translator) -> tuple[str, str]:
    _ = tr.gettext
    return _("Yes, delete"), _("No, keep it")


def deleted(tr: Translator) -> str:
    return tr.gettext("Deleted.")


def kept(tr: Translator) -> str:
    return tr.gettext("Kept.")


def code_book(tr: Translator) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(_("<b>Code book</b>")),
            fmt(
                _(
                    "<b>Individual issue</b>: about a personal situation in one's own "
                    "teaching practice."
                )
            ),
            fmt(
                _(
                    "<b>Shared issue</b>: about teaching practice and what the CoP can mean "
                    "for it, "
                    "aimed at the school."
                )
            ),
            fmt(
                _(
                    "<b>Internal attribution</b>: causes and solutions are seen within the "
                    "person and/or "
                    "the school: ability, effort, mood."
                )
            ),
            fmt(
                _(
                    "<b>External attribution</b>: causes and solutions are seen outside the "
                    "person and/or "
                    "the school: the difficulty of the task, luck, prejudice."
                )
            ),
        ]
    )


def coding_item(tr: Translator, item: CodingItem) -> Markup:
    _ = tr.gettext
    meeting = fmt(_("meeting {n}"), n=item.meeting_number) if item.meeting_number else fmt("\u2013")
    code = tr.gettext(CODES[item.code]) if item.code else _("not coded yet")
    return join_lines(
        [
            fmt(
                "<b>#{id}</b> \u00b7 {meeting} \u00b7 {kind} \u00b7 {author}",
                id=item.contribution_id,
                meeting=meeting,
                kind=kind_name(tr, item.kind),
                author=item.author,
            ),
            fmt("{text}", text=item.text[:1500]),
            fmt(_("Code: {code}"), code=code),
        ]
    )


def code_labels(tr: Translator) -> dict[str, str]:
    return {key: tr.gettext(label) for key, label in CODES.items()}


def coding_summary(tr: Translator, shown: int, uncoded: int) -> Markup:
    _ = tr.gettext
    if shown == 0:
        return fmt(_("Nothing to code: every contribution has a code. /code all shows them again."))
    return fmt(
        tr.ngettext(
            "{n} contribution still has no code.", "{n} contributions still have no code.", uncoded
        ),
        n=uncoded,
    )


def development(tr: Translator, rows: Sequence[PeriodShares]) -> Markup:
    _ = tr.gettext
    if not rows:
        return fmt(
            _(
                "There is no coded data yet. A facilitator codes contributions with /code "
                "in a private chat with me."
            )
        )
    header = [_("Meeting"), "I/E", "I/I", "S/E", "S/I", "n"]
    table = ["{:<12}{:>6}{:>6}{:>6}{:>6}{:>5}".format(*header)]
    for row in rows:
        label = str(row.meeting_number) if row.meeting_number else "\u2013"
        table.append(
            "{:<12}{:>5}%{:>5}%{:>5}%{:>5}%{:>5}".format(
                label, *(row.percent[code] for code in ORDER), row.total
            )
        )
    return join_lines(
        [
            fmt(_("<b>Development of the practice issue</b> (share per meeting)")),
            fmt("<pre>{table}</pre>", table="\n".join(table)),
            fmt(_("I = individual, S = shared issue; /E = external, /I = internal attribution.")),
        ]
    )


def chart_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {
        "title": _("Development of the practice issue"),
        "meeting": _("Meeting"),
        **{code: tr.gettext(CODES[code]) for code in ORDER},
    }


def proposal(tr: Translator, item: Proposal) -> Markup:
    _ = tr.gettext
    status = {
        "proposed": _("proposed"),
        "adopted": _("adopted"),
        "superseded": _("replaced by a newer version"),
    }[item.status]
    return join_lines(
        [
            fmt(_("<b>Shared issue, version {v}</b> ({status})"), v=item.version, status=status),
            fmt("{text}", text=item.text),
            "",
            fmt(
                _("Agree: {agree} \u00b7 not yet: {not_yet} (of {members} members)"),
                agree=item.counts.get("agree", 0),
                not_yet=item.counts.get("not_yet", 0),
                members=item.members,
            ),
            (
                fmt(_("Adopted when all members agree. Reply to this message to comment."))
                if item.rule == "all"
                else fmt(
                    _(
                        "Adopted when more than half of the members agree. Reply to this message "
                        "to comment."
                    )
                )
            )
            if item.status == "proposed"
            else "",
        ]
    )


def vote_labels(tr: Translator) -> tuple[str, str]:
    _ = tr.gettext
    return _("Agree"), _("Not yet")


def voted(tr: Translator, choice: str) -> str:
    _ = tr.gettext
    return _("Noted: you agree.") if choice == "agree" else _("Noted: not yet.")


def adopted(tr: Translator, item: Proposal, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(
                _("\U0001f4cc <b>Our shared issue</b> (version {v}, adopted {when}):"),
                v=item.version,
                when=when(tr, item.adopted_at or item.created_at, tz),
            ),
            fmt("{text}", text=item.text),
        ]
    )


def pin_failed(tr: Translator) -> str:
    return tr.gettext(
        "(I cannot pin it myself: I am not an administrator. A group admin can pin "
        "the message above.)"
    )


def history(tr: Translator, items: Sequence[Proposal], tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    if not items:
        return fmt(
            _(
                "No shared issue has been proposed yet. Facilitators: /shared followed by "
                "the text, or /shared to pick from members' suggestions."
            )
        )
    lines: list[str] = [fmt(_("<b>Versions of the shared issue</b>"))]
    for item in items:
        lines.append(
            fmt(
                "<b>{v}.</b> {when} \u00b7 {status} \u00b7 +{agree}/{not_yet}",
                v=item.version,
                when=when(tr, item.created_at, tz),
                status=_(
                    {
                        "proposed": N_("proposed"),
                        "adopted": N_("adopted"),
                        "superseded": N_("replaced"),
                    }[item.status]
                ),
                agree=item.counts.get("agree", 0),
                not_yet=item.counts.get("not_yet", 0),
            )
        )
        lines.append(fmt("{text}", text=item.text))
    return join_lines(lines)


def suggestions(tr: Translator, items: Sequence[tuple[int, str, str]]) -> Markup:
    _ = tr.gettext
    if not items:
        return fmt(
            _(
                "Members have not suggested a shared issue yet. Propose one with /shared "
                "followed by the text."
            )
        )
    lines: list[str] = [
        fmt(_("<b>Possible shared issues from the members</b> (press one to propose it):"))
    ]
    for index, (_id, text, author) in enumerate(items, start=1):
        lines.append(fmt("<b>{n}.</b> {text} ({author})", n=index, text=text[:300], author=author))
    return join_lines(lines)


def comment_saved(tr: Translator) -> str:
    return tr.gettext("Thanks, your comment is saved with this version.")


def rule_set(tr: Translator, rule: str) -> str:
    _ = tr.gettext
    return (
        _("A shared issue is now adopted when all members agree.")
        if rule == "all"
        else _("A shared issue is now adopted when more than half of the members agree.")
    )
