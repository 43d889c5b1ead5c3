"""What the bot calls each kind of contribution, and what it says about a member's text."""

from __future__ import annotations

from bot.i18n import N_, Translator

ERRORS = {
    "text_empty": N_("That message is empty. Please write something."),
    "text_too_long": N_(
        "That is {length} characters, more than the {limit} I can keep, so nothing was saved. "
        "Please send it shorter, for example in two messages."
    ),
}


KINDS = {
    "issue": N_("practice issue"),
    "shared_suggestion": N_("possible shared issue"),
    "issue_reflection": N_("what you can change"),
    "shared_issue": N_("shared issue"),
    "shared_comment": N_("comment on the shared issue"),
    "weekly_share": N_("weekly experience"),
    "agenda_point": N_("agenda point"),
    "meeting_note": N_("meeting log"),
    "source": N_("literature source"),
    "insight": N_("literature insight"),
    "decision": N_("agreement"),
    "followup_answer": N_("follow-up of an agreement"),
    "nomination": N_("quality you named"),
    "title": N_("title you gave"),
    "quality_use": N_("quality put to use"),
}


def kind_name(tr: Translator, kind: str) -> str:
    return tr.gettext(KINDS[kind]) if kind in KINDS else kind
