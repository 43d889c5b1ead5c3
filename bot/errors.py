"""Domain errors that handlers turn into friendly texts.

    CopError
    ├── NoCommunity        the chat has no CoP yet
    ├── NotAMember         the person has not joined (or has left)
    ├── AlreadyMember      /join by a member
    ├── NotAllowed         role too low (facilitator-only, admin-only)
    ├── NotFound           a member, flow or item that is gone
    ├── InvalidInput       an answer that cannot be used (too long, empty, unknown zone)
    └── StaleAction        a button or prompt that is no longer active

Each carries a message id and format values, so the service layer decides *what*
went wrong and the handler only renders it. The message id is either a short code
listed in `bot.texts.common.ERRORS` or the English sentence itself, marked with `N_` where
it is raised (so the catalogs pick it up).
"""

from __future__ import annotations

from typing import Any


class CopError(Exception):
    def __init__(self, msgid: str, **values: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.values = values


class NoCommunity(CopError):
    pass


class NotAMember(CopError):
    pass


class AlreadyMember(CopError):
    pass


class NotAllowed(CopError):
    pass


class NotFound(CopError):
    pass


class InvalidInput(CopError):
    pass


class StaleAction(CopError):
    pass
