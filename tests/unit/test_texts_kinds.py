"""Every kind of contribution a member can see in /mine or /code has a plain name."""

from __future__ import annotations

import pytest

from bot.i18n import LANGUAGES, Catalogs
from bot.services import agenda, decisions, issues, literature, qualities, shared_issue
from bot.texts.contributions_log import kind_name

STORED_KINDS = (
    "issue",
    "shared_suggestion",
    issues.REFLECTION,
    shared_issue.KIND,
    agenda.AGENDA_POINT,
    literature.SOURCE,
    literature.INSIGHT,
    decisions.KIND,
    decisions.FOLLOWUP,
    qualities.NOMINATION,
    qualities.TITLE,
    qualities.USE,
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_raw_kind_key_reaches_the_reader(language: str) -> None:
    """/mine used to show "[source]" and "[insight]"."""
    tr = Catalogs().get(language)
    raw = [kind for kind in STORED_KINDS if kind_name(tr, kind) == kind]
    assert raw == []
