"""What each command of `bot.commands` is called in the menus and in /help, and its usage.

The command table holds routes and rights; the words about a command live here,
keyed by the command's name (a test checks every command has its description).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.commands import CommandSpec, Where
from bot.i18n import N_, Translator
from bot.render.html import Markup, fmt, join_lines
from bot.render.pages import PHONE_LINES
from bot.texts import keywords

DESCRIPTIONS: dict[str, str] = {
    "start": N_("What this bot does"),
    "help": N_("The commands you can use here"),
    "privacy": N_("The information letter: what is stored"),
    "join": N_("Join this CoP (after reading the letter)"),
    "members": N_("Members and their roles"),
    "leave": N_("Leave the CoP and erase your data"),
    "cop": N_("Choose the CoP your private messages are for"),
    "cancel": N_("Stop what you are doing with the bot"),
    "language": N_("The language I write to you in privately"),
    "taal": N_("The language I write to you in privately"),
    "setup": N_("Set up or edit this CoP (group admins)"),
    "facilitator": N_("Add or remove a co-facilitator"),
    "meetings": N_("The meeting schedule with agendas"),
    "calendar": N_("The schedule as a calendar file (.ics)"),
    "agenda": N_("The agenda of the next meeting (or meeting N)"),
    "absent": N_("Send apologies for the next meeting (or meeting N)"),
    "plan": N_("Plan a series of meetings (/plan next: like the last one)"),
    "chair": N_("Who chairs the next meetings; rotate the chair so the CoP runs itself"),
    "meeting": N_("Add, move or cancel one meeting"),
    "reminders": N_("See and set the reminders"),
    "weekly": N_("Move or switch off the weekly question"),
    "holidays": N_("Skip school holidays of your region"),
    "checkin": N_("A warm private message to members who miss two meetings"),
    "presence": N_("Tick who was at meeting N (default: the last one)"),
    "recap": N_("Draft and post the recap of meeting N (default: the last one)"),
    "issues": N_("Start or close an issue round"),
    "mine": N_("Your own contributions: see, edit, delete"),
    "code": N_("Code contributions (facilitators, privately)"),
    "agreement": N_("Agreement between two coders, and resolving disagreements"),
    "development": N_("How the practice issue developed per meeting"),
    "shared": N_("The shared issue: propose, react, see its versions"),
    "qualities": N_("Quality round: start, close, stats (privately: do your part)"),
    "nominate": N_("Name a colleague's quality"),
    "profile": N_("Qualities others named in you (or in @name)"),
    "used": N_("Log that a quality helped (using qualities)"),
    "insight": N_("Share a literature insight"),
    "reading": N_("The reading list with insights"),
    "decide": N_("Record an agreement"),
    "decisions": N_("Open and done agreements"),
    "document": N_("The collection document (Word, HTML, Markdown)"),
    "share": N_("Choose what you share with the school team"),
    "portfolio": N_("Your own record as a Word file"),
    "archive": N_("End the cycle: stop reminders, keep data for a while"),
    "pause": N_("Pause all reminders"),
    "resume": N_("Resume the reminders"),
}

#: The arguments a command takes, as shown in /help, in the reader's language. A word
#: in braces is a keyword (`bot.texts.keywords`): /help shows the word that language's
#: reader types, so the usage and what the bot accepts cannot drift apart.
USAGES: dict[str, str] = {
    "facilitator": N_("@name"),
    "agenda": N_("[N]"),
    "absent": N_("[N] [reason]"),
    "plan": N_("[{next}]"),
    "chair": N_("[{rotate} | {off}]"),
    "meeting": N_("{add}|{move}|{cancel} ..."),
    "reminders": N_("[2d 1h | {off}]"),
    "weekly": N_("thu 16:00 | {off}"),
    "holidays": N_("{north}|{middle}|{south}|{off}"),
    "checkin": N_("{on}|{off}"),
    "presence": N_("[N]"),
    "recap": N_("[N]"),
    "issues": N_("[{close} | {nudge} {off} | {guard} {off}]"),
    "code": N_("[{all} | {second}]"),
    "shared": N_("[text | {history}]"),
    "qualities": N_("[{close} | {stats}]"),
    "profile": N_("[@name]"),
    "used": N_("[@name quality: situation]"),
    "insight": N_("[source]"),
    "decide": N_("text [@name] [by date]"),
    "document": N_("[{team}] [docx|md|html]"),
    "share": N_("[{name} {on}|{off}]"),
    "language": N_("[{en} | {nl} | {auto}]"),
    "taal": N_("[{en} | {nl} | {auto}]"),
}


def usage_of(tr: Translator, name: str) -> str:
    """The command's arguments as /help shows them, with the reader's keywords."""
    shown = {key: keywords.shown(tr, key) for key in keywords.KEYWORDS}
    return tr.gettext(USAGES[name]).format(**shown)


def description(tr: Translator, name: str) -> str:
    """The command's menu line, in the reader's language."""
    return tr.gettext(DESCRIPTIONS[name])


def help_text(tr: Translator, specs: Sequence[CommandSpec], where: Where) -> Markup:
    _ = tr.gettext
    title = (
        _("Commands you can use in this group:")
        if where is Where.GROUP
        else _("Commands you can use here:")
    )
    lines: list[str] = [fmt("<b>{title}</b>", title=title)]
    for spec in specs:
        usage = f" {usage_of(tr, spec.name)}" if spec.name in USAGES else ""
        lines.append(
            fmt(
                "/{name}{usage} \u2013 {description}",
                name=spec.name,
                usage=usage,
                description=description(tr, spec.name),
            )
        )
    if where is Where.GROUP:
        lines.append(fmt(_("Answer my questions by replying to my message.")))
    return join_lines(lines)


def help_pages(tr: Translator, specs: Sequence[CommandSpec], where: Where) -> list[Markup]:
    """/help in the group, a phone screen per page (title, ten commands, the hint); in a
    private chat, where it bothers nobody, all of it at once."""
    if where is not Where.GROUP:
        return [help_text(tr, specs, where)]
    size = PHONE_LINES - 2
    chunks = [specs[i : i + size] for i in range(0, len(specs), size)] or [specs]
    return [help_text(tr, chunk, where) for chunk in chunks]
