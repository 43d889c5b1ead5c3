"""The collection document ("verzameldocument"): one data model, three renderers.

``model`` holds the render-ready data (assembled and translated elsewhere); ``render_docx``,
``render_markdown`` / ``render_markdown_bundle`` / ``render_markdown_zip`` and ``render_html``
lay it out. This package is pure rendering: it imports no Telegram, handler, storage or
service code, so it can be tested and benchmarked without a bot or a database.
"""

from __future__ import annotations

from bot.documents.docx import render_docx
from bot.documents.html import render_html
from bot.documents.markdown import (
    chart_path,
    escape_markdown,
    render_markdown,
    render_markdown_bundle,
    render_markdown_zip,
)
from bot.documents.model import (
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
