"""What the bot says about joining, leaving, roles, and the CoP's lifecycle."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import N_, Np_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.membership import Joined
from bot.services.values import CommunityView, ErasureReport, MemberView

ERRORS = {
    "not_member_anywhere": N_(
        "You are not a member of a CoP yet. Send /join in your CoP's Telegram group to read "
        "the information letter and join. Until then I store nothing you send me."
    ),
    "already_member": N_("You are already a member of this CoP."),
    "target_not_member": N_("{name} is not a member of this CoP. They can join first with /join."),
    "target_is_facilitator": N_("{name} is the CoP's facilitator already."),
    "member_gone": N_("That person is not a member of this CoP (any more)."),
    "facilitator_usage": N_(
        "Use /facilitator @name, or reply to a member's message with /facilitator. "
        "/facilitator participate no: you facilitate without taking part as a teacher."
    ),
    "participate_usage": N_(
        "Use /facilitator participate yes (you also take part as a teacher) or "
        "/facilitator participate no (you only facilitate)."
    ),
    "participate_teachers": N_("Teachers always take part. This choice is for facilitators."),
}


def start_private(tr: Translator, names: Sequence[str]) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(_("Hello! I am <b>copbot</b>. I support teachers' Communities of Practice.")),
        fmt(
            _(
                "I live in your CoP's group chat: the facilitator plans there, and you answer "
                "my questions in the group or here, privately."
            )
        ),
    ]
    if names:
        lines.append(fmt(_("You are a member of: {names}."), names=", ".join(names)))
        if len(names) > 1:
            lines.append(fmt(_("Choose which CoP your private messages are for with /cop.")))
    else:
        lines.append(fmt(_("To join, send /join in your CoP's group chat.")))
    lines.append(fmt(_("All commands: /help. What I store: /privacy.")))
    return join_lines(lines)


def information_letter(tr: Translator, community_name: str | None) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(_("<b>Information letter: {cop}</b>"), cop=community_name or "copbot"),
        "",
        fmt(
            _(
                "<b>What I store.</b> Only after you agree: your name and Telegram username, "
                "your role, and what you write to me for the CoP (practice issues, answers, "
                "qualities, insights, agreements)."
            )
        ),
        fmt(
            _(
                "<b>What I do not store.</b> Group chatter that is not addressed to me. Anything "
                "from people who have not joined."
            )
        ),
        fmt(
            _(
                "<b>Who sees it.</b> The members of this CoP. Nothing leaves the CoP unless the "
                "members marked it shareable."
            )
        ),
        fmt(
            _(
                "<b>Confidentiality.</b> What is said in the CoP stays in the CoP. Practice "
                "issues are about real pupils: use pseudonyms (\u201cpupil A\u201d), never names."
            )
        ),
        fmt(
            _(
                "<b>Your rights.</b> Participation is voluntary. You can withdraw at any time "
                "with /leave: your personal contributions are erased, and what the group "
                "agreed together is kept without your name."
            )
        ),
    ]
    return join_lines(lines)


def consent_question(tr: Translator) -> Markup:
    _ = tr.gettext
    return fmt(_("Do you agree and want to join? Press a button (it counts for you only)."))


def consent_labels(tr: Translator) -> tuple[str, str]:
    _ = tr.gettext
    return _("I agree, join"), _("No thanks")


def joined(tr: Translator, joined: Joined) -> Markup:
    count = joined.count
    return fmt(
        tr.ngettext(
            "Welcome, {name}! You are now a member of {cop} ({count} member).",
            "Welcome, {name}! You are now a member of {cop} ({count} members).",
            count,
        ),
        name=joined.member.name,
        cop=joined.community.name,
        count=count,
    )


def welcomed(tr: Translator, joined: Joined) -> Markup:
    """The line under the letter: who joined by it (one line, edited, not one message each)."""
    names = list(joined.welcomed)
    shown = (
        names[0]
        if len(names) == 1
        else tr.gettext("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])
    )
    return fmt(
        tr.ngettext(
            "\U0001f44b Welcome, {names}! {cop} now has {count} member.",
            "\U0001f44b Welcome, {names}! {cop} now has {count} members.",
            joined.count,
        ),
        names=shown,
        cop=joined.community.name,
        count=joined.count,
    )


def consent_declined(tr: Translator) -> str:
    return tr.gettext("Okay. Nothing about you was stored.")


def leave_question(tr: Translator, community: str) -> Markup:
    _ = tr.gettext
    return fmt(
        _(
            "Do you want to leave {cop}? Your personal contributions will be erased; what the "
            "group agreed together stays, without your name. This cannot be undone."
        ),
        cop=community,
    )


def leave_labels(tr: Translator) -> tuple[str, str]:
    _ = tr.gettext
    return _("Yes, leave and erase"), _("No, stay")


#: What `/leave` reports, per kind of contribution (`ErasureReport`): every kind a
#: member can write has its label here (tests/services/test_data_subject.py checks it).
KIND_NAMES = {
    "issue": Np_("{n} practice issue", "{n} practice issues"),
    "answer": Np_("{n} answer", "{n} answers"),
    "shared_suggestion": Np_("{n} possible shared issue", "{n} possible shared issues"),
    "issue_reflection": Np_(
        "{n} reflection on a practice issue", "{n} reflections on practice issues"
    ),
    "nomination": Np_("{n} quality nomination", "{n} quality nominations"),
    "title": Np_("{n} proposed title", "{n} proposed titles"),
    "quality_use": Np_("{n} note on using qualities", "{n} notes on using qualities"),
    "source": Np_("{n} literature source", "{n} literature sources"),
    "insight": Np_("{n} literature insight", "{n} literature insights"),
    "decision": Np_("{n} agreement", "{n} agreements"),
    "followup_answer": Np_("{n} follow-up answer", "{n} follow-up answers"),
    "shared_issue": Np_("{n} shared issue proposal", "{n} shared issue proposals"),
    "shared_comment": Np_("{n} comment on a shared issue", "{n} comments on shared issues"),
    "agenda_point": Np_("{n} agenda point", "{n} agenda points"),
    "weekly_share": Np_("{n} weekly experience", "{n} weekly experiences"),
    "meeting_note": Np_("{n} meeting log note", "{n} meeting log notes"),
    "attendance": Np_("{n} attendance answer", "{n} attendance answers"),
    "about_you": Np_("{n} nomination about you", "{n} nominations about you"),
}


def _counts(tr: Translator, counts: dict[str, int]) -> str:
    parts = []
    for kind, n in sorted(counts.items()):
        singular, plural = KIND_NAMES.get(kind, KIND_NAMES["answer"])
        parts.append(tr.ngettext(singular, plural, n).format(n=n))
    return ", ".join(parts)


def left(tr: Translator, report: ErasureReport) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(_("You have left {cop}. Your consent is withdrawn."), cop=report.community_name)
    ]
    lines.append(
        fmt(_("Erased: your name and username, and {what}."), what=_counts(tr, report.deleted))
        if report.deleted
        else fmt(_("Erased: your name and username. You had no other contributions."))
    )
    if report.anonymised:
        lines.append(
            fmt(
                _("Kept without your name (the group's shared outcomes): {what}."),
                what=_counts(tr, report.anonymised),
            )
        )
    if report.facilitators_left == 0:
        lines.append(
            fmt(
                _(
                    "The CoP has no facilitator now; a group administrator can take over with "
                    "/setup."
                )
            )
        )
    lines.append(fmt(_("You are welcome back any time with /join.")))
    return join_lines(lines)


def stayed(tr: Translator) -> str:
    return tr.gettext("Good, you stay a member. Nothing changed.")


ROLE_NAMES = {
    "facilitator": N_("facilitator"),
    "cofacilitator": N_("co-facilitator"),
    "member": N_("member"),
}


def role_name(tr: Translator, role: str) -> str:
    return tr.gettext(ROLE_NAMES.get(role, ROLE_NAMES["member"]))


def members_list(tr: Translator, community: CommunityView, members: Sequence[MemberView]) -> Markup:
    _ = tr.gettext
    if not members:
        return fmt(_("{cop} has no members yet. Join with /join."), cop=community.name)
    lines: list[str] = [
        fmt(
            tr.ngettext(
                "<b>{cop}</b>: {count} member", "<b>{cop}</b>: {count} members", len(members)
            ),
            cop=community.name,
            count=len(members),
        )
    ]
    for member in members:
        role = f" ({role_name(tr, member.role)})" if member.role != "member" else ""
        if member.is_facilitator and not member.participates:
            only = _("facilitates only")
            role = f" ({role_name(tr, member.role)}, {only})"
        lines.append(fmt("\u2022 {name}{role}", name=member.name, role=role))
    return join_lines(lines)


def facilitator_changed(tr: Translator, member: MemberView) -> Markup:
    _ = tr.gettext
    if member.role == "cofacilitator":
        return fmt(_("{name} is now a co-facilitator."), name=member.name)
    return fmt(_("{name} is no longer a co-facilitator."), name=member.name)


def participation_set(tr: Translator, member: MemberView) -> str:
    _ = tr.gettext
    if member.participates:
        return _(
            "Noted: you take part as a teacher too. You are asked whether you come and "
            "counted in rounds and votes."
        )
    return _(
        "Noted: you facilitate without taking part as a teacher. You are not asked whether "
        "you come, not listed as \u201cnot yet\u201d and not counted in rounds or votes."
    )


def bot_removed(tr: Translator, community: str) -> Markup:
    _ = tr.gettext
    return fmt(
        _(
            "I was removed from the group of {cop}, so reminders and prompts for it have "
            "stopped. Add me to the group again to resume; the CoP's data is kept until then."
        ),
        cop=community,
    )


def retention_warning(tr: Translator, community: str, days: int) -> Markup:
    _ = tr.gettext
    return fmt(
        tr.ngettext(
            "The data of {cop} will be deleted in {n} day (the bot left the group or the cycle "
            "was archived). Make the collection document now if you still need it.",
            "The data of {cop} will be deleted in {n} days (the bot left the group or the cycle "
            "was archived). Make the collection document now if you still need it.",
            days,
        ),
        cop=community,
        n=days,
    )


def archived(tr: Translator, community: str, days: int) -> Markup:
    return fmt(
        tr.gettext(
            "{cop} is archived: reminders and prompts have stopped. Its data is deleted after "
            "{n} days; make the collection document before then (/document)."
        ),
        cop=community,
        n=days,
    )
