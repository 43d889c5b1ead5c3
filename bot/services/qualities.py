"""Quality nominations, titles and "using qualities" (the study's appendix F, Figure 2).

Qualities are free text, counted by a normalised key, so "summarises well" and
"Summarises well." are one quality; the bot suggests qualities already named in
the CoP and a facilitator can merge two.
"""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.i18n import N_
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Contribution, Prompt
from storage.repositories.contributions import ContributionRepository
from storage.repositories.flows import PromptRepository
from storage.repositories.members import MemberRepository

NOMINATION = "nomination"
TITLE = "title"
USE = "quality_use"
ROUND = "quality_round"
QUALITY_LIMIT = 80
EXAMPLE_LIMIT = 500
TITLE_LIMIT = 60


def key_of(quality: str) -> str:
    """The counting key: case, punctuation and spacing do not make another quality."""
    return " ".join(re.sub(r"[^\w\s]", " ", quality.casefold()).split())


def split_quality(text: str) -> tuple[str, str]:
    """ "summarises well: she summarised our issues" -> (quality, example)."""
    for separator in (":", " - ", " \u2013 "):
        if separator in text:
            quality, example = text.split(separator, 1)
            return quality.strip(), example.strip()
    return text.strip(), ""


def check_quality(quality: str) -> str:
    cleaned = " ".join(quality.split()).strip(" .!?")
    if not cleaned or not key_of(cleaned):
        raise InvalidInput(N_("Please name the quality, for example: summarises well."))
    if len(cleaned) > QUALITY_LIMIT:
        raise InvalidInput(
            N_(
                "Please name the quality in at most {limit} characters; put the rest in the "
                "example (after a colon)."
            ),
            limit=QUALITY_LIMIT,
        )
    return cleaned


class Named(BaseModel):
    quality: str
    count: int
    examples: list[str]
    hidden: int = 0


class ProfileView(BaseModel):
    member_id: int
    name: str
    title: str | None
    qualities: list[Named]
    nominations: list[tuple[int, str, str, bool, bool]]  # id, quality, example, hidden, self


class StatRow(BaseModel):
    member: str
    quality: str
    named: int
    used: int
    examples: list[str] = []


async def open_round(unit: Unit, community_id: int) -> int | None:
    for prompt in await PromptRepository(unit.session).of_kind(community_id, ROUND):
        if prompt.closed_at is None:
            return prompt.id
    return None


async def start_round(unit: Unit, community_id: int, chat_id: int, message_id: int) -> int:
    if await open_round(unit, community_id) is not None:
        raise InvalidInput(N_("A quality round is already open. Close it with /qualities close."))
    prompt = await PromptRepository(unit.session).add(
        Prompt(
            community_id=community_id,
            chat_id=chat_id,
            message_id=message_id,
            kind=ROUND,
            created_at=unit.now,
            data={},
        )
    )
    return prompt.id


async def require_no_round(unit: Unit, community_id: int) -> None:
    if await open_round(unit, community_id) is not None:
        raise InvalidInput(N_("A quality round is already open. Close it with /qualities close."))


async def close_round(unit: Unit, community_id: int) -> None:
    round_id = await open_round(unit, community_id)
    if round_id is None:
        raise InvalidInput(N_("There is no open quality round. Start one with /qualities."))
    prompt = await unit.session.get(Prompt, round_id)
    assert prompt is not None
    prompt.closed_at = unit.now
    await unit.session.flush()


