"""The HTTP side: Telegram webhooks, liveness, readiness and Prometheus metrics.

Webhook requests must carry the secret Telegram was given (checked in constant
time; missing: 401, wrong: 403, and nothing is processed); without a configured
secret there is no webhook route at all. A body is read up to its limit only, and
anything but a JSON object is a 400. A valid update is written to the inbox before
the 200 (`bot.app.inbox`) and handled after; when it cannot be written the answer
is 503, so Telegram delivers it again later and nothing is lost.
"""

from __future__ import annotations

import hmac
import json
import logging

from sqlalchemy.exc import DBAPIError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.app.context import CopApplication
from bot.app.metrics import CONTENT_TYPE, overdue_after
from storage.health import error_kind, probe_write

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000


def create_web_app(application: CopApplication, *, secret: str | None) -> Starlette:
    services = application.services

    async def database_writable() -> bool:
        """Ready: the database takes a write (a read passes on a read-only or full file)."""
        try:
            await probe_write(services.engine, services.clock())
        except DBAPIError:
            return False
        except Exception as error:
            services.metrics.database_errors.labels(error_kind(error)).inc()
            return False
        return True

    async def healthz(_: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(_: Request) -> Response:
        scheduler = application.job_queue.scheduler.running if application.job_queue else False
        checks = {
            "database": await database_writable(),
            "scheduler": bool(scheduler),
            "leader": services.leadership.is_leader,
        }
        ready = checks["database"] and checks["scheduler"]
        return JSONResponse(checks, status_code=200 if ready else 503)

    async def metrics(_: Request) -> Response:
        try:
            await services.metrics.measure_backlog(
                services.sessions, services.clock(), overdue_after(services.settings.tick_seconds)
            )
        except Exception as error:  # the other metrics matter most when the database is down
            services.metrics.database_errors.labels(error_kind(error)).inc()
        return Response(services.metrics.render(), media_type=CONTENT_TYPE)

    async def webhook(request: Request) -> Response:
        assert secret  # the route exists only with a secret
        given = request.headers.get(SECRET_HEADER)
        if not given:
            return PlainTextResponse("missing secret", status_code=401)
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return PlainTextResponse("wrong secret", status_code=403)
        body = await _read_at_most(request, MAX_BODY)
        if body is None:
            return PlainTextResponse("too large", status_code=413)
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict):
                raise TypeError("an update is a JSON object")
            update = Update.de_json(payload, application.bot)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return PlainTextResponse("not an update", status_code=400)
        if update is None:
            return PlainTextResponse("not an update", status_code=400)
        try:  # kept before Telegram hears "ok": a crash after this loses nothing
            await services.inbox.accept(application, payload)
        except Exception as error:
            if not isinstance(error, DBAPIError):
                services.metrics.database_errors.labels(error_kind(error)).inc()
            return PlainTextResponse("try again", status_code=503)
        return PlainTextResponse("ok")

    routes = [Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics)]
    if secret:  # no secret, no webhook: a forged update could act as any user id
        routes.append(Route(WEBHOOK_PATH, webhook, methods=["POST"]))
    return Starlette(routes=routes)


async def _read_at_most(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is longer than `limit` (never read further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)
