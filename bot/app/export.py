"""`copbot export`: the collection document from the command line, without Telegram."""

from __future__ import annotations

from pathlib import Path

from bot.app.context import build_services
from bot.app.rendering import collection_files
from bot.app.settings import Settings
from bot.render.offload import off_loop
from bot.services import communities, documents
from bot.services.unit import Unit
from bot.services.values import CommunityView
from storage.migrate import upgrade


async def export_document(
    settings: Settings, community_ref: str, fmt: str, *, team: bool, out: Path | None
) -> Path:
    services = build_services(settings)
    try:
        await upgrade(services.engine)
        async with services.sessions.begin() as session:
            unit = Unit(session, services.clock())
            community = await _find(unit, community_ref)
            language = services.catalogs.get(community.language).language
            content = await documents.collection(unit, community, team=team)
    finally:
        await services.engine.dispose()
    ((suffix, data),) = await off_loop(collection_files, language, content, (fmt,))
    path = out or Path(f"collection-{community.id}{'-team' if team else ''}.{suffix}")
    path.write_bytes(data)
    return path


async def _find(unit: Unit, ref: str) -> CommunityView:
    """By id, by Telegram chat id, or by (case-insensitive) name."""
    if ref.lstrip("-").isdigit():
        number = int(ref)
        found = await communities.by_chat(unit, number)
        if found is None and number > 0:
            matches = await communities.by_ids(unit, [number])
            found = matches[0] if matches else None
        if found is not None:
            return found
    for candidate in await communities.all_communities(unit):
        if candidate.name.casefold() == ref.casefold():
            return candidate
    raise LookupError(f"no CoP {ref!r} in this database")
