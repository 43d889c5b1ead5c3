"""Literature insights: a source, the insight in one's own words, what it means for practice.

Sources are shared by the CoP (the reading list keeps them, without the sharer's
name, when that member leaves); insights are the member's own.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlparse

from pydantic import BaseModel

from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from bot.services import contributions_log
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
        raise InvalidInput(N_("Which source? Give a title, a link or a DOI."))
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
            raise InvalidInput(
                N_(
                    "That does not look like a web address. Write it like "
                    "https://example.org/article."
                )
            )
        link = candidate
    elif re.match(r"(?i)^(https?:?/*|www)\b", cleaned):
        raise InvalidInput(
            N_("That does not look like a web address. Write it like https://example.org/article.")
        )
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
        raise InvalidInput(N_("Please keep the title under {limit} characters."), limit=TITLE_LIMIT)
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
    existing = None
    if source_id is not None:
        existing = await contributions.get(source_id)
        if existing is None or existing.kind != SOURCE:
            raise NotFound(N_("That source is no longer on the reading list."))
    else:
        for row in await contributions.of_kinds([SOURCE]):
            if row.data.get("key") == source.key:
                existing = row
                break
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


async def source_of(unit: Unit, community_id: int, source_id: int) -> Source:
    row = await ContributionRepository(unit.session, community_id).get(source_id)
    if row is None or row.kind != SOURCE:
        raise NotFound(N_("That source is no longer on the reading list."))
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
