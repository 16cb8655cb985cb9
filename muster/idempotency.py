"""The ``Idempotency-Key`` header: a retried mutation gets the first response, not a second run.

Only mutations are kept (queries are safe to repeat). Keys are per caller (the authenticated
subject), live ``MUSTER_IDEMPOTENCY_KEY_TTL`` seconds, and are tied to the request they first
came with: the same key with another request is refused (422), and while the first request is
still being answered a retry is told to wait (409).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import structlog
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from db.services import idempotency
from muster.settings import Settings

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEY = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, no spaces
log = structlog.get_logger("muster.idempotency")


async def run_once(
    request: Request,
    run: Callable[[Request], Awaitable[Response]],
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> Response:
    """Answer ``request`` with ``run``, at most once per caller and idempotency key."""
    key = request.headers.get(HEADER)
    if key is None or request.method != "POST":
        return await run(request)
    if not KEY.fullmatch(key):
        return _refusal(
            400,
            "IDEMPOTENCY_KEY_INVALID",
            f"{HEADER} must be 1 to 255 printable ASCII characters without spaces.",
        )
    operation = _mutation(await request.body(), settings)
    if operation is None:  # not a mutation, or not valid: nothing to protect
        return await run(request)
    outcome = await idempotency.claim(
        sessionmaker,
        caller=_caller(request),
        key=key,
        request_hash=hashlib.sha256(operation.encode()).hexdigest(),
        ttl=timedelta(seconds=settings.idempotency_key_ttl),
        lease=timedelta(seconds=settings.execution_timeout + 30),
    )
    match outcome:
        case idempotency.Replay(status_code, body):
            return Response(
                body, status_code, headers={REPLAYED: "true"}, media_type="application/json"
            )
        case idempotency.Mismatch():
            return _refusal(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                f"This {HEADER} was already used with a different request; send a new key "
                "with a new request.",
            )
        case idempotency.InProgress():
            return _refusal(
                409,
                "IDEMPOTENCY_KEY_IN_USE",
                f"A request with this {HEADER} is still being answered; retry shortly.",
                headers={"Retry-After": "1"},
            )
    assert isinstance(outcome, idempotency.Claimed)
    try:
        response = await run(request)
    except BaseException:
        await idempotency.release(sessionmaker, record_id=outcome.record_id)
        raise
    body = bytes(response.body)
    if _keep(response.status_code, body):
        await idempotency.complete(
            sessionmaker,
            record_id=outcome.record_id,
            status_code=response.status_code,
            response=body.decode(),
        )
    else:  # failed before it could apply: a retry should run it
        await idempotency.release(sessionmaker, record_id=outcome.record_id)
    return response


def _mutation(body: bytes, settings: Settings) -> str | None:
    """The request's operation in canonical JSON if it is a mutation, else None."""
    try:
        data = json.loads(body)
        query = data.get("query")
        document = parse(query, max_tokens=settings.max_tokens)
    except (ValueError, AttributeError, TypeError, GraphQLError, RecursionError):
        return None
    name = data.get("operationName")
    operation = get_operation_ast(document, name if isinstance(name, str) else None)
    if operation is None or operation.operation != OperationType.MUTATION:
        return None
    canonical = {"query": query, "operationName": name, "variables": data.get("variables")}
    return json.dumps(canonical, sort_keys=True, separators=(",", ":"))


def _caller(request: Request) -> str:
    """Whose keys these are: the authenticated subject and role."""
    viewer: Any = getattr(request.state, "viewer", None)
    if viewer is None:
        return "anonymous"
    caller = f"{viewer.role}:{viewer.subject}"
    return caller if len(caller) <= 128 else hashlib.sha256(caller.encode()).hexdigest()


def _keep(status_code: int, body: bytes) -> bool:
    """Whether a response is final: server errors and timeouts are not, so retries run."""
    if status_code >= 500:
        return False
    try:
        errors = json.loads(body).get("errors") or []
    except (ValueError, AttributeError):
        return True
    return not any((e.get("extensions") or {}).get("code") == "TIMEOUT" for e in errors)


def _refusal(
    status_code: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    log.info("idempotency refusal", code=code)
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status_code,
        headers=headers,
    )
