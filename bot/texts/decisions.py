"""What the bot says about agreements, practices and their follow-up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.decisions import DecisionView, Reaction
from bot.services.when import format_date_local
from bot.texts.examples import examples

ERRORS = {
    "decide_usage": N_(
        "Write the agreement after /decide (optionally @name and by {example_date}), "
        "or reply to a message with /decide."
    ),
    "agreement_too_long": N_("Please keep an agreement under {limit} characters."),
    "due_in_past": N_("{date} is in the past; choose a due date from today on."),
    "already_adopted": N_(
        "This agreement is already adopted; objections can be raised at the next meeting."
    ),
    "agreement_gone": N_("That agreement does not exist (any more)."),
    "fix_not_yours": N_(
        "Only who proposed this agreement, or a facilitator, can change its owner and date."
    ),
    "fix_unreadable": N_(
        "I could not read an owner or a date in that. Write for example: @bram by "
        "{example_date} (or - for neither)."
    ),
}


def _status(tr: Translator, item: DecisionView) -> str:
    _ = tr.gettext
    if item.status != "adopted":
        return _("proposed")
    if item.done:
        return _("done")
    return _("new practice") if item.practice else _("adopted")


def decision(tr: Translator, item: DecisionView, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(_("<b>Agreement {n}</b> ({status})"), n=item.number, status=_status(tr, item)),
        fmt("{text}", text=item.text),
    ]
    if item.owner_name:
        lines.append(fmt(_("Owner: {name}"), name=item.owner_name))
    if item.due:
        lines.append(fmt(_("Due: {date}"), date=format_date_local(item.due, tz, tr.language)))
    lines.append(
        fmt(
            _("Agree: {agree} \u00b7 object: {object} (of {members} members)"),
            agree=item.counts.get("agree", 0),
            object=item.counts.get("object", 0),
            members=item.members,
        )
    )
    if item.status != "adopted":
        lines.append(
            fmt(
                _(
                    "Adopted when more than half agree, or when nobody objects by the end "
                    "of the meeting."
                )
            )
        )
    return join_lines(lines)


def fix_question(tr: Translator, number: int, today: date) -> str:
    return tr.gettext(
        "Who takes agreement {number} on, and by when? Reply to this message, for example: "
        "@bram by {example_date} (or - for neither)."
    ).format(number=number, **examples(tr, today))


def fixed(tr: Translator, item: DecisionView, tz: ZoneInfo) -> Markup:
    """What is understood now, in one line."""
    _ = tr.gettext
    owner = item.owner_name or _("nobody yet")
    due = format_date_local(item.due, tz, tr.language) if item.due else _("no date")
    return fmt(
        _("Agreement {number}: owner {owner}, due {due}."), number=item.number, owner=owner, due=due
    )


def decision_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {
        "fix": _("\u270f\ufe0f Owner and date"),
        "agree": _("Agree"),
        "object": _("Object"),
        "practice": _("New practice"),
        "done": _("Done"),
        "not_done": _("Not yet"),
    }


def voted(tr: Translator, choice: str) -> str:
    _ = tr.gettext
    return _("Noted: you agree.") if choice == "agree" else _("Noted: you object.")


def reacted(tr: Translator, reaction: Reaction) -> str:
    """The toast after a press on an agreement's buttons."""
    if reaction.choice == "practice":
        return practice_set(tr, reaction.item)
    return voted(tr, reaction.choice)


def adopted(tr: Translator, item: DecisionView) -> Markup:
    return fmt(tr.gettext("\u2705 Agreement {n} is adopted: {text}"), n=item.number, text=item.text)


def adopted_at_end(tr: Translator, items: Sequence[DecisionView]) -> Markup:
    _ = tr.gettext
    lines: list[str] = [fmt(_("Nobody objected, so these agreements are adopted:"))]
    lines += [fmt("\u2022 {n}. {text}", n=i.number, text=i.text) for i in items]
    return join_lines(lines)


def practice_set(tr: Translator, item: DecisionView) -> str:
    _ = tr.gettext
    return (
        _("Marked as a new practice; I will ask in a few weeks whether you use it.")
        if item.practice
        else _("No longer marked as a new practice.")
    )


