"""The GraphQL endpoint: strawberry's ASGI view with our context, authentication (401 before
anything else), the HTTP-level refusals (body size, JSON shape, content type, batching), the
execution timeout and the audit entries each request leaves."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import parse_qs

import structlog
from cross_web import HTTPException
from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.types import ExecutionResult

from db.services.audit import write_drafts
from muster.auth import Unauthenticated, authenticate
from muster.idempotency import run_once
from muster.settings import Settings
from resolvers.context import Context
from resolvers.loaders import Loaders
from schema import schema

log = structlog.get_logger("muster.graphql")


class MusterGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view with our per-request context."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, **kwargs: Any
    ) -> None:
        super().__init__(schema, **kwargs)
        self.sessionmaker = sessionmaker
        self.settings = settings

    async def get_context(self, request: Any, response: Any) -> Context:
        return Context(
            sessionmaker=self.sessionmaker,
            settings=self.settings,
            request=request,
            response=response,
            viewer=scope_viewer(request.scope),
        )

    async def on_ws_connect(self, context: Context) -> Any:
        """A WebSocket without a credential in its handshake may send one in
        ``connection_init`` (``{"Authorization": "Bearer ..."}``); without one it is closed."""
        if context.viewer is None:
            params = context.connection_params or {}
            headers = {str(k).lower(): str(v) for k, v in params.items()}
            try:
                context.viewer = await authenticate(headers, self.settings, self.sessionmaker)
            except Unauthenticated as exc:
                log.warning("graphql unauthenticated", reason=str(exc), transport="websocket")
                raise ConnectionRejectionError() from exc
            context.loaders = Loaders(self.sessionmaker, context.viewer)
        return await super().on_ws_connect(context)

    async def _authenticate(self, scope: Scope) -> JSONResponse | None:
        """Put the caller on the scope, or answer 401. GraphiQL's page itself needs no
        credential (it holds no data; a browser cannot send a bearer token to open it)."""
        headers = scope_headers(scope)
        ide_page = (
            scope.get("method") == "GET"
            and "text/html" in headers.get("accept", "")
            and "query" not in parse_qs(scope.get("query_string", b"").decode("latin-1"))
        )
        if ide_page and self.graphql_ide:
            return None
        try:
            viewer = await authenticate(headers, self.settings, self.sessionmaker)
        except Unauthenticated as exc:
            log.warning("graphql unauthenticated", reason=str(exc))
            challenge = 'Bearer realm="muster"'
            if "authorization" in headers or "x-api-key" in headers:
                challenge += ', error="invalid_token"'
            return JSONResponse(
                {"errors": [{"message": str(exc), "extensions": {"code": "UNAUTHENTICATED"}}]},
                status_code=401,
                headers={"WWW-Authenticate": challenge},
            )
        scope.setdefault("state", {})["viewer"] = viewer
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # A credential in the handshake's headers counts; else see ``on_ws_connect``.
            headers = scope_headers(scope)
            if "authorization" in headers or "x-api-key" in headers:
                try:
                    viewer = await authenticate(headers, self.settings, self.sessionmaker)
                except Unauthenticated:
                    await send({"type": "websocket.close", "code": 4401})
                    return
                scope.setdefault("state", {})["viewer"] = viewer
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        refusal = await self._authenticate(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        try:
            response = await run_once(
                Request(scope, receive=self._limited(scope, receive)),
                self.run,
                sessionmaker=self.sessionmaker,
                settings=self.settings,
            )
        except HTTPException as exc:
            # Refusals in GraphQL's error shape, so clients read them like any other error.
            response = JSONResponse(
                {"errors": [{"message": exc.reason}]}, status_code=exc.status_code
            )
        await response(scope, receive, send)

    def _limited(self, scope: Scope, receive: Receive) -> Receive:
        """``receive`` that refuses a body over the limit (413) before it is parsed."""
        limit = self.settings.max_body_bytes

        def too_large() -> HTTPException:
            return HTTPException(413, f"The request body is larger than {limit:,} bytes.")

        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            raise too_large()
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:  # a chunked body, or one longer than it declared
                raise too_large()
            return message

        return receive_limited

    def parse_json(self, data: str | bytes) -> Any:
        """JSON from an HTTP request; anything unusable is a 400, never a 500."""
        try:
            return self.decode_json(data.decode() if isinstance(data, bytes) else data)
        except UnicodeDecodeError as exc:
            raise HTTPException(400, "The request body is not UTF-8 text.") from exc
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"The request body is not valid JSON: {exc}") from exc
        except (ValueError, RecursionError) as exc:
            raise HTTPException(
                400, "The request body is not usable JSON: nested too deeply or a number too long."
            ) from exc

    async def parse_http_body(self, request: Any) -> GraphQLRequestData:
        if request.method == "GET":  # parsed as usual, then refused at execution (CSRF)
            return await super().parse_http_body(request)  # type: ignore[return-value]
        content_type, _ = parse_content_type(request.content_type or "")
        if content_type != "application/json":
            # Forms and multipart can be posted cross-site without a preflight (CSRF).
            raise HTTPException(415, "Send the operation as a JSON object (application/json).")
        data = self.parse_json(await request.get_body())
        if isinstance(data, list):
            raise HTTPException(400, "Batching is off: send one operation per request.")
        if not isinstance(data, dict):
            raise HTTPException(
                400, 'The request body must be a JSON object such as {"query": "{ ... }"}.'
            )
        for key, kind, shape in (
            ("query", str, "a string"),
            ("operationName", str, "a string"),
            ("variables", dict, "an object"),
            ("extensions", dict, "an object"),
        ):
            if not isinstance(data.get(key), kind | None):
                raise HTTPException(400, f"`{key}` must be {shape} or null.")
        return GraphQLRequestData(
            query=data.get("query"),
            variables=data.get("variables"),
            operation_name=data.get("operationName"),
            extensions=data.get("extensions"),
            protocol="http",
        )

    async def execute_single(self, **kwargs: Any) -> ExecutionResult:  # type: ignore[override]
        try:
            return await self._execute_timed(**kwargs)
        finally:
            await self._write_audit(kwargs.get("context"))

    async def _execute_timed(self, **kwargs: Any) -> ExecutionResult:
        seconds = self.settings.execution_timeout
        try:
            async with asyncio.timeout(seconds):
                return await super().execute_single(**kwargs)
        except TimeoutError:
            log.warning("graphql timeout", seconds=seconds)
            message = f"The operation took longer than {seconds:g} s and was stopped."
            error = GraphQLError(message, extensions={"code": "TIMEOUT"})
            return ExecutionResult(data=None, errors=[error])

    async def _write_audit(self, context: Any) -> None:
        """Store what the operation could not (stopped by the timeout, say), if anything."""
        await write_drafts(self.sessionmaker, getattr(context, "audit", []))


def scope_headers(scope: Scope) -> dict[str, str]:
    """An ASGI scope's headers by lower-case name."""
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def scope_viewer(scope: Any) -> Any:
    """The viewer ``MusterGraphQL`` put on an ASGI scope, if any."""
    state = scope.get("state") if isinstance(scope, dict) else None
    return (state or {}).get("viewer")
