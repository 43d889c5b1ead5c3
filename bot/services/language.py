"""The language a member reads in private chats: the CoP's, unless they chose their own.

In the group the bot always speaks the CoP's language (everyone reads it). A private
chat is one person's, so `/language` (or `/taal`) lets a member choose: their choice is
kept on each of their memberships (`members.language`, cleared on erasure); "auto"
clears it, and the CoP's language applies again.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import InvalidInput, NotAMember
from bot.i18n import LANGUAGES
from bot.services.unit import Unit
from storage.repositories.communities import CommunityRepository
from storage.repositories.members import memberships_of

AUTO = "auto"


@dataclass(frozen=True)
class Choice:
    """What a member reads in private: `chosen` (None: each CoP's own language), and the
    languages of their CoPs (for saying what "auto" means)."""

    chosen: str | None
    cop_languages: tuple[str, ...]


async def current(unit: Unit, user_id: int) -> Choice:
    """The member's choice as stored (the same on all their memberships)."""
    rows = await memberships_of(unit.session, user_id)
    if not rows:
        raise NotAMember("not_member_anywhere")
    chosen = next((row.language for row in rows if row.language in LANGUAGES), None)
    return Choice(chosen, await _cop_languages(unit, [row.community_id for row in rows]))


async def choose(unit: Unit, user_id: int, language: str) -> Choice:
    """Keeps `language` ("nl", "en", or "auto" for the CoP's) on all the person's
    memberships: a private chat is with the person, whichever CoP it is about."""
    if language not in (*LANGUAGES, AUTO):
        raise InvalidInput("language_usage")
    rows = await memberships_of(unit.session, user_id)
    if not rows:
        raise NotAMember("not_member_anywhere")
    for row in rows:
        row.language = None if language == AUTO else language
    await unit.session.flush()
    return await current(unit, user_id)


async def _cop_languages(unit: Unit, community_ids: list[int]) -> tuple[str, ...]:
    communities = await CommunityRepository(unit.session).by_ids(community_ids)
    return tuple(sorted({c.language for c in communities if c.status == "active"}))
