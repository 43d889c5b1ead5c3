"""The command table: where each command works and who may use it.

One table drives the guards in handlers, `/help`, and the command menus, so the
three can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.i18n import N_


class Where(Enum):
    GROUP = "group"
    PRIVATE = "private"
    ANY = "any"


class Who(Enum):
    ANYONE = "anyone"
    GUEST = "guest"  # not a member (yet): /join is for them only
    MEMBER = "member"
    FACILITATOR = "facilitator"
    ADMIN = "admin"  # a Telegram group administrator


@dataclass(frozen=True)
class SubRule:
    """Who may use a sub-command: `keyword` is the first argument, `*` any other one
    (or none). A rule with `where` applies only in that kind of chat."""

    keyword: str
    who: Who
    where: Where = Where.ANY


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description: str
    where: Where
    who: Who
    usage: str = ""
    sub: tuple[SubRule, ...] = ()

    def rule_for(self, args: list[str], where: Where) -> Who:
        """The rank this use of the command needs: its sub-command's, else the command's."""
        keyword = args[0].lower() if args else ""
        rules = [r for r in self.sub if r.where in (where, Where.ANY)]
        for rule in rules:
            if rule.keyword == keyword:
                return rule.who
        for rule in rules:
            if rule.keyword == "*":
                return rule.who
        return self.who


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", N_("What this bot does"), Where.PRIVATE, Who.ANYONE),
    CommandSpec("help", N_("The commands you can use here"), Where.ANY, Who.ANYONE),
    CommandSpec("privacy", N_("The information letter: what is stored"), Where.ANY, Who.ANYONE),
    CommandSpec("join", N_("Join this CoP (after reading the letter)"), Where.GROUP, Who.GUEST),
    CommandSpec("members", N_("Members and their roles"), Where.GROUP, Who.ANYONE),
    CommandSpec("leave", N_("Leave the CoP and erase your data"), Where.ANY, Who.MEMBER),
    CommandSpec(
        "cop", N_("Choose the CoP your private messages are for"), Where.PRIVATE, Who.MEMBER
    ),
    CommandSpec("cancel", N_("Stop what you are doing with the bot"), Where.ANY, Who.ANYONE),
    CommandSpec("setup", N_("Set up or edit this CoP (group admins)"), Where.GROUP, Who.ADMIN),
    CommandSpec(
        "facilitator",
        N_("Add or remove a co-facilitator"),
        Where.GROUP,
        Who.FACILITATOR,
        usage="@name",
    ),
    CommandSpec("meetings", N_("The meeting schedule with agendas"), Where.GROUP, Who.ANYONE),
    CommandSpec("calendar", N_("The schedule as a calendar file (.ics)"), Where.GROUP, Who.ANYONE),
    CommandSpec(
        "agenda",
        N_("The agenda of the next meeting (or meeting N)"),
        Where.GROUP,
        Who.ANYONE,
        usage="[N]",
    ),
    CommandSpec(
        "absent",
        N_("Send apologies for the next meeting (or meeting N)"),
        Where.GROUP,
        Who.MEMBER,
        usage="[N] [reason]",
    ),
    CommandSpec("plan", N_("Plan a series of meetings"), Where.GROUP, Who.FACILITATOR),
    CommandSpec(
        "meeting",
        N_("Add, move or cancel one meeting"),
        Where.GROUP,
        Who.FACILITATOR,
        usage="add|move|cancel ...",
    ),
    CommandSpec(
        "reminders",
        N_("See and set the reminders"),
        Where.GROUP,
        Who.FACILITATOR,
        usage="[2d 1h | off]",
    ),
    CommandSpec(
        "weekly",
        N_("Move or switch off the weekly question"),
        Where.GROUP,
        Who.FACILITATOR,
        usage="thu 16:00 | off",
    ),
    CommandSpec(
        "holidays",
        N_("Skip school holidays of your region"),
        Where.GROUP,
        Who.FACILITATOR,
        usage="north|middle|south|off",
    ),
    CommandSpec(
        "issues",
        N_("Start or close an issue round"),
        Where.GROUP,
        Who.FACILITATOR,
        usage="[close | nudge off | guard off]",
    ),
    CommandSpec("mine", N_("Your own contributions: see, edit, delete"), Where.ANY, Who.MEMBER),
    CommandSpec(
        "code",
        N_("Code contributions (facilitators, privately)"),
        Where.PRIVATE,
        Who.MEMBER,
        usage="[all]",
    ),
    CommandSpec(
        "development",
        N_("How the practice issue developed per meeting"),
        Where.GROUP,
        Who.ANYONE,
    ),
    CommandSpec(
        "shared",
        N_("The shared issue: propose, react, see its versions"),
        Where.GROUP,
        Who.MEMBER,
        usage="[text | history]",
        sub=(SubRule("history", Who.MEMBER), SubRule("*", Who.FACILITATOR)),
    ),
    CommandSpec(
        "qualities",
        N_("Quality round: start, close, stats (privately: do your part)"),
        Where.ANY,
        Who.MEMBER,
        usage="[close | stats]",
        sub=(SubRule("stats", Who.MEMBER), SubRule("*", Who.FACILITATOR, Where.GROUP)),
    ),
    CommandSpec("nominate", N_("Name a colleague's quality"), Where.ANY, Who.MEMBER),
    CommandSpec(
        "profile",
        N_("Qualities others named in you (or in @name)"),
        Where.ANY,
        Who.MEMBER,
        usage="[@name]",
    ),
    CommandSpec(
        "used",
        N_("Log that a quality helped (using qualities)"),
        Where.ANY,
        Who.MEMBER,
        usage="[@name quality: situation]",
    ),
    CommandSpec(
        "insight", N_("Share a literature insight"), Where.ANY, Who.MEMBER, usage="[source]"
    ),
    CommandSpec("reading", N_("The reading list with insights"), Where.ANY, Who.MEMBER),
    CommandSpec(
        "decide",
        N_("Record an agreement"),
        Where.GROUP,
        Who.MEMBER,
        usage="<text> [@name] [by 2026-12-10]",
    ),
    CommandSpec("decisions", N_("Open and done agreements"), Where.GROUP, Who.ANYONE),
    CommandSpec(
        "document",
        N_("The collection document (Word, HTML, Markdown)"),
        Where.GROUP,
        Who.MEMBER,
        usage="[team] [docx|md|html]",
    ),
    CommandSpec(
        "share",
        N_("Choose what you share with the school team"),
        Where.ANY,
        Who.MEMBER,
        usage="[name on|off]",
    ),
    CommandSpec("portfolio", N_("Your own record as a Word file"), Where.PRIVATE, Who.MEMBER),
    CommandSpec(
        "archive",
        N_("End the cycle: stop reminders, keep data for a while"),
        Where.GROUP,
        Who.FACILITATOR,
    ),
    CommandSpec("pause", N_("Pause all reminders"), Where.GROUP, Who.FACILITATOR),
    CommandSpec("resume", N_("Resume the reminders"), Where.GROUP, Who.FACILITATOR),
)

BY_NAME = {spec.name: spec for spec in COMMANDS}


def visible(where: Where, held: frozenset[Who]) -> list[CommandSpec]:
    """Commands usable in this kind of chat by someone holding these ranks."""
    return [spec for spec in COMMANDS if spec.where in (where, Where.ANY) and spec.who in held]
