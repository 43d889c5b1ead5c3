"""The collection document ("verzameldocument"): one data model, three renderers.

``model`` holds the render-ready data (assembled and translated elsewhere); ``render_docx``,
``render_markdown`` / ``render_markdown_bundle`` / ``render_markdown_zip`` and ``render_html``
lay it out. This package is pure rendering: it imports no Telegram, handler, storage or
service code, so it can be tested and benchmarked without a bot or a database.
"""

from __future__ import annotations

import importlib
from typing import Any

from bot.render.documents.model import (
    Agreement,
    Chart,
    CollectionDocument,
    DevelopmentRow,
    IndividualIssue,
    Insight,
    IssueVersion,
    Labels,
    MeetingEntry,
    Person,
    Profile,
    QualityRow,
    ReadingEntry,
)

#: Renderers load python-docx and Jinja2, which the bot needs only when a document is made.
_LAZY = {
    "render_docx": "bot.render.documents.docx",
    "render_html": "bot.render.documents.html",
    "chart_path": "bot.render.documents.markdown",
    "escape_markdown": "bot.render.documents.markdown",
    "render_markdown": "bot.render.documents.markdown",
    "render_markdown_bundle": "bot.render.documents.markdown",
    "render_markdown_zip": "bot.render.documents.markdown",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)


__all__ = [
    "Agreement",
    "Chart",
    "CollectionDocument",
    "DevelopmentRow",
    "IndividualIssue",
    "Insight",
    "IssueVersion",
    "Labels",
    "MeetingEntry",
    "Person",
    "Profile",
    "QualityRow",
    "ReadingEntry",
    "chart_path",
    "escape_markdown",
    "render_docx",
    "render_html",
    "render_markdown",
    "render_markdown_bundle",
    "render_markdown_zip",
]
