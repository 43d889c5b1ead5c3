"""The command table: where each command works and who may use it.

One table drives registration, the guards in handlers, `/help`, and the command
menus, so they can never disagree. It holds routes and rights only; what each
command is called in a menu and how it is used are sentences, in `bot.texts.commands`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Where(Enum):
    GROUP = "group"
    PRIVATE = "private"
    ANY = "any"


class Who(Enum):
    ANYONE = "anyone"
    GUEST = "guest"  # not a member (yet): /join is for them only
    MEMBER = "member"
    FACILITATOR = "facilitator"
    # A facilitator, or in a self-running CoP the chair of the next meeting (or of the one
    # just held): what keeps the rhythm going when facilitation stops (`bot.services.chair`).
    CHAIR = "chair"
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
    """`archived`: also works in a CoP that ended (archived), whose data waits for the
    purge: what members keep a right to until then (leave, see and erase their own,
    the letter, the collection document)."""

    name: str
    where: Where
    who: Who
    sub: tuple[SubRule, ...] = ()
    archived: bool = False
    #: A command with a name per language (/language, /taal): both work everywhere, and
    #: menus and /help show the one of their language only.
    shown_in: str | None = None

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
    CommandSpec("start", Where.PRIVATE, Who.ANYONE),
    CommandSpec("help", Where.ANY, Who.ANYONE),
    CommandSpec("privacy", Where.ANY, Who.ANYONE, archived=True),
    CommandSpec("join", Where.GROUP, Who.GUEST),
    CommandSpec("members", Where.GROUP, Who.ANYONE),
    CommandSpec("leave", Where.ANY, Who.MEMBER, archived=True),
    CommandSpec("cop", Where.PRIVATE, Who.MEMBER),
    CommandSpec("cancel", Where.ANY, Who.ANYONE),
    CommandSpec("language", Where.ANY, Who.MEMBER, shown_in="en"),
    CommandSpec("taal", Where.ANY, Who.MEMBER, shown_in="nl"),
    CommandSpec("setup", Where.GROUP, Who.ADMIN),
    CommandSpec(
        "facilitator",
        Where.GROUP,
        Who.FACILITATOR,
        # Handing over the main role: by the main facilitator, or by a group administrator
        # when the CoP has none (they left); the roster service checks which of the two.
        sub=(SubRule("main", Who.ANYONE),),
    ),
    CommandSpec("meetings", Where.GROUP, Who.ANYONE),
    CommandSpec("calendar", Where.GROUP, Who.ANYONE),
    CommandSpec("agenda", Where.GROUP, Who.ANYONE),
    CommandSpec("absent", Where.GROUP, Who.MEMBER),
    CommandSpec("plan", Where.GROUP, Who.CHAIR),
    CommandSpec("meeting", Where.GROUP, Who.CHAIR),
    CommandSpec(
        "chair",
        Where.GROUP,
        Who.ANYONE,
        sub=tuple(SubRule(word, Who.FACILITATOR) for word in ("rotate", "on", "off")),
    ),
    # After a meeting, in the group or privately; in private the presence and recap
    # services check the facilitator role themselves (the CoP is known only there).
    CommandSpec("presence", Where.ANY, Who.CHAIR, sub=(SubRule("*", Who.MEMBER, Where.PRIVATE),)),
    CommandSpec("recap", Where.ANY, Who.CHAIR, sub=(SubRule("*", Who.MEMBER, Where.PRIVATE),)),
    CommandSpec("reminders", Where.GROUP, Who.FACILITATOR),
    CommandSpec("weekly", Where.GROUP, Who.FACILITATOR),
    CommandSpec("holidays", Where.GROUP, Who.FACILITATOR),
    CommandSpec("checkin", Where.GROUP, Who.FACILITATOR),
    CommandSpec("issues", Where.GROUP, Who.FACILITATOR),
    CommandSpec("mine", Where.ANY, Who.MEMBER, archived=True),
    CommandSpec("code", Where.PRIVATE, Who.MEMBER),
    CommandSpec("agreement", Where.PRIVATE, Who.MEMBER),
    CommandSpec("development", Where.GROUP, Who.ANYONE),
    CommandSpec(
        "shared",
        Where.GROUP,
        Who.MEMBER,
        sub=(SubRule("history", Who.MEMBER), SubRule("*", Who.FACILITATOR)),
    ),
    CommandSpec(
        "qualities",
        Where.ANY,
        Who.MEMBER,
        sub=(SubRule("stats", Who.MEMBER), SubRule("*", Who.FACILITATOR, Where.GROUP)),
    ),
    CommandSpec("nominate", Where.ANY, Who.MEMBER),
    CommandSpec("profile", Where.ANY, Who.MEMBER),
    CommandSpec("used", Where.ANY, Who.MEMBER),
    CommandSpec("insight", Where.ANY, Who.MEMBER),
    CommandSpec("reading", Where.ANY, Who.MEMBER),
    CommandSpec("decide", Where.GROUP, Who.MEMBER),
    CommandSpec("decisions", Where.GROUP, Who.ANYONE),
    CommandSpec("document", Where.GROUP, Who.MEMBER, archived=True),
    CommandSpec("share", Where.ANY, Who.MEMBER),
    CommandSpec("portfolio", Where.PRIVATE, Who.MEMBER),
    CommandSpec("archive", Where.GROUP, Who.FACILITATOR),
    CommandSpec("pause", Where.GROUP, Who.FACILITATOR),
    CommandSpec("resume", Where.GROUP, Who.FACILITATOR),
)

BY_NAME = {spec.name: spec for spec in COMMANDS}


def visible(where: Where, held: frozenset[Who], language: str | None = None) -> list[CommandSpec]:
    """Commands usable in this kind of chat by someone holding these ranks (with a
    `language`, a command's name for another language is left out)."""
    return [
        spec
        for spec in COMMANDS
        if spec.where in (where, Where.ANY)
        and spec.who in held
        and (language is None or spec.shown_in in (None, language))
    ]
