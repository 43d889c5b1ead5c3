"""Literature insights: a source, the insight in one's own words, what it means for practice.

Sources are shared by the CoP (the reading list keeps them, without the sharer's
name, when that member leaves); insights are the member's own. The /insight
dialogue asks the three in turn (`InsightState`, kept as the dialogue's data) and
hands the last two to the pupil-name guard together (`insight_replied`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel

from bot.errors import InvalidInput, NotFound
from bot.services import contributions_log, flows
from bot.services.flows import FlowKind, FlowState
from bot.services.intake import Draft, Release
from bot.services.unit import Unit
from bot.services.values import MemberView
from storage.models import Contribution
from storage.repositories.contributions import ContributionRepository
from storage.repositories.members import MemberRepository

SOURCE = "source"
INSIGHT = "insight"
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
URL = re.compile(r"\b(https?://\S+|www\.\S+)", re.IGNORECASE)
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
TITLE_LIMIT = 300


class Source(BaseModel):
    title: str
    authors: str = ""
    year: str = ""
    link: str | None = None
    doi: str | None = None

    @property
    def key(self) -> str:
        if self.doi:
            return "doi:" + self.doi
        if self.link:
            return "url:" + self.link.rstrip("/").lower()
        return "title:" + " ".join(re.sub(r"[^\w\s]", " ", self.title.casefold()).split())


class InsightView(BaseModel):
    id: int
    author_id: int | None
    author: str | None
    insight: str
    practice: str
    created_at: datetime


class ReadingItem(BaseModel):
    source_id: int
    source: Source
    shared_by: str | None
    insights: list[InsightView]
    latest: datetime


def parse_source(text: str) -> Source:
    """Reads "Title; Authors; Year" and/or a link or DOI; a link or DOI alone is enough."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("source_missing")
    doi_match = DOI.search(cleaned)
    doi = doi_match.group(1).rstrip(".,;)").lower() if doi_match else None
    url_match = URL.search(cleaned)
    link = None
    if url_match:
        candidate = url_match.group(1).rstrip(".,;)")
        if candidate.lower().startswith("www."):
            candidate = "https://" + candidate
        parsed = urlparse(candidate)
        if parsed.scheme not in ("http", "https") or not _plausible_host(parsed.hostname or ""):
            raise InvalidInput("link_invalid")
        link = candidate
    elif re.match(r"(?i)^(https?:?/*|www)\b", cleaned):
        raise InvalidInput("link_invalid")
    if doi and link and doi in link.lower():
        link = None  # a doi.org link: the DOI itself is the reference
    rest = cleaned
    for found in (
        url_match.group(0) if url_match else None,
        doi_match.group(0) if doi_match else None,
    ):
        if found:
            rest = rest.replace(found, " ")
    rest = re.sub(r"(?i)\bdoi:?\s*$", "", " ".join(rest.split())).strip(" ;,-")
    parts = [p.strip() for p in re.split(r"\s*[;|]\s*", rest) if p.strip()]
    title = parts[0] if parts else (doi or link or "")
    authors = parts[1] if len(parts) > 1 else ""
    year_match = YEAR.search(" ".join(parts[1:])) if len(parts) > 1 else None
    year = year_match.group(1) if year_match else ""
    if len(title) > TITLE_LIMIT:
        raise InvalidInput("source_title_too_long", limit=TITLE_LIMIT)
    return Source(title=title, authors=authors[:200], year=year, link=link, doi=doi)


def _plausible_host(host: str) -> bool:
    """example.org yes; www.example, localhost or 300.1 no (a typo, not a source)."""
    labels = host.lower().split(".")
    if labels[0] == "www":
        labels = labels[1:]
    return len(labels) >= 2 and all(labels) and labels[-1].isalpha() and len(labels[-1]) >= 2


async def save(
    unit: Unit,
    community_id: int,
    member: MemberView,
    source: Source,
    insight: str,
    practice: str,
    *,
    source_id: int | None = None,
) -> tuple[int, int]:
    """Stores an insight under its source (an existing one when it is the same source)."""
    contributions = ContributionRepository(unit.session, community_id)
    existing = await _source_row(contributions, source, source_id)
    if existing is None:
        existing = await contributions.add(
            Contribution(
                member_id=member.id,
                kind=SOURCE,
                text=source.title,
                data={**source.model_dump(), "key": source.key},
                created_at=unit.now,
                updated_at=unit.now,
            )
        )
    row = await contributions.add(
        Contribution(
            member_id=member.id,
            kind=INSIGHT,
            parent_id=existing.id,
            text=contributions_log.clean(insight),
            data={"practice": contributions_log.clean(practice)},
            created_at=unit.now,
            updated_at=unit.now,
        )
    )
    return existing.id, row.id


