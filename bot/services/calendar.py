"""`/calendar`: what the .ics file of a CoP's meetings is made of."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services import agenda
from bot.services.agenda import Briefing
from bot.services.unit import Unit
from storage.repositories.installation import InstallationRepository


@dataclass(frozen=True)
class Schedule:
    """The meetings with their agendas, and the installation's id for their UIDs."""

    installation: str
    meetings: list[Briefing]


async def schedule(unit: Unit, community_id: int) -> Schedule:
    """Every meeting of the CoP; the installation id keeps UIDs apart from other
    installations' and the same on every re-export."""
    installation = await InstallationRepository(unit.session).id(unit.now)
    return Schedule(installation, await agenda.schedule(unit, community_id))
