"""The render jobs that run off the event loop (`bot.render.offload`): each takes plain
values, so it can be sent to a worker process, turns them into the render model with the
texts of its language, and returns bytes. Handlers and `copbot export` call them through
`off_loop`; the renderers themselves stay as they are.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from bot.i18n import Catalogs, Translator
from bot.render import offload
from bot.services.documents import Collection, Portfolio
from bot.texts import documents as document_texts

offload.preload(__name__)

#: What each format is called on disk, as sent and as `copbot export` writes it.
SUFFIXES = {"docx": "docx", "html": "html", "md": "md.zip"}


@functools.cache
def _catalogs() -> Catalogs:
    return Catalogs()


def _tr(language: str) -> Translator:
    return _catalogs().get(language)


def collection_files(
    language: str, data: Collection, formats: Sequence[str]
) -> list[tuple[str, bytes]]:
    """The collection document (charts included) in each wanted format, as (suffix, bytes)."""
    from bot.render.documents.docx import render_docx  # lazily: python-docx is a slow import
    from bot.render.documents.html import render_html
    from bot.render.documents.markdown import render_markdown_zip

    model = document_texts.collection(_tr(language), data)
    out = []
    for fmt in ("docx", "html", "md"):
        if fmt in formats:
            if fmt == "docx":
                content = render_docx(model)
            elif fmt == "html":
                content = render_html(model).encode("utf-8")
            else:
                content = render_markdown_zip(model)
            out.append((SUFFIXES[fmt], content))
    return out


def portfolio_docx(language: str, data: Portfolio) -> bytes:
    """A member's portfolio as a Word file."""
    from bot.render.documents.docx import render_docx

    return render_docx(document_texts.portfolio(_tr(language), data))
