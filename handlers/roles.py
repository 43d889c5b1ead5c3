"""/members, /facilitator and /archive: who is in the CoP, who facilitates it, its end."""

from __future__ import annotations

from bot.errors import InvalidInput
from bot.services import lifecycle, membership, roster
from bot.texts import membership as texts
from bot.texts import roster as roster_texts
from handlers.base import Turn, command, is_admin, keyword_args


@command("members")
async def members(turn: Turn) -> None:
    """Lists the members with their roles."""
    community = turn.require_community()
    listed = await membership.list_members(turn.unit, community.id)
    await turn.reply(texts.members_list(turn.tr, community, listed))


@command("facilitator")
async def facilitator(turn: Turn) -> None:
    """Toggles co-facilitator for @name, or for the author of the replied-to message."""
    community = turn.require_community()
    args = keyword_args(turn, "main", "participate", "yes", "no", "on", "off")
    if args and args[0] == "main":
        await _hand_over(turn, community.id, args[1:])
        return
    if args and args[0] == "participate":
        if len(args) != 2:
            raise InvalidInput("participate_usage")
        person = turn.require_person()
        member = await membership.set_participation(
            turn.unit, community.id, person.user_id, args[1]
        )
        await turn.reply(texts.participation_set(turn.tr, member))
        return
    replied = turn.message.reply_to_message if turn.message else None
    if len(args) == 1 and args[0].startswith("@") and len(args[0]) > 1:
        changed = await membership.toggle_cofacilitator(turn.unit, community.id, username=args[0])
    elif not args and replied is not None and replied.from_user and not replied.from_user.is_bot:
        changed = await membership.toggle_cofacilitator(
            turn.unit, community.id, user_id=replied.from_user.id
        )
    else:
        raise InvalidInput("facilitator_usage")
    await turn.reply(texts.facilitator_changed(turn.tr, changed))


async def _hand_over(turn: Turn, community_id: int, args: list[str]) -> None:
    """/facilitator main @name (or as a reply): the main facilitator role changes hands."""
    person = turn.require_person()
    replied = turn.message.reply_to_message if turn.message else None
    target: dict[str, int | str] = {}
    if len(args) == 1 and args[0].startswith("@") and len(args[0]) > 1:
        target["username"] = args[0]
    elif not args and replied is not None and replied.from_user and not replied.from_user.is_bot:
        target["user_id"] = replied.from_user.id
    else:
        raise InvalidInput("handover_usage")
    handover = await roster.hand_over(
        turn.unit,
        community_id,
        by_user_id=person.user_id,
        by_admin=await is_admin(turn),
        username=str(target["username"]) if "username" in target else None,
        user_id=int(target["user_id"]) if "user_id" in target else None,
    )
    await turn.reply(roster_texts.handed_over(turn.tr, handover))


@command("archive")
async def archive(turn: Turn) -> None:
    """Ends the cycle: reminders stop; the data is kept for the retention time, then purged."""
    community = turn.require_community()
    await lifecycle.archive(turn.unit, community.id)
    days = turn.context.services.settings.retention_days
    await turn.reply(texts.archived(turn.tr, community.name, days))
