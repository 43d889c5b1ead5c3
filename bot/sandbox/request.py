"""PTB's HTTP layer replaced by direct calls into the sandbox.

Plugging in at ``BaseRequest`` keeps every line of PTB above it real: parameter encoding,
de_json of results, and the mapping of error responses to BadRequest/Forbidden/ChatMigrated/
RetryAfter/InvalidToken all run exactly as against api.telegram.org.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    from bot.sandbox.server import Sandbox


class SandboxRequest(BaseRequest):
    """A ``BaseRequest`` that answers from a :class:`~bot.sandbox.server.Sandbox`."""

    def __init__(self, sandbox: Sandbox, read_timeout: float = 5.0) -> None:
        self._sandbox = sandbox
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to connect to."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str | None, bytes, str | None]] = {}
        if request_data is not None and request_data.contains_files:
            for name, (file_name, content, mime_type) in request_data.multipart_data.items():
                data = content if isinstance(content, bytes) else content.read()
                files[name] = (file_name, data, mime_type)
        status, body = await self._sandbox.handle_http(url, params, files)
        return status, json.dumps(body).encode("utf-8")