async def _source_row(
    contributions: ContributionRepository, source: Source, source_id: int | None
) -> Contribution | None:
    """The listed source an insight goes under: the one chosen, or the same reference."""
    if source_id is not None:
        row = await contributions.get(source_id)
        if row is None or row.kind != SOURCE:
            raise NotFound("source_gone")
        return row
    for row in await contributions.of_kinds([SOURCE]):
        if row.data.get("key") == source.key:
            return row
    return None


async def source_of(unit: Unit, community_id: int, source_id: int) -> Source:
    row = await ContributionRepository(unit.session, community_id).get(source_id)
    if row is None or row.kind != SOURCE:
        raise NotFound("source_gone")
    return Source.model_validate({k: v for k, v in row.data.items() if k != "key"})


async def reading_list(unit: Unit, community_id: int) -> list[ReadingItem]:
    """Sources with their insights, the most recently active source first."""
    rows = await ContributionRepository(unit.session, community_id).of_kinds([SOURCE, INSIGHT])
    names = {
        m.id: m.display_name for m in await MemberRepository(unit.session, community_id).active()
    }
    sources = {r.id: r for r in rows if r.kind == SOURCE}
    items: dict[int, ReadingItem] = {}
    for source_id, row in sources.items():
        items[source_id] = ReadingItem(
            source_id=source_id,
            source=Source.model_validate({k: v for k, v in row.data.items() if k != "key"}),
            shared_by=names.get(row.member_id) if row.member_id else None,
            insights=[],
            latest=row.created_at,
        )
    for row in rows:
        if row.kind == INSIGHT and row.parent_id in items:
            item = items[row.parent_id]
            item.insights.append(
                InsightView(
                    id=row.id,
                    author_id=row.member_id,
                    author=names.get(row.member_id) if row.member_id else None,
                    insight=row.text,
                    practice=str(row.data.get("practice", "")),
                    created_at=row.created_at,
                )
            )
            item.latest = max(item.latest, row.created_at)
    for item in items.values():
        item.insights.sort(key=lambda i: i.created_at, reverse=True)
    return sorted(items.values(), key=lambda i: (i.latest, i.source_id), reverse=True)


# ------------------------------------------------------------ the /insight dialogue


class InsightStep(StrEnum):
    """The dialogue's question. Stored in `flows.step`: never rename."""

    SOURCE = "source"
    INSIGHT = "insight"
    PRACTICE = "practice"


class InsightState(BaseModel):
    """The answers so far, kept as the dialogue's data (the keys the first version stored)."""

    source_id: int | None = None  # adding to a source of the reading list
    source: Source | None = None
    insight: str | None = None


class InsightDraft(InsightState):
    """The whole insight, waiting for the guard (insight and practice screened together)."""

    source: Source
    practice: str = ""


@dataclass(frozen=True)
class InsightQuestion:
    """The dialogue's next question (its message becomes the step's prompt)."""

    flow: FlowState
    step: InsightStep
    source: Source | None


async def begin_insight(
    unit: Unit,
    community_id: int,
    *,
    chat_id: int,
    user_id: int,
    source_text: str = "",
    source_id: int | None = None,
) -> InsightQuestion:
    """/insight [source], a reply to the literature prompt, or "+ insight" on the list."""
    state = InsightState(source_id=source_id)
    if source_id is not None:
        state.source = await source_of(unit, community_id, source_id)
    elif source_text.strip():
        state.source = parse_source(source_text)
    step = InsightStep.INSIGHT if state.source is not None else InsightStep.SOURCE
    flow = await flows.start(
        unit,
        kind=FlowKind.INSIGHT,
        chat_id=chat_id,
        user_id=user_id,
        step=step,
        community_id=community_id,
        data=state.model_dump(exclude_none=True),
    )
    return InsightQuestion(flow, step, state.source)


async def insight_replied(unit: Unit, flow: FlowState, text: str) -> InsightQuestion | Draft:
    """One answer; after the last, the dialogue ends and the whole insight goes to the guard."""
    state = InsightState.model_validate(flow.data)
    step = InsightStep(flow.step)
    if step is InsightStep.PRACTICE:
        await flows.end(unit, flow)
        data: dict[str, Any] = {**state.model_dump(exclude_none=True), "practice": text}
        return Draft(f"{state.insight}\n{text}", Release.INSIGHT, data)
    if step is InsightStep.SOURCE:
        state.source, following = parse_source(text), InsightStep.INSIGHT
    else:
        state.insight, following = text, InsightStep.PRACTICE
    flow = await flows.advance(unit, flow, following, state.model_dump(exclude_none=True))
    return InsightQuestion(flow, following, state.source)


async def save_insight(
    unit: Unit, community_id: int, member: MemberView, text: str, data: dict[str, Any]
) -> Source:
    """Stores a released insight (`text` is the insight, a line break, the practice)."""
    draft = InsightDraft.model_validate(data)
    insight, _, practice = text.partition("\n")
    await save(
        unit,
        community_id,
        member,
        draft.source,
        insight,
        practice or draft.practice,
        source_id=draft.source_id,
    )
    return draft.source
