"""Every sentence the bot says, built from the catalogs.

Functions take a Translator and plain values; values are escaped by `fmt`, the
single place where user text meets Telegram HTML.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from collections.abc import Sequence
from html import unescape

from bot.commands import CommandSpec, Where
from bot.errors import CopError
from bot.i18n import LANGUAGE_NAMES, N_, Np_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.flows import FlowState
from bot.services.setup import step_number
from bot.services.values import CommunityView, ErasureReport, MemberView

ERRORS = {
    "no_community": N_(
        "This group has no CoP yet. A group administrator can start one with /setup."
    ),
    "not_member": N_(
        "You are not a member of this CoP (yet). Send /join in the group to read the "
        "information letter and join. Until then I store nothing you send me."
    ),
    "not_member_anywhere": N_(
        "You are not a member of a CoP yet. Send /join in your CoP's Telegram group to read "
        "the information letter and join. Until then I store nothing you send me."
    ),
    "already_member": N_("You are already a member of this CoP."),
    "facilitator_only": N_("Only the CoP's facilitators can do this."),
    "admin_only": N_("Only an administrator of this Telegram group can do this."),
    "group_only": N_("/{command} works in your CoP's group chat, not here."),
    "private_only": N_(
        "/{command} works in a private chat with me: open @{bot} and send it there."
    ),
    "stale_button": N_("This button is no longer active."),
    "not_your_flow": N_("This question was meant for someone else."),
    "target_not_member": N_("{name} is not a member of this CoP. They can join first with /join."),
    "target_is_facilitator": N_("{name} is the CoP's facilitator already."),
    "name_empty": N_("The name cannot be empty. Please reply with a name."),
    "name_too_long": N_(
        "That name is {length} characters; please keep it under {limit}. Reply again."
    ),
    "theme_too_long": N_(
        "That theme is {length} characters; please keep it under {limit}. Reply again."
    ),
    "language_unknown": N_("Please choose Nederlands or English with the buttons."),
    "timezone_unknown": N_(
        "I do not know the time zone \u201c{value}\u201d. Use a name like Europe/Amsterdam, "
        "or press the button."
    ),
    "no_person": N_("I can only help people, not channels or bots."),
    "facilitator_usage": N_(
        "Use /facilitator @name, or reply to a member's message with /facilitator."
    ),
    "text_only": N_("Please answer with text."),
    "choose_cop_first": N_("You are in several CoPs: choose one first with /cop."),
}


def error(tr: Translator, err: CopError) -> Markup:
    """A domain error as text: services raise a code, and each feature's texts module
    lists its codes' sentences in its own `ERRORS` (collected once, see `all_errors`)."""
    template = all_errors().get(err.msgid, err.msgid)
    return fmt(tr.gettext(template), **err.values)


@functools.cache
def all_errors() -> dict[str, str]:
    """Every error code's sentence: `ERRORS` of this module and of each feature module.

    A code defined twice is a mistake (two features would fight over its text).
    """
    merged: dict[str, str] = {}
    package = importlib.import_module("bot.texts")
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"bot.texts.{info.name}")
        for code, sentence in getattr(module, "ERRORS", {}).items():
            if code in merged and merged[code] != sentence:
                raise RuntimeError(f"error code {code!r} has two texts")
            merged[code] = sentence
    return merged


def plain(text: str) -> str:
    """Telegram HTML to plain text, for places without formatting (button toasts)."""
    return unescape(re.sub(r"<[^>]+>", "", text))


def apology(tr: Translator) -> Markup:
    _ = tr.gettext
    return fmt(_("Sorry, something went wrong on my side. Nothing was saved; please try again."))


def greeting(tr: Translator) -> Markup:
    _ = tr.gettext
    return join_lines(
        [
            fmt(_("Hello! I am <b>copbot</b>, the assistant of your Community of Practice.")),
            "",
            fmt(
                _(
                    "I help you keep the rhythm of your meetings, collect practice issues, "
                    "qualities and literature insights, and record what you agree on."
                )
            ),
            fmt(_("To start, a group administrator sends /setup. Teachers join with /join.")),
            fmt(_("I only read commands and replies to my messages; see /privacy.")),
        ]
    )