def listing(tr: Translator, items: Sequence[DecisionView], tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    if not items:
        return fmt(_("No agreements yet. Record one with /decide followed by the agreement."))
    open_items = [i for i in items if not i.done]
    done_items = [i for i in items if i.done]
    lines: list[str] = [fmt(_("<b>Open agreements</b>"))]
    lines += _more(tr, len(open_items))
    for item in open_items[-LISTED:]:
        extra = []
        if item.owner_name:
            extra.append(item.owner_name)
        if item.due:
            extra.append(format_date_local(item.due, tz, tr.language))
        lines.append(
            fmt(
                "\u2022 {n}. {text} ({status}{extra})",
                n=item.number,
                text=item.text,
                status=_status(tr, item),
                extra=(" \u00b7 " + " \u00b7 ".join(extra)) if extra else "",
            )
        )
        if item.followup:
            lines.append(
                fmt(
                    _("   in use: yes {yes} \u00b7 sometimes {sometimes} \u00b7 not yet {not_yet}"),
                    yes=item.followup.get("yes", 0),
                    sometimes=item.followup.get("sometimes", 0),
                    not_yet=item.followup.get("not_yet", 0),
                )
            )
    if not open_items:
        lines.append("\u2013")
    lines.append(fmt(_("<b>Done</b>")))
    lines += _more(tr, len(done_items))
    shown = done_items[-LISTED:]
    lines += [fmt("\u2022 {n}. {text}", n=i.number, text=i.text) for i in shown] or ["\u2013"]
    return join_lines(lines)


#: How many agreements of each kind /decisions shows: the newest, so the list stays short.
LISTED = 25


def _more(tr: Translator, count: int) -> list[str]:
    if count <= LISTED:
        return []
    return [
        fmt(
            tr.gettext("\u2026 and {n} more (the oldest are not shown)"),
            n=count - LISTED,
        )
    ]


def due_soon(tr: Translator, item: DecisionView, tz: ZoneInfo, name: str) -> Markup:
    return fmt(
        tr.gettext("{name}, a reminder: agreement {n} is due on {date}: {text}"),
        name=name,
        n=item.number,
        text=item.text,
        date=format_date_local(item.due, tz, tr.language) if item.due else "",
    )


def due_today(tr: Translator, item: DecisionView, name: str) -> Markup:
    return fmt(
        tr.gettext("{name}, agreement {n} is due today: {text}. Is it done?"),
        name=name,
        n=item.number,
        text=item.text,
    )


def done_set(tr: Translator, done: bool) -> str:
    _ = tr.gettext
    return _("Marked as done. Thank you!") if done else _("Noted: not done yet.")


def followup(tr: Translator, item: DecisionView) -> Markup:
    return fmt(
        tr.gettext(
            "\U0001f50e Some weeks ago we agreed on a new practice: {text}. Do you "
            "use it? Press a button; reply to this message to add a remark."
        ),
        text=item.text,
    )


def followup_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {"yes": _("Yes"), "sometimes": _("Sometimes"), "not_yet": _("Not yet")}


def followup_counts(tr: Translator, item: DecisionView) -> Markup:
    return fmt(
        tr.gettext("In use: yes {yes} \u00b7 sometimes {sometimes} \u00b7 not yet {not_yet}"),
        yes=item.followup.get("yes", 0),
        sometimes=item.followup.get("sometimes", 0),
        not_yet=item.followup.get("not_yet", 0),
    )


def followup_with_counts(tr: Translator, item: DecisionView) -> Markup:
    return Markup(followup(tr, item) + "\n" + followup_counts(tr, item))


def followup_noted(tr: Translator) -> str:
    return tr.gettext("Thanks, your answer is noted.")


def remark_saved(tr: Translator) -> str:
    return tr.gettext("Thanks, your remark is saved with the follow-up.")


def remark_saved_ask(tr: Translator) -> str:
    """A remark came without an answer: the buttons ask for it (a text is not a "yes")."""
    return tr.gettext(
        "Thanks, your remark is saved. Do you use it already? Choose an answer below."
    )
