"""Helpers shared by the three renderers: text cleaning, safe links and section order.

They live in one place so that the Word, Markdown and HTML versions of a document agree on
what is shown, in which order, and which member text is dropped as unrepresentable.
"""

from __future__ import annotations

import re

from bot.render.documents.model import CollectionDocument

__all__ = ["SECTION_ORDER", "clean", "present_sections", "safe_link"]

# Characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F).
# lxml (and so python-docx) raises ValueError on them; in HTML they are parse errors. Member
# text comes from Telegram and may contain them (pasted from elsewhere), so they are removed.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Only plain web links become clickable: a member-supplied "javascript:" or "data:" URL must
# never turn into an active link in a document the school team opens.
_WEB_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)

SECTION_ORDER: tuple[str, ...] = (
    "members",
    "shared_issue",
    "individual_issues",
    "development",
    "qualities",
    "profiles",
    "reading",
    "meetings",
    "agreements",
    "charts",
)


def clean(text: str | None) -> str:
    """Returns ``text`` without XML-invalid characters and with CRLF/CR turned into LF."""
    if not text:
        return ""
    return _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def safe_link(link: str | None) -> str | None:
    """Returns the link if it is a complete http(s) URL, else None (shown as plain text)."""
    if not link:
        return None
    candidate = clean(link).strip()
    return candidate if _WEB_LINK.fullmatch(candidate) else None


def present_sections(doc: CollectionDocument) -> list[str]:
    """Names of the sections that have data, in document order (empty ones are omitted)."""
    return [name for name in SECTION_ORDER if getattr(doc, name)]
