"""What the bot says in the /setup dialogue."""

from __future__ import annotations

from bot.i18n import LANGUAGE_NAMES, N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.services.setup import SetupSaved, SetupStep
from bot.texts.membership import information_letter

ERRORS = {
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
}


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


def setup_step(tr: Translator, state: SetupStep) -> Markup:
    _ = tr.gettext
    header = fmt(_("<b>Setup, step {n} of 4</b>"), n=state.number)
    current = state.current
    lines: list[str] = [header, fmt(_(SETUP_QUESTIONS[state.step]))]
    if state.editing and current and state.step in ("name", "theme"):
        lines.append(fmt(_("Now: {value}"), value=current))
    lines.append(fmt(_("Send /cancel to stop without saving.")))
    return join_lines(lines)


def setup_summary(tr: Translator, state: SetupStep) -> Markup:
    _ = tr.gettext
    answers = state.answers
    lines: list[str] = [
        fmt(_("<b>Please check:</b>")),
        fmt(_("Name: {value}"), value=answers.name),
        fmt(_("Theme: {value}"), value=answers.theme or "\u2013"),
        fmt(_("Language: {value}"), value=LANGUAGE_NAMES[answers.language]),
        fmt(_("Time zone: {value}"), value=answers.timezone),
    ]
    if state.needs_consent:
        lines += [
            "",
            information_letter(tr, answers.name),
            "",
            fmt(
                _(
                    "Saving makes you a member and a facilitator of this CoP. Do you agree to "
                    "the information letter above? Nothing of yours is stored until you press "
                    "“I agree, save”."
                )
            ),
        ]
    return join_lines(lines)


def setup_labels(tr: Translator) -> dict[str, str]:
    _ = tr.gettext
    return {
        "keep": _("Keep \u201c{value}\u201d"),
        "skip": _("Skip"),
        "save": _("Save"),
        "agree": _("I agree, save"),
        "cancel": _("Cancel"),
    }


def setup_saved(tr: Translator, saved: SetupSaved) -> Markup:
    _ = tr.gettext
    community = saved.community
    if saved.created:
        return join_lines(
            [
                fmt(_("{cop} is set up. You are its facilitator."), cop=community.name),
                fmt(_("Teachers can now join with /join. See /help for everything else.")),
            ]
        )
    return fmt(_("The settings of {cop} are saved."), cop=community.name)
