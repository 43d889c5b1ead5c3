"""What the bot says about issue rounds, answers, reflections and the pupil-name guard.

Coding, development, the shared issue and /mine have their own modules, named as
their services; `CODES` and `chart_labels` stay importable from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.issues import AnswerSaved, Progress, RoundStatus
from bot.services.pupil_names import Finding
from bot.texts.coding import CODES
from bot.texts.development import chart_labels
from bot.texts.rhythm import when

__all__ = [
    "CODES",
    "answer_saved",
    "chart_labels",
    "duplicate_labels",
    "duplicate_question",
    "guard_dropped",
    "guard_labels",
    "guard_warning",
    "private_prompt",
    "progress",
    "reflection_question",
    "reflection_saved",
    "round_closed",
    "round_prompt",
    "switch_set",
]

ERRORS = {
    "issue_round_open": N_("An issue round is already open. Close it first with /issues close."),
    "issue_round_none": N_("There is no open issue round. Start one with /issues."),
    "issue_round_closed": N_("This issue round is closed, so your answer was not saved."),
    "issue_gone": N_("That practice issue no longer exists."),
}


def round_prompt(tr: Translator, closes_at: datetime | None, tz: ZoneInfo) -> Markup:
    _ = tr.gettext
    lines: list[str] = [
        fmt(_("<b>Issue round: your practice issue</b>")),
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


def private_prompt(tr: Translator, name: str) -> Markup:
    """The issue round's question in the private chat, opened from the group's link."""
    _ = tr.gettext
    return join_lines(
        [
            fmt(_("<b>Practice issue in view</b> ({cop})"), cop=name),
            fmt(
                _(
                    "Reply to this message with a) your own practice issue: what do you run "
                    "into in your class? and b) if you see one, a possible shared issue for the "
                    "CoP (start it with \u201cb)\u201d)."
                )
            ),
            fmt(_("Use pseudonyms (\u201cpupil A\u201d), never names. Several lines are fine.")),
        ]
    )


def progress(tr: Translator, state: Progress) -> Markup:
    _ = tr.gettext
    lines: list[str] = [fmt(_("Answered: {names}."), names=", ".join(state.answered) or "\u2013")]
    if state.waiting:
        lines.append(fmt(_("Not yet: {names}."), names=", ".join(state.waiting)))
    return join_lines(lines)


def answer_saved(tr: Translator, saved: AnswerSaved) -> Markup:
    _ = tr.gettext
    name = saved.name
    replaced, has_shared = saved.replaced, saved.has_shared
    if replaced:
        head = fmt(_("Thanks, {name}: your earlier answer is replaced."), name=name)
    elif has_shared:
        head = fmt(
            _("Thanks, {name}: your practice issue and your possible shared issue are saved."),
            name=name,
        )
    else:
        head = fmt(_("Thanks, {name}: your practice issue is saved."), name=name)
    return join_lines([head, fmt(_("See or change it with /mine."))])


def round_status(tr: Translator, status: RoundStatus, tz: ZoneInfo) -> Markup:
    """The round's prompt with its progress: one status message, edited in place, instead
    of a public "not yet" list under every answer."""
    state = status.progress
    total = len(state.answered) + len(state.waiting)
    return join_lines(
        [
            round_prompt(tr, status.round_.closes_at, tz),
            "",
            fmt(
                tr.gettext("Answered so far: {n} of {total}."),
                n=len(state.answered),
                total=total,
            ),
        ]
    )


def reflection_question(tr: Translator, name: str) -> Markup:
    return fmt(
        tr.gettext(
            "{name}, one more question: what part of this can you or the school change? "
            "Reply to this message (or leave it)."
        ),
        name=name,
    )


def saved_and_asked(tr: Translator, saved: AnswerSaved) -> Markup:
    """The confirmation with the reflection question under it, as one message."""
    return join_lines([answer_saved(tr, saved), "", reflection_question(tr, saved.name)])


def reflection_saved(tr: Translator) -> str:
    return tr.gettext("Thank you! Saved with your practice issue.")


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
