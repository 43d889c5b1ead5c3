"""Service tests: each use case called directly, against the real migrated schema.

`unit` is one open unit of work (a session inside a transaction, and a `now`), on
SQLite and, when `COPBOT_TEST_POSTGRES_URL` is set, on PostgreSQL too. `cop` is a
CoP with a facilitator and three teachers, made through the services themselves.
A test that needs a second transaction (what another update would see) uses
`sessions` to open one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import ManualClock
from bot.services import communities, membership
from bot.services.unit import Unit
from bot.services.values import CommunityView, MemberView, Person
from storage.db import create_engine, create_sessions

GROUP_CHAT = -1001


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    built = create_engine(database_url)
    yield built
    await built.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessions(engine)


@pytest.fixture
async def unit(
    sessions: async_sessionmaker[AsyncSession], clock: ManualClock
) -> AsyncIterator[Unit]:
    async with sessions.begin() as session:
        yield Unit(session, clock())


def person(user_id: int, first_name: str, last_name: str | None = None) -> Person:
    return Person(
        user_id=user_id,
        first_name=first_name,
        last_name=last_name,
        username=first_name.lower(),
        language_code="nl",
    )


@dataclass(frozen=True)
class Cop:
    community: CommunityView
    facilitator: MemberView
    teachers: list[MemberView]

    @property
    def id(self) -> int:
        return self.community.id


@pytest.fixture
async def cop(unit: Unit) -> Cop:
    row = await communities.create(
        unit,
        chat_id=GROUP_CHAT,
        chat_type="group",
        name="CoP De Regenboog",
        theme="Gedrag",
        language="nl",
        timezone="Europe/Amsterdam",
    )
    community = CommunityView.model_validate(row)
    facilitator = await membership.join(
        unit, community.id, person(1, "Fenna", "de Vries"), role="facilitator"
    )
    teachers = [
        await membership.join(unit, community.id, person(user_id, name))
        for user_id, name in ((2, "Anouk"), (3, "Bas"), (4, "Chantal"))
    ]
    return Cop(community, facilitator, teachers)
