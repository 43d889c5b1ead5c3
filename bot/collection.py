"""The collection document for `copbot export`: the service's values, put into words.

What goes in is decided by `bot.services.documents`; the words are
`bot.texts.documents`. (Kept for `bot.app.export`, which imports `build` from here.)
"""

from __future__ import annotations

from bot.i18n import Translator
from bot.render.documents import CollectionDocument
from bot.services import documents
from bot.services.unit import Unit
from bot.services.values import CommunityView
from bot.texts import documents as document_texts


async def build(
    unit: Unit, community: CommunityView, tr: Translator, *, team: bool
) -> CollectionDocument:
    """The whole document model, for the CoP (team=False) or the school team (team=True)."""
    return document_texts.collection(tr, await documents.collection(unit, community, team=team))
