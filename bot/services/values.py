"""Plain values that services hand to handlers (never ORM rows, never PTB objects)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Person(BaseModel):
    """Who sent an update, as far as the domain cares."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class CommunityView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    chat_id: int
    name: str
    theme: str
    language: str
    timezone: str
    region: str | None = None
    status: str


class MemberView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    community_id: int
    telegram_user_id: int | None
    display_name: str | None
    username: str | None
    language: str | None
    role: str
    status: str
    private_chat: bool
    joined_at: datetime
    participates: bool = True

    @property
    def is_facilitator(self) -> bool:
        return self.status == "active" and self.role in ("facilitator", "cofacilitator")

    @property
    def counted(self) -> bool:
        """Whether the member takes part as a teacher: asked to come, reminded, listed in
        "not yet", counted in rounds, "of N members" and quorums. A facilitator who does
        not participate (`/facilitator role`) is not."""
        return self.status == "active" and (self.participates or not self.is_facilitator)

    @property
    def name(self) -> str:
        return self.display_name or "?"


class ErasureReport(BaseModel):
    """What `/leave` did, so the bot can say exactly which data went how."""

    deleted: dict[str, int]
    anonymised: dict[str, int]
    community_name: str
    facilitators_left: int