def start_private(tr: Translator, names: Sequence[str]) -> Markup:
    _ = tr.gettext
    lines = [
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


def help_text(tr: Translator, specs: Sequence[CommandSpec], where: Where) -> Markup:
    _ = tr.gettext
    title = (
        _("Commands you can use in this group:")
        if where is Where.GROUP
        else _("Commands you can use here:")
    )
    lines: list[str] = [fmt("<b>{title}</b>", title=title)]
    for spec in specs:
        usage = f" {spec.usage}" if spec.usage else ""
        lines.append(
            fmt(
                "/{name}{usage} \u2013 {description}",
                name=spec.name,
                usage=usage,
                description=_(spec.description),
            )
        )
    if where is Where.GROUP:
        lines.append(fmt(_("Answer my questions by replying to my message.")))
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


def joined(tr: Translator, name: str, community: str, count: int) -> Markup:
    _ = tr.gettext
    return fmt(
        tr.ngettext(
            "Welcome, {name}! You are now a member of {cop} ({count} member).",
            "Welcome, {name}! You are now a member of {cop} ({count} members).",
            count,
        ),
        name=name,
        cop=community,
        count=count,
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


KIND_NAMES = {
    "issue": Np_("{n} practice issue", "{n} practice issues"),
    "answer": Np_("{n} answer", "{n} answers"),
    "nomination": Np_("{n} quality nomination", "{n} quality nominations"),
    "insight": Np_("{n} literature insight", "{n} literature insights"),
    "decision": Np_("{n} agreement", "{n} agreements"),
    "shared_issue": Np_("{n} shared issue proposal", "{n} shared issue proposals"),
    "agenda_point": Np_("{n} agenda point", "{n} agenda points"),
    "about_you": Np_("{n} nomination about you", "{n} nominations about you"),
}


def _counts(tr: Translator, counts: dict[str, int]) -> str:
    parts = []
    for kind, n in sorted(counts.items()):
        singular, plural = KIND_NAMES.get(kind, Np_("{n} item", "{n} items"))
        parts.append(tr.ngettext(singular, plural, n).format(n=n))
    return ", ".join(parts)


def left(tr: Translator, report: ErasureReport) -> Markup:
    _ = tr.gettext
    lines = [fmt(_("You have left {cop}. Your consent is withdrawn."), cop=report.community_name)]
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
        lines.append(fmt("\u2022 {name}{role}", name=member.name, role=role))
    return join_lines(lines)


def facilitator_changed(tr: Translator, member: MemberView) -> Markup:
    _ = tr.gettext
    if member.role == "cofacilitator":
        return fmt(_("{name} is now a co-facilitator."), name=member.name)
    return fmt(_("{name} is no longer a co-facilitator."), name=member.name)


SETUP_QUESTIONS = {
    "name": N_("What is the name of this CoP? Reply to this message."),
    "theme": N_(
        "What practice problem does the CoP work on (for example \u201cexternalising "
        "behaviour\u201d)? Reply to this message, or skip."
    ),
    "language": N_("Which language should I speak in this group?"),
    "timezone": N_(
        "Which time zone are your meetings in? Press the button, or reply with a name like "
        "Europe/Brussels."
    ),
}


def setup_step(tr: Translator, state: FlowState) -> Markup:
    _ = tr.gettext
    header = fmt(_("<b>Setup, step {n} of 4</b>"), n=step_number(state))
    current = state.data["answers"].get(state.step)
    lines: list[str] = [header, fmt(_(SETUP_QUESTIONS[state.step]))]
    if state.data.get("editing") and current and state.step in ("name", "theme"):
        lines.append(fmt(_("Now: {value}"), value=current))
    lines.append(fmt(_("Send /cancel to stop without saving.")))
    return join_lines(lines)


def setup_summary(tr: Translator, state: FlowState) -> Markup:
    _ = tr.gettext
    answers = state.data["answers"]
    lines: list[str] = [
        fmt(_("<b>Please check:</b>")),
        fmt(_("Name: {value}"), value=answers["name"]),
        fmt(_("Theme: {value}"), value=answers["theme"] or "\u2013"),
        fmt(_("Language: {value}"), value=LANGUAGE_NAMES[answers["language"]]),
        fmt(_("Time zone: {value}"), value=answers["timezone"]),
    ]
    if not state.data.get("editing"):
        lines.append(
            fmt(
                _(
                    "Saving makes you the facilitator and a member; you agree to the "
                    "information letter (/privacy)."
                )
            )
        )
    return join_lines(lines)


def setup_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {
        "keep": _("Keep \u201c{value}\u201d"),
        "skip": _("Skip"),
        "save": _("Save"),
        "cancel": _("Cancel"),
    }


def setup_saved(tr: Translator, community: CommunityView, created: bool) -> Markup:
    _ = tr.gettext
    if created:
        return join_lines(
            [
                fmt(_("{cop} is set up. You are its facilitator."), cop=community.name),
                fmt(_("Teachers can now join with /join. See /help for everything else.")),
            ]
        )
    return fmt(_("The settings of {cop} are saved."), cop=community.name)


def cancelled(tr: Translator, had_flow: bool) -> str:
    _ = tr.gettext
    if had_flow:
        return _("Stopped. Nothing of it was saved.")
    return _("There was nothing to stop.")


def unknown_command(tr: Translator, command: str) -> Markup:
    _ = tr.gettext
    return fmt(_("I do not know the command {command}. See /help."), command=command)


def bot_removed(tr: Translator, community: str) -> Markup:
    _ = tr.gettext
    return fmt(
        _(
            "I was removed from the group of {cop}, so reminders and prompts for it have "
            "stopped. Add me to the group again to resume; the CoP's data is kept until then."
        ),
        cop=community,
    )


def choose_cop(tr: Translator) -> str:
    return tr.gettext("You are a member of several CoPs. Which CoP is this about?")


def cop_chosen(tr: Translator, community: str) -> Markup:
    _ = tr.gettext
    return fmt(_("Your private messages now go to {cop}."), cop=community)


def nothing_open(tr: Translator, community: str) -> Markup:
    _ = tr.gettext
    return fmt(
        _(
            "There is no open question in {cop} right now, so I did not store your message. "
            "See /help for what you can do."
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