async def nominate(
    unit: Unit,
    community_id: int,
    nominator: MemberView,
    nominee_id: int,
    quality: str,
    example: str,
    *,
    round_id: int | None = None,
) -> tuple[int, bool]:
    """Names a quality of a colleague (or of oneself, as self-assessment).

    Naming the same quality of the same person again counts once; the new example is
    added to the first nomination. Returns (nomination id, whether it was new).
    """
    nominee = await MemberRepository(unit.session, community_id).get(nominee_id)
    if nominee is None or nominee.status != "active":
        raise NotFound(N_("That person is not a member of this CoP (any more)."))
    cleaned = check_quality(quality)
    example = " ".join(example.split())
    if len(example) > EXAMPLE_LIMIT:
        raise InvalidInput(
            N_("Please keep the example under {limit} characters."), limit=EXAMPLE_LIMIT
        )
    contributions = ContributionRepository(unit.session, community_id)
    for row in await contributions.by_member(nominator.id):
        if (
            row.kind == NOMINATION
            and row.about_member_id == nominee_id
            and row.data.get("key") == key_of(cleaned)
        ):
            examples = list(row.data.get("examples", []))
            if example and example not in examples:
                examples.append(example)
            row.data = {**row.data, "examples": examples}
            row.updated_at = unit.now
            await unit.session.flush()
            return row.id, False
    row = await contributions.add(
        Contribution(
            member_id=nominator.id,
            about_member_id=nominee_id,
            kind=NOMINATION,
            text=cleaned,
            data={
                "key": key_of(cleaned),
                "examples": [example] if example else [],
                "self": nominee_id == nominator.id,
                "hidden": False,
                "round": round_id,
            },
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return row.id, True


async def propose_title(
    unit: Unit, community_id: int, proposer: MemberView, nominee_id: int, title: str
) -> None:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise InvalidInput(N_("The title is empty."))
    if len(cleaned) > TITLE_LIMIT:
        raise InvalidInput(N_("Please keep a title under {limit} characters."), limit=TITLE_LIMIT)
    await ContributionRepository(unit.session, community_id).add(
        Contribution(
            member_id=proposer.id,
            about_member_id=nominee_id,
            kind=TITLE,
            text=cleaned,
            data={"key": key_of(cleaned)},
            created_at=unit.now,
            updated_at=unit.now,
        )
    )


async def log_use(
    unit: Unit,
    community_id: int,
    writer: MemberView,
    whose_id: int,
    quality: str,
    situation: str,
) -> int:
    """ "Using qualities": a situation in which one's own or a colleague's quality helped."""
    whose = await MemberRepository(unit.session, community_id).get(whose_id)
    if whose is None or whose.status != "active":
        raise NotFound(N_("That person is not a member of this CoP (any more)."))
    cleaned = check_quality(quality)
    row = await ContributionRepository(unit.session, community_id).add(
        Contribution(
            member_id=writer.id,
            about_member_id=whose_id,
            kind=USE,
            text=cleaned,
            data={"key": key_of(cleaned), "situation": " ".join(situation.split())[:2000]},
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return row.id


async def suggestions(unit: Unit, community_id: int, limit: int = 6) -> list[str]:
    """Qualities already named in this CoP, most named first (so counting works)."""
    rows = await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION, USE])
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for row in rows:
        key = str(row.data.get("key", ""))
        counts[key] += 1
        shown.setdefault(key, row.text)
    return [shown[key] for key, _ in counts.most_common(limit)]


async def profile(unit: Unit, community_id: int, viewer: MemberView, member_id: int) -> ProfileView:
    """A member's profile. Others see it only outside a running round, without hidden items."""
    members = MemberRepository(unit.session, community_id)
    member = await members.get(member_id)
    if member is None or member.status != "active":
        raise NotFound(N_("That person is not a member of this CoP (any more)."))
    own = member.id == viewer.id
    if not own and await open_round(unit, community_id) is not None:
        raise NotAllowed(
            N_(
                "Profiles of others are shown when the quality round is closed, so "
                "nominations are not influenced while it runs."
            )
        )
    rows = await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION, TITLE])
    about = [r for r in rows if r.about_member_id == member.id]
    nominations = [r for r in about if r.kind == NOMINATION and (own or not r.data.get("hidden"))]
    grouped: dict[str, Named] = {}
    for row in nominations:
        named = grouped.setdefault(
            str(row.data["key"]), Named(quality=row.text, count=0, examples=[])
        )
        named.count += 1
        named.examples += list(row.data.get("examples", []))
        named.hidden += int(bool(row.data.get("hidden")))
    titles = Counter(r.text for r in about if r.kind == TITLE)
    return ProfileView(
        member_id=member.id,
        name=member.display_name or "?",
        title=titles.most_common(1)[0][0] if titles else None,
        qualities=sorted(grouped.values(), key=lambda n: (-n.count, n.quality.casefold())),
        nominations=[
            (
                r.id,
                r.text,
                "; ".join(r.data.get("examples", [])),
                bool(r.data.get("hidden")),
                bool(r.data.get("self")),
            )
            for r in nominations
        ]
        if own
        else [],
    )


async def set_hidden(
    unit: Unit, community_id: int, member: MemberView, nomination_id: int, hidden: bool
) -> None:
    """A member may hide a nomination about themselves from the group view."""
    row = await ContributionRepository(unit.session, community_id).get(nomination_id)
    if row is None or row.kind != NOMINATION or row.about_member_id != member.id:
        raise NotFound("stale_button")
    row.data = {**row.data, "hidden": hidden}
    await unit.session.flush()


async def stats(unit: Unit, community_id: int) -> list[StatRow]:
    """How often each quality of each member was named and used (Figure 2 of the study)."""
    rows = await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION, USE])
    names = {
        m.id: m.display_name or "?"
        for m in await MemberRepository(unit.session, community_id).active()
    }
    table: dict[tuple[int, str], StatRow] = {}
    for row in rows:
        if row.about_member_id not in names or (row.kind == NOMINATION and row.data.get("hidden")):
            continue
        key = (row.about_member_id, str(row.data["key"]))
        stat = table.setdefault(
            key, StatRow(member=names[row.about_member_id], quality=row.text, named=0, used=0)
        )
        if row.kind == NOMINATION:
            stat.named += 1
            stat.examples += [e for e in row.data.get("examples", []) if e]
        else:
            stat.used += 1
            if row.data.get("situation"):
                stat.examples.append(str(row.data["situation"]))
    return sorted(table.values(), key=lambda s: (s.member.casefold(), -(s.named + s.used)))


async def merge(unit: Unit, community_id: int, source: str, target: str) -> int:
    """Counts quality `source` as `target` from now on; returns how many items changed."""
    source_key, target_text = key_of(source), check_quality(target)
    rows = await ContributionRepository(unit.session, community_id).of_kinds([NOMINATION, USE])
    changed = 0
    for row in rows:
        if row.data.get("key") == source_key:
            row.text = target_text
            row.data = {**row.data, "key": key_of(target_text)}
            changed += 1
    if not changed:
        raise NotFound(
            N_("No quality \u201c{quality}\u201d was named in this CoP."),
            quality=source.strip()[:80],
        )
    await unit.session.flush()
    return changed


async def done_in_round(
    unit: Unit, community_id: int, nominator: MemberView, round_id: int
) -> set[int]:
    rows = await ContributionRepository(unit.session, community_id).by_member(nominator.id)
    return {
        r.about_member_id
        for r in rows
        if r.kind == NOMINATION and r.data.get("round") == round_id and r.about_member_id
    }
